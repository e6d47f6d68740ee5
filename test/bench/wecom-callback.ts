/**
 * The WeChat Work callback's time to acknowledge (issue 16): the platform waits at most 5 seconds
 * for the answer and retries otherwise, so the callback answers first and the case is made from
 * the intake queue. Grid workers' text appeals, sealed (signed and encrypted) exactly as the
 * platform seals them, are posted to `POST /api/wecom/callback` of an in-memory local runtime with
 * its WeChat Work simulator, a bounded number in flight; the time is from sending the POST to its
 * answer, which includes the conditional write that refuses replays, the enqueue and the app
 * message with the tracking code. Then each appeal's code must have reached its worker through the
 * simulator. Everything shares one Node process, so this describes the code path, not AWS.
 */
import { performance } from 'node:perf_hooks';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { sealCallback } from '../../infra/local/wecom-simulator.ts';
import { textMessageXml } from '../../shared/domain/wecom/callback-message.ts';
import { percentile } from './table.ts';

export interface CallbackBenchOptions {
  appeals: number;
  concurrency: number;
  /** Bound on waiting for the codes to reach the workers after the last answer. */
  timeoutMs: number;
  progress: (line: string) => void;
}

export interface CallbackBenchReport {
  appeals: number;
  concurrency: number;
  workers: number;
  /** Answers by HTTP status. */
  statuses: Map<number, number>;
  /** Milliseconds to acknowledge, sorted. */
  ackMs: number[];
  overFiveSeconds: number;
  /** Appeals whose tracking code reached the worker as an app message. */
  codesSent: number;
  wallMs: number;
}

/** A few appeals a grid worker might forward in a day, in the residents' words. */
const appealTexts = [
  '康宁社区3号楼楼道灯坏了一个星期，晚上很黑',
  '小区门口垃圾桶满了没人清运，味道很大',
  '有人在河边烧垃圾，烟很大',
  '路口的井盖松动，车压过去响',
  '楼下餐馆油烟直排到居民窗户',
];

export async function benchWecomCallback(options: CallbackBenchOptions): Promise<CallbackBenchReport> {
  const workers = demoOrganisation.grids.flatMap((grid) => (grid.wecomUserId ? [grid.wecomUserId] : []));
  if (workers.length === 0)
    throw new Error('the demo organisation has no grid worker with a WeChat Work userid');
  const rt: LocalRuntime = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  try {
    const sim = rt.wecom;
    if (!sim) throw new Error('the runtime has no WeChat Work simulator');
    const keys = rt.wecomCallbackKeys();
    const sentBefore = sim.sent.length;
    const statuses = new Map<number, number>();
    const ackMs: number[] = [];
    let next = 0;
    const started = performance.now();
    const postOne = async (n: number) => {
      const timestamp = Math.floor(Date.now() / 1000);
      const message = textMessageXml({
        corpId: keys.corpId,
        fromUser: workers[n % workers.length] ?? '',
        createTime: timestamp,
        msgId: String(8_100_000_000_000_000_000n + BigInt(n)),
        agentId: keys.agentId,
        content: appealTexts[n % appealTexts.length] ?? '',
      });
      const sealed = sealCallback(message, keys, { timestamp, nonce: String(100_000 + n) });
      const sentAt = performance.now();
      const response = await fetch(`${rt.url}/api/wecom/callback?${new URLSearchParams(sealed.query)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: sealed.body,
      });
      await response.arrayBuffer();
      ackMs.push(performance.now() - sentAt);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    };
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.appeals) await postOne(next++);
      }),
    );
    const wallMs = performance.now() - started;
    options.progress(`wecom callback: ${options.appeals} appeals answered in ${Math.round(wallMs)} ms`);
    // The answers with a code; the status relays of the cases made (【进展】…) arrive besides.
    const codesSent = () =>
      sim.sent
        .slice(sentBefore)
        .filter((m) => !m.content.startsWith('【进展】') && m.content.includes('查询码')).length;
    const deadline = Date.now() + options.timeoutMs;
    while (codesSent() < options.appeals && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    ackMs.sort((a, b) => a - b);
    return {
      appeals: options.appeals,
      concurrency: options.concurrency,
      workers: workers.length,
      statuses,
      ackMs,
      overFiveSeconds: ackMs.filter((t) => t > 5000).length,
      codesSent: codesSent(),
      wallMs,
    };
  } finally {
    await rt.stop();
  }
}

export const ackDistribution = (r: CallbackBenchReport) => ({
  p50: percentile(r.ackMs, 50),
  p90: percentile(r.ackMs, 90),
  p99: percentile(r.ackMs, 99),
  max: r.ackMs.at(-1) ?? Number.NaN,
});
