/**
 * `campaign create|list|cancel`, run as a real CLI process against the local runtime: the CLI
 * signs in to the staff API with the demo logins (CIVICLOOP_USERNAME / CIVICLOOP_PASSWORD), so the
 * API's rules — who may plan, what an outreach SMS may say — reach the command line unchanged.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { demoPassword } from '../../infra/demo/demo-staff.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { shanghaiLocal } from '../../shared/domain/outreach/shanghai-time.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';

const COMMUNITIES = ['chengdong-kangning', 'dongquan-weijiazhuang'];
const HOUSEHOLDS = demoOrganisation.communities
  .filter((c) => COMMUNITIES.includes(c.id))
  .reduce((sum, c) => sum + c.households, 0);
/** A month from now at 10:00 Shanghai: in the future whenever the test runs, never in quiet hours. */
const IN_A_MONTH = shanghaiLocal(new Date(Date.now() + 30 * 86_400_000));
const DAY = IN_A_MONTH.date;
const AT = `${DAY}T10:00`;
/** The API wants the first run on one of a weekly series' weekdays: that day and the next. */
const RRULE_DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const WEEKDAYS = [IN_A_MONTH.weekday, (IN_A_MONTH.weekday + 1) % 7];
/** … and a monthly 'last_day' series on a last day of a month: that of DAY's month. */
const LAST_DAY = new Date(Date.UTC(Number(DAY.slice(0, 4)), Number(DAY.slice(5, 7)), 0))
  .toISOString()
  .slice(0, 10);
const BODY = '警惕冒充公检法的电话，公安机关不会要求转账到安全账户。';

const Listed = z.object({
  campaigns: z.array(z.object({ campaignId: z.string(), status: z.string(), title: z.string() })),
});

let rt: LocalRuntime;
let cliWithEnv: CliRuntime['cliWithEnv'];

const as = (username: string) => ({ CIVICLOOP_USERNAME: username, CIVICLOOP_PASSWORD: demoPassword });
const outreach = (...args: string[]) => cliWithEnv(as('outreach.police'), ...args);

const smsFlags = (title: string) => [
  '--title',
  title,
  '--communities',
  COMMUNITIES.join(','),
  '--at',
  AT,
  '--kind',
  'sms',
  '--signature',
  '平遥反诈',
  '--body',
  BODY,
];

const idOf = (stdout: string): string => {
  const id = /^\s*id:\s+(\S+)$/m.exec(stdout)?.[1];
  if (!id) throw new Error(`no id in ${stdout}`);
  return id;
};

beforeAll(async () => {
  ({ rt, cliWithEnv } = await startCliRuntime());
});
afterAll(async () => {
  await rt?.stop();
});

