/**
 * The photo store, loaded on first use: submit-report takes photos with a few reports only, so
 * its cold start should not load the S3 client for the others (the bundle keeps the module behind
 * a lazy initialiser until this import runs).
 */
import { loadConfig } from '../../shared/config.ts';
import type { PhotoStore } from '../../shared/ports/photo-store.ts';
import { PhotosConfig } from './photo-bucket-origin.ts';

export function lazyPhotoStore(env: NodeJS.ProcessEnv = process.env): PhotoStore {
  // The configuration is checked at once, as every composition root does.
  const { PHOTOS_BUCKET } = loadConfig(PhotosConfig, env);
  let store: Promise<PhotoStore> | undefined;
  const load = () => {
    store ??= import('../../shared/adapters/s3-photo-store.ts').then(
      ({ createS3Client, S3PhotoStore }) => new S3PhotoStore(createS3Client(), PHOTOS_BUCKET),
    );
    return store;
  };
  return {
    presignUpload: async (key) => (await load()).presignUpload(key),
    read: async (key, maxBytes) => (await load()).read(key, maxBytes),
    exists: async (key) => (await load()).exists(key),
    put: async (key, bytes) => (await load()).put(key, bytes),
    delete: async (key) => (await load()).delete(key),
    list: async (prefix) => (await load()).list(prefix),
    presignView: async (key, ttl) => (await load()).presignView(key, ttl),
    deleteAll: async (prefix) => (await load()).deleteAll(prefix),
  };
}
