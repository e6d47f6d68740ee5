/**
 * The CDK app (`cdk.json` runs it with `node infra/app.ts`): the one Civicloop stack, checked
 * against the AWS Solutions rules on every synth, so a finding fails the build instead of
 * reaching an account. The stack goes to us-east-1, the only region where a web ACL for CloudFront
 * can be created (infra/constructs/edge-protection.ts); without credentials it is account-agnostic
 * and synthesizes offline.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { edgeRegion } from './constructs/edge-protection.ts';
import { CivicloopStack } from './stack.ts';
import { civicloopStackName } from './stack-outputs.ts';

const app = new App();

new CivicloopStack(app, civicloopStackName, {
  description:
    'civicloop: resident report intake, routing to the responsible unit, closed-loop case tracking',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: edgeRegion },
});
Tags.of(app).add('project', 'civicloop');

// cdk-nag 3 runs as a policy-validation plugin (the v2 Aspect is gone); findings are
// acknowledged next to the resource they concern with Validations.of(...).acknowledge.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
