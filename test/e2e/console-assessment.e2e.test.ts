import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { consoleText } from '../../shared/web/console-text.ts';
import { browserSession } from '../support/browser-session.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';
import { eventually, staffApi } from '../support/staff-api.ts';

const t = consoleText.zh;
const a = t.assessment;

const AssessmentAnswer = z.object({
  rows: z.array(z.object({ id: z.string(), received: z.number(), accepted: z.number() })),
});

const { started, newPage } = browserSession({ acceptDownloads: true });

/** Today and the first of this month on the Shanghai calendar, as the console's presets count them. */
function shanghaiDays(): { today: string; monthStart: string; lastMonthStart: string; lastMonthEnd: string } {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const lastMonthEnd = new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
  return {
    today,
    monthStart: `${today.slice(0, 7)}-01`,
    lastMonthStart: `${lastMonthEnd.slice(0, 7)}-01`,
    lastMonthEnd,
  };
}

async function signIn(page: Page, username: string, hash: string): Promise<void> {
  await page.goto(`${started().runtime.url}/console${hash}`);
  await signInOnConsolePage(page, username);
}

/** The labels of the chart on a canvas, once Chart.js has drawn it. */
async function chartOn(
  page: Page,
  id: string,
): Promise<{ type: string; labels: unknown[]; datasets: string[] }> {
  await page.waitForFunction((canvasId) => {
    const w = window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } };
    const canvas = document.getElementById(canvasId);
    return (
      w.Chart !== undefined && canvas instanceof HTMLCanvasElement && w.Chart.getChart(canvas) !== undefined
    );
  }, id);
  return page.evaluate((canvasId) => {
    const w = window as unknown as {
      Chart: {
        getChart(
          c: HTMLCanvasElement,
        ):
          | { config: { type: string }; data: { labels: unknown[]; datasets: Array<{ label: string }> } }
          | undefined;
      };
    };
    const canvas = document.getElementById(canvasId);
    const chart = canvas instanceof HTMLCanvasElement ? w.Chart.getChart(canvas) : undefined;
    return {
      type: chart?.config.type ?? '',
      labels: chart?.data.labels ?? [],
      datasets: (chart?.data.datasets ?? []).map((d) => d.label),
    };
  }, id);
}

const rowIds = (page: Page) =>
  page.$$eval('#assess-table tbody tr', (rows) => rows.map((r) => r.getAttribute('data-id')));
const columnOf = (page: Page, column: string) =>
  page.$$eval(`#assess-table tbody td[data-column="${column}"]`, (cells) => cells.map((c) => c.textContent));

