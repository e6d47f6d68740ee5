/**
 * A notice to a community's grid WeChat groups, planned in the staff console in a desk browser
 * against the local runtime (its WeChat Work simulator included): the form's third way, the
 * preview naming the groups, owners and households and the group already at its monthly limit
 * (its 4th mass-send is kept for fraud alerts), then scheduled; the scheduler creates one task per
 * grid worker, two of them confirm in the app, the run is polled, and the campaign's page shows
 * the township's groups by status and, opened, each grid's group with its status.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it, vi } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbGroupMassSends } from '../../shared/adapters/dynamodb-group-mass-sends.ts';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import { groupSendMonth } from '../../shared/domain/outreach/group-mass-send.ts';
import { shanghaiLocal } from '../../shared/domain/outreach/shanghai-time.ts';
import { consoleText } from '../../shared/web/console-text.ts';
import { browserSession } from '../support/browser-session.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';
import { tickOutreach } from '../support/outreach.ts';

const p = consoleText.zh.planner;
const G = p.groups;
const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (values[k] === undefined ? m : String(values[k])));
const zhNumber = (n: number): string => new Intl.NumberFormat('zh-CN').format(n);

const COMMUNITY = 'chengdong-kangning';
const grids = demoOrganisation.grids.filter((g) => g.communityId === COMMUNITY && g.group);
const [full, ...others] = grids;

const { started, newPage, pageErrors } = browserSession();

describe('a notice to the grid WeChat groups in the console', () => {
  it('is previewed with the group at its limit, scheduled, and shown per township and grid once workers confirm', async () => {
    const { runtime } = started();
    if (!full || others.length < 2) throw new Error('the demo community has too few grid groups');
    const sim = runtime.wecom;
    if (!sim) throw new Error('the runtime has no WeChat Work simulator');
    const db = createDocumentClient(runtime.dynamoClient);
    const slots = new DynamoDbGroupMassSends(db, runtime.resources.tables.outreach ?? '');
    const firstRunAt = shanghaiLocal(new Date()).dateTime;
    // This group had 3 mass-sends this month already: a notice must leave it the 4th.
    for (let i = 0; i < 3; i++)
      await slots.reserve(full.group?.chatId ?? '', groupSendMonth(new Date()), `earlier-${i}#r`, 4);

    const page = await newPage();
    expect((await page.goto(`${runtime.url}/console`))?.status()).toBe(200);
    await signInOnConsolePage(page, 'outreach.police');
    await page.click('#tab-new_campaign');
    await page.locator('#campaign-form-view').waitFor({ state: 'visible' });
    await page.fill('#cf-title', '康宁社区网格群反诈通知');
    await page.fill('#cf-community-search', '康宁');
    await page.check(`#cf-communities input[value="${COMMUNITY}"]`);
    await page.fill('#cf-firstRunAt', firstRunAt);
    await page.check('#cf-kind input[value="wecom_group"]');
    expect(await page.isVisible('#cf-sms')).toBe(false);
    expect(await page.isVisible('#cf-venue')).toBe(false);
    await page.selectOption('#cf-purpose', 'notice');
    await page.fill('#cf-groupText', '近期冒充客服退款诈骗高发，请勿点击陌生链接，不向陌生账户转账。');

    const households = grids.reduce((sum, g) => sum + g.households, 0);
    await expect
      .poll(() => page.textContent('#pv-groups-summary'), { timeout: 10_000 })
      .toBe(
        fill(G.previewGroups, {
          groups: grids.length,
          owners: grids.length,
          households: zhNumber(households),
        }),
      );
    expect(await page.textContent('#pv-at-limit-list')).toBe(full.zh);
    expect(await page.textContent('#pv-warning-list')).toContain(fill(p.warnings.groupsAtLimit, { day: 1 }));
    await page.screenshot({ path: '/tmp/group-campaign-preview.png', fullPage: true });

    await page.click('#cf-schedule');
    await page.locator('#campaign-title').waitFor({ state: 'visible' });
    const campaignId = decodeURIComponent(new URL(page.url()).hash.replace('#/campaign/', ''));
    expect(await page.textContent('#campaign-group-text')).toContain('冒充客服退款');

    // The scheduler's tick starts the run; plan-outreach creates one task per grid worker.
    await tickOutreach(runtime);
    const owners = others.map((g) => g.group?.ownerUserId ?? '');
    const tasks = () => sim.massSends.filter((t) => owners.includes(t.sender));
    await vi.waitFor(() => expect(tasks()).toHaveLength(others.length), { timeout: 30_000, interval: 200 });
    expect(sim.massSends.some((t) => t.groups.some((g) => g.chatId === full.group?.chatId))).toBe(false);
    const confirmed = tasks().slice(0, 2);
    for (const t of confirmed) sim.confirmMassSend(t.msgid, t.sender);
    const run = (
      await new DynamoDbOutreachStore(db, runtime.resources.tables.outreach ?? '').listRuns(campaignId)
    )[0];
    await runtime.sqsClient.send(
      new SendMessageCommand({
        QueueUrl: runtime.queueUrl('outreach-plan'),
        MessageBody: JSON.stringify({
          kind: 'outreach.poll_groups',
          campaignId,
          runId: run?.runId,
          round: 0,
        }),
      }),
    );

    // The campaign's page, opened afresh, shows the township's groups by status.
    const sentCell = page.locator('#group-sends-table tr[data-township="chengdong"] td[data-count="sent"]');
    await vi.waitFor(
      async () => {
        await page.evaluate(() => {
          location.hash = '#/calendar';
        });
        await page.evaluate((id) => {
          location.hash = `#/campaign/${encodeURIComponent(id)}`;
        }, campaignId);
        await sentCell.waitFor({ state: 'visible', timeout: 5_000 });
        expect(await sentCell.textContent()).toBe('2');
      },
      { timeout: 30_000, interval: 500 },
    );
    const row = page.locator('#group-sends-table tr[data-township="chengdong"]');
    expect(await row.locator('td[data-count="limited"]').textContent()).toBe('1');
    expect(await row.locator('td[data-count="created"]').textContent()).toBe(String(others.length - 2));
    await row.locator('summary').click();
    const sentGrid = grids.find((g) => g.group?.chatId === confirmed[0]?.groups[0]?.chatId)?.id ?? '';
    expect(await page.getAttribute(`li[data-grid="${sentGrid}"]`, 'data-status')).toBe('sent');
    expect(await page.getAttribute(`li[data-grid="${full.id}"]`, 'data-status')).toBe('limited');
    expect(await page.textContent(`li[data-grid="${full.id}"] .badge`)).toBe(G.statuses.limited);
    await page.screenshot({ path: '/tmp/group-campaign-view.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
