/**
 * Residents' photos end to end on the local runtime (fauxqs's S3 behind the S3 bridge): a
 * presigned form, a real multipart POST of the photo to the bucket, the report naming it, the
 * photo checked, stripped of its GPS and moved to the case, and staff given a URL that serves it.
 * Wrong types are refused naming the field; S3's policy refuses an oversize or mistyped upload.
 */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import ExifReader from 'exifreader';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import { S3PhotoStore } from '../../shared/adapters/s3-photo-store.ts';
import * as s3Sdk from '../../shared/adapters/s3-sdk.ts';
import { MAX_PHOTO_BYTES, residentPhotoKey, sniffImageType, uploadKey } from '../../shared/domain/photos.ts';
import { anonymiseReports } from '../../shared/services/anonymise-reports.ts';
import { jpegWithGps, tinyPng } from '../support/photo-fixtures.ts';
import { ErrorBody, eventually } from '../support/staff-api.ts';

let rt: LocalRuntime;
let s3: S3Client;
const tokens = new Map<string, string>();

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  s3 = rt.s3Client;
  for (const user of ['supervisor', 'outreach.police', 'handler.transport'])
    tokens.set(user, await rt.signInAs(user));
});
afterAll(async () => {
  await rt?.stop();
});

const Ticket = z.object({
  uploadId: z.string(),
  url: z.string(),
  fields: z.record(z.string(), z.string()),
  maxBytes: z.number(),
  expiresInSeconds: z.number(),
});
const Receipt = z.object({ trackingCode: z.string() });
const Photos = z.object({
  photos: z.array(
    z.object({
      source: z.string(),
      number: z.number(),
      public: z.boolean(),
      url: z.string(),
      expiresInSeconds: z.number(),
    }),
  ),
});

const presign = async () => {
  const response = await fetch(`${rt.url}/api/photo-uploads`, { method: 'POST' });
  expect(response.status).toBe(201);
  return Ticket.parse(await response.json());
};

/** The browser's form post: the policy's fields, then the file (S3 wants it last). */
const upload = async (ticket: z.infer<typeof Ticket>, bytes: Uint8Array, contentType = 'image/jpeg') => {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields))
    form.append(name, name === 'Content-Type' ? contentType : value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'photo.jpg');
  return fetch(ticket.url, { method: 'POST', body: form });
};

const report = (photos: string[], communityId = 'chengdong-kangning') =>
  fetch(`${rt.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({
      category: 'road',
      communityId,
      description: '路灯坏了，照片里是那根灯杆',
      photos,
    }),
  });

const photosOf = (id: string, user: string) =>
  fetch(`${rt.url}/api/cases/${id}/photos`, { headers: { authorization: `Bearer ${tokens.get(user)}` } });

const exists = (key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: 'civicloop-photos', Key: key })).then(
    () => true,
    () => false,
  );

describe('a resident photo', () => {
  it('is uploaded to S3, checked, stripped of its GPS, moved to the case and shown to staff', async () => {
    const ticket = await presign();
    expect(ticket.fields.key).toBe(uploadKey(ticket.uploadId));
    expect(ticket.maxBytes).toBe(MAX_PHOTO_BYTES);
    const photo = jpegWithGps(64, 48);
    expect(ExifReader.load(Buffer.from(photo), { expanded: true }).gps?.Latitude).toBeGreaterThan(37);
    expect((await upload(ticket, photo)).status).toBe(204);
    expect(await exists(uploadKey(ticket.uploadId))).toBe(true);

    const started = performance.now();
    const answer = await report([ticket.uploadId]);
    const reportMs = performance.now() - started;
    expect(answer.status).toBe(202);
    const id = Receipt.parse(await answer.json()).trackingCode.replaceAll('-', '');
    // Moved: the upload is gone, the case's photo is there.
    expect(await exists(uploadKey(ticket.uploadId))).toBe(false);
    expect(await exists(residentPhotoKey(id, 0))).toBe(true);

    const photos = await eventually('the routed case', async () => {
      const response = await photosOf(id, 'supervisor');
      return response.status === 200 ? Photos.parse(await response.json()).photos : undefined;
    });
    expect(photos).toHaveLength(1);
    expect(photos[0]).toMatchObject({ source: 'resident', number: 1 });
    const served = await fetch(photos[0]?.url ?? '');
    expect(served.status).toBe(200);
    const bytes = new Uint8Array(await served.arrayBuffer());
    expect(sniffImageType(bytes)).toBe('image/jpeg');
    const tags = ExifReader.load(Buffer.from(bytes), { expanded: true });
    expect(tags.gps).toBeUndefined();
    expect(tags.exif).toBeUndefined();
    expect(Buffer.from(bytes).toString('latin1')).not.toContain('Civicam');
    expect(jpeg.decode(bytes, { useTArray: true })).toMatchObject({ width: 64, height: 48 });
    console.info(`report with one ${photo.length}-byte photo answered in ${reportMs.toFixed(0)} ms`);
  });

  it('is not shown to staff outside the case scope (outreach staff: 403 forbidden)', async () => {
    const ticket = await presign();
    await upload(ticket, jpegWithGps());
    const id = Receipt.parse(await (await report([ticket.uploadId])).json()).trackingCode.replaceAll('-', '');
    await eventually('the routed case', async () =>
      (await photosOf(id, 'supervisor')).status === 200 ? true : undefined,
    );
    const answer = await photosOf(id, 'outreach.police');
    expect(answer.status).toBe(403);
    expect(ErrorBody.parse(await answer.json()).error.code).toBe('forbidden');
  });

  it('a retried submission (same key, same body) finds its photos already moved and is accepted again', async () => {
    const ticket = await presign();
    await upload(ticket, jpegWithGps());
    const key = crypto.randomUUID();
    const body = JSON.stringify({
      category: 'road',
      communityId: 'chengdong-kangning',
      description: '坑',
      photos: [ticket.uploadId],
    });
    const send = () =>
      fetch(`${rt.url}/api/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body,
      });
    const first = Receipt.parse(await (await send()).json());
    const again = await send();
    expect(again.status).toBe(202);
    expect(Receipt.parse(await again.json()).trackingCode).toBe(first.trackingCode);
  });
});

