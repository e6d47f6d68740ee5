/**
 * The synthesized Civicloop stack checked against the topology it is built from: for every
 * table, queue, function, trigger and binding the topology declares, the properties of the
 * resources that implement it. The real stack is synthesized (and bundled) once; the cdk-nag and
 * schedule checks use fresh apps with bundling skipped, which costs milliseconds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHART_FILE } from '../../functions/console-assets.ts';
import { sideModules } from '../../functions/wiring/side-modules.ts';
import { clientLimits, rateLimitedBody } from '../../infra/client-limits.ts';
import { serviceName } from '../../infra/constructs/civic-function.ts';
import { oldestMessageAlarmAge } from '../../infra/constructs/civic-queue.ts';
import { edgeRegion, rateLimitedBodyKey, routeStatement } from '../../infra/constructs/edge-protection.ts';
import {
  importMetaUrlBanner,
  sideModulesOf,
  unusedCredentialSources,
} from '../../infra/constructs/handler-bundling.ts';
import { staffAttributes } from '../../infra/constructs/staff-user-pool.ts';
import { CivicloopEdgeWafStack } from '../../infra/edge-waf-stack.ts';
import { apiThrottle, CivicloopStack, scheduleRetryAttempts } from '../../infra/stack.ts';
import {
  alarmTopicArnOutputKey,
  apiUrlOutputKey,
  civicloopStackName,
  queueOutputKey,
  readCivicloopOutputs,
  secretOutputKey,
  staffUserPoolClientIdOutputKey,
  staffUserPoolIdOutputKey,
  tableOutputKey,
} from '../../infra/stack-outputs.ts';
import {
  type FunctionSpec,
  secretsOf,
  type Topology,
  topology,
  unitQueueName,
} from '../../infra/topology.ts';
import { edgeOriginHeader, edgeOriginSecretEnv } from '../../shared/http/edge-origin.ts';
import { staffTokenEnv } from '../../shared/http/staff-identity.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import {
  nestedStackParametersOf,
  nestedStacksOf,
  ownResourcesOf,
  templateWithNestedStacks,
} from './stack-templates.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const listOf = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

const stringsOf = (value: unknown): string[] => listOf(value).filter((v) => typeof v === 'string');

/** Requires a bundle in a fresh Node, as Lambda loads a CommonJS index.js; prints `expression` of its exports `m`. */
function loadInNode(bundle: string, expression: string): string {
  const script = `const m = require(${JSON.stringify(bundle)}); console.log(${expression});`;
  const result = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

/** The feature flags `cdk synth` runs with, so the test synthesizes the same template. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson: unknown = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
  const context = isRecord(cdkJson) ? cdkJson.context : undefined;
  if (!isRecord(context)) throw new Error('cdk.json has no context');
  return context;
}

/** A stack whose functions are not bundled: everything but the asset is identical. */
function unbundledStack(stackTopology: Topology = topology): { app: App; stack: CivicloopStack } {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new CivicloopStack(app, civicloopStackName, { topology: stackTopology });
  return { app, stack };
}

/** Logical IDs a CloudFormation value refers to through Ref or Fn::GetAtt, pseudo parameters aside. */
function referencedIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isRecord(node)) return;
    const ref = node.Ref;
    if (typeof ref === 'string' && !ref.startsWith('AWS::')) ids.add(ref);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') ids.add(getAtt[0]);
    for (const child of Object.values(node)) visit(child);
  };
  visit(value);
  return ids;
}

const physicalName = (name: string): string => `${civicloopStackName}-${name}`;
const days = (n: number): number => n * 24 * 60 * 60;

interface Statement {
  effect: string;
  actions: string[];
  resourceIds: Set<string>;
  resourceLiterals: string[];
}

