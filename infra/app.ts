/**
 * The CDK app (`cdk.json` runs it with `node infra/app.ts`): the one Civicloop stack, checked
 * against the AWS Solutions rules on every synth, so a finding fails the build instead of
 * reaching an account. Without credentials the stack is environment-agnostic and synthesizes
 * offline.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CivicloopStack } from './stack.ts';
import { civicloopStackName } from './stack-outputs.ts';

const app = new App();

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
new CivicloopStack(app, civicloopStackName, {
  description:
    'civicloop: resident report intake, routing to the responsible unit, closed-loop case tracking',
  env: account && region ? { account, region } : undefined,
});
Tags.of(app).add('project', 'civicloop');

// cdk-nag 3 runs as a policy-validation plugin (the v2 Aspect is gone); findings are
// acknowledged next to the resource they concern with Validations.of(...).acknowledge.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