describe('a photo that is not a JPEG photo', () => {
  it('a PNG declared as a JPEG is refused naming photos.0', async () => {
    const ticket = await presign();
    expect((await upload(ticket, tinyPng)).status).toBe(204);
    const answer = await report([ticket.uploadId]);
    expect(answer.status).toBe(400);
    const { error } = ErrorBody.parse(await answer.json());
    expect(error.code).toBe('invalid_request');
    expect(error.issues).toEqual([
      { path: 'photos.0', message: expect.stringMatching(/PNG image, not a JPEG/) },
    ]);
  });

  it('a text file is refused as not an image, naming its place in the list', async () => {
    const [good, text] = [await presign(), await presign()];
    await upload(good, jpegWithGps());
    await upload(text, Buffer.from('not a photo at all'));
    const answer = await report([good.uploadId, text.uploadId]);
    expect(answer.status).toBe(400);
    const { error } = ErrorBody.parse(await answer.json());
    expect(error.issues).toEqual([{ path: 'photos.1', message: expect.stringMatching(/not an image/) }]);
    // Nothing of a refused report is kept with a case: the good photo is still only an upload.
    expect(await exists(uploadKey(good.uploadId))).toBe(true);
  });

  it('an id nobody uploaded is refused, and a malformed list names photos', async () => {
    const missing = await report(['AAAAAAAAAAAAAAAAAAAAAA']);
    expect(missing.status).toBe(400);
    expect(ErrorBody.parse(await missing.json()).error.issues?.[0]?.path).toBe('photos.0');
    const tooMany = await report(['a', 'b', 'c', 'd']);
    expect(tooMany.status).toBe(400);
    expect(ErrorBody.parse(await tooMany.json()).error.issues?.map((i) => i.path)).toContain('photos');
  });
});

