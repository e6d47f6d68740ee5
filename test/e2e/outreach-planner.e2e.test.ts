/**
 * The anti-fraud campaign planner in the staff console, in a desk browser against the local
 * runtime: outreach staff open on the planner (and have no case tabs), the fraud-risk ranking is
 * the API's order with its due advice, an SMS campaign is written with a live preview of the exact
 * message and its cost (and refused where the domain refuses it, next to the field), scheduled onto
 * the calendar and cancelled from its page; a lecture's attendance is recorded and its effect drawn.
 * Who sees the planner follows the role: the county supervisor beside the case tabs, an admin
 * read-only, a case handler not at all. A grid worker has the outreach tasks beside their case
 * lists: the lectures in their community, and the attendance there recorded inline.
 *
 * Fraud reports and past lectures are written straight into the runtime's tables (the fraud
 * ledger and the campaign store the API reads), so the ranking, the effect and the tasks have
 * history without waiting days for it.
 */
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbFraudReports } from '../../shared/adapters/dynamodb-fraud-reports.ts';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import {
  type Campaign,
  type CampaignRun,
  emptyCounts,
  runIdOf,
} from '../../shared/domain/outreach/campaign.ts';
import { outreachSmsPreview } from '../../shared/domain/outreach/outreach-message.ts';
import { toRRuleText } from '../../shared/domain/outreach/recurrence.ts';
import { addDays, fromShanghaiLocal, shanghaiDay } from '../../shared/domain/outreach/shanghai-time.ts';
import { consoleText } from '../../shared/web/console-text.ts';
import { browserSession } from '../support/browser-session.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';

const t = consoleText.zh;
const p = t.planner;
const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (values[k] === undefined ? m : String(values[k])));
const zhNumber = (n: number): string => new Intl.NumberFormat('zh-CN').format(n);

const RiskRanking = z.object({
  communities: z.array(
    z.object({ communityId: z.string(), ratePer1000: z.number(), due: z.boolean(), reason: z.string() }),
  ),
});
const Rate = z.number().nullable();
const CampaignView = z.object({
  campaign: z.object({ campaignId: z.string(), status: z.string(), version: z.number() }),
  effect: z
    .object({
      campaign: z.object({ beforeRate: Rate, afterRate: Rate, change: Rate }),
      comparison: z.object({ beforeRate: Rate, afterRate: Rate, change: Rate }).nullable(),
      difference: Rate,
      weekly: z.array(z.object({ weekStart: z.string(), campaignRate: Rate, comparisonRate: Rate })),
    })
    .optional(),
});

const session = browserSession({ deviceScaleFactor: 1 });
let ledger: DynamoDbFraudReports | undefined;
let store: DynamoDbOutreachStore | undefined;
/** Every request the pages made, to prove nothing left the system's own origin. */
const requested: string[] = [];
/** The same, per page, to tell who asked for what. */
const requestsOf = new WeakMap<Page, string[]>();

function started() {
  if (!ledger || !store) throw new Error('the runtime or the browser did not start');
  return { ...session.started(), ledger, store };
}

async function newPage(): Promise<Page> {
  const page = await session.newPage();
  const own: string[] = [];
  requestsOf.set(page, own);
  page.on('request', (request) => {
    requested.push(request.url());
    own.push(request.url());
  });
  return page;
}

async function signIn(page: Page, username: string, path = '/console'): Promise<void> {
  const response = await page.goto(`${started().runtime.url}${path}`);
  expect(response?.status()).toBe(200);
  await signInOnConsolePage(page, username);
}

/** The ids of the tabs this person can see, in order. */
const visibleTabs = (page: Page): Promise<string[]> =>
  page.$$eval('nav.tabs a.tab', (tabs) =>
    tabs.filter((a) => !(a as HTMLElement).hidden).map((a) => a.id.replace('tab-', '')),
  );

