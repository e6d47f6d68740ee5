/**
 * The parts of the S3 SDK the photo store uses, as one module, which the functions load on first
 * use from its own file beside the handler (functions/wiring/photos.ts), so their cold starts
 * never compile it.
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
