/**
 * Who hears about the invocations of the functions the local runtime hosts in this process: what
 * each was given and what it answered or threw. The integration suite learns from them which
 * personal data its tests sent, and holds the functions' logs to it (test/support/log-guard.ts).
 * A module of its own, without imports, so a listener can be registered without loading the host.
 */

/** One finished invocation of a hosted function. */
export interface Invocation {
  functionName: string;
  event: unknown;
  outcome: { kind: 'answered'; result: unknown } | { kind: 'threw'; error: unknown };
}

export type InvocationListener = (invocation: Invocation) => void;

const listeners = new Set<InvocationListener>();

/** Hears every invocation from now until the returned function is called. */
export function onInvocation(listener: InvocationListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Called by the host after each invocation. A listener that throws is ignored: it must not change the answer. */
export function tellInvocationListeners(invocation: Invocation): void {
  for (const listener of listeners) {
    try {
      listener(invocation);
    } catch {
      // An observer's failure is its own.
    }
  }
}
