/**
 * The photo bucket's name and the origin browsers meet it at, for the pages' CSP (the resident
 * page posts photos there, the console shows them from there). Apart from the S3 store's wiring
 * (photos.ts) so the pages' bundles load no S3 client.
 */
import { loadConfig } from '../../shared/config.ts';
import * as z from '../../shared/schema.ts';

export const PhotosConfig = z.object({ PHOTOS_BUCKET: z.string().check(z.minLength(3), z.maxLength(63)) });

/**
 * Where the browser meets the bucket: the S3 endpoint's origin when one is set (the local
 * runtime's bridge, path-style URLs), else the bucket's virtual-hosted regional origin, which is
 * what presigned POST and GET URLs name in AWS.
 */
export function photoBucketOrigin(env: NodeJS.ProcessEnv = process.env): string {
  const { PHOTOS_BUCKET } = loadConfig(PhotosConfig, env);
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (endpoint) return new URL(endpoint).origin;
  const region = env.AWS_REGION ?? 'us-east-1';
  return `https://${PHOTOS_BUCKET}.s3.${region}.amazonaws.com`;
}
