/**
 * The photo bucket as deployed (CDK assertions on an unbundled stack): private, encrypted, TLS
 * only, unversioned, uploads expiring after a day, incomplete multipart uploads aborted, CORS for
 * POSTs from the site's origin only, access logged; and each function granted only the actions and
 * key prefixes its binding names. cdk-nag on the whole stack is the stack test's.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CivicloopStack } from '../../infra/stack.ts';
import { civicloopStackName } from '../../infra/stack-outputs.ts';

let app: App;
let stack: CivicloopStack;
let template: Template;

beforeAll(() => {
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new CivicloopStack(app, civicloopStackName);
  template = Template.fromStack(stack);
}, 120_000);

const photoBucketId = () => {
  const bucket = stack.buckets.get('photos')?.bucket;
  if (!bucket) throw new Error('no photos bucket');
  return stack.getLogicalId(bucket.node.defaultChild as never);
};

type PolicyDocument = { Statement: Record<string, unknown>[] };

/**
 * The S3 statements of a function's role, wherever its grants are: the role's inline policies or
 * a policy resource attached to it.
 */
function s3StatementsOf(
  functionName: string,
): { actions: string[]; resource: string; condition?: unknown }[] {
  const role = stack.functions.get(functionName)?.role;
  if (!role) throw new Error(`no function ${functionName}`);
  const roleId = stack.getLogicalId(role.node.defaultChild as never);
  const resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> =
    template.toJSON().Resources;
  const inline = (resources[roleId]?.Properties?.Policies ?? []) as { PolicyDocument: PolicyDocument }[];
  const attached = Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]),
    )
    .map((r) => r.Properties?.PolicyDocument as PolicyDocument);
  return [...inline.map((p) => p.PolicyDocument), ...attached]
    .flatMap((document) => document.Statement)
    .map((s) => ({
      actions: [s.Action].flat().map(String),
      resource: JSON.stringify(s.Resource),
      condition: s.Condition,
    }))
    .filter((s) => s.actions.some((a) => a.startsWith('s3:')));
}

const onPrefix = (prefix: string) => (s: { resource: string }) => s.resource.includes(`/${prefix}*`);

describe('the photo bucket', () => {
  it('is encrypted at rest (SSE-S3), blocks all public access and is not versioned', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'photos/' }),
    });
    const bucket = template.toJSON().Resources[photoBucketId()];
    expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('refuses every request without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: photoBucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('expires uploads after a day and aborts incomplete multipart uploads', () => {
    const rules = template.toJSON().Resources[photoBucketId()].Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' }),
        expect.objectContaining({
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          Status: 'Enabled',
        }),
      ]),
    );
    // Case photos have no expiry of their own: they go when their case is anonymised.
    expect(rules.filter((r: { Prefix?: string }) => r.Prefix === 'cases/')).toEqual([]);
  });

  it("lets only the site's origin POST cross-origin", () => {
    const cors = template.toJSON().Resources[photoBucketId()].Properties.CorsConfiguration.CorsRules;
    expect(cors).toHaveLength(1);
    expect(cors[0].AllowedMethods).toEqual(['POST']);
    const origin = JSON.stringify(cors[0].AllowedOrigins);
    expect(origin).toContain('DomainName');
    expect(origin).not.toContain('"*"');
  });

  it('passes cdk-nag (its access-log bucket acknowledged for not logging itself)', () => {
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(
      stack.buckets.get('photos') ?? stack,
    );
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  }, 60_000);
});

describe('least privilege on the photo bucket', () => {
  it('presign-photo-upload may only put under uploads/ (the presigned POST is signed with it)', () => {
    const statements = s3StatementsOf('presign-photo-upload');
    expect(statements.flatMap((s) => s.actions).sort()).toEqual(['s3:PutObject']);
    expect(statements.every(onPrefix('uploads/'))).toBe(true);
  });

  it('submit-report reads and deletes uploads/, writes cases/, and reads cases/ only to tell a retry', () => {
    const statements = s3StatementsOf('submit-report');
    const on = (prefix: string) =>
      statements
        .filter(onPrefix(prefix))
        .flatMap((s) => s.actions)
        .sort();
    expect(on('uploads/')).toEqual(['s3:DeleteObject', 's3:GetObject']);
    expect(on('cases/')).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(statements.flatMap((s) => s.actions)).not.toContain('s3:ListBucket');
  });

  it('get-case-photos reads and lists cases/, and moves evidence from uploads/ to cases/', () => {
    const statements = s3StatementsOf('get-case-photos');
    const on = (prefix: string) =>
      statements
        .filter(onPrefix(prefix))
        .flatMap((s) => s.actions)
        .sort();
    expect(on('cases/')).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(on('uploads/')).toEqual(['s3:DeleteObject', 's3:GetObject']);
    const list = statements.filter((s) => s.actions.includes('s3:ListBucket'));
    expect(list).toHaveLength(1);
    expect(list[0]?.condition).toEqual({ StringLike: { 's3:prefix': ['cases/*'] } });
  });

  it("anonymise-reports lists and deletes cases/ only (a case's photos go with its personal data)", () => {
    const statements = s3StatementsOf('anonymise-reports');
    expect(statements.filter(onPrefix('cases/')).flatMap((s) => s.actions)).toEqual(['s3:DeleteObject']);
    const list = statements.filter((s) => s.actions.includes('s3:ListBucket'));
    expect(list.map((s) => s.condition)).toEqual([{ StringLike: { 's3:prefix': ['cases/*'] } }]);
    expect(statements.flatMap((s) => s.actions)).not.toContain('s3:GetObject');
  });

  it('get-report-status may only read the public result photos (cases/<code>/public-after-…)', () => {
    const statements = s3StatementsOf('get-report-status');
    expect(statements.flatMap((s) => s.actions)).toEqual(['s3:GetObject']);
    expect(statements.every(onPrefix('cases/*/public-after-'))).toBe(true);
  });

  it('the pages only learn the bucket name, with no S3 permission', () => {
    for (const name of ['resident-page', 'console-page']) expect(s3StatementsOf(name)).toEqual([]);
  });
});
