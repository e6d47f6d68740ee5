/**
 * The console's CSV downloads in a real browser against the local runtime: a township dispatcher
 * clicks "导出 CSV" on their queue and gets one file made of several chunks (the chunk bound is
 * lowered to 4 KB here) — the UTF-8 byte-order mark, the Chinese header, every case of the
 * township once — and the statistics' export gives the figures with a BOM and header too.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { browserSession } from '../support/browser-session.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';
import { casesIn, seedCases } from '../support/seeded-cases.ts';

const CASES = 150;

// The chunk bound lowered to 4 KB before the session below starts the runtime (hooks run in order).
beforeAll(() => {
  process.env.CASE_EXPORT_CHUNK_BYTES = '4096';
});
afterAll(() => {
  delete process.env.CASE_EXPORT_CHUNK_BYTES;
});

const { started, newPage, pageErrors } = browserSession({ acceptDownloads: true });

beforeAll(async () => {
  const { runtime } = started();
  const store = new DynamoDbCaseStore(
    createDocumentClient(runtime.dynamoClient),
    runtime.resources.tables.cases ?? '',
  );
  const start = new Date(Date.now() - 24 * 3_600_000).toISOString();
  await seedCases(
    store,
    casesIn(
      'EX',
      CASES,
      { townshipId: 'chengdong', communityId: 'chengdong-kangning', unitId: 'transport' },
      start,
    ),
  );
}, 120_000);

async function signedIn(username: string, hash: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${started().runtime.url}/console${hash}`);
  await signInOnConsolePage(page, username);
  return page;
}

describe('the console exports', () => {
  it("downloads a dispatcher's queue as one CSV file assembled from several chunks", async () => {
    const page = await signedIn('dispatcher.chengdong', '#/queue');
    await page.locator('#list-body table').waitFor({ state: 'visible' });
    expect(await page.isVisible('#list-export-personal-wrap')).toBe(true);
    const chunkRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/cases/export')) chunkRequests.push(request.url());
    });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#list-export')]);
    expect(download.suggestedFilename()).toMatch(/^cases-queue-open-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(
      '查询码,类别,社区（村）,乡镇（街道）,承办单位,阶段,反映时间,受理时限,办结时限,是否超期,办结时间,评分',
    );
    const rows = lines.slice(1, -1);
    expect(rows).toHaveLength(CASES);
    expect(new Set(rows.map((r) => r.split(',')[0])).size).toBe(CASES);
    expect(lines.at(-1)).toBe('');
    expect(chunkRequests.length).toBeGreaterThan(1);
    expect(chunkRequests.slice(1).every((url) => url.includes('cursor='))).toBe(true);
    await expect.poll(() => page.textContent('#list-export-status')).toBe(`已导出 ${CASES} 条。`);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('downloads the statistics as CSV with a BOM and the Chinese header', async () => {
    const page = await signedIn('supervisor', '#/stats');
    await page.locator('#stats-export').waitFor({ state: 'visible' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#stats-export')]);
    expect(download.suggestedFilename()).toBe('stats-all-time.csv');
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toMatch(/^维度,编号,名称,已接收,/);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('offers an admin no personal-data choice', async () => {
    const page = await signedIn('admin', '#/queue');
    await page.locator('#list-export').waitFor({ state: 'visible' });
    expect(await page.isVisible('#list-export-personal-wrap')).toBe(false);
  }, 120_000);
});
