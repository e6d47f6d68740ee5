/**
 * Composition roots of the two consumers that act for grid workers in WeChat Work: the photo
 * fetcher (attach-wecom-photos: media/get, the photo bucket, the worker's message when a photo
 * cannot be kept) and the relay sender (relay-to-workers: message/send). Both use the app with
 * its token in the SMS table.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import { ConfigError } from '../../shared/errors.ts';
import * as z from '../../shared/schema.ts';
import type { AttachWecomPhotoDeps } from '../../shared/services/attach-wecom-photo.ts';
import type { RelayToWorkerDeps } from '../../shared/services/relay-to-worker.ts';
import { photoStore } from './photos.ts';
import { OptionalWecomAppConfig, wecomAppClient } from './wecom-app.ts';

function wecomApp(env: NodeJS.ProcessEnv, who: string) {
  const config = loadConfig(z.extend(OptionalWecomAppConfig, { SMS_TABLE: TableName }), env);
  const app = wecomAppClient(createDocumentClient(), config.SMS_TABLE, config);
  if (!app) throw new ConfigError(`${who} needs the WeChat Work app secrets`);
  return app;
}

export function attachWecomPhotoServices(env: NodeJS.ProcessEnv = process.env): AttachWecomPhotoDeps {
  const app = wecomApp(env, 'attach-wecom-photos');
  return { media: app, messenger: app, photos: photoStore(env) };
}

export const relayToWorkerServices = (env: NodeJS.ProcessEnv = process.env): RelayToWorkerDeps => ({
  messenger: wecomApp(env, 'relay-to-workers'),
});