describe('the Civicloop stack, synthesized from the topology', () => {
  let app: App;
  let stack: CivicloopStack;
  let template: Template;
  let resources: Record<string, unknown>;

  beforeAll(() => {
    app = new App({ context: cdkJsonContext() });
    stack = new CivicloopStack(app, civicloopStackName);
    template = templateWithNestedStacks(stack);
    const json: unknown = template.toJSON();
    const templateResources = isRecord(json) ? json.Resources : undefined;
    if (!isRecord(templateResources)) throw new Error('template has no Resources');
    resources = templateResources;
  }, 180_000);

  const propertiesOf = (logicalId: string): Record<string, unknown> => {
    const resource = resources[logicalId];
    const properties = isRecord(resource) ? resource.Properties : undefined;
    if (!isRecord(properties)) throw new Error(`${logicalId} has no Properties`);
    return properties;
  };

  const theOnly = (type: string, properties: Record<string, unknown>): string => {
    const ids = Object.keys(template.findResources(type, { Properties: properties }));
    expect(ids, `${type} ${JSON.stringify(properties)}`).toHaveLength(1);
    const [id] = ids;
    if (id === undefined) throw new Error('unreachable');
    return id;
  };

  /** The folder CDK bundled a function into (its asset in the cloud assembly). */
  const assetDirectoryOf = (name: string): string => {
    const code = propertiesOf(functionId(name)).Code;
    const s3Key = isRecord(code) ? code.S3Key : undefined;
    expect(typeof s3Key).toBe('string');
    return path.join(
      Stage.of(stack)?.synth().directory ?? '',
      `asset.${String(s3Key).replace(/\.zip$/, '')}`,
    );
  };

  const tableId = (name: string): string =>
    theOnly('AWS::DynamoDB::Table', { TableName: physicalName(name) });
  const queueId = (name: string): string => theOnly('AWS::SQS::Queue', { QueueName: physicalName(name) });
  const deadLetterQueueId = (name: string): string =>
    theOnly('AWS::SQS::Queue', { QueueName: `${physicalName(name)}-dlq` });
  const functionId = (name: string): string =>
    theOnly('AWS::Lambda::Function', { FunctionName: physicalName(name) });
  const alarmTopicId = (): string => theOnly('AWS::SNS::Topic', { TopicName: physicalName('alarms') });
  const userPoolId = (): string => theOnly('AWS::Cognito::UserPool', { UserPoolName: physicalName('staff') });
  const userPoolClientId = (): string =>
    theOnly('AWS::Cognito::UserPoolClient', { ClientName: physicalName('console') });
  const originSecretId = (): string =>
    theOnly('AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('header value') });
  /** The secret a `secret` binding names, by its topology name (in its description). */
  const secretId = (name: string): string =>
    theOnly('AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp(`: ${name}, `) });
  /** How CloudFormation is told to put the origin secret's value in place at deploy time. */
  const originSecretReference = () => ({
    'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: originSecretId() }, ':SecretString:::}}']],
  });

  const roleIdOf = (functionName: string): string => {
    const [roleId] = referencedIds(propertiesOf(functionId(functionName)).Role);
    if (roleId === undefined) throw new Error(`${functionName} has no role`);
    return roleId;
  };

  /** The policy documents of a function's role: its inline policies and any policy attached to it. */
  const policyDocumentsOf = (functionName: string): unknown[] => {
    const roleId = roleIdOf(functionName);
    const attached = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
    });
    const inline = listOf(propertiesOf(roleId).Policies).filter(isRecord);
    return [
      ...inline.map((policy) => policy.PolicyDocument),
      ...Object.keys(attached).map((policyId) => propertiesOf(policyId).PolicyDocument),
    ];
  };

  const statementsOf = (functionName: string): Statement[] => {
    return policyDocumentsOf(functionName).flatMap((document) => {
      return listOf(isRecord(document) ? document.Statement : undefined)
        .filter(isRecord)
        .map(
          (statement): Statement => ({
            effect: String(statement.Effect),
            actions: stringsOf(statement.Action),
            resourceIds: referencedIds(statement.Resource),
            resourceLiterals: stringsOf(statement.Resource),
          }),
        );
    });
  };

  /** The resources a function's role may use `action` on. */
  const grantedTo = (functionName: string, action: string): Set<string> =>
    new Set(
      statementsOf(functionName)
        .filter((s) => s.effect === 'Allow' && s.actions.includes(action))
        .flatMap((s) => [...s.resourceIds]),
    );

  const boundTables = (spec: FunctionSpec, access: 'read' | 'readWrite' | 'any'): Set<string> =>
    new Set(
      spec.bindings.flatMap((b) =>
        b.kind === 'table' && (access === 'any' || b.access === access) ? [tableId(b.table)] : [],
      ),
    );

  const boundQueues = (spec: FunctionSpec): Set<string> =>
    new Set(
      spec.bindings.flatMap((b) => {
        if (b.kind === 'queue') return [queueId(b.queue)];
        if (b.kind === 'unitQueues') return unitIds.map((unitId) => queueId(unitQueueName(unitId)));
        return [];
      }),
    );

  describe('tables', () => {
    it('creates exactly one table per topology table', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', topology.tables.length);
    });

    for (const spec of topology.tables) {
      it(`table ${spec.name} has the keys, time-to-live and indexes of its spec`, () => {
        const properties = propertiesOf(tableId(spec.name));
        expect(properties.KeySchema).toEqual([
          { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
          ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' }] : []),
        ]);
        const keys = [
          spec.partitionKey,
          spec.sortKey,
          ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
        ];
        for (const key of keys) {
          if (!key) continue;
          expect(properties.AttributeDefinitions).toContainEqual({
            AttributeName: key.name,
            AttributeType: key.type,
          });
        }
        expect(properties.TimeToLiveSpecification).toEqual(
          spec.timeToLiveAttribute ? { AttributeName: spec.timeToLiveAttribute, Enabled: true } : undefined,
        );
        const indexNames = listOf(properties.GlobalSecondaryIndexes).map((index) =>
          isRecord(index) ? index.IndexName : undefined,
        );
        expect(indexNames).toEqual(spec.indexes.map((index) => index.name));
      });

      it(`table ${spec.name} is on-demand, point-in-time recoverable, encrypted and retained`, () => {
        template.hasResource('AWS::DynamoDB::Table', {
          Properties: Match.objectLike({
            TableName: physicalName(spec.name),
            BillingMode: 'PAY_PER_REQUEST',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { SSEEnabled: true },
            DeletionProtectionEnabled: true,
          }),
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
        });
      });
    }
  });

  describe('queues', () => {
    it('creates each topology queue and its own dead-letter queue, and nothing else', () => {
      const asyncFunctions = topology.functions.filter((f) =>
        f.triggers.some((t) => t.kind === 'schedule' || t.kind === 'topic'),
      );
      template.resourceCountIs('AWS::SQS::Queue', 2 * topology.queues.length + asyncFunctions.length);
    });

    for (const spec of topology.queues) {
      it(`queue ${spec.name} moves a message to its own dead-letter queue after ${spec.maxReceiveCount} receives`, () => {
        expect(spec.maxReceiveCount).toBeGreaterThanOrEqual(5);
        expect(propertiesOf(queueId(spec.name))).toMatchObject({
          VisibilityTimeout: spec.visibilityTimeoutSeconds,
          MessageRetentionPeriod: days(spec.retentionDays),
          SqsManagedSseEnabled: true,
          RedrivePolicy: {
            deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId(spec.name), 'Arn'] },
            maxReceiveCount: spec.maxReceiveCount,
          },
        });
        const deadLetterQueue = propertiesOf(deadLetterQueueId(spec.name));
        expect(deadLetterQueue).toMatchObject({
          MessageRetentionPeriod: days(spec.deadLetterRetentionDays ?? 14),
          SqsManagedSseEnabled: true,
        });
        expect(deadLetterQueue.RedrivePolicy).toBeUndefined();
      });

      it(`queue ${spec.name} and its dead-letter queue refuse requests that are not TLS`, () => {
        for (const id of [queueId(spec.name), deadLetterQueueId(spec.name)]) {
          template.hasResourceProperties('AWS::SQS::QueuePolicy', {
            Queues: [{ Ref: id }],
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Effect: 'Deny',
                  Action: 'sqs:*',
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                }),
              ]),
            },
          });
        }
      });

      it(`queue ${spec.name} alarms on its first dead letter and on a stale oldest message`, () => {
        const toTheAlarmTopic = {
          AlarmActions: [{ Ref: alarmTopicId() }],
          OKActions: [{ Ref: alarmTopicId() }],
        };
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [
            { Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId(spec.name), 'QueueName'] } },
          ],
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 1,
          ...toTheAlarmTopic,
        });
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateAgeOfOldestMessage',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(spec.name), 'QueueName'] } }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: oldestMessageAlarmAge(spec).toSeconds(),
          ...toTheAlarmTopic,
        });
      });
    }

    it("keeps reporters' phones and words in the intake queue only as long as redelivery needs", () => {
      // Drained in seconds and alarmed at 15 minutes; a dead letter keeps its first enqueue time.
      expect(propertiesOf(queueId('intake')).MessageRetentionPeriod).toBe(days(4));
      expect(propertiesOf(deadLetterQueueId('intake')).MessageRetentionPeriod).toBe(days(7));
    });

    it('refuses a dead-letter queue that would expire messages before their own queue does', () => {
      const spec = topology.queues.find((q) => q.name === 'intake');
      if (!spec) throw new Error('no intake queue');
      const shortLived = { ...spec, retentionDays: 10, deadLetterRetentionDays: 7 };
      expect(() => unbundledStack({ ...topology, queues: [shortLived] })).toThrow(/deadLetterRetentionDays/);
    });

    it('gives every unit of the county its own dispatch queue', () => {
      for (const unitId of unitIds) expect(() => queueId(unitQueueName(unitId))).not.toThrow();
    });
  });

  describe('functions', () => {
    it('creates exactly one function per topology function', () => {
      template.resourceCountIs('AWS::Lambda::Function', topology.functions.length);
    });

    it("keeps a resident's failed text (phone and words) a week for a person, a failed scheduled run 14 days", () => {
      const asyncQueue = (name: string) =>
        propertiesOf(theOnly('AWS::SQS::Queue', { QueueName: `${physicalName(name)}-async-dlq` }));
      expect(asyncQueue('receive-sms').MessageRetentionPeriod).toBe(days(7));
      expect(asyncQueue('sweep-cases').MessageRetentionPeriod).toBe(days(14));
    });

    it('runs the retention job every hour with only the cases table and its retention setting', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 hour)',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('anonymise-reports'), 'Arn'] } })],
      });
      const variables = propertiesOf(functionId('anonymise-reports')).Environment;
      expect(
        isRecord(variables) && isRecord(variables.Variables) ? Object.keys(variables.Variables).sort() : [],
      ).toEqual(expect.arrayContaining(['CASES_TABLE', 'REPORT_RETENTION_DAYS']));
    });

    for (const spec of topology.functions) {
      it(`function ${spec.name} runs ${spec.entry} on nodejs24.x arm64 with its timeout, memory and tracing`, () => {
        expect(propertiesOf(functionId(spec.name))).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Timeout: spec.timeoutSeconds,
          MemorySize: spec.memoryMb,
          Description: spec.description,
          TracingConfig: { Mode: 'Active' },
        });
      });

      it(`function ${spec.name} has one env var per binding, naming the bound resource`, () => {
        const variables = propertiesOf(functionId(spec.name)).Environment;
        const env = isRecord(variables) && isRecord(variables.Variables) ? variables.Variables : {};
        const behindApi = spec.triggers.some((trigger) => trigger.kind === 'http');
        const staffRoute = spec.triggers.some(
          (trigger) => trigger.kind === 'http' && trigger.auth === 'staff',
        );
        expect(Object.keys(env).sort()).toEqual(
          [
            'POWERTOOLS_SERVICE_NAME',
            'POWERTOOLS_LOG_LEVEL',
            'NODE_OPTIONS',
            ...spec.bindings.map((binding) => binding.env),
            // Every function behind the HTTP API checks that a request came through the edge.
            ...(behindApi ? [edgeOriginSecretEnv] : []),
            // A staff route's function verifies staff tokens itself.
            ...(staffRoute ? Object.values(staffTokenEnv) : []),
          ].sort(),
        );
        expect(env.POWERTOOLS_SERVICE_NAME).toBe(serviceName);
        expect(env.POWERTOOLS_LOG_LEVEL).toBe('INFO');
        if (behindApi) expect(env[edgeOriginSecretEnv]).toEqual(originSecretReference());
        for (const binding of spec.bindings) {
          const value = env[binding.env];
          if (binding.kind === 'table') expect(value).toEqual({ Ref: tableId(binding.table) });
          if (binding.kind === 'queue') expect(value).toEqual({ Ref: queueId(binding.queue) });
          if (binding.kind === 'userPoolClient') expect(value).toEqual({ Ref: userPoolClientId() });
          if (binding.kind === 'userPool') expect(value).toEqual({ Ref: userPoolId() });
          if (binding.kind === 'secret') expect(value).toEqual({ Ref: secretId(binding.name) });
          if (binding.kind === 'unitQueues') {
            expect(referencedIds(value)).toEqual(
              new Set(unitIds.map((unitId) => queueId(unitQueueName(unitId)))),
            );
            const literalText = JSON.stringify(value);
            for (const unitId of unitIds) expect(literalText).toContain(`\\"${unitId}\\":\\"`);
          }
        }
      });

      it(`function ${spec.name} may use exactly the tables and queues it is bound to or triggered by`, () => {
        expect(grantedTo(spec.name, 'dynamodb:GetItem')).toEqual(boundTables(spec, 'any'));
        expect(grantedTo(spec.name, 'dynamodb:Query')).toEqual(boundTables(spec, 'any'));
        expect(grantedTo(spec.name, 'dynamodb:PutItem')).toEqual(boundTables(spec, 'readWrite'));
        expect(grantedTo(spec.name, 'dynamodb:DeleteItem')).toEqual(boundTables(spec, 'readWrite'));

        const asyncFailureQueues = spec.triggers.some((t) => t.kind === 'schedule' || t.kind === 'topic')
          ? [theOnly('AWS::SQS::Queue', { QueueName: `${physicalName(spec.name)}-async-dlq` })]
          : [];
        expect(grantedTo(spec.name, 'sqs:SendMessage')).toEqual(
          new Set([...boundQueues(spec), ...asyncFailureQueues]),
        );
        const consumedQueues = spec.triggers.flatMap((t) => (t.kind === 'queue' ? [queueId(t.queue)] : []));
        expect(grantedTo(spec.name, 'sqs:ReceiveMessage')).toEqual(new Set(consumedQueues));
        const boundSecrets = spec.bindings.flatMap((b) => (b.kind === 'secret' ? [secretId(b.name)] : []));
        expect(grantedTo(spec.name, 'secretsmanager:GetSecretValue')).toEqual(new Set(boundSecrets));
        expect(grantedTo(spec.name, 'logs:PutLogEvents')).toEqual(
          new Set([
            theOnly('AWS::Logs::LogGroup', { LogGroupName: `/aws/lambda/${physicalName(spec.name)}` }),
          ]),
        );
      });

      it(`function ${spec.name} has no managed policy and no wildcard resource beyond X-Ray`, () => {
        expect(propertiesOf(roleIdOf(spec.name)).ManagedPolicyArns).toBeUndefined();
        for (const statement of statementsOf(spec.name)) {
          expect(statement.actions.some((action) => action.endsWith(':*'))).toBe(false);
          if (statement.resourceLiterals.includes('*')) {
            // X-Ray has no resource-level permissions; SendTextMessage's resources are any resident.
            const sendsSms = spec.bindings.some((b) => b.kind === 'smsSender');
            expect(
              statement.actions.every(
                (action) =>
                  action.startsWith('xray:') || (sendsSms && action === 'sms-voice:SendTextMessage'),
              ),
            ).toBe(true);
          }
        }
      });

      it(`function ${spec.name} logs as JSON to its own log group, kept for a month`, () => {
        const logGroupId = theOnly('AWS::Logs::LogGroup', {
          LogGroupName: `/aws/lambda/${physicalName(spec.name)}`,
          RetentionInDays: 30,
        });
        expect(propertiesOf(functionId(spec.name)).LoggingConfig).toEqual({
          LogFormat: 'JSON',
          LogGroup: { Ref: logGroupId },
        });
      });

      it(`function ${spec.name} is bundled as CommonJS with a source map, and loads as Lambda loads it`, () => {
        const bundle = path.join(assetDirectoryOf(spec.name), 'index.js');
        expect(readFileSync(bundle, 'utf8').startsWith(importMetaUrlBanner)).toBe(true);
        expect(existsSync(`${bundle}.map`)).toBe(true);
        expect(loadInNode(bundle, 'typeof m.handler')).toBe('function');
      });
    }

    it('bundles no credential source Lambda never reaches: the SDK requires them only if ever needed', () => {
      const bundle = readFileSync(path.join(assetDirectoryOf('get-catalog'), 'index.js'), 'utf8');
      for (const source of unusedCredentialSources) expect(bundle).toContain(`require("${source}")`);
    });

    it('puts the S3 SDK beside every function that may touch photos, where its lazy loader finds it, and keeps it out of their bundles', () => {
      const withSideModule = topology.functions.filter((spec) => sideModulesOf(spec).includes('s3Sdk'));
      expect(withSideModule.map((spec) => spec.name)).toEqual(
        expect.arrayContaining(['submit-report', 'get-report-status', 'anonymise-reports']),
      );
      for (const spec of withSideModule) {
        const directory = assetDirectoryOf(spec.name);
        const sideModule = path.join(directory, sideModules.s3Sdk.file);
        expect(loadInNode(sideModule, 'typeof m.S3Client + " " + typeof m.createPresignedPost')).toBe(
          'function function',
        );
      }
      // Every one loads the photo store on first use: no S3 client compiled with any handler.
      for (const spec of topology.functions) {
        const bundle = readFileSync(path.join(assetDirectoryOf(spec.name), 'index.js'), 'utf8');
        expect(bundle.includes('AmazonS3'), spec.name).toBe(false);
      }
    });

    it("console-assets finds the Chart.js copied beside its bundle: import.meta.url is the bundle's own", () => {
      const directory = assetDirectoryOf('console-assets');
      expect(loadInNode(path.join(directory, 'index.js'), 'm.chartFilePath()')).toBe(
        path.join(directory, CHART_FILE),
      );
    });

    it('route-report may send to every unit queue but cannot touch the idempotency table', () => {
      const sendable = grantedTo('route-report', 'sqs:SendMessage');
      for (const unitId of unitIds) expect(sendable).toContain(queueId(unitQueueName(unitId)));
      expect(sendable).not.toContain(queueId('intake'));
      expect(grantedTo('route-report', 'dynamodb:GetItem')).not.toContain(tableId('idempotency'));
    });

    it('get-assessment reads the statistics and directory tables and can write nothing, nor read a case', () => {
      expect(grantedTo('get-assessment', 'dynamodb:Query')).toEqual(
        new Set([tableId('stats'), tableId('directory')]),
      );
      for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'])
        expect(grantedTo('get-assessment', write)).toEqual(new Set());
      expect(grantedTo('get-assessment', 'dynamodb:GetItem')).not.toContain(tableId('cases'));
    });

    const environmentOf = (name: string): Record<string, unknown> => {
      const environment = propertiesOf(functionId(name)).Environment;
      return isRecord(environment) && isRecord(environment.Variables) ? environment.Variables : {};
    };

    it("lets sweep-cases query the sms table's byDue index for the held SMS reports that are due", () => {
      const sms = tableId('sms');
      expect(grantedTo('sweep-cases', 'dynamodb:Query')).toContain(sms);
      const documents = JSON.stringify(policyDocumentsOf('sweep-cases'));
      expect(documents).toContain(
        JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [sms, 'Arn'] }, '/index/*']] }),
      );
    });

    it("every function that texts reporters reads the opt-out list and counts the day's texts per phone", () => {
      const changesCasesAndTexts = topology.functions.filter(
        (f) =>
          f.bindings.some((b) => b.kind === 'smsSender') &&
          f.bindings.some((b) => b.kind === 'table' && b.table === 'cases' && b.access === 'readWrite'),
      );
      expect(changesCasesAndTexts.map((f) => f.name)).toEqual(
        expect.arrayContaining([
          'route-report',
          'transition-case',
          'rate-report',
          'sweep-cases',
          'receive-sms',
        ]),
      );
      for (const spec of changesCasesAndTexts) {
        expect(grantedTo(spec.name, 'dynamodb:GetItem'), spec.name).toContain(tableId('sms'));
        expect(grantedTo(spec.name, 'dynamodb:UpdateItem'), spec.name).toContain(tableId('sms'));
        expect(Object.keys(environmentOf(spec.name))).toEqual(
          expect.arrayContaining(['SMS_TABLE', 'REPORTER_TEXTS_PER_DAY']),
        );
      }
    });

    it('hands the SMS functions the tracking-code secret by ARN and submit-report the accepted numbers, from context', () => {
      for (const name of ['receive-sms', 'sms-webhooks']) {
        expect(environmentOf(name).TRACKING_CODE_SECRET_ARN).toEqual({ Ref: secretId('trackingCodeSecret') });
      }
      expect(Object.keys(environmentOf('submit-report'))).toContain('ACCEPTED_PHONE_NUMBERS');
      expect(Object.keys(environmentOf('route-report'))).not.toContain('TRACKING_CODE_SECRET_ARN');
      expect(grantedTo('route-report', 'secretsmanager:GetSecretValue')).toEqual(new Set());
    });

    for (const spec of topology.functions) {
      for (const { event, description } of spec.logAlarms ?? []) {
        it(`${spec.name} pages the alarm topic when it logs ${event}: ${description}`, () => {
          const logGroupId = theOnly('AWS::Logs::LogGroup', {
            LogGroupName: `/aws/lambda/${physicalName(spec.name)}`,
          });
          const filters = template.findResources('AWS::Logs::MetricFilter', {
            Properties: { FilterPattern: `{ $.event = "${event}" }`, LogGroupName: { Ref: logGroupId } },
          });
          expect(Object.keys(filters)).toHaveLength(1);
          template.hasResourceProperties('AWS::CloudWatch::Alarm', {
            Namespace: 'civicloop',
            MetricName: event,
            Statistic: 'Sum',
            Threshold: 1,
            AlarmActions: [{ Ref: alarmTopicId() }],
            OKActions: [{ Ref: alarmTopicId() }],
          });
        });
      }
    }

    it('get-catalog can read the directory but cannot write to any table or send to any queue', () => {
      expect(grantedTo('get-catalog', 'dynamodb:GetItem')).toEqual(new Set([tableId('directory')]));
      for (const action of [
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'sqs:SendMessage',
      ]) {
        expect(grantedTo('get-catalog', action)).toEqual(new Set());
      }
    });

    it('get-openapi binds nothing: no table, queue, secret or SMS action; only the origin secret every HTTP function checks and its own logs', () => {
      const statements = statementsOf('get-openapi').filter((s) => s.effect === 'Allow');
      const actions = statements.flatMap((s) => s.actions);
      expect(actions.filter((a) => /^(dynamodb|sqs|sns|sms-voice|cognito-idp):/.test(a))).toEqual([]);
      const resources = new Set(statements.flatMap((s) => [...s.resourceIds]));
      const ownLogGroup = theOnly('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/${physicalName('get-openapi')}`,
      });
      expect([...resources].filter((id) => id !== originSecretId() && id !== ownLogGroup)).toEqual([]);
    });

    it('send-outreach reads households and opt-outs but cannot change them, counts its reach in the statistics, and queues nothing', () => {
      expect(grantedTo('send-outreach', 'dynamodb:GetItem')).toEqual(
        new Set([tableId('outreach'), tableId('households'), tableId('sms'), tableId('stats')]),
      );
      for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
        expect(grantedTo('send-outreach', action)).toEqual(new Set([tableId('outreach'), tableId('stats')]));
      }
      expect(grantedTo('send-outreach', 'sqs:SendMessage')).toEqual(new Set());
    });

    it('plan-outreach may queue batches and its own continuation, and read the registry only', () => {
      expect(grantedTo('plan-outreach', 'sqs:SendMessage')).toEqual(
        new Set([queueId('outreach'), queueId('outreach-plan')]),
      );
      // The sms table holds the WeChat Work app's shared access token (WeChat-group runs); the
      // stats table the groups a run reached (the statistics by channel).
      expect(grantedTo('plan-outreach', 'dynamodb:PutItem')).toEqual(
        new Set([tableId('outreach'), tableId('sms'), tableId('stats')]),
      );
      expect(grantedTo('plan-outreach', 'dynamodb:PutItem')).not.toContain(tableId('households'));
    });

    it('the campaign API reads the fraud counters with the statistics but cannot write them', () => {
      expect(grantedTo('campaigns', 'dynamodb:Query')).toContain(tableId('stats'));
      expect(grantedTo('campaigns', 'dynamodb:UpdateItem')).toEqual(new Set([tableId('outreach')]));
    });

    it('submit-report can queue a report for routing but cannot dispatch it to a unit', () => {
      const sendable = grantedTo('submit-report', 'sqs:SendMessage');
      expect(sendable).toEqual(new Set([queueId('intake')]));
    });

    it("keeps every function's environment under Lambda's 4 KB limit, even in the longest-named regions", () => {
      const plausibleValue = (value: unknown): string => {
        if (typeof value === 'string') return value;
        if (isRecord(value) && typeof value.Ref === 'string') {
          const referenced = propertiesOf(value.Ref);
          if (typeof referenced.QueueName === 'string') {
            return `https://sqs.ap-southeast-5.amazonaws.com.cn/123456789012/${referenced.QueueName}`;
          }
          if (typeof referenced.TableName === 'string') return referenced.TableName;
          // Cognito app client ids are 26 characters long; pool ids are the region, _ and 9 more.
          if (typeof referenced.ClientName === 'string') return 'x'.repeat(26);
          if (typeof referenced.UserPoolName === 'string') return 'ap-southeast-5_xxxxxxxxx';
          // A secret's ARN: the account, the region and a generated name of up to 100 characters.
          if (isRecord(referenced.GenerateSecretString)) {
            return `arn:aws:secretsmanager:ap-southeast-5:123456789012:secret:${'x'.repeat(100)}`;
          }
          // A bucket CloudFormation names: at most 63 characters.
          const resource = resources[value.Ref];
          if (isRecord(resource) && resource.Type === 'AWS::S3::Bucket') return 'x'.repeat(63);
        }
        // A user pool's ProviderURL: the issuer of its tokens, e.g.
        // https://cognito-idp.ap-southeast-5.amazonaws.com/ap-southeast-5_xxxxxxxxx.
        const getAtt = isRecord(value) ? value['Fn::GetAtt'] : undefined;
        if (Array.isArray(getAtt) && getAtt[1] === 'ProviderURL') {
          return 'https://cognito-idp.ap-southeast-5.amazonaws.com.cn/ap-southeast-5_xxxxxxxxx';
        }
        // The origin secret CloudFormation resolves: 48 generated characters.
        if (JSON.stringify(value) === JSON.stringify(originSecretReference())) return 'x'.repeat(48);
        const join = isRecord(value) ? value['Fn::Join'] : undefined;
        if (Array.isArray(join) && typeof join[0] === 'string') {
          return listOf(join[1]).map(plausibleValue).join(join[0]);
        }
        throw new Error(`cannot estimate ${JSON.stringify(value)}`);
      };
      for (const spec of topology.functions) {
        const variables = propertiesOf(functionId(spec.name)).Environment;
        const env = isRecord(variables) && isRecord(variables.Variables) ? variables.Variables : {};
        const size = Object.entries(env).reduce(
          (total, [name, value]) =>
            total + Buffer.byteLength(name) + Buffer.byteLength(plausibleValue(value)),
          0,
        );
        expect(size, spec.name).toBeLessThan(4096);
      }
    });
  });

  describe('triggers', () => {
    const httpTriggers = topology.functions.flatMap((spec) =>
      spec.triggers.flatMap((trigger) => (trigger.kind === 'http' ? [{ spec, trigger }] : [])),
    );
    const queueTriggers = topology.functions.flatMap((spec) =>
      spec.triggers.flatMap((trigger) => (trigger.kind === 'queue' ? [{ spec, trigger }] : [])),
    );

    it('serves exactly the routes the topology declares, from one HTTP API', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
      template.resourceCountIs('AWS::ApiGatewayV2::Route', httpTriggers.length);
    });

    for (const { spec, trigger } of httpTriggers) {
      const routeKey = `${trigger.method} ${trigger.path}`;
      it(`routes ${routeKey} to ${spec.name}`, () => {
        const routeId = theOnly('AWS::ApiGatewayV2::Route', { RouteKey: routeKey });
        const [integrationId] = referencedIds(propertiesOf(routeId).Target);
        expect(integrationId).toBeDefined();
        expect(propertiesOf(String(integrationId))).toMatchObject({
          IntegrationType: 'AWS_PROXY',
          PayloadFormatVersion: '2.0',
          IntegrationUri: { 'Fn::GetAtt': [functionId(spec.name), 'Arn'] },
        });
      });

      it(`${routeKey} (auth: ${trigger.auth}) has no gateway authoriser; a staff route's function verifies tokens`, () => {
        const route = propertiesOf(theOnly('AWS::ApiGatewayV2::Route', { RouteKey: routeKey }));
        expect(route.AuthorizationType).toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
        const variables = propertiesOf(functionId(spec.name)).Environment;
        const env = isRecord(variables) && isRecord(variables.Variables) ? variables.Variables : {};
        if (trigger.auth === 'staff') {
          expect(env).toMatchObject({
            [staffTokenEnv.issuer]: { 'Fn::GetAtt': [userPoolId(), 'ProviderURL'] },
            [staffTokenEnv.audience]: { Ref: userPoolClientId() },
            [staffTokenEnv.keys]: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [userPoolId(), 'ProviderURL'] }, '/.well-known/jwks.json']],
            },
          });
        } else if (!spec.triggers.some((t) => t.kind === 'http' && t.auth === 'staff')) {
          expect(Object.keys(env)).not.toContain(staffTokenEnv.issuer);
        }
      });
    }

    it('serves the $default stage with route throttling and access logs kept for a month', () => {
      const accessLogsId = theOnly('AWS::Logs::LogGroup', {
        RetentionInDays: 30,
        LogGroupName: Match.absent(),
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: apiThrottle.rateLimit,
          ThrottlingBurstLimit: apiThrottle.burstLimit,
        },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [accessLogsId, 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context\\.requestId'),
        },
      });
    });

    it('lets API Gateway invoke each HTTP function through one permission for this API, and no other function', () => {
      const apiId = theOnly('AWS::ApiGatewayV2::Api', {});
      for (const spec of topology.functions) {
        const permissions = Object.values(
          template.findResources('AWS::Lambda::Permission', {
            Properties: {
              FunctionName: { 'Fn::GetAtt': [functionId(spec.name), 'Arn'] },
              Principal: 'apigateway.amazonaws.com',
            },
          }),
        );
        const servesHttp = spec.triggers.some((t) => t.kind === 'http');
        expect(permissions, spec.name).toHaveLength(servesHttp ? 1 : 0);
        for (const permission of permissions) {
          const properties = isRecord(permission) ? permission.Properties : undefined;
          const sourceArn = isRecord(properties) ? properties.SourceArn : undefined;
          expect(properties).toMatchObject({ Action: 'lambda:InvokeFunction' });
          expect(referencedIds(sourceArn), spec.name).toEqual(new Set([apiId]));
          expect(JSON.stringify(sourceArn), spec.name).toMatch(/:execute-api:.*"\/\*\/\*\/\*"\]\]\}$/);
        }
      }
    });

    it('creates one event source mapping per queue trigger', () => {
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', queueTriggers.length);
    });

    for (const { spec, trigger } of queueTriggers) {
      it(`${spec.name} consumes ${trigger.queue} in batches of ${trigger.batchSize}, reporting failed items`, () => {
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: functionId(spec.name) },
          EventSourceArn: { 'Fn::GetAtt': [queueId(trigger.queue), 'Arn'] },
          BatchSize: trigger.batchSize,
          MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ...(trigger.maxConcurrency === undefined
            ? {}
            : { ScalingConfig: { MaximumConcurrency: trigger.maxConcurrency } }),
        });
      });

      it(`${trigger.queue} hides a message for at least 6x the ${spec.name} timeout`, () => {
        const visibility = propertiesOf(queueId(trigger.queue)).VisibilityTimeout;
        const timeout = propertiesOf(functionId(spec.name)).Timeout;
        expect(typeof visibility === 'number' && typeof timeout === 'number').toBe(true);
        expect(Number(visibility)).toBeGreaterThanOrEqual(6 * Number(timeout));
      });
    }
  });

  describe('staff identity', () => {
    it('keeps staff in one retained, deletion-protected user pool nobody can sign up to', () => {
      template.resourceCountIs('AWS::Cognito::UserPool', 1);
      template.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({
          UserPoolName: physicalName('staff'),
          AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
          DeletionProtection: 'ACTIVE',
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('asks for strong passwords, offers TOTP MFA, and runs Plus-tier threat protection', () => {
      expect(propertiesOf(userPoolId())).toMatchObject({
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        UsernameConfiguration: { CaseSensitive: false },
      });
    });

    it('defines the staff claims as custom attributes, and the name, that only administrators can change', () => {
      const schema = listOf(propertiesOf(userPoolId()).Schema).filter(isRecord);
      for (const name of staffAttributes) {
        expect(schema).toContainEqual(expect.objectContaining({ Name: name, AttributeDataType: 'String' }));
      }
      const client = propertiesOf(userPoolClientId());
      const readable = stringsOf(client.ReadAttributes);
      for (const name of staffAttributes) expect(readable).toContain(`custom:${name}`);
      // The person's name, which ID tokens carry as the standard `name` claim.
      expect(readable).toContain('name');
      // Empty would mean Cognito's default; custom: ones would let staff raise their own role.
      const writable = stringsOf(client.WriteAttributes);
      expect(writable.length).toBeGreaterThan(0);
      expect(writable.filter((name) => name.startsWith('custom:') || name === 'name')).toEqual([]);
    });

    it('lets staff sign in with username and password only through the server-side flow, without a client secret', () => {
      const client = propertiesOf(userPoolClientId());
      expect(client.UserPoolId).toEqual({ Ref: userPoolId() });
      // No ALLOW_USER_PASSWORD_AUTH: the client id alone cannot try passwords around the edge.
      expect(stringsOf(client.ExplicitAuthFlows).sort()).toEqual([
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ]);
      expect(client.GenerateSecret).toBe(false);
      expect(client.PreventUserExistenceErrors).toBe('ENABLED');
    });

    it('lets the sign-in function, and no other, sign staff in on the pool (AdminInitiateAuth), and do nothing else there', () => {
      for (const spec of topology.functions) {
        const signsIn = grantedTo(spec.name, 'cognito-idp:AdminInitiateAuth');
        expect(signsIn, spec.name).toEqual(new Set(spec.name === 'sign-in' ? [userPoolId()] : []));
      }
      const cognitoActions = statementsOf('sign-in').flatMap((statement) =>
        statement.actions.filter((action) => action.startsWith('cognito-idp:')),
      );
      expect(cognitoActions).toEqual(['cognito-idp:AdminInitiateAuth']);
    });

    it("acts on what threat protection scores from each sign-in's context: leaked passwords and high risk are blocked", () => {
      template.resourceCountIs('AWS::Cognito::UserPoolRiskConfigurationAttachment', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
        UserPoolId: { Ref: userPoolId() },
        ClientId: 'ALL',
        CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
        AccountTakeoverRiskConfiguration: {
          Actions: {
            HighAction: { EventAction: 'BLOCK', Notify: false },
            MediumAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: false },
            LowAction: { EventAction: 'NO_ACTION', Notify: false },
          },
        },
      });
    });

    it('puts no JWT authoriser in front of the API: its fixed 401 body cannot take the API’s error shape', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    });

    it('outputs the user pool id and the console client id', () => {
      template.hasOutput(staffUserPoolIdOutputKey, { Value: { Ref: userPoolId() } });
      template.hasOutput(staffUserPoolClientIdOutputKey, { Value: { Ref: userPoolClientId() } });
    });
  });

  describe('secrets', () => {
    const bound = secretsOf(topology);
    const allVariables = () =>
      topology.functions.flatMap((spec) => {
        const variables = propertiesOf(functionId(spec.name)).Environment;
        const env = isRecord(variables) && isRecord(variables.Variables) ? variables.Variables : {};
        return Object.entries(env).map(([name, value]) => ({ fn: spec.name, name, value }));
      });

    it("makes one Secrets Manager secret per secret the functions bind, besides the edge's own", () => {
      expect(bound.map((b) => b.name).sort()).toEqual([
        'cursorSecret',
        'partnerKeyPepper',
        'smsGatewaySecret',
        'trackingCodeSecret',
        'twilioAuthToken',
        'wecomAppSecret',
        'wecomCallbackToken',
        'wecomCorpId',
        'wecomEncodingAesKey',
      ]);
      template.resourceCountIs('AWS::SecretsManager::Secret', bound.length + 1);
    });

    for (const { name, value } of bound) {
      it(`secret ${name} starts with a value Secrets Manager generates, never one from the template, and is an output`, () => {
        const properties = propertiesOf(secretId(name));
        expect(properties.GenerateSecretString).toEqual({ PasswordLength: 48, ExcludePunctuation: true });
        expect(properties.SecretString).toBeUndefined();
        // A provider's value (Twilio's token) is the operator's to put; ours are keys of our own.
        expect(String(properties.Description)).toMatch(value === 'provider' ? /put its value/ : /rotate/);
        template.hasOutput(secretOutputKey(name), { Value: { Ref: secretId(name) } });
      });
    }

    it("puts no secret's value in any function's environment: each by ARN, only the edge's header resolved at deploy", () => {
      const secretIds = new Set(bound.map((b) => secretId(b.name)));
      for (const { fn, name, value } of allVariables()) {
        const text = JSON.stringify(value);
        if (name === edgeOriginSecretEnv) continue;
        expect(text, `${fn} ${name}`).not.toMatch(/resolve:secretsmanager/);
        const secretsNamed = [...referencedIds(value)].filter((id) => secretIds.has(id));
        if (secretsNamed.length > 0) {
          expect(name, fn).toMatch(/_ARN$/);
          expect(value).toEqual({ Ref: secretsNamed[0] });
        }
      }
      const names = new Set(allVariables().map((v) => v.name));
      for (const retired of [
        'CURSOR_SECRET',
        'TRACKING_CODE_SECRET',
        'SMS_GATEWAY_SECRET',
        'TWILIO_AUTH_TOKEN',
      ]) {
        expect(names).not.toContain(retired);
      }
    });

    it('reads no secret from the CDK context, whatever the context holds', () => {
      const sentinel = 'context-value-that-must-not-be-deployed';
      const app = new App({
        context: {
          ...cdkJsonContext(),
          'aws:cdk:bundling-stacks': [],
          ...Object.fromEntries(bound.map((b) => [b.name, `${sentinel}-${b.name}`])),
        },
      });
      const text = JSON.stringify(
        templateWithNestedStacks(new CivicloopStack(app, civicloopStackName)).toJSON(),
      );
      expect(text).not.toContain(sentinel);
    });
  });

  describe('the edge: CloudFront and WAF in front of the HTTP API', () => {
    const distributionId = (): string => theOnly('AWS::CloudFront::Distribution', {});
    const webAclId = (): string => theOnly('AWS::WAFv2::WebACL', {});
    const rules = (): Record<string, unknown>[] => listOf(propertiesOf(webAclId()).Rules).filter(isRecord);
    const ruleNamed = (name: string): Record<string, unknown> => {
      const rule = rules().find((r) => r.Name === name);
      if (!rule) throw new Error(`no rule ${name}`);
      return rule;
    };

    /** Whether a WAF statement (as synthesized) matches a request: the match types the stack uses. */
    const matches = (statement: unknown, method: string, path: string): boolean => {
      if (!isRecord(statement)) throw new Error('not a statement');
      const and = statement.AndStatement;
      if (isRecord(and)) return listOf(and.Statements).every((s) => matches(s, method, path));
      const or = statement.OrStatement;
      if (isRecord(or)) return listOf(or.Statements).some((s) => matches(s, method, path));
      const byteMatch = statement.ByteMatchStatement;
      if (!isRecord(byteMatch) || !isRecord(byteMatch.FieldToMatch)) throw new Error('unexpected statement');
      const field = 'Method' in byteMatch.FieldToMatch ? method : path;
      const search = String(byteMatch.SearchString);
      switch (byteMatch.PositionalConstraint) {
        case 'EXACTLY':
          return field === search;
        case 'STARTS_WITH':
          return field.startsWith(search);
        case 'ENDS_WITH':
          return field.endsWith(search);
        default:
          throw new Error(`unexpected constraint ${String(byteMatch.PositionalConstraint)}`);
      }
    };
    /** A request API Gateway would route to the route key, its parameters filled in. */
    const requestFor = (routeKey: string): [string, string] => {
      const [method = '', path = ''] = routeKey.split(' ');
      return [method, path.replace(/\{\w+\}/g, 'K7M2QX9PA')];
    };
    const allRouteKeys = topology.functions.flatMap((fn) =>
      fn.triggers.flatMap((t) => (t.kind === 'http' ? [`${t.method} ${t.path}`] : [])),
    );

    it('serves everything from one CloudFront distribution whose only origin is the HTTP API, over HTTPS', () => {
      const distribution = propertiesOf(distributionId()).DistributionConfig;
      expect(distribution).toMatchObject({
        Enabled: true,
        IPV6Enabled: false,
        Origins: [
          {
            DomainName: {
              'Fn::Select': [
                2,
                {
                  'Fn::Split': [
                    '/',
                    { 'Fn::GetAtt': [theOnly('AWS::ApiGatewayV2::Api', {}), 'ApiEndpoint'] },
                  ],
                },
              ],
            },
            CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
          },
        ],
      });
      expect(isRecord(distribution) ? distribution.CacheBehaviors : 'none').toBeUndefined();
    });

    it("forwards every method uncached, with the viewer's headers (Authorization, Idempotency-Key, X-Twilio-Signature …) and address, but not Host", () => {
      const distribution = propertiesOf(distributionId()).DistributionConfig;
      const behaviour = isRecord(distribution) ? distribution.DefaultCacheBehavior : undefined;
      expect(behaviour).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        // Managed CachingDisabled and AllViewerExceptHostHeader (which includes CloudFront-Viewer-Address).
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      });
      expect(stringsOf(isRecord(behaviour) ? behaviour.AllowedMethods : []).sort()).toEqual([
        'DELETE',
        'GET',
        'HEAD',
        'OPTIONS',
        'PATCH',
        'POST',
        'PUT',
      ]);
    });

    it('sends the API a generated secret header the functions check, never the secret itself in the template', () => {
      const distribution = propertiesOf(distributionId()).DistributionConfig;
      const [origin] = listOf(isRecord(distribution) ? distribution.Origins : []);
      expect(isRecord(origin) ? origin.OriginCustomHeaders : undefined).toEqual([
        { HeaderName: edgeOriginHeader, HeaderValue: originSecretReference() },
      ]);
      expect(propertiesOf(originSecretId()).GenerateSecretString).toMatchObject({
        PasswordLength: 48,
        ExcludePunctuation: true,
      });
      expect(propertiesOf(originSecretId()).SecretString).toBeUndefined();
    });

    it('pins the secret to the version named in the context, in the distribution and the functions alike', () => {
      const app = new App({
        context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], edgeOriginSecretVersion: 'v-2026-12' },
      });
      const pinned = templateWithNestedStacks(new CivicloopStack(app, civicloopStackName));
      const text = JSON.stringify(pinned.toJSON());
      const versioned = text.match(/:SecretString:::v-2026-12\}\}/g) ?? [];
      const unversioned = text.match(/:SecretString:::\}\}/g) ?? [];
      const httpFunctions = topology.functions.filter((fn) => fn.triggers.some((t) => t.kind === 'http'));
      expect(versioned).toHaveLength(httpFunctions.length + 1);
      expect(unversioned).toHaveLength(0);
    });

    it('puts the WAF web ACL (scope CLOUDFRONT) on the distribution, letting through what no rule stops', () => {
      expect(propertiesOf(webAclId())).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
      const distribution = propertiesOf(distributionId()).DistributionConfig;
      expect(isRecord(distribution) ? distribution.WebACLId : undefined).toEqual({
        'Fn::GetAtt': [webAclId(), 'Arn'],
      });
    });

    for (const limit of clientLimits) {
      it(`limits each address to ${limit.limit} requests per ${limit.windowSeconds / 60} minutes on ${limit.routes.join(', ')}`, () => {
        const rule = ruleNamed(`rate-${limit.name}`);
        const statement = isRecord(rule.Statement) ? rule.Statement.RateBasedStatement : undefined;
        expect(statement).toMatchObject({
          Limit: limit.limit,
          EvaluationWindowSec: limit.windowSeconds,
          AggregateKeyType: 'IP',
        });
        expect(isRecord(statement) ? statement.ForwardedIPConfig : 'none').toBeUndefined();
      });

      it(`answers over the ${limit.name} limit with 429, Retry-After and the API's error envelope`, () => {
        expect(ruleNamed(`rate-${limit.name}`).Action).toEqual({
          Block: {
            CustomResponse: {
              ResponseCode: 429,
              CustomResponseBodyKey: rateLimitedBodyKey,
              ResponseHeaders: [{ Name: 'Retry-After', Value: String(limit.windowSeconds) }],
            },
          },
        });
      });

      it(`counts exactly the ${limit.name} routes against the ${limit.name} limit`, () => {
        const rule = ruleNamed(`rate-${limit.name}`);
        const statement = isRecord(rule.Statement) ? rule.Statement.RateBasedStatement : undefined;
        const scope = isRecord(statement) ? statement.ScopeDownStatement : undefined;
        for (const routeKey of allRouteKeys) {
          expect(matches(scope, ...requestFor(routeKey)), routeKey).toBe(limit.routes.includes(routeKey));
        }
      });
    }

    it('sends the rate-limited body as JSON', () => {
      const bodies = propertiesOf(webAclId()).CustomResponseBodies;
      expect(isRecord(bodies) ? bodies[rateLimitedBodyKey] : undefined).toEqual({
        ContentType: 'APPLICATION_JSON',
        Content: JSON.stringify(rateLimitedBody),
      });
    });

    it('refuses known bad addresses first and checks common exploits last, counting large bodies and missing user agents', () => {
      const byPriority = [...rules()].sort((a, b) => Number(a.Priority) - Number(b.Priority));
      expect(byPriority.map((rule) => rule.Name)).toEqual([
        'AWSManagedRulesAmazonIpReputationList',
        ...clientLimits.map((limit) => `rate-${limit.name}`),
        'AWSManagedRulesCommonRuleSet',
      ]);
      expect(ruleNamed('AWSManagedRulesCommonRuleSet').Statement).toEqual({
        ManagedRuleGroupStatement: {
          VendorName: 'AWS',
          Name: 'AWSManagedRulesCommonRuleSet',
          RuleActionOverrides: [
            { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
            { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
          ],
        },
      });
    });

    it('builds a scope-down statement from a route key and refuses what is not one', () => {
      expect(routeStatement('GET /')).toEqual({
        andStatement: {
          statements: [
            expect.objectContaining({ byteMatchStatement: expect.objectContaining({ searchString: 'GET' }) }),
            expect.objectContaining({
              byteMatchStatement: expect.objectContaining({
                positionalConstraint: 'EXACTLY',
                searchString: '/',
              }),
            }),
          ],
        },
      });
      expect(() => routeStatement('/api/reports')).toThrow(/route key/);
    });
  });

  describe("CloudFormation's limits", () => {
    // CloudFormation refuses a template of more than 500 resources (or 200 parameters). Every
    // function adds at least its function, role and log group, an HTTP one its integration, invoke
    // permission and a route per route; a queue six with its dead-letter queue, policies and alarms.
    const resourceBudget = 450;
    const parameterLimit = 200;
    const byType = (resources: Record<string, { Type: string }>): string => {
      const counts = new Map<string, number>();
      for (const { Type } of Object.values(resources)) counts.set(Type, (counts.get(Type) ?? 0) + 1);
      return [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([type, count]) => `${count} ${type}`)
        .join(', ');
    };

    it(`keeps the main stack at ${resourceBudget} resources or fewer, leaving room under the 500 CloudFormation allows`, () => {
      const resources = ownResourcesOf(stack);
      const count = Object.keys(resources).length;
      expect(
        count,
        `${stack.stackName} has ${count} resources (${byType(resources)}), over the budget of ${resourceBudget} (CloudFormation's limit: 500). Make fewer per function (shared grants, one permission per function) or move resources that have no physical name and no state into a nested stack, as infra/constructs/monitoring.ts holds the alarms`,
      ).toBeLessThanOrEqual(resourceBudget);
    });

    it(`keeps every nested stack at ${resourceBudget} resources and its parameters under ${parameterLimit}`, () => {
      for (const nested of nestedStacksOf(stack)) {
        const resources = ownResourcesOf(nested);
        const count = Object.keys(resources).length;
        expect(count, `${nested.node.path}: ${count} resources (${byType(resources)})`).toBeLessThanOrEqual(
          resourceBudget,
        );
        const parameters = Object.keys(nestedStackParametersOf(nested)).length;
        expect(parameters, `${nested.node.path}: ${parameters} parameters`).toBeLessThan(parameterLimit);
      }
    });

    it('puts the alarms and metric filters in the monitoring nested stack, each alarm still on the alarm topic', () => {
      const main = ownResourcesOf(stack);
      const types = new Set(Object.values(main).map((r) => r.Type));
      expect(types).not.toContain('AWS::CloudWatch::Alarm');
      expect(types).not.toContain('AWS::Logs::MetricFilter');
      const alarms = Object.entries(ownResourcesOf(stack.monitoring))
        .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm')
        .map(([id]) => id);
      expect(alarms.length).toBeGreaterThanOrEqual(2 * topology.queues.length);
      for (const id of alarms) {
        expect(propertiesOf(id), id).toMatchObject({
          AlarmActions: [{ Ref: alarmTopicId() }],
          OKActions: [{ Ref: alarmTopicId() }],
        });
      }
    });
  });

  describe('alarm topic and outputs', () => {
    it('notifies one KMS-encrypted topic that refuses non-TLS publishers and admits CloudWatch alarms', () => {
      template.resourceCountIs('AWS::SNS::Topic', 1 + (topology.topics ?? []).length);
      const keyId = theOnly('AWS::KMS::Key', { Description: Match.stringLikeRegexp('alarm') });
      expect(propertiesOf(alarmTopicId()).KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: alarmTopicId() }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
    });

    it("outputs the edge's public URL as the API URL, and the alarm topic ARN", () => {
      template.hasOutput(apiUrlOutputKey, {
        Value: {
          'Fn::Join': [
            '',
            ['https://', { 'Fn::GetAtt': [theOnly('AWS::CloudFront::Distribution', {}), 'DomainName'] }, '/'],
          ],
        },
      });
      template.hasOutput(alarmTopicArnOutputKey, { Value: { Ref: alarmTopicId() } });
    });

    it('outputs the URL of every queue and the name of every table under their helper keys', () => {
      for (const spec of topology.queues) {
        template.hasOutput(queueOutputKey(spec.name), { Value: { Ref: queueId(spec.name) } });
      }
      for (const spec of topology.tables) {
        template.hasOutput(tableOutputKey(spec.name), { Value: { Ref: tableId(spec.name) } });
      }
    });

    it('adds no CDK warnings', () => {
      // The stack's annotations include its nested stacks' (they are no artifacts of their own).
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });
});

