/**
 * The resident's photos in the staff console's case view, in Chromium: a report filed with a photo
 * (presigned POST to the emulator's S3), opened by the supervisor; the thumbnail loads from the
 * bucket's presigned URL (so the page's CSP allows the bucket origin for images and nothing more),
 * and a case without photos shows no photo block.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { browserSession } from '../support/browser-session.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';
import { jpegWithGps } from '../support/photo-fixtures.ts';

const { started, newPage, pageErrors } = browserSession();

const Ticket = z.object({ uploadId: z.string(), url: z.string(), fields: z.record(z.string(), z.string()) });

/** A road report with `photos` photos, once the router has dispatched it: its case id. */
async function reportWithPhotos(photos: number): Promise<string> {
  const { runtime } = started();
  const uploadIds: string[] = [];
  for (let n = 0; n < photos; n += 1) {
    const ticket = Ticket.parse(
      await (await fetch(`${runtime.url}/api/photo-uploads`, { method: 'POST' })).json(),
    );
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(jpegWithGps(320, 240))], { type: 'image/jpeg' }), 'p.jpg');
    expect((await fetch(ticket.url, { method: 'POST', body: form })).status).toBe(204);
    uploadIds.push(ticket.uploadId);
  }
  const response = await fetch(`${runtime.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      category: 'road',
      communityId: 'dongquan-weijiazhuang',
      description: '村口路面塌陷，见照片',
      photos: uploadIds,
    }),
  });
  expect(response.status).toBe(202);
  const code = z
    .object({ trackingCode: z.string() })
    .parse(await response.json())
    .trackingCode.replaceAll('-', '');
  await expect
    .poll(async () => (await fetch(`${runtime.url}/api/reports/${code}`)).status, {
      timeout: 20_000,
      interval: 150,
    })
    .toBe(200);
  return code;
}

/** The case view as the supervisor sees it, and the answer to its photos request. */
async function openAsSupervisor(code: string): Promise<{ page: Page; photosAnswered: Promise<unknown> }> {
  const { runtime } = started();
  const page = await newPage();
  await page.goto(`${runtime.url}/console`);
  await signInOnConsolePage(page, 'supervisor');
  const photosAnswered = page.waitForResponse((r) => r.url().endsWith(`/api/cases/${code}/photos`));
  await page.goto(`${runtime.url}/console#/case/${code}`);
  await page.locator('#case-title').waitFor({ state: 'visible' });
  return { page, photosAnswered };
}

describe('case photos in the console', () => {
  it("shows the resident's photos, loaded from the bucket's presigned URLs", async () => {
    const code = await reportWithPhotos(2);
    const { page } = await openAsSupervisor(code);
    const images = page.locator('#case-photos img');
    await expect.poll(() => images.count(), { timeout: 10_000 }).toBe(2);
    // Loaded, not blocked by the CSP: the browser decoded them at their size.
    await expect
      .poll(() => images.evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth)), {
        timeout: 10_000,
      })
      .toEqual([320, 320]);
    const src = (await images.first().getAttribute('src')) ?? '';
    expect(new URL(src).origin).toBe(new URL(started().runtime.s3Endpoint).origin);
    expect(await page.getAttribute('#case-photos img >> nth=0', 'alt')).toBe('居民照片 1');
    await page.screenshot({ path: '/tmp/console-case-photos.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("shows the unit's before and after photos side by side, the public one marked", async () => {
    const { runtime } = started();
    const code = await reportWithPhotos(0);
    const handler = await runtime.signInAs('handler.transport');
    for (const [kind, isPublic] of [
      ['before', false],
      ['after', true],
    ] as const) {
      const ticket = Ticket.parse(
        await (await fetch(`${runtime.url}/api/photo-uploads`, { method: 'POST' })).json(),
      );
      const form = new FormData();
      for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
      form.append('file', new Blob([new Uint8Array(jpegWithGps(320, 240))], { type: 'image/jpeg' }), 'e.jpg');
      await fetch(ticket.url, { method: 'POST', body: form });
      const attached = await fetch(`${runtime.url}/api/cases/${code}/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${handler}`, 'content-type': 'application/json' },
        body: JSON.stringify({ uploadId: ticket.uploadId, kind, public: isPublic }),
      });
      expect(attached.status).toBe(201);
    }
    const { page } = await openAsSupervisor(code);
    const captions = page.locator('#case-photos figcaption');
    await expect
      .poll(() => captions.allTextContents(), { timeout: 10_000 })
      .toEqual(['处理前', '处理后 · 已公开']);
    // Side by side: the two figures on one row.
    const boxes = await page
      .locator('#case-photos figure')
      .evaluateAll((figures) => figures.map((f) => Math.round(f.getBoundingClientRect().top)));
    expect(new Set(boxes).size).toBe(1);
    await page.screenshot({ path: '/tmp/console-evidence-photos.png', fullPage: true });
  }, 60_000);

  it('shows no photo block for a case without photos', async () => {
    const code = await reportWithPhotos(0);
    const { page, photosAnswered } = await openAsSupervisor(code);
    await photosAnswered;
    expect(await page.isHidden('#case-photos-block')).toBe(true);
    expect(await page.locator('#case-photos img').count()).toBe(0);
  }, 60_000);
});
