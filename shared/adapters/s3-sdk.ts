/**
 * The parts of the S3 SDK the photo store uses, as one module. Functions that touch photos on every
 * request bundle it; those that reach photos on a rare path (a report with photos, an anonymised
 * case with photos, a public result photo) load it on first use from its own file beside the
 * handler (functions/wiring/lazy-photo-store.ts), so their cold starts never compile it.
 */
export {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
export { createPresignedPost } from '@aws-sdk/s3-presigned-post';
export { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export type S3Sdk = typeof import('./s3-sdk.ts');
