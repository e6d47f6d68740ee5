/**
 * Runs a bench measurement in a process of its own (its memory and its module state stay out of
 * the other figures): forks `modulePath` with the job as its argument, and waits, bounded, for its
 * one answer — an `{ ok: true, … }` outcome, or `{ ok: false, error }` — before it exits.
 */
import { fork } from 'node:child_process';
import type * as z from 'zod';

export interface ChildJobOptions {
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  timeoutMs: number;
  /** How errors name the process, e.g. "the planner process". */
  what: string;
}

type Failed = { ok: false; error: string };

export function runInChild<T extends { ok: true }>(
  modulePath: string,
  job: unknown,
  schema: z.ZodType<T | Failed>,
  options: ChildJobOptions,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(modulePath, [JSON.stringify(job)], {
      env: options.env ?? process.env,
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let outcome: T | Failed | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.what} did not finish within ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    child.on('message', (message) => {
      const parsed = schema.safeParse(message);
      outcome = parsed.success ? parsed.data : { ok: false, error: 'an answer that is not its outcome' };
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (outcome?.ok) resolve(outcome);
      else {
        const error = outcome?.error ?? 'it gave no answer';
        reject(new Error(`${options.what} failed (exit ${code ?? signal}): ${error}`));
      }
    });
  });
}
