/**
 * Composition root of the photo bucket: the S3 store of the functions that touch photos on every
 * request (the SDK bundled with them).
 */
import { createS3Client, S3PhotoStore } from '../../shared/adapters/s3-photo-store.ts';
import * as s3Sdk from '../../shared/adapters/s3-sdk.ts';
import { loadConfig } from '../../shared/config.ts';
import type { PhotoStore } from '../../shared/ports/photo-store.ts';
import { PhotosConfig } from './photo-bucket-origin.ts';

export function photoStore(env: NodeJS.ProcessEnv = process.env): PhotoStore {
  return new S3PhotoStore(s3Sdk, createS3Client(s3Sdk), loadConfig(PhotosConfig, env).PHOTOS_BUCKET);
}
