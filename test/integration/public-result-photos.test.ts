/**
 * The result photo a unit makes public, on the emulators: recorded on the case when attached,
 * shown on the resident's status (JSON and page) through the /photos/{code}/{n} redirect only
 * while the resolution stands, never a photo the unit kept internal, and gone with the case's
 * personal data.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import { S3PhotoStore } from '../../shared/adapters/s3-photo-store.ts';
import * as s3Sdk from '../../shared/adapters/s3-sdk.ts';
import { sniffImageType } from '../../shared/domain/photos.ts';
import { anonymiseReports } from '../../shared/services/anonymise-reports.ts';
import { jpegWithGps } from '../support/photo-fixtures.ts';
import { ErrorBody, eventually } from '../support/staff-api.ts';

let rt: LocalRuntime;
let s3: S3Client;
const tokens = new Map<string, string>();

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  s3 = rt.s3Client;
  for (const user of ['supervisor', 'handler.antifraud', 'handler.transport'])
    tokens.set(user, await rt.signInAs(user));
});
afterAll(async () => {
  await rt?.stop();
});

const Ticket = z.object({ uploadId: z.string(), url: z.string(), fields: z.record(z.string(), z.string()) });
const Receipt = z.object({ trackingCode: z.string() });
const Status = z.object({ stage: z.string(), photos: z.array(z.object({ url: z.string() })).optional() });

const uploaded = async (): Promise<string> => {
  const presigned = await fetch(`${rt.url}/api/photo-uploads`, { method: 'POST' });
  const ticket = Ticket.parse(await presigned.json());
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(jpegWithGps())], { type: 'image/jpeg' }), 'photo.jpg');
  expect((await fetch(ticket.url, { method: 'POST', body: form })).status).toBeLessThan(300);
  return ticket.uploadId;
};

const staff = (user: string) => ({
  authorization: `Bearer ${tokens.get(user)}`,
  'content-type': 'application/json',
});

async function newCase(): Promise<{ id: string; code: string }> {
  const answer = await fetch(`${rt.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({
      category: 'road',
      communityId: 'dongquan-weijiazhuang',
      description: '路面塌了一块',
    }),
  });
  const code = Receipt.parse(await answer.json()).trackingCode;
  const id = code.replaceAll('-', '');
  await eventually('the routed case', async () => {
    const seen = await fetch(`${rt.url}/api/cases/${id}`, { headers: staff('supervisor') });
    return seen.status === 200 ? true : undefined;
  });
  return { id, code };
}

const act = async (id: string, user: string, body: Record<string, unknown>) => {
  const current = await fetch(`${rt.url}/api/cases/${id}`, { headers: staff('supervisor') });
  const { version } = z.object({ version: z.number() }).parse(await current.json());
  const answer = await fetch(`${rt.url}/api/cases/${id}/transitions`, {
    method: 'POST',
    headers: staff(user),
    body: JSON.stringify({ ...body, expectedVersion: version }),
  });
  expect(answer.status).toBe(200);
};

const attach = (id: string, user: string, body: Record<string, unknown>) =>
  fetch(`${rt.url}/api/cases/${id}/photos`, {
    method: 'POST',
    headers: staff(user),
    body: JSON.stringify(body),
  });

const statusOf = async (code: string) => {
  const answer = await fetch(`${rt.url}/api/reports/${code}`);
  expect(answer.status).toBe(200);
  return Status.parse(await answer.json());
};

describe('a result photo the unit makes public', () => {
  it('is shown on the status while its resolution stands, through a redirect; a kept one never is', async () => {
    const { id, code } = await newCase();
    await act(id, 'handler.transport', { action: 'accept' });
    const shown = await attach(id, 'handler.transport', {
      uploadId: await uploaded(),
      kind: 'after',
      public: true,
    });
    expect(shown.status).toBe(201);
    const kept = await attach(id, 'handler.transport', { uploadId: await uploaded(), kind: 'after' });
    expect(kept.status).toBe(201);

    // Not before the case is resolved: the unit may still change its answer.
    expect((await statusOf(code)).photos).toBeUndefined();
    expect((await fetch(`${rt.url}/photos/${code}/1`, { redirect: 'manual' })).status).toBe(404);

    await act(id, 'handler.transport', { action: 'resolve', note: '已修补路面' });
    expect((await statusOf(code)).photos).toEqual([{ url: `/photos/${code}/1` }]);

    const page = await fetch(`${rt.url}/status?code=${code}`);
    const html = await page.text();
    expect(html).toContain(`<img src="/photos/${code}/1"`);
    expect(html).not.toContain(`/photos/${code}/2`);
    expect(page.headers.get('content-security-policy')).toContain(`img-src 'self' data: ${rt.s3Endpoint};`);

    const redirect = await fetch(`${rt.url}/photos/${code}/1`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    const location = redirect.headers.get('location') ?? '';
    expect(location.startsWith(rt.s3Endpoint)).toBe(true);
    expect(location).toContain('public-after-');
    const image = await fetch(location);
    expect(image.status).toBe(200);
    expect(sniffImageType(new Uint8Array(await image.arrayBuffer()))).toBe('image/jpeg');

    // Open311 carries the same redirect, absolute, as media_url (the list and the single request).
    const Requests = z.array(z.object({ service_request_id: z.string(), media_url: z.string().optional() }));
    const one = Requests.parse(await (await fetch(`${rt.url}/open311/v2/requests/${code}.json`)).json());
    expect(one).toEqual([expect.objectContaining({ media_url: `${rt.url}/photos/${code}/1` })]);
    const listed = Requests.parse(
      await (await fetch(`${rt.url}/open311/v2/requests.json?service_request_id=${code}`)).json(),
    );
    expect(listed[0]?.media_url).toBe(`${rt.url}/photos/${code}/1`);
    const followed = await fetch(one[0]?.media_url ?? '');
    expect(sniffImageType(new Uint8Array(await followed.arrayBuffer()))).toBe('image/jpeg');

    const second = await fetch(`${rt.url}/photos/${code}/2`, { redirect: 'manual' });
    expect(second.status).toBe(404);
    expect(ErrorBody.parse(await second.json()).error.code).toBe('not_found');

    // A verifier rejects the resolution: the photo is no longer the answer.
    await act(id, 'supervisor', { action: 'reject_resolution', note: '还有一块没补' });
    expect((await statusOf(code)).photos).toBeUndefined();
    expect((await fetch(`${rt.url}/photos/${code}/1`, { redirect: 'manual' })).status).toBe(404);
    expect(await (await fetch(`${rt.url}/status?code=${code}`)).text()).not.toContain('/photos/');
    expect(await (await fetch(`${rt.url}/open311/v2/requests/${code}.json`)).text()).not.toContain(
      'media_url',
    );

    // Resolved again without a new photo: the rejected resolution's photo stays off the status.
    await act(id, 'handler.transport', { action: 'resolve', note: '已全部修补' });
    expect((await statusOf(code)).photos).toBeUndefined();
  });

  it('is attached only by the working unit: 403 forbidden for a verifier, 404 not_found outside the scope, and at most three', async () => {
    const { id } = await newCase();
    await act(id, 'handler.transport', { action: 'accept' });
    const verifier = await attach(id, 'supervisor', {
      uploadId: await uploaded(),
      kind: 'after',
      public: true,
    });
    expect(verifier.status).toBe(403);
    expect(ErrorBody.parse(await verifier.json()).error.code).toBe('forbidden');
    const outsider = await attach(id, 'handler.antifraud', {
      uploadId: await uploaded(),
      kind: 'after',
      public: true,
    });
    expect(outsider.status).toBe(404);
    expect(ErrorBody.parse(await outsider.json()).error.code).toBe('not_found');

    for (let n = 0; n < 3; n++) {
      const ok = await attach(id, 'handler.transport', {
        uploadId: await uploaded(),
        kind: 'after',
        public: true,
      });
      expect(ok.status).toBe(201);
    }
    const fourth = await attach(id, 'handler.transport', {
      uploadId: await uploaded(),
      kind: 'after',
      public: true,
    });
    expect(fourth.status).toBe(400);
    expect(ErrorBody.parse(await fourth.json()).error.issues?.map((i) => i.path)).toEqual(['public']);
    const cases = new DynamoDbCaseStore(
      createDocumentClient(rt.dynamoClient),
      rt.resources.tables.cases ?? '',
    );
    expect((await cases.getCase(id))?.publicPhotos).toHaveLength(3);
  });

  it('is gone from the status and the case when the case is anonymised', async () => {
    const { id, code } = await newCase();
    await act(id, 'handler.transport', { action: 'accept' });
    expect(
      (await attach(id, 'handler.transport', { uploadId: await uploaded(), kind: 'after', public: true }))
        .status,
    ).toBe(201);
    await act(id, 'handler.transport', { action: 'resolve', note: '已修补路面' });
    await act(id, 'supervisor', { action: 'verify' });
    await act(id, 'supervisor', { action: 'close' });
    expect((await statusOf(code)).photos).toHaveLength(1);

    const db = createDocumentClient(rt.dynamoClient);
    const table = rt.resources.tables.cases ?? '';
    const run = await anonymiseReports({
      retention: new DynamoDbReportRetention(db, table),
      photos: new S3PhotoStore(s3Sdk, s3, rt.resources.buckets?.photos ?? ''),
      retentionDays: 365,
      now: () => new Date(Date.now() + 366 * 86_400_000),
    });
    expect(run.anonymised).toContain(id);
    expect((await statusOf(code)).photos).toBeUndefined();
    expect((await fetch(`${rt.url}/photos/${code}/1`, { redirect: 'manual' })).status).toBe(404);
    expect((await new DynamoDbCaseStore(db, table).getCase(id))?.publicPhotos).toBeUndefined();
  });
});
