/**
 * The stack's templates as the stack tests read them: the main stack's and its nested stacks'
 * (infra/constructs/monitoring.ts), merged into one, so an assertion finds a resource wherever
 * the stack put it. A nested template names what it takes from its parent by parameter; the
 * merge puts the parent's value (`Ref`, `Fn::GetAtt`) back in its place, so a reference reads as
 * it would in one template. The main stack's own template stays what CloudFormation limits.
 */
import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function templateJson(stack: Stack): Json {
  const json: unknown = Template.fromStack(stack).toJSON();
  if (!isRecord(json)) throw new Error(`${stack.node.path} has no template`);
  return json;
}

const sectionOf = (template: Json, section: string): Json => {
  const value = template[section];
  return isRecord(value) ? value : {};
};

/** `node` with every `{ Ref: <parameter> }` replaced by the parameter's value. */
function substituteParameters(node: unknown, parameters: Json): unknown {
  if (Array.isArray(node)) return node.map((item) => substituteParameters(item, parameters));
  if (!isRecord(node)) return node;
  const ref = node.Ref;
  if (typeof ref === 'string' && Object.keys(node).length === 1 && ref in parameters) {
    return parameters[ref];
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, substituteParameters(value, parameters)]),
  );
}

/** `node` with every `{ 'Fn::GetAtt': [<nested stack>, 'Outputs.<name>'] }` replaced by the output's value. */
function substituteOutputs(node: unknown, nestedId: string, outputs: Json): unknown {
  if (Array.isArray(node)) return node.map((item) => substituteOutputs(item, nestedId, outputs));
  if (!isRecord(node)) return node;
  const getAtt = node['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === nestedId && typeof getAtt[1] === 'string') {
    const output = outputs[getAtt[1].replace(/^Outputs\./, '')];
    if (isRecord(output)) return output.Value;
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, substituteOutputs(value, nestedId, outputs)]),
  );
}

/** The nested stacks whose parent is `stack`. */
export function nestedStacksOf(stack: Stack): NestedStack[] {
  return stack.node
    .findAll()
    .filter((c): c is NestedStack => c instanceof NestedStack && c.nestedStackParent === stack);
}

/** The template of `stack` alone (the one CloudFormation counts against its limits), as JSON. */
export function ownResourcesOf(stack: Stack): Record<string, { Type: string }> {
  const resources: Record<string, { Type: string }> = {};
  for (const [id, resource] of Object.entries(sectionOf(templateJson(stack), 'Resources'))) {
    if (isRecord(resource) && typeof resource.Type === 'string') resources[id] = { Type: resource.Type };
  }
  return resources;
}

/** The parameters the parent stack passes to `nested`, by name. */
export function nestedStackParametersOf(nested: NestedStack): Json {
  const parent = nested.nestedStackParent;
  const holder = nested.nestedStackResource;
  if (!parent || !holder) throw new Error(`${nested.node.path} is not a nested stack`);
  const holderResource = sectionOf(templateJson(parent), 'Resources')[parent.getLogicalId(holder)];
  const properties = isRecord(holderResource) ? holderResource.Properties : undefined;
  return isRecord(properties) ? sectionOf(properties, 'Parameters') : {};
}

/**
 * `stack`'s template with the resources of its nested stacks (and theirs) merged in, in place of
 * the AWS::CloudFormation::Stack resources that hold them.
 */
function mergedJson(stack: Stack): Json {
  let merged = templateJson(stack);
  for (const nested of nestedStacksOf(stack)) {
    const holder = nested.nestedStackResource;
    if (!holder) throw new Error(`${nested.node.path} has no stack resource`);
    const holderId = stack.getLogicalId(holder);
    const resources = sectionOf(merged, 'Resources');
    const inner = substituteParameters(mergedJson(nested), nestedStackParametersOf(nested));
    if (!isRecord(inner)) throw new Error(`${nested.node.path}: not a template`);
    const { [holderId]: _holder, ...others } = resources;
    const innerResources = sectionOf(inner, 'Resources');
    for (const id of Object.keys(innerResources)) {
      if (id in others) throw new Error(`${id} is in both ${stack.node.path} and ${nested.node.path}`);
    }
    const withInner = { ...merged, Resources: { ...others, ...innerResources } };
    const resolved = substituteOutputs(withInner, holderId, sectionOf(inner, 'Outputs'));
    if (!isRecord(resolved)) throw new Error(`${stack.node.path}: not a template`);
    merged = resolved;
  }
  return merged;
}

/** What the stack deploys, its nested stacks included, as one template to assert on. */
export function templateWithNestedStacks(stack: Stack): Template {
  return Template.fromJSON(mergedJson(stack));
}