describe('the region', () => {
  it(`holds the web ACL itself in ${edgeRegion}, where a web ACL for CloudFront can be created`, () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const stack = new CivicloopStack(app, civicloopStackName, {
      env: { account: '123456789012', region: edgeRegion },
    });
    Template.fromStack(stack).resourceCountIs('AWS::WAFv2::WebACL', 1);
  });

  it('keeps the data in another region and takes its web ACL from a stack in us-east-1', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const waf = new CivicloopEdgeWafStack(app, 'CivicloopEdgeWaf', {
      env: { account: '123456789012', region: edgeRegion },
      crossRegionReferences: true,
    });
    const stack = new CivicloopStack(app, civicloopStackName, {
      env: { account: '123456789012', region: 'ap-east-1' },
      edgeWebAclArn: waf.webAclArn,
      crossRegionReferences: true,
    });
    const main = Template.fromStack(stack);
    main.resourceCountIs('AWS::WAFv2::WebACL', 0);
    main.resourceCountIs('AWS::DynamoDB::Table', topology.tables.length);
    // The distribution names the us-east-1 web ACL (read across regions), not one of its own.
    const [distribution] = Object.values(main.findResources('AWS::CloudFront::Distribution'));
    expect(JSON.stringify(distribution)).toMatch(/WebACLId/);
    const wafTemplate = Template.fromStack(waf);
    wafTemplate.resourceCountIs('AWS::WAFv2::WebACL', 1);
    wafTemplate.resourceCountIs('AWS::DynamoDB::Table', 0);
    wafTemplate.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
  });

  it('refuses another region without a web ACL from us-east-1, naming what it needs', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    expect(
      () =>
        new CivicloopStack(app, civicloopStackName, {
          env: { account: '123456789012', region: 'ap-east-1' },
        }),
    ).toThrow(/us-east-1/);
  });
});

