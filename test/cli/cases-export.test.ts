/**
 * `cases export`, run as a real CLI process against the local runtime (GET /api/cases/export
 * routed by the topology to export-cases, chunk bound lowered to 8 KB so a few hundred cases
 * take several chunks): the file the CLI writes is the chunks the API answers, concatenated —
 * BOM and header once, every case of the caller's scope exactly once, nobody else's — with a
 * progress line per chunk on stderr; a refused export exits 1 with the API's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { demoPassword } from '../../infra/demo/demo-staff.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { formatTrackingCode } from '../../shared/domain/tracking-code.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';
import { casesIn, seedCases } from '../support/seeded-cases.ts';

const CHUNK_BYTES = 8_192;
const OURS = 300;
const THEIRS = 40;

let rt: LocalRuntime;
let cliWithEnv: CliRuntime['cliWithEnv'];
const as = (username: string) => ({ CIVICLOOP_USERNAME: username, CIVICLOOP_PASSWORD: demoPassword });

const START = '2026-11-20T01:00:00.000Z';
const ours = casesIn(
  'CD',
  OURS,
  { townshipId: 'chengdong', communityId: 'chengdong-kangning', unitId: 'transport' },
  START,
);
const theirs = casesIn(
  'CX',
  THEIRS,
  { townshipId: 'chengxi', communityId: 'chengxi-gucheng', unitId: 'transport' },
  START,
);

beforeAll(async () => {
  process.env.CASE_EXPORT_CHUNK_BYTES = String(CHUNK_BYTES);
  ({ rt, cliWithEnv } = await startCliRuntime());
  const store = new DynamoDbCaseStore(createDocumentClient(rt.dynamoClient), rt.resources.tables.cases ?? '');
  await seedCases(store, [...ours, ...theirs]);
}, 120_000);
afterAll(async () => {
  delete process.env.CASE_EXPORT_CHUNK_BYTES;
  await rt?.stop();
});

/** The API's chunks for the same export, read one after another as the console does. */
async function apiChunks(username: string, query: string): Promise<string[]> {
  const session = await fetch(`${rt.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword }),
  });
  const { idToken } = z.object({ idToken: z.string() }).parse(await session.json());
  const chunks: string[] = [];
  let next: string | null = `/api/cases/export?${query}`;
  while (next !== null) {
    const response: Response = await fetch(`${rt.url}${next}`, {
      headers: { authorization: `Bearer ${idToken}` },
    });
    expect(response.status).toBe(200);
    chunks.push(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer()));
    const link = response.headers.get('link');
    next = link === null ? null : (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? null);
  }
  return chunks;
}

describe('cases export', () => {
  it("writes a dispatcher's township cases to stdout chunk by chunk, each once, with progress on stderr", async () => {
    const { stdout, stderr } = await cliWithEnv(
      as('dispatcher.chengdong'),
      'cases',
      'export',
      '--lang',
      'en',
    );
    expect(stdout.startsWith('\uFEFFTracking code,Category,')).toBe(true);
    const lines = stdout.split('\r\n');
    expect(lines.filter((l) => l.startsWith('\uFEFF') || l.startsWith('Tracking code'))).toHaveLength(1);
    const codes = lines.slice(1, -1).map((l) => l.split(',')[0]);
    expect(codes).toHaveLength(OURS);
    expect(new Set(codes)).toEqual(new Set(ours.map((c) => formatTrackingCode(c.trackingCode))));
    const progress = stderr.trimEnd().split('\n');
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toMatch(new RegExp(`^chunk ${progress.length}: ${OURS} rows, \\d+ KB — done$`));

    // The file is exactly the API's chunks joined, and no chunk passes the bound by more than a page.
    const chunks = await apiChunks('dispatcher.chengdong', 'lang=en');
    expect(chunks).toHaveLength(progress.length);
    expect(chunks.join('')).toBe(stdout);
    const longest = Math.max(...lines.map((l) => Buffer.byteLength(l) + 2));
    for (const chunk of chunks) expect(Buffer.byteLength(chunk)).toBeLessThan(CHUNK_BYTES + 100 * longest);
  }, 60_000);

  it('writes the header in Chinese for --lang zh, after the UTF-8 byte-order mark', async () => {
    const { stdout } = await cliWithEnv(as('grid.kangning'), 'cases', 'export', '--lang', 'zh');
    expect([...Buffer.from(stdout, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(stdout.split('\r\n')[0]).toMatch(/^\uFEFF查询码,类别,社区（村）,/);
    expect(stdout.split('\r\n').slice(1, -1)).toHaveLength(OURS);
  }, 60_000);

  it('exits 1 with the API code when an admin asks for personal columns', async () => {
    const failure = await cliWithEnv(as('admin'), 'cases', 'export', '--personal').catch(
      (error: unknown) => error,
    );
    const Failure = z.object({ code: z.number(), stdout: z.string(), stderr: z.string() });
    const { code, stdout, stderr } = Failure.parse(failure);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('the API refused (403 forbidden)');
  }, 60_000);
});
