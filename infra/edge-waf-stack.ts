/**
 * The web ACL of the public edge, in a stack of its own in us-east-1 — the only region where AWS
 * WAF makes a web ACL for CloudFront — for a Civicloop stack deployed anywhere else. It holds
 * nothing else: the county's data stays in the main stack's region.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { clientLimits } from './client-limits.ts';
import { EdgeWebAcl } from './constructs/edge-protection.ts';

export class CivicloopEdgeWafStack extends Stack {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.webAclArn = new EdgeWebAcl(this, 'Edge', { limits: clientLimits }).webAcl.attrArn;
  }
}
