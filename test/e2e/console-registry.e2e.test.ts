/**
 * The grid registry in the staff console, in Chromium against the local runtime: the member
 * counts the hourly refresh read from the runtime's WeChat Work simulator, shown beside each grid's
 * households with its micro-grids, group, owner and admins; a township centre's dispatcher sees
 * their own township only, the county supervisor every township and moves between them; a unit's
 * handler has no tab.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import scheduledTick from '../../events/eventbridge/refresh-group-members.json' with { type: 'json' };
import { demoGroupChats, demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { RegistryAnswer } from '../../shared/services/grid-registry-view.ts';
import { consoleText } from '../../shared/web/console-text.ts';
import { browserSession } from '../support/browser-session.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';
import { eventually, staffApi } from '../support/staff-api.ts';

const r = consoleText.zh.registry;

const { started, newPage } = browserSession();

async function signedIn(username: string, hash: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${started().runtime.url}/console${hash}`);
  await signInOnConsolePage(page, username);
  return page;
}

const g1 = demoOrganisation.grids.find((g) => g.id === 'chengdong-kangning-g1');
const g1Members = demoGroupChats().find((c) => c.chatId === g1?.group?.chatId)?.memberCount;

describe('the grid registry in the staff console', () => {
  beforeAll(async () => {
    const { runtime } = started();
    // The hourly member-count refresh, run now as its schedule would (the runtime also runs it
    // once as it starts); then wait until the registry shows every group counted.
    const refresh = runtime.functions.get('refresh-group-members');
    if (!refresh) throw new Error('the runtime hosts no refresh-group-members');
    await refresh.invoke(structuredClone(scheduledTick));
    const staff = staffApi(runtime);
    await staff.signIn(['supervisor']);
    await eventually('the groups counted', async () => {
      const answer = await staff.request('/api/registry/grids?townshipId=chengdong', { user: 'supervisor' });
      const counted = RegistryAnswer.parse(answer.body).townships.find((t) => t.id === 'chengdong')?.counted;
      return counted === 28 ? true : undefined;
    });
  }, 120_000);

  it("shows a township centre's dispatcher their grids: micro-grids, group, owner, admins and members against households", async () => {
    if (!g1?.group || g1Members === undefined) throw new Error('the demo grid has no group');
    const page = await signedIn('dispatcher.chengdong', '');
    await page.locator('#tab-registry').click();
    await page.locator('#registry-grid-table').waitFor({ state: 'visible' });
    expect(page.url()).toMatch(/#\/registry$/);
    // One township only: no choice offered, its figures in one row.
    expect(await page.locator('#registry-filters').isHidden()).toBe(true);
    expect(await page.locator('#registry-township-table tbody tr').count()).toBe(1);
    expect(await page.locator('#registry-grid-table tbody tr').count()).toBe(28);

    const row = page.locator(`#registry-grid-table tr[data-grid="${g1.id}"]`);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(g1.zh);
    expect(text).toContain(g1.group.chatId);
    expect(text).toContain(g1.group.ownerUserId);
    for (const admin of g1.group.adminUserIds) expect(text).toContain(admin);
    expect(await row.locator('ul.micro-grids li').count()).toBe(g1.microGrids?.length);
    const members = (await row.locator('td[data-column="members"]').textContent()) ?? '';
    expect(members).toContain(`${g1Members} / ${g1.households}`);
    expect(members).toContain('读取于');
  });

  it('lets the county supervisor move between townships', async () => {
    const page = await signedIn('supervisor', '#/registry');
    // No township chosen: the first one with grids is listed.
    await page.locator('#registry-grid-table').waitFor({ state: 'visible' });
    expect(page.url()).toMatch(/#\/registry\/chengdong$/);
    expect(await page.locator('#registry-township-table tbody tr').count()).toBe(
      demoOrganisation.townships.length,
    );
    await page.selectOption('#registry-township', 'dongquan');
    await page.locator('#registry-grids p.empty', { hasText: r.noGrids }).waitFor({ state: 'visible' });
    expect(page.url()).toMatch(/#\/registry\/dongquan$/);
    await page.goBack();
    await page.locator('#registry-grid-table').waitFor({ state: 'visible' });
  });

  it("gives a unit's handler no registry tab", async () => {
    const page = await signedIn('handler.transport', '');
    expect(await page.locator('#tab-registry').isHidden()).toBe(true);
  });
});
