/**
 * The suite's guard on personal data in logs. Installed for every test file (vitest setupFiles:
 * log-guard-setup.ts), it
 * - asks the local runtime to log at DEBUG even when quiet (CIVICLOOP_CAPTURED_LOG_LEVEL), so the
 *   hosted functions write every line they could write in AWS;
 * - takes every line written to this process's stdout and stderr, which is where the functions'
 *   Powertools loggers write (to CloudWatch in AWS), keeping the function log lines out of the
 *   terminal so a quiet runtime stays quiet and passing anything else through;
 * - learns from each invocation of a hosted function what the tests sent it (personal-data.ts);
 * - and fails the file in its afterAll when a line carries a phone number, a reporter token or a
 *   description.
 * Files that host no functions have nothing captured and nothing to check.
 */
import { onInvocation } from '../../infra/local/invocation-listeners.ts';
import { findPersonalData, type Leak, PersonalData } from './personal-data.ts';

export const CAPTURED_LOG_LEVEL = 'DEBUG';

export interface LogGuard {
  /** What the tests sent the functions, learnt so far. */
  readonly seen: PersonalData;
  /** Every line written so far, in order. */
  lines(): readonly string[];
  /** The lines a function logged (Powertools JSON), in order. */
  functionLines(): readonly string[];
  invocations(): number;
  leaks(): Leak[];
  /** Throws, naming each leak (masked), when any line carries personal data. */
  assertClean(): void;
  /**
   * Drops the lines that contain `marker` and returns how many: only for the test that plants
   * lines to show they are caught, which marks them with a value nothing else writes.
   */
  withdraw(marker: string): number;
}

type Done = (error?: Error | null) => void;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** A line of a Powertools logger: one JSON object with its level, time and service. */
function isFunctionLogLine(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const parsed: unknown = JSON.parse(line);
    return (
      isRecord(parsed) &&
      typeof parsed.level === 'string' &&
      typeof parsed.timestamp === 'string' &&
      typeof parsed.service === 'string'
    );
  } catch {
    return false;
  }
}

const MAX_LISTED = 10;

let active: LogGuard | undefined;

/** The guard installed in this test file, if any. */
export const activeLogGuard = (): LogGuard | undefined => active;

export function installLogGuard(): LogGuard {
  if (active) return active;
  process.env.CIVICLOOP_CAPTURED_LOG_LEVEL ??= CAPTURED_LOG_LEVEL;
  // In dev mode Powertools writes to the global console, which vitest takes before stdout.
  delete process.env.POWERTOOLS_DEV;
  const seen = new PersonalData();
  let lines: { text: string; fromFunction: boolean }[] = [];
  let invocations = 0;
  onInvocation((invocation) => {
    invocations += 1;
    seen.learn(invocation);
  });

  const intercept = (stream: NodeJS.WriteStream) => {
    const original = stream.write.bind(stream);
    const write: typeof stream.write = (
      chunk: string | Uint8Array,
      encodingOrDone?: BufferEncoding | Done,
      done?: Done,
    ): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const written = text.split('\n').filter((line) => line.trim() !== '');
      const fromFunction = written.length > 0 && written.every(isFunctionLogLine);
      for (const line of written) lines.push({ text: line, fromFunction });
      if (!fromFunction) {
        return typeof encodingOrDone === 'function'
          ? original(chunk, encodingOrDone)
          : original(chunk, encodingOrDone, done);
      }
      const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done;
      if (callback) queueMicrotask(() => callback());
      return true;
    };
    stream.write = write;
  };
  intercept(process.stdout);
  intercept(process.stderr);

  const leaks = () =>
    findPersonalData(
      lines.map((l) => l.text),
      seen,
    );
  active = {
    seen,
    lines: () => lines.map((l) => l.text),
    functionLines: () => lines.filter((l) => l.fromFunction).map((l) => l.text),
    invocations: () => invocations,
    leaks,
    assertClean() {
      const found = leaks();
      if (found.length === 0) return;
      const listed = found.slice(0, MAX_LISTED).map((leak) => `  ${leak.kind}: ${leak.line}`);
      const more = found.length > MAX_LISTED ? [`  … and ${found.length - MAX_LISTED} more`] : [];
      throw new Error(
        [
          `${found.length} log line(s) carry personal data (a phone number, a reporter token or a description):`,
          ...listed,
          ...more,
        ].join('\n'),
      );
    },
    withdraw(marker) {
      const before = lines.length;
      lines = lines.filter((l) => !l.text.includes(marker));
      return before - lines.length;
    },
  };
  return active;
}
