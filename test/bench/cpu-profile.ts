/**
 * Where the local runtime's CPU goes: samples this process with the V8 profiler (through the
 * inspector, no flags needed) and adds up self time by the code it was spent in — the system's
 * own code and libraries, the emulators, Node itself. Run over a separate burst of reports, so the
 * profiler's overhead never touches the latency figures.
 */
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

export interface CpuShare {
  group: string;
  ms: number;
  share: number;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The package of a node_modules path (`@scope/name` or `name`), from its last node_modules. */
function packageOf(path: string): string | undefined {
  const parts = path.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const first = parts[at + 1] ?? '';
  return first.startsWith('@') ? `${first}/${parts[at + 2] ?? ''}` : first;
}

export function groupOfUrl(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(idle)') return 'idle (event loop waiting)';
    if (functionName === '(garbage collector)') return 'garbage collection';
    return 'V8 / native (program, builtins)';
  }
  if (url.startsWith('node:')) return 'Node internals (http, streams, fetch, crypto)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = packageOf(path);
  if (pkg === undefined) {
    const local = path.startsWith(repoRoot) ? path.slice(repoRoot.length) : path;
    if (local.startsWith('functions/') || local.startsWith('shared/'))
      return 'civicloop code (functions, shared)';
    if (local.startsWith('infra/local/')) return 'local runtime (gateway, pollers)';
    if (local.startsWith('test/bench/')) return 'bench client';
    return 'other';
  }
  if (/^@(aws-sdk|smithy|aws-crypto|aws)\//.test(pkg)) return 'AWS SDK (handlers, pollers, bench)';
  if (pkg.startsWith('@aws-lambda-powertools/')) return 'Powertools';
  if (pkg === 'zod') return 'zod';
  if (pkg.startsWith('@middy/')) return 'middy';
  // Everything else installed is the emulators and what they pull in (level, fastify, ...).
  return 'emulators (dynalite, fauxqs and their deps)';
}

function summarise(profile: Profiler.Profile): CpuShare[] {
  const groupOfNode = new Map<number, string>();
  for (const node of profile.nodes) {
    groupOfNode.set(node.id, groupOfUrl(node.callFrame.url, node.callFrame.functionName));
  }
  const micros = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time since the previous sample: spent where sample i found the CPU.
  samples.forEach((nodeId, i) => {
    const group = groupOfNode.get(nodeId) ?? 'other';
    micros.set(group, (micros.get(group) ?? 0) + Math.max(0, deltas[i] ?? 0));
  });
  const total = [...micros.values()].reduce((a, b) => a + b, 0);
  return [...micros]
    .map(([group, us]) => ({ group, ms: us / 1000, share: total ? us / total : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** Runs `work` under the sampling profiler and returns self time by group, largest first. */
export async function profileCpu(work: () => Promise<void>): Promise<CpuShare[]> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await session.post('Profiler.start');
    let profile: Profiler.Profile | undefined;
    try {
      await work();
    } finally {
      ({ profile } = await session.post('Profiler.stop'));
    }
    return summarise(profile);
  } finally {
    session.disconnect();
  }
}
