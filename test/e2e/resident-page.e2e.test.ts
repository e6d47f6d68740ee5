import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExifReader from 'exifreader';
import jpeg from 'jpeg-js';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { unitQueueName } from '../../infra/topology.ts';
import { CaseDispatched } from '../../shared/domain/case.ts';
import { pageText } from '../../shared/web/page-text.ts';
import { browserSession } from '../support/browser-session.ts';
import { jpegWithGps } from '../support/photo-fixtures.ts';
import { receiveMatching } from '../support/queues.ts';

const SCREENSHOT = '/tmp/resident-page.png';
const RECEIPT_SCREENSHOT = '/tmp/resident-page-receipt.png';
const STATUS_SCREENSHOT = '/tmp/resident-status.png';
const RATING_REJECTED_SCREENSHOT = '/tmp/resident-rating-rejected.png';

// A common small Android phone; 375 wide leaves the 360 px layout a little room either way.
const phone: BrowserContextOptions = {
  viewport: { width: 375, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

const fraudReport =
  '今天上午有人打电话冒充县公安局民警，说我的银行卡涉嫌洗钱，要我把存款转到“安全账户”。我没有转账。';
const canonical = (code: string): string => code.replaceAll('-', '');

const { started, newPage } = browserSession(phone);

async function openPage(options: BrowserContextOptions = {}, path = '/'): Promise<Page> {
  const { runtime } = started();
  const page = await newPage(options);
  const response = await page.goto(`${runtime.url}${path}`);
  expect(response?.status()).toBe(200);
  return page;
}

/** The first real community in the select (the first option is the placeholder). */
const firstCommunity = async (page: Page): Promise<string> =>
  (await page.locator('#communityId optgroup option').first().getAttribute('value')) ?? '';

const activeId = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.id ?? '');

/** What the anti-fraud centre answers the resident when it resolves a case (shown on the status). */
const resolutionNote = '民警已联系您所说的银行，涉案账户已冻结。';
/** A note staff keep among themselves: never on the public status. */
const verifierNote = '王主任电话核实 13900001111';

/** Takes a routed fraud report through the anti-fraud centre and the supervisor to closed. */
async function closeCase(code: string): Promise<void> {
  const { runtime } = started();
  const handler = await runtime.issueToken({
    sub: 'u-antifraud',
    'custom:role': 'unit_handler',
    'custom:unitId': 'psb-antifraud',
  });
  const supervisor = await runtime.signInAs('supervisor');
  const stage = async () => {
    const response = await fetch(`${runtime.url}/api/reports/${code}`);
    return response.ok ? z.object({ stage: z.string() }).parse(await response.json()).stage : 'unknown';
  };
  await expect.poll(stage, { timeout: 15_000, interval: 100 }).toBe('dispatched');
  let version = 2;
  for (const [token, action, note] of [
    [handler, 'accept', '已处理'],
    [handler, 'resolve', resolutionNote],
    [supervisor, 'verify', verifierNote],
    [supervisor, 'close', '已处理'],
  ] as const) {
    const response = await fetch(`${runtime.url}/api/cases/${code}/transitions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action, expectedVersion: version, note }),
    });
    expect(response.status).toBe(200);
    version = z.object({ version: z.number() }).parse(await response.json()).version;
  }
}

/** A fraud report filed through the JSON API: its tracking code and the reporter's rating key. */
async function submitByApi(): Promise<{ trackingCode: string; reporterToken: string }> {
  const { runtime } = started();
  const response = await fetch(`${runtime.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'fraud', communityId: 'chengdong-kangning', description: fraudReport }),
  });
  return z.object({ trackingCode: z.string(), reporterToken: z.string() }).parse(await response.json());
}

