/**
 * Composition root of the photo fetcher (attach-wecom-photos): the WeChat Work app (media/get and
 * the worker's message when a photo cannot be kept) with its token in the SMS table, and the
 * photo bucket.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import { ConfigError } from '../../shared/errors.ts';
import type { AttachWecomPhotoDeps } from '../../shared/services/attach-wecom-photo.ts';
import { lazyPhotoStore } from './lazy-photo-store.ts';
import { WecomAppConfig, wecomAppClient } from './wecom-app.ts';

export function attachWecomPhotoServices(env: NodeJS.ProcessEnv = process.env): AttachWecomPhotoDeps {
  const config = loadConfig(WecomAppConfig.extend({ SMS_TABLE: TableName }), env);
  const app = wecomAppClient(createDocumentClient(), config.SMS_TABLE, config);
  if (!app) throw new ConfigError('attach-wecom-photos needs the WeChat Work app secrets');
  return { media: app, messenger: app, photos: lazyPhotoStore(env) };
}
