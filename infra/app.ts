/**
 * The CDK app (`cdk.json` runs it with `node infra/app.ts`): the Civicloop stack, checked against
 * the AWS Solutions rules on every synth, so a finding fails the build instead of reaching an
 * account. It deploys to the region of the caller's AWS configuration (the county's data stays
 * there). AWS WAF makes a web ACL for CloudFront only in us-east-1, so outside it a second, small
 * stack there holds just that web ACL and its ARN crosses over (CDK cross-region references).
 * Without credentials the app is environment-agnostic and synthesizes offline as one stack.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { edgeRegion } from './constructs/edge-protection.ts';
import { CivicloopEdgeWafStack } from './edge-waf-stack.ts';
import { CivicloopStack } from './stack.ts';
import { civicloopStackName } from './stack-outputs.ts';

const app = new App();

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const env = account && region ? { account, region } : undefined;
// A separate web ACL stack only where the main stack cannot hold it.
const waf =
  env && env.region !== edgeRegion
    ? new CivicloopEdgeWafStack(app, `${civicloopStackName}EdgeWaf`, {
        description: "civicloop: the web ACL of the public edge (us-east-1, CloudFront's region)",
        env: { account: env.account, region: edgeRegion },
        crossRegionReferences: true,
      })
    : undefined;
new CivicloopStack(app, civicloopStackName, {
  description:
    'civicloop: resident report intake, routing to the responsible unit, closed-loop case tracking',
  env,
  ...(waf ? { edgeWebAclArn: waf.webAclArn, crossRegionReferences: true } : {}),
});
Tags.of(app).add('project', 'civicloop');

// cdk-nag 3 runs as a policy-validation plugin (the v2 Aspect is gone); findings are
// acknowledged next to the resource they concern with Validations.of(...).acknowledge.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
