/**
 * `households import`, run as a real CLI process against the local runtime (its endpoints written
 * to a runtime file named by CIVICLOOP_RUNTIME_FILE, as in cli.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';

let rt: LocalRuntime;
let cli: CliRuntime['cli'];

beforeAll(async () => {
  ({ rt, cli } = await startCliRuntime());
});
afterAll(async () => {
  await rt?.stop();
});

describe('households import', () => {
  it('imports the sample and says what it wrote', async () => {
    const { stdout, stderr } = await cli('households', 'import', 'events/csv/households-sample.csv');
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /imported 6 household\(s\) into \S+ \(6 created, 0 updated\); rejected 0 row\(s\)/,
    );
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const db = createDocumentClient(
      new DynamoDBClient({
        endpoint: rt.dynamoEndpoint,
        region: rt.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const registry = new DynamoDbHouseholdRegistry(db, rt.resources.tables.households ?? '');
    expect((await registry.findByPhone('13800000005'))?.communityId).toBe('dongquan-weijiazhuang');
    db.destroy();

    const again = await cli('households', 'import', 'events/csv/households-sample.csv');
    expect(again.stderr).toMatch(/\(0 created, 6 updated\)/);
  });

  it('prints each bad row by line, field and reason — never a value — and exits 0', async () => {
    const { stdout, stderr } = await cli('households', 'import', 'events/csv/households-bad-rows.csv');
    const lines = stdout.trim().split('\n');
    expect(lines).toContain('line 5: phone — not a mainland mobile or E.164 number');
    expect(lines).toContain('line 6: phone — the same number is on line 2');
    expect(lines).toHaveLength(10);
    expect(stderr).toMatch(/imported 2 household\(s\) .*; rejected 9 row\(s\)/);
    expect(stdout + stderr).not.toMatch(/138000|12345|王|李|张/);
  });

  it('exits 2 without a file and 1 when the file cannot be read or has no header', async () => {
    await expect(cli('households', 'import')).rejects.toMatchObject({ code: 2 });
    await expect(cli('households', 'import', 'no/such/file.csv')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot read no/such/file.csv (ENOENT)'),
    });
    const headless = join(mkdtempSync(join(tmpdir(), 'civicloop-households-')), 'headless.csv');
    writeFileSync(headless, 'hh-1,chengdong-taihe,,13814000001,,王建国\n');
    await expect(cli('households', 'import', headless)).rejects.toMatchObject({
      code: 1,
      stderr: expect.not.stringMatching(/13814000001|王/),
    });
  });
});
