/**
 * `assessment`, run as a real CLI process against the local runtime: a report goes in through the
 * public API and is routed, then the CLI signs in with demo logins and reads GET /api/assessment
 * (routed by the topology to get-assessment), so the API's scoping reaches the command line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { demoPassword } from '../../infra/demo/demo-staff.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { shanghaiDay } from '../../shared/domain/outreach/shanghai-time.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';

let rt: LocalRuntime;
let cliWithEnv: CliRuntime['cliWithEnv'];
/** The unit the report was routed to. */
let owner = '';
const as = (username: string) => ({ CIVICLOOP_USERNAME: username, CIVICLOOP_PASSWORD: demoPassword });

const Rows = z.object({
  rows: z.array(z.object({ id: z.string(), received: z.number(), rank: z.number().nullable() })),
});

beforeAll(async () => {
  ({ rt, cliWithEnv } = await startCliRuntime());
  const submitted = await fetch(`${rt.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      category: 'road',
      communityId: 'chengdong-kangning',
      description: '路灯坏了三天',
    }),
  });
  const { trackingCode } = z.object({ trackingCode: z.string() }).parse(await submitted.json());
  // Routed by the runtime's queue poller: wait for it, bounded.
  const deadline = Date.now() + 20_000;
  for (;;) {
    // 404 until the router has created the case.
    const status = z
      .object({ stage: z.string(), unit: z.object({ id: z.string() }) })
      .safeParse(await (await fetch(`${rt.url}/api/reports/${trackingCode}`)).json());
    if (status.success && status.data.stage === 'dispatched') {
      owner = status.data.unit.id;
      break;
    }
    if (Date.now() > deadline) throw new Error(`report ${trackingCode} not dispatched in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);
afterAll(async () => {
  await rt?.stop();
});

describe('assessment', () => {
  const today = shanghaiDay(new Date().toISOString());

  it('shows the county supervisor every unit, the one the report was routed to with the case it received', async () => {
    const { stdout } = await cliWithEnv(
      as('supervisor'),
      'assessment',
      '--from',
      today,
      '--to',
      today,
      '--json',
    );
    const { rows } = Rows.parse(JSON.parse(stdout));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.find((r) => r.id === owner)?.received).toBe(1);
    expect(rows.reduce((n, r) => n + r.received, 0)).toBe(1);
  });

  it('shows a unit handler their own unit only, as a table', async () => {
    const { stdout } = await cliWithEnv(as('handler.transport'), 'assessment');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^unit assessment \d{4}-\d{2}-01 – \d{4}-\d{2}-\d{2} \(\d+ ranked\)$/);
    expect(lines.slice(2)).toHaveLength(1);
    expect(lines[2]).toMatch(/\btransport 县交通运输局$/);
  });

  it('fails with the API’s 403 for a grid worker', async () => {
    await expect(cliWithEnv(as('grid.kangning'), 'assessment')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the API refused (403 forbidden)'),
    });
  });

  it('names the bad field when the range is wrong', async () => {
    await expect(
      cliWithEnv(as('supervisor'), 'assessment', '--from', '2026-11-30', '--to', '2026-11-01'),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('to: must not be before from'),
    });
  });
});