describe('resident page in a phone browser', () => {
  it('files a fraud report, shows the tracking code, and the case reaches the anti-fraud queue', async () => {
    const { runtime } = started();
    const page = await openPage();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    // Nothing on the page may be wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.selectOption('#category', 'fraud');
    await page.selectOption('#communityId', await firstCommunity(page));
    await page.fill('#description', fraudReport);
    await page.fill('#contactPhone', '13812345678');
    expect(await page.textContent('#description-count')).toBe(
      pageText.zh.counter.replace('{n}', String([...fraudReport].length)),
    );
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.tap('#submit');
    await page.locator('#receipt').waitFor({ state: 'visible' });
    const code = (await page.textContent('#receipt-code'))?.trim() ?? '';
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}$/);
    expect(await page.textContent('#receipt')).toContain(pageText.zh.receiptKeep);
    // The rating key, shown this once with the warning, and the link that carries it.
    const token = (await page.textContent('#receipt-token'))?.trim() ?? '';
    expect(token).toMatch(/^[\w-]{24}$/);
    expect(await page.isVisible('#receipt-token-warning')).toBe(true);
    expect(await page.textContent('#receipt-token-warning')).toBe(pageText.zh.receiptTokenWarning);
    expect(await page.getAttribute('#receipt-rating-link', 'href')).toBe(
      `/#rate=${canonical(code)}&token=${encodeURIComponent(token)}`,
    );
    expect(await page.getAttribute('#receipt-status-link', 'href')).toBe(`/status?code=${canonical(code)}`);
    expect(await activeId(page)).toBe('receipt');
    expect(await page.isVisible('#report')).toBe(false);
    await page.screenshot({ path: RECEIPT_SCREENSHOT, fullPage: true });

    const message = await receiveMatching(
      runtime.sqsClient,
      runtime.queueUrl(unitQueueName('psb-antifraud')),
      (body) => {
        try {
          const parsed: unknown = JSON.parse(body);
          return (
            typeof parsed === 'object' &&
            parsed !== null &&
            'trackingCode' in parsed &&
            parsed.trackingCode === canonical(code)
          );
        } catch {
          return false;
        }
      },
    );
    expect(message, `a message for ${code} on unit-psb-antifraud`).toBeDefined();
    const dispatched = CaseDispatched.parse(JSON.parse(message?.Body ?? ''));
    expect(dispatched).toMatchObject({ category: 'fraud', description: fraudReport, hasContactPhone: true });

    // The lookup is pre-filled with the new code; once dispatched it names the anti-fraud centre.
    expect(await page.inputValue('#code')).toBe(code);
    await expect
      .poll(
        async () => {
          await page.tap('#check-submit');
          // The button is disabled while the lookup runs, so enabled again means it answered.
          await page.waitForFunction(
            () => !(document.getElementById('check-submit') as HTMLButtonElement | null)?.disabled,
          );
          return page.textContent('#check-result .stage');
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe(pageText.zh.stages.dispatched);
    expect(await page.textContent('#check-result')).toContain('县公安局反诈中心');
  }, 60_000);

  it('attaches a photo: resized in the browser, uploaded to S3 and carried by the report to the case', async () => {
    const { runtime } = started();
    // A camera-sized photo with its GPS position in EXIF, as a phone leaves it.
    const original = jpegWithGps(2400, 1800);
    const file = join(mkdtempSync(join(tmpdir(), 'civicloop-photo-')), 'IMG_0001.jpg');
    writeFileSync(file, original);
    const page = await openPage();
    expect(await page.isVisible('#field-photos')).toBe(true);
    await page.selectOption('#category', 'road');
    await page.selectOption('#communityId', 'chengdong-kangning');
    await page.fill('#description', '东大街路灯杆倒了，见照片');
    const chosen = performance.now();
    await page.setInputFiles('#photos', file);
    const row = page.locator('#photos-list li[data-upload-id]');
    await row.waitFor({ state: 'attached', timeout: 15_000 });
    const uploadMs = performance.now() - chosen;
    const resizedBytes = Number(await row.getAttribute('data-bytes'));
    expect(await page.locator('#photos-list li').count()).toBe(1);

    await page.tap('#submit');
    await page.locator('#receipt').waitFor({ state: 'visible' });
    const code = canonical((await page.textContent('#receipt-code'))?.trim() ?? '');
    const supervisor = await runtime.signInAs('supervisor');
    const photoUrls = async () => {
      const response = await fetch(`${runtime.url}/api/cases/${code}/photos`, {
        headers: { authorization: `Bearer ${supervisor}` },
      });
      if (!response.ok) return [];
      return z.object({ photos: z.array(z.object({ url: z.string() })) }).parse(await response.json()).photos;
    };
    await expect.poll(photoUrls, { timeout: 15_000, interval: 100 }).toHaveLength(1);
    const photos = await photoUrls();
    const stored = new Uint8Array(await (await fetch(photos[0]?.url ?? '')).arrayBuffer());
    // Resized to 1600 px on its longest side, re-encoded as JPEG, nothing of the camera's EXIF left.
    expect(jpeg.decode(stored, { useTArray: true, maxResolutionInMP: 10 })).toMatchObject({
      width: 1600,
      height: 1200,
    });
    expect(ExifReader.load(Buffer.from(stored), { expanded: true }).gps).toBeUndefined();
    expect(stored.length).toBeLessThan(original.length);
    expect(stored.length).toBe(resizedBytes);
    console.info(
      `photo pipeline: ${original.length} B 2400x1800 -> ${resizedBytes} B 1600x1200, resized and uploaded in ${uploadMs.toFixed(0)} ms`,
    );
  }, 60_000);

  it('shows a missing description next to the field without leaving the page', async () => {
    const { runtime } = started();
    const page = await openPage();
    await page.selectOption('#category', 'road');
    await page.selectOption('#communityId', await firstCommunity(page));
    await page.fill('#address', '东大街口');
    await page.tap('#submit');

    const error = page.locator('#description-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toBe(pageText.zh.fieldErrors.description);
    expect(await page.getAttribute('#description', 'aria-invalid')).toBe('true');
    expect(await activeId(page)).toBe('description');
    expect(page.url()).toBe(`${runtime.url}/`);
    // Everything else the resident typed is still there, and only the description is marked.
    expect(await page.inputValue('#address')).toBe('东大街口');
    expect(await page.inputValue('#category')).toBe('road');
    expect(await page.isVisible('#category-error')).toBe(false);
    expect(await page.isEnabled('#submit')).toBe(true);
  }, 30_000);

  it('retries a dropped submission with the same Idempotency-Key', async () => {
    const page = await openPage();
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') keys.push(request.headers()['idempotency-key'] ?? '');
    });
    await page.route('**/api/reports', (route) => route.abort('internetdisconnected'));
    await page.selectOption('#category', 'sanitation');
    await page.selectOption('#communityId', await firstCommunity(page));
    await page.fill('#description', '小区门口的垃圾三天没有清运了。');
    await page.tap('#submit');

    await page.locator('#retry').waitFor({ state: 'visible' });
    expect(await page.textContent('#form-alert-text')).toBe(pageText.zh.networkError);
    await page.unroute('**/api/reports');
    await page.tap('#retry');
    await page.locator('#receipt').waitFor({ state: 'visible' });

    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  }, 30_000);

  it('is in English with ?lang=en', async () => {
    const page = await openPage({ locale: 'en-GB' }, '/?lang=en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe(pageText.en.heading);
    expect(await page.textContent('#category option[value="fraud"]')).toBe('Telecom and online fraud');
    expect(await page.inputValue('input[name="lang"]')).toBe('en');
    // The switch back is a plain link, so it works without JavaScript too; it names Chinese,
    // because a bare "/" would be read in the language the cookie now remembers.
    expect(await page.getAttribute('a.lang-switch', 'href')).toBe('/?lang=zh');
  }, 30_000);

  it('remembers the language chosen by ?lang= or the switch across pages and the console, by a cookie', async () => {
    const { runtime } = started();
    const page = await openPage({ javaScriptEnabled: false }, '/?lang=en');
    const [cookie] = await page.context().cookies(runtime.url);
    expect(cookie).toMatchObject({ name: 'lang', value: 'en', path: '/', sameSite: 'Lax', secure: false });
    // About a year from now.
    expect(cookie?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 360 * 24 * 3600);

    for (const path of ['/', '/status', '/console']) {
      const response = await page.goto(`${runtime.url}${path}`);
      expect(response?.headers().vary, path).toContain('Cookie');
      expect(await page.getAttribute('html', 'lang'), path).toBe('en');
    }
    // The status form keeps English in its query too, so a browser refusing cookies keeps it.
    await page.goto(`${runtime.url}/status`);
    await page.tap('a.lang-switch');
    await page.waitForURL(`${runtime.url}/status?lang=zh`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.goto(`${runtime.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe(pageText.zh.heading);
  }, 30_000);

  it('works without JavaScript: the form posts and the receipt page shows the code', async () => {
    const { runtime } = started();
    const page = await openPage({ javaScriptEnabled: false });
    // Without the script the lookup and the rating are plain forms, shown and usable.
    expect(await page.isVisible('#check')).toBe(true);
    expect(await page.isVisible('#rate')).toBe(true);
    expect(await page.locator('noscript').count()).toBe(0);

    await page.selectOption('#category', 'road');
    await page.selectOption('#communityId', await firstCommunity(page));
    await page.fill('#description', '村口路灯坏了一个多月，晚上很黑。');
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.url() === `${runtime.url}/api/reports` && r.request().method() === 'POST',
      ),
      page.tap('#submit'),
    ]);
    expect(response.status()).toBe(202);
    await page.waitForURL(`${runtime.url}/api/reports`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe(pageText.zh.receiptHeading);
    expect((await page.textContent('#tracking-code'))?.trim()).toMatch(
      /^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/,
    );
    expect(await page.getAttribute('a.button', 'href')).toBe('/');
    const token = (await page.textContent('#reporter-token'))?.trim() ?? '';
    expect(token).toMatch(/^[\w-]{24}$/);
    expect(await page.textContent('#token-warning')).toBe(pageText.zh.receiptTokenWarning);
    expect(await page.getAttribute('#rating-link', 'href')).toContain(`&token=${token}`);

    // The receipt's status link leads to the server-rendered status of this report.
    const code = (await page.textContent('#tracking-code'))?.trim() ?? '';
    await page.tap('#status-link');
    await page.waitForURL(`${runtime.url}/status?code=${canonical(code)}`);
    expect(await page.textContent('.status-code')).toBe(code);
    expect(await page.textContent('#status .stage')).toBeTruthy();
  }, 30_000);

  it('without JavaScript, looks up a closed case, shows the resolution note and rates it through the form', async () => {
    const { runtime } = started();
    const receipt = await submitByApi();
    const code = canonical(receipt.trackingCode);
    await closeCase(code);

    const page = await openPage({ javaScriptEnabled: false });
    await page.fill('#code', receipt.trackingCode.toLowerCase());
    const [lookup] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${runtime.url}/status?`)),
      page.tap('#check-submit'),
    ]);
    expect(lookup.status()).toBe(200);
    expect(await page.textContent('#status .stage')).toBe(pageText.zh.stages.closed);
    expect(await page.textContent('#status')).toContain('县公安局反诈中心');
    expect(await page.textContent('#resolution')).toBe(resolutionNote);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: STATUS_SCREENSHOT, fullPage: true });
    // What staff wrote to each other, and who they are, stays off the public page.
    expect(await page.textContent('body')).not.toContain('王主任');
    expect(await page.textContent('body')).not.toContain('13900001111');

    // The same status page left open in another tab, to send its form again after the rating.
    const stale = await openPage({ javaScriptEnabled: false }, `/status?code=${code}`);
    expect(await stale.isVisible('#rate')).toBe(true);

    // A score missing: the form comes back (400) naming the field, the key still filled in.
    await page.fill('#rate-token', receipt.reporterToken);
    const [missing] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${runtime.url}/rating`),
      page.tap('#rate-submit'),
    ]);
    expect(missing.status()).toBe(400);
    expect(await page.textContent('#rate-score-error')).toBe(pageText.zh.rateFieldErrors.score);
    expect(await page.isVisible('#rate-token-error')).toBe(false);
    expect(await page.inputValue('#rate-token')).toBe(receipt.reporterToken);
    expect(await activeId(page)).toBe('error-summary');
    await page.screenshot({ path: RATING_REJECTED_SCREENSHOT, fullPage: true });

    await page.check('input[name="score"][value="4"]');
    await page.fill('#rate-comment', '民警很负责');
    await page.tap('#rate-submit');
    // Post, redirect, get: the status page thanks the reporter, and a reload posts nothing again.
    await page.waitForURL(`${runtime.url}/status?code=${code}&rated=1`);
    expect(await page.textContent('#rated')).toBe(pageText.zh.rateThanks);
    expect(await page.textContent('#status .stage')).toBe(pageText.zh.stages.evaluated);
    expect(await page.locator('#rate').count()).toBe(0);

    // The stale tab's form sent after the rating is refused, in words, as the JSON API refuses it.
    await stale.fill('#rate-token', receipt.reporterToken);
    await stale.check('input[name="score"][value="1"]');
    const [again] = await Promise.all([
      stale.waitForResponse((r) => r.url() === `${runtime.url}/rating`),
      stale.tap('#rate-submit'),
    ]);
    expect(again.status()).toBe(409);
    expect(await stale.textContent('#error-summary')).toContain(pageText.zh.rateNotYet);
    const status = await fetch(`${runtime.url}/api/reports/${code}`);
    expect(z.object({ stage: z.string() }).parse(await status.json()).stage).toBe('evaluated');
  }, 60_000);

  it('without JavaScript, names an unknown or mistyped code next to the field', async () => {
    const { runtime } = started();
    const page = await openPage({ javaScriptEnabled: false }, '/?lang=en');
    await page.fill('#code', 'K7M-2QX-9PA');
    const [unknown] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${runtime.url}/status?`)),
      page.tap('#check-submit'),
    ]);
    expect(unknown.status()).toBe(404);
    expect(await page.textContent('#code-error')).toBe(pageText.en.checkNotFound);
    expect(await page.getAttribute('#code', 'aria-invalid')).toBe('true');
    await page.fill('#code', 'K7M');
    const [invalid] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${runtime.url}/status?`)),
      page.tap('#check-submit'),
    ]);
    expect(invalid.status()).toBe(400);
    expect(await page.textContent('#code-error')).toBe(pageText.en.checkInvalid);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  }, 30_000);

  it('rates a closed case from the rating link on the receipt', async () => {
    const { runtime } = started();
    const receipt = await submitByApi();
    const code = canonical(receipt.trackingCode);
    await closeCase(code);

    const page = await openPage({}, `/#rate=${code}&token=${encodeURIComponent(receipt.reporterToken)}`);
    expect(await page.inputValue('#rate-code')).toBe(code);
    expect(await page.inputValue('#rate-token')).toBe(receipt.reporterToken);
    await page.check('input[name="score"][value="4"]');
    await page.fill('#rate-comment', '处理得很及时');
    await page.tap('#rate-submit');
    await expect
      .poll(() => page.textContent('#rate-result'), { timeout: 10_000 })
      .toBe(pageText.zh.rateThanks);

    const status = await fetch(`${runtime.url}/api/reports/${code}`);
    expect(z.object({ stage: z.string() }).parse(await status.json()).stage).toBe('evaluated');
    // A second rating is refused with words the resident understands.
    const again = await openPage({}, `/#rate=${code}&token=${encodeURIComponent(receipt.reporterToken)}`);
    await again.check('input[name="score"][value="5"]');
    await again.tap('#rate-submit');
    await again.locator('#rate-error').waitFor({ state: 'visible' });
    expect(await again.textContent('#rate-error')).toBe(pageText.zh.rateNotYet);
  }, 60_000);

  it('with JavaScript, the receipt’s own rating link fills the rating form in place', async () => {
    const page = await openPage();
    await page.selectOption('#category', 'sanitation');
    await page.selectOption('#communityId', await firstCommunity(page));
    await page.fill('#description', '楼下的垃圾桶满了一个星期。');
    await page.tap('#submit');
    await page.locator('#receipt').waitFor({ state: 'visible' });
    const code = (await page.textContent('#receipt-code'))?.trim() ?? '';
    const token = (await page.textContent('#receipt-token'))?.trim() ?? '';
    expect(await page.isVisible('#receipt-token-warning')).toBe(true);
    await page.tap('#receipt-rating-link');
    await expect.poll(() => page.inputValue('#rate-token')).toBe(token);
    expect(await page.inputValue('#rate-code')).toBe(canonical(code));
  }, 30_000);

  it('with JavaScript, a lookup of a closed case shows the resolution note and leads to the rating', async () => {
    const receipt = await submitByApi();
    const code = canonical(receipt.trackingCode);
    await closeCase(code);
    const page = await openPage();
    await page.fill('#code', receipt.trackingCode);
    await page.tap('#check-submit');
    await page.locator('#check-result .resolution').waitFor({ state: 'visible' });
    expect(await page.textContent('#check-result .resolution')).toBe(resolutionNote);
    expect(await page.textContent('#check-result')).not.toContain('王主任');
    expect(await page.inputValue('#rate-code')).toBe(code);
    expect(await page.getAttribute('#check-result a[href="#rate-section"]', 'href')).toBe('#rate-section');
  }, 60_000);

  it('refuses a rating key that is not the case reporter’s', async () => {
    const page = await openPage({}, '/#rate=K7M2QX9PA&token=not-the-right-key-at-all');
    await page.check('input[name="score"][value="1"]');
    await page.tap('#rate-submit');
    await page.locator('#rate-error').waitFor({ state: 'visible' });
    expect(await page.textContent('#rate-error')).toBe(pageText.zh.rateRefused);
  }, 30_000);

  it('without JavaScript, a rejected post comes back as the form with the error and the values', async () => {
    const { runtime } = started();
    const page = await openPage({ javaScriptEnabled: false });
    const community = await firstCommunity(page);
    await page.selectOption('#category', 'dispute');
    await page.selectOption('#communityId', community);
    await page.fill('#contactPhone', '12345');
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.url() === `${runtime.url}/api/reports` && r.request().method() === 'POST',
      ),
      page.tap('#submit'),
    ]);
    expect(response.status()).toBe(400);
    await page.waitForURL(`${runtime.url}/api/reports`);
    await page.locator('#error-summary').waitFor({ state: 'visible' });
    expect(await activeId(page)).toBe('error-summary');
    expect(await page.textContent('#description-error')).toBe(pageText.zh.fieldErrors.description);
    expect(await page.textContent('#contactPhone-error')).toBe(pageText.zh.fieldErrors.contactPhone);
    expect(await page.inputValue('#category')).toBe('dispute');
    expect(await page.inputValue('#communityId')).toBe(community);
    expect(await page.inputValue('#contactPhone')).toBe('12345');
  }, 30_000);
});