describe("S3's upload policy", () => {
  it('refuses an upload over the size limit', async () => {
    const ticket = await presign();
    const answer = await upload(ticket, Buffer.concat([jpegWithGps(), Buffer.alloc(MAX_PHOTO_BYTES)]));
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('<Code>EntityTooLarge</Code>');
    expect(await exists(uploadKey(ticket.uploadId))).toBe(false);
  });

  it('refuses an upload that declares another content type', async () => {
    const ticket = await presign();
    const answer = await upload(ticket, Buffer.from('hello'), 'text/plain');
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain('Policy Condition failed');
  });

  it('lets the site origin post cross-origin and no other', async () => {
    const ticket = await presign();
    const preflight = (origin: string) =>
      fetch(ticket.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const site = await preflight(new URL(rt.url).origin);
    expect(site.status).toBe(200);
    expect(site.headers.get('access-control-allow-origin')).toBe(new URL(rt.url).origin);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe("a case's photos and its retention", () => {
  it('are deleted when the case is anonymised, and the case view then shows none', async () => {
    const tickets = [await presign(), await presign()];
    for (const ticket of tickets) await upload(ticket, jpegWithGps());
    const id = Receipt.parse(
      await (
        await report(
          tickets.map((t) => t.uploadId),
          'dongquan-weijiazhuang',
        )
      ).json(),
    ).trackingCode.replaceAll('-', '');
    await eventually('the routed case', async () =>
      (await photosOf(id, 'supervisor')).status === 200 ? true : undefined,
    );
    const act = async (user: string, body: Record<string, unknown>) => {
      const headers = { authorization: `Bearer ${tokens.get(user)}`, 'content-type': 'application/json' };
      const current = await fetch(`${rt.url}/api/cases/${id}`, {
        headers: { authorization: `Bearer ${tokens.get('supervisor')}` },
      });
      const { version } = z.object({ version: z.number() }).parse(await current.json());
      const answer = await fetch(`${rt.url}/api/cases/${id}/transitions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...body, expectedVersion: version }),
      });
      expect(answer.status).toBe(200);
    };
    await act('handler.transport', { action: 'accept' });
    await act('handler.transport', { action: 'resolve', note: '已修复' });
    await act('supervisor', { action: 'verify' });
    await act('supervisor', { action: 'close' });
    expect([await exists(residentPhotoKey(id, 0)), await exists(residentPhotoKey(id, 1))]).toEqual([
      true,
      true,
    ]);

    const run = await anonymiseReports({
      retention: new DynamoDbReportRetention(
        createDocumentClient(rt.dynamoClient),
        rt.resources.tables.cases ?? '',
      ),
      photos: new S3PhotoStore(s3Sdk, s3, rt.resources.buckets?.photos ?? ''),
      retentionDays: 365,
      now: () => new Date(Date.now() + 366 * 86_400_000),
    });
    expect(run.anonymised).toContain(id);
    expect([await exists(residentPhotoKey(id, 0)), await exists(residentPhotoKey(id, 1))]).toEqual([
      false,
      false,
    ]);
    const after = await photosOf(id, 'supervisor');
    expect(after.status).toBe(200);
    expect(Photos.parse(await after.json()).photos).toEqual([]);
  });
});

describe("the working unit's evidence photos", () => {
  it('the handler attaches before and after photos (after public), checked and stripped; others may not', async () => {
    const id = Receipt.parse(
      await (await report([], 'dongquan-weijiazhuang')).json(),
    ).trackingCode.replaceAll('-', '');
    await eventually('the routed case', async () =>
      (await photosOf(id, 'supervisor')).status === 200 ? true : undefined,
    );
    const attach = (user: string, body: Record<string, unknown>) =>
      fetch(`${rt.url}/api/cases/${id}/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get(user)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const uploaded = async (bytes: Uint8Array) => {
      const ticket = await presign();
      await upload(ticket, bytes);
      return ticket.uploadId;
    };

    const before = await attach('handler.transport', {
      uploadId: await uploaded(jpegWithGps()),
      kind: 'before',
    });
    expect(before.status).toBe(201);
    const after = await attach('handler.transport', {
      uploadId: await uploaded(jpegWithGps()),
      kind: 'after',
      public: true,
    });
    expect(after.status).toBe(201);
    const photos = Photos.parse(await after.json()).photos;
    expect(photos.map((p) => [p.source, p.public]).sort()).toEqual([
      ['after', true],
      ['before', false],
    ]);
    const bytes = Buffer.from(await (await fetch(photos[0]?.url ?? '')).arrayBuffer());
    expect(sniffImageType(bytes)).toBe('image/jpeg');
    expect(ExifReader.load(bytes, { expanded: true }).gps).toBeUndefined();

    const notTheirs = await attach('supervisor', { uploadId: await uploaded(jpegWithGps()), kind: 'after' });
    expect(notTheirs.status).toBe(403);
    expect(ErrorBody.parse(await notTheirs.json()).error.code).toBe('forbidden');

    const publicBefore = await attach('handler.transport', {
      uploadId: await uploaded(jpegWithGps()),
      kind: 'before',
      public: true,
    });
    expect(publicBefore.status).toBe(400);
    expect(ErrorBody.parse(await publicBefore.json()).error.issues?.map((i) => i.path)).toEqual(['public']);

    const png = await attach('handler.transport', { uploadId: await uploaded(tinyPng), kind: 'after' });
    expect(png.status).toBe(400);
    expect(ErrorBody.parse(await png.json()).error.issues).toEqual([
      { path: 'uploadId', message: expect.stringMatching(/PNG image, not a JPEG/) },
    ]);
  });
});
