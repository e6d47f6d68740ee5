/**
 * No personal data in logs, and a guard that can tell: every file of the suite runs under
 * test/support/log-guard.ts, which takes every line the hosted functions log and fails the file
 * if one carries a phone number, a reporter token or a description. Here: the scanner catches
 * each kind in the forms they take and leaves ids, times and codes alone; on the real runtime the
 * guard captures the functions' own lines (quiet or not), learns what the test sent, and catches a
 * line planted through the same logger the functions use.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { createLogger } from '../../shared/logger.ts';
import { activeLogGuard, type LogGuard } from '../support/log-guard.ts';
import { PersonalData } from '../support/personal-data.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const learnt = (feed: (seen: PersonalData) => void): PersonalData => {
  const seen = new PersonalData();
  feed(seen);
  return seen;
};

describe('the personal-data scanner', () => {
  const seen = learnt((s) => {
    s.addPhone('+1 (415) 555-0100');
    s.addToken('q2Vw3kX9mZ8pL7nB6vC5xA4s');
    s.addText('邻居家的狗天天半夜叫');
    s.addText('He said "call me"\nat once');
  });

  it.each([
    ['a mainland mobile in E.164', '{"msg":"sent","to":"+8613812345678"}'],
    ['eleven digits', 'to=13812345678;'],
    ['digits in groups', 'phone 138 1234 5678 rejected'],
    ['digits with hyphens after 0086', '{"from":"0086-138-1234-5678"}'],
    ['another country in E.164', '{"to":"+447700900123"}'],
    ['a learnt foreign number as typed', 'number +1 (415) 555-0100 refused'],
    ['a learnt foreign number without its plus', '{"n":"14155550100"}'],
  ])('finds a phone: %s', (_what, line) => {
    expect(seen.scan(line)?.kind).toBe('phone');
    expect(seen.scan(line)?.line).toContain('«phone»');
  });

  it('finds a token and a description, also as JSON escapes them, and masks them', () => {
    const token = seen.scan('{"level":"INFO","token":"q2Vw3kX9mZ8pL7nB6vC5xA4s"}');
    expect(token).toEqual({ kind: 'token', line: '{"level":"INFO","token":"«token»"}' });
    expect(seen.scan('{"text":"邻居家的狗天天半夜叫"}')?.kind).toBe('description');
    expect(seen.scan(JSON.stringify({ text: 'He said "call me"\nat once' }))?.kind).toBe('description');
  });

  it.each([
    ['a request id', '{"function_request_id":"c0a80164-1380-4123-9567-813812345678"}'],
    ['a timestamp and epoch milliseconds', '{"timestamp":"2026-12-06T13:45:12.345Z","at":1765012345678}'],
    ['a tracking code, a version and a duration', '{"trackingCode":"K7M2QX9PA","version":13,"ms":138}'],
    ['an account id in a queue URL', 'https://sqs.us-east-1.amazonaws.com/000000000000/unit-psb'],
    ['a short word a description could also be', '{"route":"POST /api/reports","category":"road"}'],
  ])('leaves alone %s', (_what, line) => {
    expect(seen.scan(line)).toBeUndefined();
  });

  it('ignores free text too short to tell from an ordinary word, and numbers too short to be phones', () => {
    const short = learnt((s) => {
      s.addText('road');
      s.addText('TD');
      s.addPhone('12345');
    });
    expect(short.size).toEqual({ phones: 0, tokens: 0, texts: 0 });
  });

  it('learns from an HTTP event, a queue record, an SNS message and an answer', () => {
    const data = new PersonalData();
    data.learn({
      functionName: 'submit-report',
      event: {
        body: 'description=%E8%B7%AF%E7%81%AF%E5%9D%8F%E4%BA%86%E5%BE%88%E4%B9%85&contactPhone=138+0013+8000',
      },
      outcome: {
        kind: 'answered',
        result: { statusCode: 202, body: '{"reporterToken":"tok-0123456789abc"}' },
      },
    });
    data.learn({
      functionName: 'route-report',
      event: { Records: [{ body: JSON.stringify({ report: { description: '桥面裂缝很长了' } }) }] },
      outcome: { kind: 'answered', result: { batchItemFailures: [] } },
    });
    data.learn({
      functionName: 'receive-sms',
      event: {
        Records: [
          {
            Sns: {
              Message: JSON.stringify({ originationNumber: '+14155550199', messageBody: '查询 K7M2QX9PA' }),
            },
          },
        ],
      },
      outcome: { kind: 'threw', error: new Error('x') },
    });
    expect(data.size).toEqual({ phones: 2, tokens: 1, texts: 3 });
    expect(data.scan('x 路灯坏了很久 y')?.kind).toBe('description');
    expect(data.scan('x tok-0123456789abc y')?.kind).toBe('token');
    expect(data.scan('from 14155550199')?.kind).toBe('phone');
  });
});

describe('the functions log only through Powertools, where the guard listens', () => {
  const sources = (dir: string): string[] =>
    readdirSync(join(REPO, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f));

  it('no handler or shared module writes to the console or to stdout directly', () => {
    const writers = [...sources('functions'), ...sources('shared')].filter((file) =>
      /\bconsole\.(log|info|warn|error|debug)\(|process\.(stdout|stderr)\.write\(/.test(
        readFileSync(join(REPO, file), 'utf8'),
      ),
    );
    expect(writers).toEqual([]);
  });
});

describe('the log guard on the local runtime', () => {
  let rt: LocalRuntime;
  let guard: LogGuard;
  const description = `楼道里堆满纸箱，消防通道堵住了 ${randomUUID().slice(0, 8)}`;
  const typedPhone = '139 0013 9007';
  let reporterToken = '';
  let trackingCode = '';
  let shownCode = '';

  beforeAll(async () => {
    const installed = activeLogGuard();
    if (!installed) throw new Error('the log guard is not installed (vitest.config.ts setupFiles)');
    guard = installed;
    rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
    const response = await fetch(`${rt.url}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'public_safety',
        communityId: 'chengdong-kangning',
        description,
        contactPhone: typedPhone,
      }),
    });
    expect(response.status).toBe(202);
    const receipt = z
      .object({ trackingCode: z.string(), reporterToken: z.string() })
      .parse(await response.json());
    reporterToken = receipt.reporterToken;
    shownCode = receipt.trackingCode;
    trackingCode = shownCode.replaceAll('-', '');
    // Routed: the router logged it, and texted the reporter.
    const routed = () =>
      guard.functionLines().some((l) => l.includes('report routed') && l.includes(trackingCode));
    for (const until = Date.now() + 15_000; !routed() && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(routed()).toBe(true);
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it("captures the functions' own lines from a quiet runtime, and they carry no personal data", () => {
    const queued = guard.functionLines().find((l) => l.includes('report queued'));
    expect(queued).toContain(shownCode);
    expect(guard.invocations()).toBeGreaterThanOrEqual(2);
    expect(guard.leaks()).toEqual([]);
  });

  it('learns what the test sent: the phone as typed, the description and the token from the answer', () => {
    expect(guard.seen.scan(`x ${reporterToken} y`)?.kind).toBe('token');
    expect(guard.seen.scan(`{"d":"${description}"}`)?.kind).toBe('description');
    expect(guard.seen.scan('note: 139-0013-9007')?.kind).toBe('phone');
  });

  it('catches a planted line of each kind, written by the logger the functions use, and would fail the file', () => {
    const marker = `planted-${randomUUID()}`;
    const logger = createLogger('planted');
    logger.info('reporter', { marker, phone: '+8613900139007' });
    logger.warn('report', { marker, text: description });
    logger.error('rating', { marker, token: reporterToken });

    const planted = guard.leaks().filter((leak) => leak.line.includes(marker));
    expect(planted.map((leak) => leak.kind)).toEqual(['phone', 'description', 'token']);
    for (const leak of planted) {
      expect(leak.line).not.toContain('13900139007');
      expect(leak.line).not.toContain(description);
      expect(leak.line).not.toContain(reporterToken);
    }
    expect(() => guard.assertClean()).toThrow(/3 log line\(s\) carry personal data/);

    // Taken back, so this file passes; nothing else in it may leak.
    expect(guard.withdraw(marker)).toBe(3);
    expect(() => guard.assertClean()).not.toThrow();
  });
});
