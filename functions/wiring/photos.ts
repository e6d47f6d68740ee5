/**
 * Composition root of the photo bucket: the S3 store every function with a `photos` binding uses.
 */
import { createS3Client, S3PhotoStore } from '../../shared/adapters/s3-photo-store.ts';
import { loadConfig } from '../../shared/config.ts';
import type { PhotoStore } from '../../shared/ports/photo-store.ts';
import { PhotosConfig } from './photo-bucket-origin.ts';

export function photoStore(env: NodeJS.ProcessEnv = process.env): PhotoStore {
  return new S3PhotoStore(createS3Client(), loadConfig(PhotosConfig, env).PHOTOS_BUCKET);
}
