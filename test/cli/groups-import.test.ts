/**
 * `groups import`, run as a real CLI process against the local runtime (its endpoints written to a
 * runtime file named by CIVICLOOP_RUNTIME_FILE, as in cli.test.ts): the sample's micro-grids and
 * groups land in the runtime's directory, a re-import changes nothing, a refused row is printed by
 * line and field, never its value.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';

let rt: LocalRuntime;
let cli: CliRuntime['cli'];

beforeAll(async () => {
  ({ rt, cli } = await startCliRuntime());
});
afterAll(async () => {
  await rt?.stop();
});

describe('groups import', () => {
  it('imports the sample into the directory, and the same file again changes nothing', async () => {
    const { stdout, stderr } = await cli('groups', 'import', 'events/csv/grid-groups-sample.csv');
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /imported 2 grid\(s\) into \S+ \(2 changed, 0 unchanged; .*\); refused 0 row\(s\)/,
    );
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const db = createDocumentClient(
      new DynamoDBClient({
        endpoint: rt.dynamoEndpoint,
        region: rt.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const org = await new DynamoDbDirectory(db, rt.resources.tables.directory ?? '').load();
    db.destroy();
    expect(org.grids.find((g) => g.id === 'chengdong-kangning-g2')?.group?.chatId).toBe(
      'wrOgQhDgAAkangning2',
    );

    const again = await cli('groups', 'import', 'events/csv/grid-groups-sample.csv');
    expect(again.stderr).toMatch(/\(0 changed, 2 unchanged;/);
  });

  it('prints a refused row by line and field — never its value — and exits 0', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'civicloop-groups-')), 'groups.csv');
    writeFileSync(
      file,
      'grid_id,group_chat_id,group_owner\nchengdong-kangning-g3,wrOgQhDgAAkangning3,someone.else\n',
    );
    const { stdout, stderr } = await cli('groups', 'import', file);
    expect(stdout.trim()).toBe(
      "line 2: group_owner — is not the grid worker on record: the group's owner must be the grid worker",
    );
    expect(stdout).not.toContain('someone.else');
    expect(stderr).toMatch(/imported 0 grid\(s\) .*; refused 1 row\(s\)/);
  });

  it('exits 2 without a file and 1 when the header is wrong', async () => {
    await expect(cli('groups', 'import')).rejects.toMatchObject({ code: 2 });
    const headless = join(mkdtempSync(join(tmpdir(), 'civicloop-groups-')), 'headless.csv');
    writeFileSync(headless, 'chengdong-kangning-g1,wr1,gw-chengdong-kangning-g1\n');
    await expect(cli('groups', 'import', headless)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('header'),
    });
  });
});