describe('output keys', () => {
  it('turn topology names into alphanumeric CloudFormation output keys', () => {
    expect(queueOutputKey(unitQueueName('psb-antifraud'))).toBe('QueueUnitPsbAntifraud');
    expect(queueOutputKey('intake')).toBe('QueueIntake');
    expect(tableOutputKey('idempotency')).toBe('TableIdempotency');
  });

  it('are distinct for every queue and table of the topology', () => {
    const keys = [
      ...topology.queues.map((q) => queueOutputKey(q.name)),
      ...topology.tables.map((t) => tableOutputKey(t.name)),
    ];
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9]+$/);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('are read back from a cdk-outputs.json, naming what is missing', () => {
    const outputs = readCivicloopOutputs({
      [civicloopStackName]: {
        ApiUrl: 'https://abc.execute-api.cn-north-1.amazonaws.com.cn/',
        AlarmTopicArn: 'arn:aws-cn:sns:cn-north-1:123456789012:Civicloop-alarms',
        QueueUnitPsb: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/Civicloop-unit-psb',
        TableCases: 'Civicloop-cases',
      },
    });
    expect(outputs.apiUrl).toBe('https://abc.execute-api.cn-north-1.amazonaws.com.cn/');
    expect(outputs.queueUrl(unitQueueName('psb'))).toMatch(/Civicloop-unit-psb$/);
    expect(outputs.tableName('cases')).toBe('Civicloop-cases');
    expect(() => outputs.queueUrl('intake')).toThrow(/QueueIntake/);
    expect(() => outputs.staffUserPool()).toThrow(/StaffUserPoolId/);
    expect(() => readCivicloopOutputs({})).toThrow(/Civicloop/);
  });
});

