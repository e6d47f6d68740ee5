/**
 * One topology bucket as deployed: private (every public access blocked, objects owned by the
 * bucket), encrypted at rest (SSE-S3), TLS only, no versioning — a deleted photo is gone, so a
 * case's retention really removes it — lifecycle rules expiring the spec's prefixes (uploads
 * nobody reported with) and aborting incomplete multipart uploads, CORS for POSTs from the site's
 * own origin only (presigned uploads; images in the console load without CORS), and server access
 * logs in a log bucket of its own.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketSpec } from '../topology.ts';

/** How long the access logs of a bucket are kept: who fetched which photo, for an audit. */
export const bucketAccessLogDays = 90;

export interface CivicBucketProps {
  readonly spec: BucketSpec;
  /** The site's origin (`https://…`): the only one a browser may POST uploads from. */
  readonly siteOrigin: string;
}

export class CivicBucket extends Construct {
  readonly spec: BucketSpec;
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: CivicBucketProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(bucketAccessLogDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The access-log bucket of the photo bucket: logging it into itself would log its own writes forever',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `${spec.name}/`,
      lifecycleRules: [
        ...spec.expiry.map(({ prefix, days }) => ({
          id: `expire-${prefix.replace(/[^a-z0-9]+/gi, '')}`,
          prefix,
          expiration: Duration.days(days),
        })),
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: spec.browserUploads
        ? [
            {
              allowedMethods: [s3.HttpMethods.POST],
              allowedOrigins: [props.siteOrigin],
              allowedHeaders: ['*'],
              maxAge: 3000,
            },
          ]
        : [],
      // Case evidence: a stack deleted by mistake must not take it along.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
