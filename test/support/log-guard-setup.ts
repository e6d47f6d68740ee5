/**
 * vitest setupFiles entry: every test file runs under the log guard (log-guard.ts), and fails in
 * its last afterAll, after its own have stopped the runtime, if a function logged personal data.
 */
import { afterAll } from 'vitest';
import { installLogGuard } from './log-guard.ts';

const guard = installLogGuard();

afterAll(() => {
  guard.assertClean();
});
