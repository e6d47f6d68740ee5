import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { CHART_ASSET_PATH } from '../../shared/web/console-page.ts';
import { consoleText } from '../../shared/web/console-text.ts';
import { browserSession } from '../support/browser-session.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';

const t = consoleText.zh;

const Receipt = z.object({ trackingCode: z.string(), reporterToken: z.string() });
const Status = z.object({ stage: z.string() });

const session = browserSession({ deviceScaleFactor: 1 });
const { started } = session;
/** Every request the pages made, to prove nothing left the system's own origin. */
const requested: string[] = [];

async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
  const page = await session.newPage(options);
  page.on('request', (request) => requested.push(request.url()));
  return page;
}

async function submitReport(report: Record<string, string>): Promise<z.infer<typeof Receipt>> {
  const response = await fetch(`${started().runtime.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(report),
  });
  expect(response.status).toBe(202);
  return Receipt.parse(await response.json());
}

/** Bounded polling of the public status until the router has dispatched the case. */
async function dispatched(trackingCode: string): Promise<string> {
  const code = trackingCode.replaceAll('-', '');
  await expect
    .poll(
      async () => {
        const response = await fetch(`${started().runtime.url}/api/reports/${code}`);
        return response.ok ? Status.parse(await response.json()).stage : `http ${response.status}`;
      },
      { timeout: 20_000, interval: 150 },
    )
    .toBe('dispatched');
  return code;
}

const roadReport = (description: string, contactPhone = '13700002222') => ({
  category: 'road',
  communityId: 'dongquan-weijiazhuang',
  description,
  contactPhone,
});

async function signIn(page: Page, username: string, path = '/console'): Promise<void> {
  if (!page.url().startsWith(started().runtime.url)) {
    const response = await page.goto(`${started().runtime.url}${path}`);
    expect(response?.status()).toBe(200);
  }
  await signInOnConsolePage(page, username);
  await page.locator('#app').waitFor({ state: 'visible' });
}

async function signOut(page: Page): Promise<void> {
  await page.click('#sign-out');
  await page.locator('#sign-in-view').waitFor({ state: 'visible' });
}

async function openCase(page: Page, code: string): Promise<void> {
  await page.click(`#cases-table tr[data-id="${code}"] .code a`);
  await page.locator('#case-title').waitFor({ state: 'visible' });
}

const stageOnPage = (page: Page) => page.textContent('.case-head .badge');

/** Opens the action's form, fills its note, submits, and waits for the console's answer. */
async function act(page: Page, action: string, note?: string): Promise<void> {
  await page.click(`#case-actions button[data-action="${action}"]`);
  await page.locator('#action-form').waitFor({ state: 'visible' });
  if (note !== undefined) await page.fill('#action-note', note);
  await page.click('#action-submit');
}

async function done(page: Page, action: keyof typeof t.actions): Promise<void> {
  const notice = page.locator('#case-notice');
  await notice.waitFor({ state: 'visible' });
  expect(await notice.textContent()).toBe(t.done.replace('{action}', t.actions[action]));
}

describe('staff console in a desk browser', () => {
  it('takes a road report through the closed loop: handler accepts and resolves, the centre verifies and closes', async () => {
    const { runtime } = started();
    const description = '魏家庄村口的水泥路面塌陷了一个大坑，晚上骑电动车很危险，已经有人摔倒。';
    const receipt = await submitReport(roadReport(description));
    const code = await dispatched(receipt.trackingCode);
    // Others in the same village, so the lists and charts have more than one row.
    for (const text of ['村西路灯坏了三盏，晚上一片漆黑。', '乡道护栏被撞断，一直没有修。']) {
      await dispatched((await submitReport(roadReport(text, '13900003333'))).trackingCode);
    }

    // ── the transport bureau's handler ──
    const page = await newPage();
    await signIn(page, 'handler.transport');
    expect(await page.textContent('#who-name')).toBe('交通运输局办理员');
    expect(await page.textContent('#who-role')).toBe(`${t.roles.unit_handler} · 县交通运输局`);
    expect(await page.getAttribute('#tab-queue', 'aria-current')).toBe('page');
    const row = page.locator(`#cases-table tr[data-id="${code}"]`);
    await row.waitFor({ state: 'visible' });
    expect(await row.locator('.code').textContent()).toBe(receipt.trackingCode);
    expect(await row.textContent()).toContain('道路交通与路灯');
    expect(await row.textContent()).toContain('魏家庄村');
    expect(await row.locator('.badge').first().textContent()).toBe(t.stages.dispatched);
    // The due badge: either time left or overdue, never blank, for a dispatched case.
    expect(await row.locator('td[data-label="办理时限"] .badge').count()).toBe(1);
    // The phone number is never in a list.
    expect(await page.textContent('#list-body')).not.toContain('13700002222');
    await page.screenshot({ path: '/tmp/console-queue.png', fullPage: true });

    await openCase(page, code);
    expect(page.url()).toContain(`#/case/${code}`);
    expect(await page.textContent('#case-code')).toBe(receipt.trackingCode);
    expect(await page.textContent('#case-description')).toBe(description);
    expect(await page.textContent('#case-phone')).toBe('+86 137 0000 2222');
    expect(await page.getAttribute('#case-phone', 'href')).toBe('tel:+8613700002222');
    expect(await stageOnPage(page)).toBe(t.stages.dispatched);
    // Only what the server allows this handler now.
    expect(
      await page.$$eval('#case-actions .action-buttons button', (buttons) =>
        buttons.map((b) => b.getAttribute('data-action')),
      ),
    ).toEqual(['accept', 'return', 'merge']);

    await act(page, 'accept');
    await done(page, 'accept');
    expect(await stageOnPage(page)).toBe(t.stages.in_progress);

    // A resolution needs a note: the server's 400 is shown next to the field, nothing changes.
    await act(page, 'resolve');
    const noteError = page.locator('#action-note-error');
    await noteError.waitFor({ state: 'visible' });
    expect(await noteError.textContent()).toBe(t.fieldErrors.note);
    expect(await page.getAttribute('#action-note', 'aria-invalid')).toBe('true');
    expect(await stageOnPage(page)).toBe(t.stages.in_progress);
    await page.fill('#action-note', '已用沥青回填路面并设置警示标志。');
    await page.click('#action-submit');
    await done(page, 'resolve');
    expect(await stageOnPage(page)).toBe(t.stages.resolved);
    // Who resolved it, by name and own unit (never a user id).
    expect(await page.textContent('#case-resolved-by')).toBe('交通运输局办理员（县交通运输局）');
    // The one who resolved it cannot verify it.
    expect(await page.locator('#case-actions button[data-action="verify"]').count()).toBe(0);
    await page.screenshot({ path: '/tmp/console-case.png', fullPage: true });
    await signOut(page);
    expect(await page.textContent('#sign-in-alert')).toBe(t.signedOut);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    // ── the Dongquan centre's dispatcher verifies and closes ──
    await signIn(page, 'dispatcher.dongquan');
    await page.locator(`#cases-table tr[data-id="${code}"]`).waitFor({ state: 'visible' });
    await openCase(page, code);
    expect(await stageOnPage(page)).toBe(t.stages.resolved);
    await act(page, 'verify');
    await done(page, 'verify');
    expect(await stageOnPage(page)).toBe(t.stages.verified);
    await act(page, 'close', '核查属实，群众认可，结案。');
    await done(page, 'close');
    expect(await stageOnPage(page)).toBe(t.stages.closed);

    // The history shows every step of the loop, with who and the notes.
    const steps = await page.$$eval('#case-timeline li', (items) =>
      items.map((li) => ({ action: li.getAttribute('data-action'), stage: li.getAttribute('data-stage') })),
    );
    expect(steps.map((s) => s.stage)).toEqual([
      'received',
      'registered',
      'dispatched',
      'in_progress',
      'resolved',
      'verified',
      'closed',
    ]);
    expect(steps.slice(3).map((s) => s.action)).toEqual(['accept', 'resolve', 'verify', 'close']);
    const timeline = (await page.textContent('#case-timeline')) ?? '';
    expect(timeline).toContain('已用沥青回填路面并设置警示标志。');
    expect(timeline).toContain('核查属实，群众认可，结案。');
    expect(timeline).toContain('县交通运输局');
    expect(timeline).toContain('东泉镇综治中心调度员');
    expect(await page.locator('.loop li.done').count()).toBe(5);

    // The resident rates it, so the satisfaction chart has something to draw.
    const rated = await fetch(`${runtime.url}/api/reports/${code}/rating`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: receipt.reporterToken, score: 4 }),
    });
    expect(rated.status).toBe(200);
    await signOut(page);

    // ── the county centre's statistics ──
    await signIn(page, 'supervisor');
    await page.click('#tab-stats');
    await page.waitForFunction(() => {
      const w = window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } };
      const canvas = document.getElementById('chart-byStage');
      return (
        w.Chart !== undefined && canvas instanceof HTMLCanvasElement && w.Chart.getChart(canvas) !== undefined
      );
    });
    const size = await page.$eval('#chart-byStage', (canvas) => {
      const box = canvas.getBoundingClientRect();
      return { width: box.width, height: box.height };
    });
    expect(size.width).toBeGreaterThan(100);
    expect(size.height).toBeGreaterThan(100);
    const drawn = await page.evaluate(() => {
      const w = window as unknown as {
        Chart: { getChart(c: HTMLCanvasElement): { data: { labels: unknown[] } } | undefined };
      };
      return ['byStage', 'satisfactionByUnit', 'meanTime', 'topCommunities'].map((id) => {
        const canvas = document.getElementById(`chart-${id}`);
        return canvas instanceof HTMLCanvasElement ? (w.Chart.getChart(canvas)?.data.labels ?? null) : null;
      });
    });
    expect(drawn[0]).toContain(t.stages.closed);
    expect(drawn[1]).toEqual(['县交通运输局']);
    expect(drawn[3]).toContain('魏家庄村');
    expect(Number(await page.textContent('#kpi-total'))).toBeGreaterThanOrEqual(3);
    // By channel: this month's row for Dongquan counts the report filed on the web.
    const dongquanWeb = page.locator(
      '#stats-channels-rows tr[data-township="dongquan"] td[data-column="intake-web"]',
    );
    expect(Number(await dongquanWeb.first().textContent())).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: '/tmp/console-stats.png', fullPage: true });

    // Everything came from the system itself, Chart.js included.
    expect(requested.some((url) => url.startsWith(`${runtime.url}${CHART_ASSET_PATH}?v=`))).toBe(true);
    expect(requested.filter((url) => !url.startsWith(runtime.url))).toEqual([]);
  }, 120_000);

  it('shows the second of two people acting on the same version the conflict, then the case as it is', async () => {
    const receipt = await submitReport(roadReport('桥头的限高杆被撞歪了，大车还在过。'));
    const code = await dispatched(receipt.trackingCode);
    const first = await newPage();
    const second = await newPage();
    for (const page of [first, second]) {
      await signIn(page, 'handler.transport', `/console#/case/${code}`);
      await page.locator('#case-actions button[data-action="accept"]').waitFor({ state: 'visible' });
    }

    await act(first, 'accept');
    await done(first, 'accept');

    await act(second, 'accept');
    const alert = second.locator('#case-alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toBe(t.versionConflict);
    // Reloaded: the new stage, and the actions allowed now instead of the stale ones.
    expect(await stageOnPage(second)).toBe(t.stages.in_progress);
    expect(await second.locator('#case-actions button[data-action="accept"]').count()).toBe(0);
    expect(await second.locator('#case-actions button[data-action="resolve"]').count()).toBe(1);
    const accepts = await second.$$eval('#case-timeline li[data-action="accept"]', (items) => items.length);
    expect(accepts).toBe(1);
  }, 60_000);

  it('goes back to sign-in when the token is no longer accepted, and speaks English with ?lang=en', async () => {
    const page = await newPage({ locale: 'en-GB' });
    await signIn(page, 'grid.kangning', '/console?lang=en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#tab-return_visits')).toBe(consoleText.en.nav.return_visits);
    // A grid worker only sees their community, so there is no community filter to offer.
    expect(await page.isVisible('#filter-community')).toBe(false);

    await page.evaluate(() => {
      const key = 'civicloop.console.session';
      const session = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      sessionStorage.setItem(key, JSON.stringify({ ...session, idToken: 'not-a-token' }));
    });
    await page.reload();
    const alert = page.locator('#sign-in-alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toBe(consoleText.en.sessionExpired);
    expect(await page.isVisible('#app')).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  }, 60_000);
});