describe('campaign create', () => {
  it('creates an SMS campaign as a draft and prints its id, part count, estimates and planned runs', async () => {
    const { stdout } = await outreach('campaign', 'create', ...smsFlags('康宁魏家庄反诈短信'));
    expect(idOf(stdout)).not.toBe('');
    expect(stdout).toMatch(/status:\s+draft \(version 1\)/);
    expect(stdout).toMatch(/SMS:\s+1 part per message \(\d+ characters, UCS-2\)/);
    const n = HOUSEHOLDS.toLocaleString('en-US');
    expect(stdout).toMatch(new RegExp(`estimated:\\s+${n} messages, ${n} parts`));
    expect(stdout).toContain(`【平遥反诈】${BODY}拒收请回复R`);
    expect(stdout).toMatch(/runs once scheduled \(Asia\/Shanghai/);
    expect(stdout).toContain(`${DAY} 10:00`);
  });

  it('with --schedule and a weekly repeat, is scheduled and lists its next runs in Shanghai time', async () => {
    const { stdout } = await outreach(
      'campaign',
      'create',
      ...smsFlags('每周反诈提醒'),
      '--repeat',
      'weekly',
      '--weekdays',
      WEEKDAYS.map((d) => RRULE_DAYS[d]?.toLowerCase()).join(','),
      '--count',
      '4',
      '--schedule',
    );
    expect(stdout).toMatch(/status:\s+scheduled \(version 2\)/);
    expect(stdout).toMatch(/next runs \(Asia\/Shanghai\):/);
    const runs = stdout.match(/^ {4}\d{4}-\d{2}-\d{2} 10:00 \w{3}$/gm) ?? [];
    expect(runs).toHaveLength(4);
    expect(runs[0]?.trim()).toBe(`${DAY} 10:00 ${SHORT_DAYS[IN_A_MONTH.weekday]}`);
    const names = WEEKDAYS.map((d) => SHORT_DAYS[d]);
    expect(runs.every((run) => names.some((name) => run.endsWith(` ${name}`)))).toBe(true);
  });

  it('prints the API’s field error for a body naming the national anti-fraud number, exit 1', async () => {
    const flags = smsFlags('冒充').map((f) => (f === BODY ? '有疑问请拨打96110咨询' : f));
    await expect(outreach('campaign', 'create', ...flags)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /could not create the campaign: The campaign is invalid: channel\.body\n {2}channel\.body: the text must not contain 12381 or 96110/,
      ),
    });
  });

  it('is a usage error (exit 2, usage text) without --communities, before signing in', async () => {
    const flags = smsFlags('无社区').filter((f) => f !== '--communities' && f !== COMMUNITIES.join(','));
    await expect(cliWithEnv({}, 'campaign', 'create', ...flags)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--communities is required[\s\S]*usage:[\s\S]*campaign create/),
    });
  });

  it('is a usage error to give recurrence flags without --repeat, or an option that does not exist', async () => {
    await expect(outreach('campaign', 'create', ...smsFlags('x'), '--weekdays', 'MO')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--weekdays need --repeat weekly'),
    });
    await expect(outreach('campaign', 'list', '--no-such-flag')).rejects.toMatchObject({ code: 2 });
  });

  it('reads a whole plan from --file (a lecture here)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'civicloop-plan-')), 'plan.json');
    writeFileSync(
      file,
      JSON.stringify({
        title: '以案说法进社区',
        communityIds: ['chengdong-kangning'],
        firstRunAt: `${LAST_DAY}T10:00`,
        recurrence: { frequency: 'monthly', monthDay: 'last_day', count: 3 },
        channel: {
          kind: 'lecture',
          venue: '康宁社区活动室',
          durationMinutes: 90,
          assignee: { role: 'police_officer', name: '王警官', phone: '13800000001' },
        },
      }),
    );
    const { stdout } = await outreach('campaign', 'create', '--file', file, '--schedule');
    expect(stdout).toMatch(/status:\s+scheduled/);
    expect(stdout).toMatch(/channel:\s+lecture at 康宁社区活动室, 90 min, led by 王警官 \(police_officer\)/);
    const runs = stdout.match(/^ {4}\d{4}-\d{2}-\d{2} 10:00 \w{3}$/gm) ?? [];
    expect(runs).toHaveLength(3);
    expect(runs[0]?.trim().slice(0, 10)).toBe(LAST_DAY);
  });

  it('refuses a handler with the API’s 403 message, exit 1', async () => {
    await expect(
      cliWithEnv(as('handler.antifraud'), 'campaign', 'create', ...smsFlags('越权')),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'could not create the campaign: Only outreach staff and the county supervisor may plan or cancel campaigns. (signed in as handler.antifraud)',
      ),
    });
  });

  it('says so when the password is wrong, or when no credentials are given', async () => {
    await expect(
      cliWithEnv({ CIVICLOOP_USERNAME: 'outreach.police', CIVICLOOP_PASSWORD: 'wrong' }, 'campaign', 'list'),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'sign-in as outreach.police failed: The username or password is not correct.',
      ),
    });
    await expect(
      cliWithEnv({ CIVICLOOP_USERNAME: '', CIVICLOOP_PASSWORD: '' }, 'campaign', 'list'),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('CIVICLOOP_PASSWORD') });
  });
});

describe('campaign list and cancel', () => {
  let campaignId = '';

  it('lists a scheduled campaign in the table with its next run', async () => {
    campaignId = idOf(
      (await outreach('campaign', 'create', ...smsFlags('待取消的短信'), '--schedule')).stdout,
    );
    const { stdout, stderr } = await outreach('campaign', 'list', '--status', 'scheduled');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+KIND\s+TITLE\s+COMMUNITIES\s+NEXT RUN \(Shanghai\)\s+LAST RUN$/);
    const row = lines.find((line) => line.startsWith(campaignId));
    expect(row).toMatch(new RegExp(`scheduled\\s+sms\\s+待取消的短信\\s+2\\s+${DAY} 10:00\\s+—`));
    expect(stderr).toMatch(/\d+ campaigns? scheduled/);
  });

  it('cancels it, and list --json shows it cancelled', async () => {
    const { stdout } = await outreach('campaign', 'cancel', campaignId);
    expect(stdout).toContain(`campaign ${campaignId} (待取消的短信): scheduled → cancelled (version 3)`);
    const listed = Listed.parse(JSON.parse((await outreach('campaign', 'list', '--json')).stdout));
    expect(listed.campaigns.find((c) => c.campaignId === campaignId)?.status).toBe('cancelled');
  });

  it('explains a second cancel (409), an unknown id (404) and a handler (403), exit 1', async () => {
    await expect(outreach('campaign', 'cancel', campaignId)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        `could not cancel campaign ${campaignId}: A cancelled campaign cannot be cancel`,
      ),
    });
    await expect(outreach('campaign', 'cancel', 'no-such-campaign')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'could not cancel campaign no-such-campaign: No campaign no-such-campaign',
      ),
    });
    await expect(cliWithEnv(as('handler.antifraud'), 'campaign', 'cancel', campaignId)).rejects.toMatchObject(
      { code: 1, stderr: expect.stringContaining('(signed in as handler.antifraud)') },
    );
  });

  it('needs the id to cancel', async () => {
    await expect(outreach('campaign', 'cancel')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('<campaignId> is required'),
    });
  });
});
