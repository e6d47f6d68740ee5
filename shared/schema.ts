/**
 * zod as every schema of the functions uses it: `zod/mini`, with zod's English messages. Modules
 * import `* as z` from here, never from 'zod'.
 *
 * Why mini: a cold start builds every schema of every module its function imports (600–1,000 of
 * them in the case and SMS functions). zod's classic API makes each one a larger object with
 * methods, and loading it costs a fixed ~7 ms of CPU more; mini's functions build the same schemas
 * (same parsing, same issues) for about a quarter less of the function's whole load
 * (BENCHMARKS.md, "Cold starts: zod/mini"). Where classic chains (`z.string().min(1).optional()`),
 * mini wraps and checks: `z.optional(z.string().check(z.minLength(1)))`.
 *
 * Why here: classic installs the English messages on first use, mini does not ("Invalid input"
 * for every issue), and the API's answers name what is wrong in words. Only the English locale is
 * imported: `z.locales` would bundle all of them.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';

/**
 * `fn` runs on the raw input before `schema` sees it: classic's `z.preprocess`, which mini lacks
 * (a deployment setting left unset arrives as '', for instance, and should read as absent).
 */
export const preprocess = <S extends z.core.$ZodType>(fn: (input: unknown) => unknown, schema: S) =>
  z.pipe(z.transform(fn), schema);