async function staffApi(username: string, method: string, path: string, body?: unknown) {
  const token = await started().runtime.signInAs(username);
  const response = await fetch(`${started().runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const households = (communityId: string): number => {
  const community = demoOrganisation.communities.find((c) => c.id === communityId);
  if (!community) throw new Error(`no community ${communityId} in the demo organisation`);
  return community.households;
};

/** Records `count` fraud reports for a community on a Shanghai day, with distinct tracking codes. */
async function fraudReports(communityId: string, day: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++)
    await started().ledger.record(communityId, day, `E2E${communityId.length}${day.replaceAll('-', '')}${i}`);
}

const today = (): string => shanghaiDay(new Date());

type LecturePlan = Pick<Campaign, 'campaignId' | 'title' | 'communityIds' | 'firstRunAt' | 'recurrence'> & {
  channel: Extract<Campaign['channel'], { kind: 'lecture' }>;
};

/**
 * A lecture held at its first run, as the scheduler leaves it: running, and its run awaiting
 * attendance since the reminder the day before. Written straight into the campaign store.
 */
async function seedHeldLecture(plan: LecturePlan): Promise<{ campaign: Campaign; run: CampaignRun }> {
  const occurrence = fromShanghaiLocal(plan.firstRunAt);
  const reminded = new Date(occurrence.getTime() - 29 * 3_600_000).toISOString();
  const campaign: Campaign = {
    ...plan,
    status: 'running',
    version: 3,
    createdBy: { userId: '3f0c6a52-8d0e-4c57-9a43-6b1de2f4c901', name: '反诈宣传民警' },
    createdAt: new Date(occurrence.getTime() - 7 * 86_400_000).toISOString(),
    updatedAt: occurrence.toISOString(),
    lastRunAt: occurrence.toISOString(),
  };
  const run: CampaignRun = {
    campaignId: plan.campaignId,
    runId: runIdOf(occurrence),
    occurrenceAt: occurrence.toISOString(),
    campaignVersion: 2,
    title: plan.title,
    communityIds: plan.communityIds,
    channel: plan.channel,
    status: 'awaiting_attendance',
    createdAt: reminded,
    counts: emptyCounts(),
    reminder: { sentAt: reminded, to: 'assignee' },
  };
  expect(await started().store.create(campaign)).toBe(true);
  expect(await started().store.createRun(run)).toBe(true);
  return { campaign, run };
}

describe('the campaign planner in the staff console', () => {
  beforeAll(async () => {
    const { runtime } = session.started();
    const db = createDocumentClient(runtime.dynamoClient);
    ledger = new DynamoDbFraudReports(db, runtime.resources.tables.stats ?? '');
    store = new DynamoDbOutreachStore(db, runtime.resources.tables.outreach ?? '');
  }, 120_000);

  afterEach(() => {
    const { runtime } = started();
    expect(requested.filter((url) => !url.startsWith(runtime.url))).toEqual([]);
  });

  it('opens on the fraud-risk ranking for outreach staff, who have no case tabs, ranked as the API ranks it', async () => {
    // A: 5 reports in a small village, 3 of them recent → the highest rate, and rising.
    // B: 4 reports, all in the last days → new, so rising. C: 1 report, weeks ago → steady, low.
    const [A, B, C] = ['duancun-dongying', 'dongquan-weijiazhuang', 'chengxi-gucheng'] as const;
    await fraudReports(A, addDays(today(), -5), 3);
    await fraudReports(A, addDays(today(), -50), 2);
    await fraudReports(B, addDays(today(), -2), 4);
    await fraudReports(C, addDays(today(), -40), 1);

    const page = await newPage();
    await signIn(page, 'outreach.police');
    expect(await page.textContent('#who-role')).toBe(t.roles.outreach_staff);
    await page.locator('#risk-table').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe('#/risk');
    expect(await visibleTabs(page)).toEqual(['risk', 'calendar', 'new_campaign']);
    expect(await page.getAttribute('#tab-risk', 'aria-current')).toBe('page');
    expect(await page.isVisible('#list-view')).toBe(false);

    const rows = await page.$$eval('#risk-table tbody tr', (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-community') ?? '',
        due: tr.getAttribute('data-due'),
        rate: tr.querySelector('.rate')?.textContent ?? '',
        trend: tr.querySelector('.trend')?.getAttribute('data-trend') ?? '',
        reason: tr.querySelector('.reason')?.textContent ?? '',
      })),
    );
    const api = RiskRanking.parse((await staffApi('outreach.police', 'GET', '/api/outreach/risk')).body);
    // Every community, in the API's order, each with its rate per 1,000 households.
    expect(rows.map((r) => r.id)).toEqual(api.communities.map((c) => c.communityId));
    expect(rows.map((r) => r.rate)).toEqual(api.communities.map((c) => c.ratePer1000.toFixed(2)));
    const rates = rows.map((r) => Number(r.rate));
    expect(rates).toEqual([...rates].sort((x, y) => y - x));

    const row = (id: string) => rows.find((r) => r.id === id);
    expect(rows.slice(0, 2).map((r) => r.id)).toEqual([A, B]);
    expect(row(A)).toMatchObject({
      due: 'true',
      rate: ((5 * 1000) / households(A)).toFixed(2),
      trend: 'rising',
      reason: p.reasons.high_and_rising,
    });
    expect(row(B)).toMatchObject({ due: 'true', trend: 'new' });
    expect(row(C)).toMatchObject({ due: 'false', trend: 'steady', reason: p.reasons.low });
    expect(rows.findIndex((r) => r.id === C)).toBeGreaterThan(1);
    expect(await page.textContent(`#risk-table tr[data-community="${A}"] .community`)).toBe('东营村');

    // Only the due ones, still numbered by their place in the county.
    await page.check('#risk-due-only');
    const dueIds = await page.$$eval('#risk-table tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-community')),
    );
    expect(dueIds).toEqual(api.communities.filter((c) => c.due).map((c) => c.communityId));
    expect(dueIds).toContain(B);
    expect(dueIds).not.toContain(C);
    expect(await page.textContent(`#risk-table tr[data-community="${B}"] td`)).toBe('2');
    await page.screenshot({ path: '/tmp/planner-risk.png', fullPage: true });

    // A due row opens a new campaign for that community.
    await page.click(`#risk-table tr[data-community="${A}"] button.plan-here`);
    await page.locator('#campaign-form-view').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe(`#/new_campaign/${A}`);
    expect(await page.isChecked(`#cf-communities input[value="${A}"]`)).toBe(true);
    expect(
      await page.$$eval('#cf-communities input[name=communityIds]:checked', (inputs) => inputs.length),
    ).toBe(1);
    expect(await page.textContent('#cf-communities-picked')).toBe(
      fill(p.selectedSome, { n: 1, names: '东营村' }),
    );
  }, 90_000);

  it('previews an SMS campaign live, refuses 96110 and a night start next to the field, schedules it onto the calendar and cancels it', async () => {
    const community = 'chengdong-kangning';
    const signature = '平遥反诈';
    const body =
      '警惕冒充公检法、客服退款、刷单返利的电话和短信。公安机关不会要求转账到“安全账户”，陌生人让您下载会议软件、共享屏幕的，都是诈骗。';
    const title = '康宁社区反诈短信提醒';
    const day = addDays(today(), 8);
    const firstRunAt = `${day}T10:00`;
    const expected = outreachSmsPreview(signature, body, households(community));
    // Long enough to take two parts, so the count means something.
    expect(expected.parts).toBe(2);

    const page = await newPage();
    await signIn(page, 'outreach.police');
    await page.click('#tab-new_campaign');
    await page.locator('#campaign-form-view').waitFor({ state: 'visible' });
    expect(await page.textContent('#cf-heading')).toBe(p.newHeading);
    await page.fill('#cf-title', title);
    await page.fill('#cf-community-search', '康宁');
    // The search leaves Kangning and hides the rest.
    expect(await page.isVisible(`#cf-communities input[value="chengdong-shuncheng"]`)).toBe(false);
    await page.check(`#cf-communities input[value="${community}"]`);
    await page.fill('#cf-firstRunAt', firstRunAt);
    await page.fill('#cf-signature', signature);
    await page.fill('#cf-body', body);

    // The preview: the message exactly as residents get it, its size and what sending it costs.
    await expect
      .poll(() => page.textContent('#pv-text'), { timeout: 10_000 })
      .toBe(`【${signature}】${body}拒收请回复R`);
    expect(expected.text).toBe(`【${signature}】${body}拒收请回复R`);
    expect(await page.textContent('#pv-encoding')).toBe('UCS-2');
    expect(await page.textContent('#pv-characters')).toBe(
      fill(p.charactersValue, { n: zhNumber(expected.characters) }),
    );
    expect(await page.textContent('#pv-parts')).toBe(fill(p.partsValue, { n: 2 }));
    expect(await page.textContent('#pv-households')).toBe(
      fill(p.householdsValue, { n: zhNumber(households(community)) }),
    );
    expect(await page.textContent('#pv-messages')).toBe(
      fill(p.messagesValue, { n: zhNumber(expected.estimatedMessages) }),
    );
    expect(await page.textContent('#pv-estimated-parts')).toBe(
      fill(p.partsValue, { n: zhNumber(households(community) * 2) }),
    );
    // No household registry is imported here: the estimate says it is the directory's count.
    expect(await page.textContent('#pv-estimate-source')).toBe(p.estimateSources.directory);
    expect(await page.textContent(`#pv-estimate-list li[data-community="${community}"]`)).toBe(
      fill(p.estimateDirectory, { name: '康宁社区', n: zhNumber(households(community)) }),
    );
    const firstRun = fromShanghaiLocal(firstRunAt).toISOString();
    expect(
      await page.$$eval('#pv-upcoming time', (times) => times.map((x) => x.getAttribute('datetime'))),
    ).toEqual([firstRun]);
    expect(await page.locator('#campaign-form .error:not([hidden])').count()).toBe(0);
    await page.screenshot({ path: '/tmp/planner-preview.png', fullPage: true });

    // The national anti-fraud centre's number: the preview names the rule next to the text.
    await page.fill('#cf-body', '接到可疑电话，请拨打96110核实。');
    const bodyError = page.locator('#cf-body-error');
    await bodyError.waitFor({ state: 'visible' });
    expect(await bodyError.textContent()).toBe(p.issueHints.antiFraudNumber);
    expect(await page.getAttribute('#cf-body', 'aria-invalid')).toBe('true');
    await expect
      .poll(() => page.textContent('#pv-status'))
      .toBe(fill(p.previewInvalid, { fields: p.fields.body }));
    expect(await page.isVisible('#pv-result')).toBe(false);

    // A start in quiet hours is refused on the start time.
    await page.fill('#cf-body', body);
    await page.fill('#cf-firstRunAt', `${day}T22:00`);
    const timeError = page.locator('#cf-firstRunAt-error');
    await timeError.waitFor({ state: 'visible' });
    expect(await timeError.textContent()).toBe(p.issueHints.quietHours);
    expect(await bodyError.isVisible()).toBe(false);

    await page.fill('#cf-firstRunAt', firstRunAt);
    await timeError.waitFor({ state: 'hidden' });
    await expect.poll(() => page.textContent('#pv-text')).toBe(expected.text);

    // Save and schedule: the campaign's own page, scheduled.
    await page.click('#cf-schedule');
    await page.locator('#campaign-title').waitFor({ state: 'visible' });
    const campaignId = decodeURIComponent(new URL(page.url()).hash.replace('#/campaign/', ''));
    expect(campaignId).not.toBe('');
    expect(await page.textContent('#campaign-title')).toBe(title);
    expect(await page.textContent('#campaign-notice')).toBe(p.scheduled);
    expect(await page.textContent('#campaign-status')).toBe(p.statuses.scheduled);
    expect(await page.textContent('#campaign-sms-text')).toBe(expected.text);
    expect(await page.textContent('#campaign-messages')).toBe(
      fill(p.messagesValue, { n: zhNumber(expected.estimatedMessages) }),
    );
    expect(await page.getAttribute('#campaign-upcoming time', 'datetime')).toBe(firstRun);
    expect(await page.textContent('#campaign-rrule')).toBe(toRRuleText(firstRunAt, { frequency: 'once' }));
    expect(await page.textContent('#no-runs')).toBe(p.noRuns);
    expect(
      await page.$$eval('#campaign-actions [data-action]', (els) =>
        els.map((e) => e.getAttribute('data-action')),
      ),
    ).toEqual(['edit', 'cancel']);

    // On the calendar, in its month, on its day, at its time.
    await page.click('#tab-calendar');
    await page.locator('#campaigns-table').waitFor({ state: 'visible' });
    const month = day.slice(0, 7);
    if ((await page.getAttribute('#cal-month', 'data-month')) !== month) {
      await page.click('#cal-next');
      await expect.poll(() => page.getAttribute('#cal-month', 'data-month')).toBe(month);
    }
    const chip = page.locator(`#calendar-grid td[data-date="${day}"] a.chip[data-campaign="${campaignId}"]`);
    await chip.waitFor({ state: 'visible' });
    expect(await chip.textContent()).toBe(`${p.kindsShort.sms} 10:00 ${title}`);
    expect(await page.getAttribute(`#calendar-grid td[data-date="${day}"] a.chip`, 'class')).toContain(
      'cs-scheduled',
    );
    // Monday first.
    expect(await page.textContent('#calendar-grid thead th')).toBe(p.weekdays.MO);
    const listed = page.locator(`#campaigns-table tr[data-id="${campaignId}"]`);
    expect(await listed.locator('.badge').textContent()).toBe(p.statuses.scheduled);
    await page.screenshot({ path: '/tmp/planner-calendar.png', fullPage: true });

    // Cancelled from its page, after a confirmation.
    await chip.click();
    await page.locator('#campaign-title').waitFor({ state: 'visible' });
    await page.click('#campaign-actions button[data-action="cancel"]');
    const confirm = page.locator('#campaign-confirm');
    await confirm.waitFor({ state: 'visible' });
    expect(await page.textContent('#campaign-confirm-box p')).toBe(p.confirmCancel);
    expect(await page.textContent('#campaign-status')).toBe(p.statuses.scheduled);
    await confirm.click();
    await page.locator('#campaign-notice').waitFor({ state: 'visible' });
    expect(await page.textContent('#campaign-notice')).toBe(p.cancelled);
    expect(await page.textContent('#campaign-status')).toBe(p.statuses.cancelled);
    expect(await page.textContent('#campaign-no-actions')).toBe(p.noCampaignActions);
    const stored = CampaignView.parse(
      (await staffApi('outreach.police', 'GET', `/api/campaigns/${campaignId}`)).body,
    );
    expect(stored.campaign.status).toBe('cancelled');

    // Off the calendar, still in the list.
    await page.click('#campaign-view a.back');
    await page.locator(`#campaigns-table tr[data-id="${campaignId}"]`).waitFor({ state: 'visible' });
    expect(await page.getAttribute('#cal-month', 'data-month')).toBe(month);
    expect(await page.locator(`#calendar-grid a.chip[data-campaign="${campaignId}"]`).count()).toBe(0);
    expect(await page.textContent(`#campaigns-table tr[data-id="${campaignId}"] .badge`)).toBe(
      p.statuses.cancelled,
    );
  }, 90_000);

  it('records a lecture’s attendance and then shows its effect against the comparison communities', async () => {
    const community = 'chengnan-yingxun';
    const runDay = addDays(today(), -14);
    // Four reports in the four weeks before the lecture, none since.
    await fraudReports(community, addDays(runDay, -20), 2);
    await fraudReports(community, addDays(runDay, -9), 2);
    const { campaign, run } = await seedHeldLecture({
      campaignId: 'e2e-lecture-yingxun',
      title: '迎薰社区以案说法',
      communityIds: [community],
      firstRunAt: `${runDay}T15:00`,
      recurrence: { frequency: 'once' },
      channel: {
        kind: 'lecture',
        venue: '迎薰社区文化活动室',
        durationMinutes: 90,
        assignee: { role: 'police_officer', name: '王警官', phone: '+8613800001111' },
      },
    });

    const page = await newPage();
    await signIn(page, 'outreach.police', `/console#/campaign/${campaign.campaignId}`);
    await page.locator('#campaign-title').waitFor({ state: 'visible' });
    expect(await page.textContent('#campaign-status')).toBe(p.statuses.running);
    // The assignee's contact appears on the lecture's own page.
    expect(await page.textContent('#campaign-facts')).toContain('迎薰社区文化活动室');
    expect(await page.textContent('#campaign-assignee-phone')).toBe('+86 138 0000 1111');
    expect(await page.getAttribute('#campaign-assignee-phone', 'href')).toBe('tel:+8613800001111');
    const runRow = page.locator(`#runs-table tr[data-run="${run.runId}"]`);
    expect(await runRow.locator('.badge').textContent()).toBe(p.runStatuses.awaiting_attendance);
    expect(await page.isVisible('#campaign-effect')).toBe(false);

    const form = page.locator(`#attendance-${run.runId}`);
    await form.locator('input').fill('56');
    await form.locator('button[type=submit]').click();
    await page.locator('#campaign-notice').waitFor({ state: 'visible' });
    expect(await page.textContent('#campaign-notice')).toBe(p.attendanceSaved);
    expect(await page.textContent('#campaign-status')).toBe(p.statuses.completed);
    expect(await runRow.locator('.badge').textContent()).toBe(p.runStatuses.completed);
    expect(await runRow.locator('[data-attendance]').textContent()).toBe(fill(p.attendanceTotal, { n: 56 }));

    // The effect: the numbers the API computed, and a chart of the weekly rates, both groups.
    await page.locator('#campaign-effect').waitFor({ state: 'visible' });
    const view = CampaignView.parse(
      (await staffApi('outreach.police', 'GET', `/api/campaigns/${campaign.campaignId}`)).body,
    );
    const effect = view.effect;
    if (!effect?.comparison) throw new Error('the completed lecture has no effect with a comparison');
    expect(effect.campaign.beforeRate).toBeGreaterThan(0);
    expect(effect.campaign.afterRate).toBe(0);
    const cells = (row: string) => page.$$eval(`#${row} td`, (tds) => tds.map((td) => td.textContent ?? ''));
    const signed = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${x.toFixed(3)}`);
    expect(await cells('effect-campaign')).toEqual([
      effect.campaign.beforeRate?.toFixed(3),
      effect.campaign.afterRate?.toFixed(3),
      signed(effect.campaign.change),
    ]);
    expect(await cells('effect-comparison')).toEqual([
      effect.comparison.beforeRate?.toFixed(3),
      effect.comparison.afterRate?.toFixed(3),
      signed(effect.comparison.change),
    ]);
    expect(await page.textContent('#effect-difference')).toBe(signed(effect.difference));
    // Two weeks after a lecture, its four weeks after are not over yet.
    expect(await page.isVisible('#effect-incomplete')).toBe(true);

    await page.waitForFunction(() => {
      const w = window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } };
      const canvas = document.getElementById('chart-effect');
      return (
        w.Chart !== undefined && canvas instanceof HTMLCanvasElement && w.Chart.getChart(canvas) !== undefined
      );
    });
    const drawn = await page.evaluate(() => {
      const w = window as unknown as {
        Chart: {
          getChart(
            c: HTMLCanvasElement,
          ):
            | { config: { type: string }; data: { labels: unknown[]; datasets: { data: unknown[] }[] } }
            | undefined;
        };
      };
      const canvas = document.getElementById('chart-effect');
      const chart = canvas instanceof HTMLCanvasElement ? w.Chart.getChart(canvas) : undefined;
      return chart
        ? { type: chart.config.type, labels: chart.data.labels, data: chart.data.datasets.map((d) => d.data) }
        : null;
    });
    expect(drawn).toEqual({
      type: 'line',
      labels: effect.weekly.map((w) => w.weekStart.slice(5)),
      data: [effect.weekly.map((w) => w.campaignRate), effect.weekly.map((w) => w.comparisonRate)],
    });
    await page.screenshot({ path: '/tmp/planner-effect.png', fullPage: true });
  }, 90_000);

  it('edits a draft lecture in the same form, prefilled, and schedules it from there', async () => {
    const firstRunAt = `${addDays(today(), 12)}T19:00`;
    const draft = await staffApi('outreach.police', 'POST', '/api/campaigns', {
      title: '段村社区以案说法',
      communityIds: ['duancun-duancun'],
      firstRunAt,
      recurrence: { frequency: 'weekly', count: 3 },
      channel: {
        kind: 'lecture',
        venue: '段村社区活动中心',
        durationMinutes: 60,
        assignee: { role: 'police_officer', name: '赵警官', phone: '13700003333' },
      },
    });
    expect(draft.status).toBe(201);
    const id = CampaignView.parse(draft.body).campaign.campaignId;

    const page = await newPage();
    await signIn(page, 'supervisor', `/console#/campaign/${id}`);
    await page.locator('#campaign-title').waitFor({ state: 'visible' });
    expect(
      await page.$$eval('#campaign-actions [data-action]', (els) =>
        els.map((e) => e.getAttribute('data-action')),
      ),
    ).toEqual(['schedule', 'edit', 'cancel']);
    await page.click('#campaign-actions a[data-action="edit"]');
    await page.locator('#cf-heading').waitFor({ state: 'visible' });
    expect(await page.textContent('#cf-heading')).toBe(p.editHeading);
    // The heading shows while the campaign is still being fetched: wait for the form to be filled.
    await page.waitForFunction(() => {
      const title = document.querySelector('#cf-title');
      return title instanceof HTMLInputElement && title.value !== '';
    });
    // What was planned, back in the form: weekly on the first run's weekday, three times, a lecture.
    expect(await page.inputValue('#cf-title')).toBe('段村社区以案说法');
    expect(await page.inputValue('#cf-firstRunAt')).toBe(firstRunAt);
    expect(await page.isChecked('#cf-communities input[value="duancun-duancun"]')).toBe(true);
    expect(await page.isChecked('#cf-frequency input[value="weekly"]')).toBe(true);
    expect(await page.$$eval('#cf-weekdays input:checked', (inputs) => inputs.length)).toBe(1);
    expect(await page.inputValue('#cf-count')).toBe('3');
    expect(await page.isChecked('#cf-kind input[value="lecture"]')).toBe(true);
    expect(await page.isVisible('#cf-signature')).toBe(false);
    expect(await page.inputValue('#cf-assigneeName')).toBe('赵警官');
    expect(await page.isVisible('#cf-draft')).toBe(false);
    // A lecture reaches households but sends no SMS: the preview says how many, and nothing about parts.
    await expect
      .poll(() => page.textContent('#pv-households'))
      .toBe(fill(p.householdsValue, { n: zhNumber(households('duancun-duancun')) }));
    expect(await page.isVisible('#pv-parts')).toBe(false);
    expect(await page.locator('#pv-upcoming time').count()).toBe(3);

    await page.fill('#cf-venue', '段村镇综合文化站');
    await page.click('#cf-schedule');
    await page.locator('#campaign-notice').waitFor({ state: 'visible' });
    expect(await page.textContent('#campaign-notice')).toBe(p.scheduled);
    expect(await page.textContent('#campaign-status')).toBe(p.statuses.scheduled);
    expect(await page.textContent('#campaign-facts')).toContain('段村镇综合文化站');
    expect(await page.locator('#campaign-upcoming li').count()).toBe(3);
  }, 90_000);

  it('shows the county supervisor the planner beside the case tabs, an admin a read-only planner, and a case handler none', async () => {
    const supervisor = await newPage();
    await signIn(supervisor, 'supervisor');
    // The supervisor still starts at their queue.
    await supervisor.locator('#list-view').waitFor({ state: 'visible' });
    expect(await visibleTabs(supervisor)).toEqual([
      'queue',
      'problems',
      'transfers',
      'return_visits',
      'stats',
      'assessment',
      // The county's five-level registry (issue 16): grids, micro-grids and WeChat groups.
      'registry',
      'risk',
      'calendar',
      'new_campaign',
    ]);
    await supervisor.click('#tab-new_campaign');
    await supervisor.locator('#campaign-form-view').waitFor({ state: 'visible' });
    expect(await supervisor.isVisible('#cf-schedule')).toBe(true);

    // A monthly series on the 31st skips the shorter months, and the preview says so in its own words.
    let month = addDays(today(), 1).slice(0, 7);
    while (new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate() !== 31)
      month = addDays(`${month}-28`, 7).slice(0, 7);
    await supervisor.fill('#cf-title', '太和社区每月反诈短信');
    await supervisor.check('#cf-communities input[value="chengdong-taihe"]');
    await supervisor.fill('#cf-firstRunAt', `${month}-31T09:30`);
    await supervisor.click('#cf-frequency input[value="monthly"] + span');
    await supervisor.fill('#cf-signature', '平遥反诈');
    await supervisor.fill('#cf-body', '月底发工资，警惕刷单返利诈骗。');
    const warning = supervisor.locator('#pv-warning-list li');
    await warning.waitFor({ state: 'visible' });
    expect(await warning.allTextContents()).toEqual([fill(p.warnings.skippedMonths, { day: 31 })]);
    const upcomingDays = () =>
      supervisor.$$eval('#pv-upcoming time', (times) =>
        times.map((x) => new Date(Date.parse(x.getAttribute('datetime') ?? '') + 8 * 3_600_000).getUTCDate()),
      );
    expect(new Set(await upcomingDays())).toEqual(new Set([31]));
    // The last day of every month instead: no warning, and the 30-day months are in.
    await supervisor.check('#cf-monthDay input[value="last_day"]');
    await supervisor.locator('#pv-warnings').waitFor({ state: 'hidden' });
    await expect.poll(async () => (await upcomingDays()).includes(30)).toBe(true);
    expect(await supervisor.locator('#campaign-form .error:not([hidden])').count()).toBe(0);

    // A draft the admin can open but not change.
    const draft = await staffApi('outreach.police', 'POST', '/api/campaigns', {
      title: '顺城社区反诈讲座（草稿）',
      communityIds: ['chengdong-shuncheng'],
      firstRunAt: `${addDays(today(), 20)}T14:30`,
      channel: {
        kind: 'lecture',
        venue: '顺城社区会议室',
        assignee: { role: 'grid_worker', name: '李网格员', phone: '13900002222' },
      },
    });
    expect(draft.status).toBe(201);
    const draftId = CampaignView.parse(draft.body).campaign.campaignId;

    const admin = await newPage();
    await signIn(admin, 'admin', `/console#/campaign/${draftId}`);
    await admin.locator('#campaign-title').waitFor({ state: 'visible' });
    expect(await visibleTabs(admin)).toEqual([
      'queue',
      'problems',
      'transfers',
      'return_visits',
      'stats',
      'assessment',
      'registry',
      'risk',
      'calendar',
    ]);
    expect(await admin.textContent('#campaign-status')).toBe(p.statuses.draft);
    expect(await admin.textContent('#campaign-read-only')).toBe(p.readOnly);
    expect(await admin.locator('#campaign-actions [data-action]').count()).toBe(0);
    // The new-campaign form is not theirs: the address leads back to the case work.
    await admin.evaluate(() => {
      location.hash = '#/new_campaign';
    });
    await admin.locator('#list-view').waitFor({ state: 'visible' });
    expect(await admin.isVisible('#campaign-form-view')).toBe(false);

    const handler = await newPage();
    await signIn(handler, 'handler.antifraud', '/console#/risk');
    await handler.locator('#list-view').waitFor({ state: 'visible' });
    // The unit assessment (its own unit's row) is theirs to see; the planner is not.
    expect(await visibleTabs(handler)).toEqual([
      'queue',
      'problems',
      'transfers',
      'return_visits',
      'stats',
      'assessment',
    ]);
    expect(await handler.isVisible('#risk-view')).toBe(false);
    // Their console never asks the planner's API (which would refuse them anyway).
    const asked = requestsOf.get(handler) ?? [];
    expect(asked.some((url) => url.includes('/api/cases?'))).toBe(true);
    expect(asked.filter((url) => /\/api\/(outreach|campaign)/.test(url))).toEqual([]);
  }, 90_000);

  it('gives a grid worker an outreach tasks tab beside their case lists: their community’s coming lectures and the attendance of one held, recorded inline', async () => {
    const { store } = started();
    const own = 'chengdong-kangning';
    const yesterday = addDays(today(), -1);
    // A weekly series in Kangning and Taihe: held yesterday (awaiting attendance), two to come.
    const { campaign, run } = await seedHeldLecture({
      campaignId: 'e2e-lecture-kangning',
      title: '康宁太和以案说法',
      communityIds: [own, 'chengdong-taihe'],
      firstRunAt: `${yesterday}T15:00`,
      recurrence: { frequency: 'weekly', interval: 1, count: 3 },
      channel: {
        kind: 'lecture',
        venue: '康宁社区活动室',
        durationMinutes: 60,
        assignee: { role: 'police_officer', name: '李警官', phone: '+8613800002468' },
      },
    });
    // Another community's coming lecture, which is not Kangning's grid worker's business.
    const { lastRunAt: _held, ...series } = campaign;
    const elsewhere: Campaign = {
      ...series,
      campaignId: 'e2e-lecture-gucheng',
      title: '古城社区以案说法',
      communityIds: ['chengxi-gucheng'],
      firstRunAt: `${addDays(today(), 3)}T15:00`,
      recurrence: { frequency: 'once' },
      status: 'scheduled',
      version: 2,
    };
    expect(await store.create(elsewhere)).toBe(true);

    const page = await newPage();
    await signIn(page, 'grid.kangning');
    // They still start at their case queue; the tasks are one tab more.
    await page.locator('#list-view').waitFor({ state: 'visible' });
    expect(await visibleTabs(page)).toEqual([
      'queue',
      'problems',
      'transfers',
      'return_visits',
      'stats',
      'tasks',
    ]);
    expect(await page.textContent('#tab-tasks')).toBe(t.nav.tasks);
    await page.click('#tab-tasks');
    await page.locator('#tasks-view').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe('#/tasks');
    expect(await page.getAttribute('#tab-tasks', 'aria-current')).toBe('page');

    const task = page.locator(`#tasks-awaiting article.task[data-campaign="${campaign.campaignId}"]`);
    await task.waitFor({ state: 'visible' });
    expect(await task.getAttribute('data-run')).toBe(run.runId);
    expect(await task.locator('h3').first().textContent()).toBe(campaign.title);
    expect(await task.textContent()).toContain('康宁社区活动室');
    expect(await task.textContent()).toContain('李警官');
    // The coming two of the series, in Kangning only; nothing of Gucheng's; no assignee phone anywhere.
    const coming = await page.$$eval(
      `#tasks-upcoming-table tr[data-campaign="${campaign.campaignId}"]`,
      (trs) => trs.map((tr) => tr.getAttribute('data-at')),
    );
    expect(coming).toEqual(
      [7, 14].map((n) => fromShanghaiLocal(`${addDays(yesterday, n)}T15:00`).toISOString()),
    );
    expect(await page.locator(`[data-campaign="${elsewhere.campaignId}"]`).count()).toBe(0);
    expect(await page.textContent('#tasks-view')).not.toMatch(/2468/);
    // One field: their own community.
    const form = task.locator('form');
    expect(await form.locator('input').count()).toBe(1);
    expect(await form.locator('input').getAttribute('name')).toBe(own);
    expect(await form.locator('input').getAttribute('min')).toBe('0');
    await page.screenshot({ path: '/tmp/grid-tasks.png', fullPage: true });

    await form.locator('input').fill('-3');
    await form.locator('button[type=submit]').click();
    expect(await form.locator('.alert').textContent()).toBe(t.tasks.attendanceError);
    await form.locator('input').fill('42');
    await form.locator('button[type=submit]').click();
    await page.locator('#tasks-notice').waitFor({ state: 'visible' });
    expect(await page.textContent('#tasks-notice')).toBe(fill(t.tasks.saved, { n: 42 }));
    expect(await page.textContent('#tasks-awaiting-empty')).toBe(t.tasks.noAwaiting);
    const recorded = page.locator(`#tasks-recorded-table tr[data-campaign="${campaign.campaignId}"]`);
    expect(await recorded.locator('[data-attendance]').textContent()).toBe(
      fill(p.attendanceTotal, { n: 42 }),
    );
    // Taihe's figure is still to come, so the run waits on, but not for them.
    expect(await recorded.locator('.badge').textContent()).toBe(t.tasks.othersPending);
    expect(await recorded.locator('.badge').getAttribute('data-status')).toBe('awaiting_attendance');
    await page.screenshot({ path: '/tmp/grid-tasks-recorded.png', fullPage: true });

    const stored = await store.getRun(campaign.campaignId, run.runId);
    expect(stored).toMatchObject({ status: 'awaiting_attendance', attendance: { [own]: 42 } });
    // Their console asked for its tasks and posted the attendance, and nothing of the planner's.
    const asked = (requestsOf.get(page) ?? []).filter((url) => /\/api\/(outreach|campaign)/.test(url));
    expect(asked.map((url) => new URL(url).pathname)).toEqual([
      '/api/outreach/tasks',
      `/api/campaigns/${campaign.campaignId}/runs/${run.runId}/attendance`,
    ]);
    // Another community's figure is not theirs to give, whatever the page would send.
    const other = await staffApi(
      'grid.kangning',
      'POST',
      `/api/campaigns/${campaign.campaignId}/runs/${run.runId}/attendance`,
      { counts: { 'chengdong-taihe': 10 } },
    );
    expect(other.status).toBe(403);
  }, 90_000);
});