describe('cdk-nag', () => {
  it('finds nothing in the stack beyond the acknowledged exceptions', () => {
    const { app, stack } = unbundledStack();
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
      [],
    );
    // cdk-nag 3 reports through the validation plugin above, not annotations; these guard
    // against a leftover v2-style Aspect reporting on its own.
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
      [],
    );
  }, 60_000);
});

describe('a scheduled function (none in the topology yet)', () => {
  const scheduledSpec: FunctionSpec = {
    name: 'sweep-catalog',
    entry: 'functions/get-catalog.ts',
    description: 'A scheduled function for testing the schedule wiring',
    timeoutSeconds: 30,
    memoryMb: 256,
    triggers: [{ kind: 'schedule', everyMinutes: 15 }],
    bindings: [{ kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' }],
  };
  const scheduledTopology: Topology = { ...topology, functions: [...topology.functions, scheduledSpec] };

  let app: App;
  let stack: CivicloopStack;
  let template: Template;

  beforeAll(() => {
    ({ app, stack } = unbundledStack(scheduledTopology));
    template = templateWithNestedStacks(stack);
  }, 60_000);

  it('runs from an EventBridge rule that retries and then dead-letters, with an alarm on that queue', () => {
    const ids = (type: string, properties: Record<string, unknown>): string[] =>
      Object.keys(template.findResources(type, { Properties: properties }));
    const [functionId] = ids('AWS::Lambda::Function', { FunctionName: physicalName(scheduledSpec.name) });
    const [failureQueueId] = ids('AWS::SQS::Queue', {
      QueueName: `${physicalName(scheduledSpec.name)}-async-dlq`,
      SqsManagedSseEnabled: true,
    });
    expect(functionId).toBeDefined();
    expect(failureQueueId).toBeDefined();
    const failureQueueArn = { 'Fn::GetAtt': [failureQueueId, 'Arn'] };
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          DeadLetterConfig: { Arn: failureQueueArn },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: scheduleRetryAttempts }),
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: physicalName(scheduledSpec.name),
      DeadLetterConfig: { TargetArn: failureQueueArn },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failureQueueId, 'QueueName'] } }],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: failureQueueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('passes cdk-nag as well', () => {
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('a staff route in a variant topology', () => {
  const whoamiSpec: FunctionSpec = {
    name: 'whoami',
    entry: 'test/fixtures/whoami.ts',
    description: 'Answers with the caller, for testing the staff authoriser wiring',
    timeoutSeconds: 5,
    memoryMb: 256,
    triggers: [{ kind: 'http', method: 'GET', path: '/api/whoami', auth: 'staff' }],
    bindings: [],
  };
  const publicOnly: Topology = {
    ...topology,
    functions: topology.functions.filter((f) =>
      f.triggers.every((t) => t.kind !== 'http' || t.auth === 'public'),
    ),
  };
  const withStaffRoute: Topology = { ...publicOnly, functions: [...publicOnly.functions, whoamiSpec] };

  let app: App;
  let stack: CivicloopStack;
  let template: Template;

  beforeAll(() => {
    ({ app, stack } = unbundledStack(withStaffRoute));
    template = templateWithNestedStacks(stack);
  }, 60_000);

  const route = (routeKey: string): Record<string, unknown> => {
    const routes = Object.values(
      template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
    );
    expect(routes, routeKey).toHaveLength(1);
    const properties = isRecord(routes[0]) ? routes[0].Properties : undefined;
    return isRecord(properties) ? properties : {};
  };

  it('puts no gateway authoriser on the staff route or any public one', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    expect(route('GET /api/whoami').AuthorizationType).toBe('NONE');
    for (const spec of publicOnly.functions) {
      for (const trigger of spec.triggers) {
        if (trigger.kind !== 'http') continue;
        const properties = route(`${trigger.method} ${trigger.path}`);
        expect(properties.AuthorizationType).toBe('NONE');
        expect(properties.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('passes cdk-nag on authorisation and Cognito: the staff route is acknowledged as verified in its function', () => {
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack);
    // The whole stack's findings are the 'cdk-nag' test's; this one is about the API and the pool.
    expect(report.violations.map((v) => v.ruleName).filter((rule) => /APIG|COG/.test(rule))).toEqual([]);
  });
});

describe('topics a function subscribes to', () => {
  const app = new App({ context: { smsOriginationIdentity: '+8610690000000' } });
  // Only the subscribers: each function bundled costs seconds.
  const subscribers = topology.functions.filter((f) => f.triggers.some((t) => t.kind === 'topic'));
  const stack = new CivicloopStack(app, 'Topics', { topology: { ...topology, functions: subscribers } });
  const template = templateWithNestedStacks(stack);

  for (const spec of topology.topics ?? []) {
    it(`topic ${spec.name} is KMS-encrypted, TLS-only, and publishable only by ${spec.publishers.join(', ')} for this account`, () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `Topics-${spec.name}`,
        KmsMasterKeyId: Match.anyValue(),
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: spec.publishers[0] },
              Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
            }),
          ]),
        },
      });
    });

    for (const fn of topology.functions.filter((f) =>
      f.triggers.some((t) => t.kind === 'topic' && t.topic === spec.name),
    )) {
      it(`function ${fn.name} subscribes to ${spec.name} with a dead-letter queue for failed deliveries`, () => {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'lambda',
          RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
        });
      });
    }
  }

  it('hands the SMS sender the origination identity from the context', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SMS_ORIGINATION_IDENTITY: '+8610690000000' }) },
    });
  });
});