describe('statistics over a period and the unit assessment in the staff console', () => {
  beforeAll(async () => {
    // Two road reports reach the transport bureau, one sanitation report urban management; the
    // transport bureau accepts one, so a stay in "dispatched" has ended.
    const staff = staffApi(started().runtime);
    await staff.signIn(['supervisor', 'handler.transport']);
    const report = (category: string, description: string) =>
      staff.dispatchedCase({
        category,
        communityId: 'dongquan-weijiazhuang',
        description,
        contactPhone: '13700004444',
      });
    const road = await report('road', '村口的水泥路面塌陷了一个大坑，晚上很危险。');
    await report('road', '村西路灯坏了三盏，晚上一片漆黑。');
    await report('sanitation', '村东头的垃圾堆了一个星期没人清运，气味很大。');
    await staff.walk(road.id, [['handler.transport', { action: 'accept' }]]);
    // The counters follow the cases' changes: wait until this month's assessment counts them.
    const { monthStart, today } = shanghaiDays();
    await eventually('this month assessed', async () => {
      const answer = await staff.request(`/api/assessment?from=${monthStart}&to=${today}`, {
        user: 'supervisor',
      });
      const rows = AssessmentAnswer.parse(answer.body).rows;
      const accepted = rows.find((r) => r.id === 'transport')?.accepted ?? 0;
      return rows.reduce((n, r) => n + r.received, 0) >= 3 && accepted >= 1 ? true : undefined;
    });
  }, 120_000);

  it('shows the county supervisor the ranking for a period, sorts it by any column, draws the trend and exports the CSV with a BOM', async () => {
    const { monthStart, today, lastMonthStart, lastMonthEnd } = shanghaiDays();
    const page = await newPage();
    await signIn(page, 'supervisor', '');
    expect(await page.isVisible('#tab-assessment')).toBe(true);
    await page.click('#tab-assessment');
    await page.locator('#assess-table').waitFor({ state: 'visible' });
    // The last full month by default: nothing was reported then.
    expect(await page.inputValue('#assess-from')).toBe(lastMonthStart);
    expect(await page.inputValue('#assess-to')).toBe(lastMonthEnd);
    expect(await page.getAttribute('#assess-range button[data-preset="lastMonth"]', 'aria-pressed')).toBe(
      'true',
    );
    expect(new Set(await columnOf(page, 'received'))).toEqual(new Set(['0']));

    // This month: the transport bureau received two, urban management one.
    await page.click('#assess-range button[data-preset="thisMonth"]');
    await expect.poll(() => page.url()).toContain(`from=${monthStart}&to=${today}`);
    await page.locator('#assess-table tr[data-id="transport"] td[data-column="received"]').waitFor();
    await expect
      .poll(() => page.textContent('#assess-table tr[data-id="transport"] td[data-column="received"]'))
      .toBe('2');
    expect(
      await page.textContent('#assess-table tr[data-id="urban-management"] td[data-column="received"]'),
    ).toBe('1');
    // Ranked by score by default; each heading carries its definition.
    expect(await page.getAttribute('#assess-table th[aria-sort]', 'aria-sort')).toBe('ascending');
    expect(await page.getAttribute('#assess-table button[data-sort="acceptedOnTimeRate"]', 'title')).toBe(
      a.definitions.acceptedOnTimeRate,
    );
    expect(await page.textContent('#assess-legend')).toContain(a.definitions.score);
    // The service levels in force, by category.
    expect(await page.locator('#assess-sla-table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.textContent('#assess-sla-table')).toContain('道路交通与路灯');
    expect(await page.textContent('#assess-office-hours')).toContain('工作日');

    // Sorting by "received": largest first, then smallest first; the hash keeps it.
    await page.click('#assess-table button[data-sort="received"]');
    expect(await page.getAttribute('#assess-table th:has(button[data-sort="received"])', 'aria-sort')).toBe(
      'descending',
    );
    expect(page.url()).toContain('sort=received');
    expect((await rowIds(page)).slice(0, 2)).toEqual(['transport', 'urban-management']);
    await page.click('#assess-table button[data-sort="received"]');
    expect(await page.getAttribute('#assess-table th:has(button[data-sort="received"])', 'aria-sort')).toBe(
      'ascending',
    );
    const ascending = (await columnOf(page, 'received')).map(Number);
    expect(ascending).toEqual([...ascending].sort((x, y) => x - y));
    // Back: largest first again.
    await page.goBack();
    await expect
      .poll(() => page.getAttribute('#assess-table th:has(button[data-sort="received"])', 'aria-sort'))
      .toBe('descending');
    await page.locator('#assess-table').waitFor({ state: 'visible' });

    // The trend: a line chart over the months of the period, for the rows ticked.
    await page.check('#assess-table tr[data-id="transport"] input[data-trend]');
    await page.check('#assess-table tr[data-id="urban-management"] input[data-trend]');
    await expect
      .poll(async () => (await chartOn(page, 'chart-assessTrend')).datasets)
      .toContain('县交通运输局');
    const trend = await chartOn(page, 'chart-assessTrend');
    expect(trend.type).toBe('line');
    expect(trend.labels).toEqual([today.slice(0, 7)]);
    expect(trend.datasets).toContain('县城市管理局');
    expect(page.url()).toContain('trend=');
    await page.selectOption('#assess-trend-measure', 'received');
    expect(page.url()).toContain('measure=received');
    await page.screenshot({ path: '/tmp/console-assessment.png', fullPage: true });

    // The export: the same period and sort, as a file with a BOM and the header in Chinese.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#assess-export')]);
    expect(download.suggestedFilename()).toBe(`assessment-unit-${monthStart}_${today}.csv`);
    const path = await download.path();
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]?.startsWith('编号,名称,排名,综合得分,接收')).toBe(true);
    expect(lines[1]?.startsWith('transport,县交通运输局,')).toBe(true);
    expect(await page.isVisible('#assess-alert')).toBe(false);
  }, 120_000);

  it('shows a unit handler only their own row with its rank, and no tab to a grid worker', async () => {
    const { monthStart, today } = shanghaiDays();
    const page = await newPage();
    await signIn(page, 'handler.transport', `#/assessment/from=${monthStart}&to=${today}`);
    await page.locator('#assess-table').waitFor({ state: 'visible' });
    expect(await rowIds(page)).toEqual(['transport']);
    const rank = page.locator('#assess-rank');
    await rank.waitFor({ state: 'visible' });
    expect(await rank.textContent()).toMatch(/^第 \d+ 名，共 \d+ 个参与排名$/);
    // Township rows are not a unit's to see: the API's refusal is said in words.
    await page.check('#assess-level input[value="township"]', { force: true });
    const alert = page.locator('#assess-alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toBe(a.forbidden);
    await page.click('#sign-out');

    // In English: the page's words, and the export's header in English too.
    await signIn(page, 'handler.transport', `?lang=en#/assessment/from=${monthStart}&to=${today}`);
    await page.locator('#assess-table').waitFor({ state: 'visible' });
    const en = consoleText.en.assessment;
    expect(await page.textContent('#assessment-title')).toBe(en.heading);
    expect(await page.getAttribute('#assess-table button[data-sort="score"]', 'title')).toBe(
      en.definitions.score,
    );
    await page.click('#assess-table button[data-sort="score"]');
    expect(await page.getAttribute('#lang-switch', 'href')).toContain('sort=score');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#assess-export')]);
    const csv = (await readFile(await download.path())).toString('utf8');
    expect(csv.startsWith('\uFEFFID,Name,Rank,Score,Received')).toBe(true);
    expect(csv.split('\r\n')[1]?.startsWith('transport,County Transport Bureau,')).toBe(true);
    expect(csv.split('\r\n').filter((line) => line !== '')).toHaveLength(2);
    await page.click('#sign-out');

    await signIn(page, 'grid.kangning', '');
    expect(await page.isVisible('#tab-assessment')).toBe(false);
  }, 60_000);

  it('changes the statistics with the period, breaks them down by category and gives times in working units', async () => {
    const { lastMonthStart, lastMonthEnd } = shanghaiDays();
    const page = await newPage();
    await signIn(page, 'supervisor', '#/stats');
    await chartOn(page, 'chart-byStage');
    expect(await page.getAttribute('#stats-range button[data-preset="all"]', 'aria-pressed')).toBe('true');
    expect(Number(await page.textContent('#kpi-total'))).toBeGreaterThanOrEqual(3);
    expect(await page.textContent('#stats-range-note')).toBe(t.statsAllTime);
    // By category: the road reports and the sanitation one, in a table and a chart.
    const road = page.locator('#stats-categories-rows tr[data-category="road"]');
    await road.waitFor();
    expect(Number(await road.locator('td[data-column="total"]').textContent())).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#stats-categories-rows tr[data-category="sanitation"]').count()).toBe(1);
    expect((await chartOn(page, 'chart-byCategory')).labels).toContain('道路交通与路灯');
    await page.screenshot({ path: '/tmp/console-stats-categories.png', fullPage: true });

    // Last month: nothing came in, and the page says what the figures count.
    await page.click('#stats-range button[data-preset="lastMonth"]');
    await expect.poll(() => page.url()).toContain(`#/stats/from=${lastMonthStart}&to=${lastMonthEnd}`);
    await expect.poll(() => page.textContent('#kpi-total')).toBe('0');
    expect(await page.textContent('#kpi-total-label')).toBe(t.kpiRange.total);
    expect(await page.textContent('#stats-range-note')).toBe(
      t.statsInRange.replace('{from}', lastMonthStart).replace('{to}', lastMonthEnd),
    );
    // A period typed in: the start after the end is refused in words, nothing is asked of the API.
    await page.fill('#stats-from', lastMonthEnd);
    await page.fill('#stats-to', lastMonthStart);
    await page.click('#stats-range-apply');
    expect(await page.textContent('#stats-range-error')).toBe(t.range.invalid);
    // Back to all time with the browser's back button.
    await page.goBack();
    await expect.poll(() => page.textContent('#kpi-total')).not.toBe('0');
    expect(await page.textContent('#kpi-total-label')).toBe(t.kpiTotal);
    // Times per stage in working hours or working days (where working time was kept), and in clock
    // hours or days beside them; never seconds.
    const times = await page.$$eval('#stats-times-rows tbody tr', (rows) =>
      rows.map((r) => ({
        working: r.querySelector('td.working')?.textContent ?? '',
        clock: r.querySelector('td.clock')?.textContent ?? '',
      })),
    );
    expect(times.length).toBeGreaterThan(0);
    for (const { working, clock } of times) {
      expect(working).toMatch(/^(—|不到 1 分钟|[\d.,]+ (工作分钟|工作小时|个工作日))$/);
      expect(clock).toMatch(/^(不到 1 分钟|[\d.,]+ (分钟|小时|天))$/);
    }
  }, 60_000);
});
