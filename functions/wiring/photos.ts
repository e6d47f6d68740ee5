/**
 * Composition root of the photo bucket: the S3 photo store, loaded on first use. Most functions
 * reach photos on a rare path (a report with photos, an anonymised case with some, a public result
 * photo), and those that always do pay for the SDK when their first request needs it, as they
 * would at load. The S3 SDK is a side module (./side-modules.ts): its own file beside the handler,
 * outside the bundle.
 */
import { createS3Client, S3PhotoStore } from '../../shared/adapters/s3-photo-store.ts';
import { loadConfig } from '../../shared/config.ts';
import type { PhotoStore } from '../../shared/ports/photo-store.ts';
import { PhotosConfig } from './photo-bucket-origin.ts';
import { loadS3Sdk } from './side-modules.ts';

export function photoStore(env: NodeJS.ProcessEnv = process.env): PhotoStore {
  // The configuration is checked at once, as every composition root does.
  const { PHOTOS_BUCKET } = loadConfig(PhotosConfig, env);
  let store: Promise<PhotoStore> | undefined;
  const load = () => {
    store ??= loadS3Sdk().then((sdk) => new S3PhotoStore(sdk, createS3Client(sdk), PHOTOS_BUCKET));
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
