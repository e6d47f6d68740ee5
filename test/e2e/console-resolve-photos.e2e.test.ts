/**
 * The resolve form's photo picker, in Chromium: the handler resolves a case with two result
 * photos, one marked "shown on the resident's status page"; both are uploaded from the console to
 * the emulator's S3 and attached before the transition, and the resident's status page and the
 * report page's lookup then show the public one only, loaded through the /photos redirect (so the
 * pages' CSPs allow the bucket).
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { consoleText } from '../../shared/web/console-text.ts';
import { browserSession } from '../support/browser-session.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';
import { jpegWithGps } from '../support/photo-fixtures.ts';

const { started, newPage, pageErrors } = browserSession();

/** A road report, accepted by the transport unit: its case id and tracking code as shown. */
async function acceptedCase(): Promise<{ id: string; code: string }> {
  const { runtime } = started();
  const response = await fetch(`${runtime.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      category: 'road',
      communityId: 'dongquan-weijiazhuang',
      description: '村口路面塌陷',
    }),
  });
  expect(response.status).toBe(202);
  const code = z.object({ trackingCode: z.string() }).parse(await response.json()).trackingCode;
  const id = code.replaceAll('-', '');
  const token = await runtime.signInAs('handler.transport');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const caseAt = () => fetch(`${runtime.url}/api/cases/${id}`, { headers });
  await expect.poll(async () => (await caseAt()).status, { timeout: 20_000, interval: 150 }).toBe(200);
  const { version } = z.object({ version: z.number() }).parse(await (await caseAt()).json());
  const accepted = await fetch(`${runtime.url}/api/cases/${id}/transitions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ action: 'accept', expectedVersion: version }),
  });
  expect(accepted.status).toBe(200);
  return { id, code };
}

describe('the resolve form with result photos', () => {
  it('uploads and attaches them before resolving; the status page shows the public one only', async () => {
    const { runtime } = started();
    const { id, code } = await acceptedCase();
    const page = await newPage();
    // The status and lookup pages open in the same context, so its page errors count too.
    const context = page.context();
    await page.goto(`${runtime.url}/console`);
    await signInOnConsolePage(page, 'handler.transport');
    await page.goto(`${runtime.url}/console#/case/${id}`);
    await page.locator('#case-title').waitFor({ state: 'visible' });

    await page.click('#case-actions button[data-action="resolve"]');
    await page.locator('#action-form').waitFor({ state: 'visible' });
    await page.fill('#action-note', '已回填路面');
    expect(await page.textContent('label[for="evidence-after"]')).toBe(consoleText.zh.casePhotos.pickAfter);
    await page.setInputFiles('#evidence-after', [
      { name: 'done-1.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(jpegWithGps(2400, 1800)) },
      { name: 'done-2.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(jpegWithGps(800, 600)) },
    ]);
    const rows = page.locator('#evidence-after-list li');
    await expect
      .poll(() => page.locator('#evidence-after-list li[data-upload-id]').count(), { timeout: 15_000 })
      .toBe(2);
    const first = rows.first();
    expect(await first.locator('label').textContent()).toBe(consoleText.zh.casePhotos.showPublic);
    await first.locator('input.evidence-public').check();
    await page.click('#action-submit');
    const notice = page.locator('#case-notice');
    await notice.waitFor({ state: 'visible', timeout: 15_000 });

    // The case view lists both after photos, one public.
    await expect
      .poll(() => page.locator('#case-photos img[data-source="after"]').count(), { timeout: 10_000 })
      .toBe(2);

    const status = await context.newPage();
    await status.goto(`${runtime.url}/status?code=${code}`);
    const images = status.locator('#result-photos img');
    expect(await images.count()).toBe(1);
    // Loaded through the redirect, not blocked by the CSP: decoded at the resized size.
    await expect
      .poll(() => images.evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth)), {
        timeout: 10_000,
      })
      .toEqual([1600]);
    await status.screenshot({ path: '/tmp/status-result-photo.png', fullPage: true });

    // The report page's own lookup (JavaScript) shows it too, from the JSON status.
    const lookup = await context.newPage();
    await lookup.goto(`${runtime.url}/`);
    await lookup.fill('#code', code);
    await lookup.click('#check-submit');
    const looked = lookup.locator('#check-result .result-photos img');
    await expect
      .poll(() => looked.evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth)), {
        timeout: 10_000,
      })
      .toEqual([1600]);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
