/**
 * `partners`, run as a real CLI process against the local runtime: an admin creates a partner
 * (the key printed once), lists and revokes it through the admin API, and the key works on
 * Open311's POST until it is revoked; anyone else is refused by the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../infra/demo/demo-staff.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';

let rt: LocalRuntime;
let cliWithEnv: CliRuntime['cliWithEnv'];
const as = (username: string) => ({ CIVICLOOP_USERNAME: username, CIVICLOOP_PASSWORD: demoPassword });

beforeAll(async () => {
  ({ rt, cliWithEnv } = await startCliRuntime());
}, 60_000);
afterAll(async () => {
  await rt?.stop();
});

const postWith = (apiKey: string) =>
  fetch(`${rt.url}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      api_key: apiKey,
      service_code: 'sanitation',
      description: '小区门口垃圾堆了三天',
      'attribute[community]': 'chengdong-kangning',
    }).toString(),
  });

describe('partners', () => {
  it('creates a partner whose key is printed once and works, lists it, and revokes it', async () => {
    const created = await cliWithEnv(as('admin'), 'partners', 'create', '12345', '热线');
    const [row, keyLine] = created.stdout.trimEnd().split('\n');
    expect(row).toMatch(/^[0-9a-f]{12} {2}active +\S+ {2}12345 热线$/);
    expect(created.stderr).toContain('cannot be shown again');
    const apiKey = keyLine?.replace(/^api_key: /, '') ?? '';
    expect(apiKey).toMatch(/^o311_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect((await postWith(apiKey)).status).toBe(200);

    const partnerId = row?.slice(0, 12) ?? '';
    const listed = await cliWithEnv(as('admin'), 'partners', 'list');
    expect(listed.stdout).toMatch(new RegExp(`^${partnerId} {2}active `, 'm'));
    expect(listed.stdout).not.toContain(apiKey);

    const revoked = await cliWithEnv(as('admin'), 'partners', 'revoke', partnerId);
    expect(revoked.stdout).toMatch(new RegExp(`^${partnerId} {2}revoked`));
    expect((await postWith(apiKey)).status).toBe(403);
  });

  it('fails with the API’s 403 for anyone but an admin, and 2 with the usage for a bad command', async () => {
    await expect(cliWithEnv(as('supervisor'), 'partners', 'list')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the API refused (403 forbidden)'),
    });
    await expect(cliWithEnv(as('admin'), 'partners', 'revoke')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('partners create <name> | list | revoke <partnerId>'),
    });
  });
});
