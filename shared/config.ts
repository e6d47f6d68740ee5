/**
 * Function configuration from the environment, parsed once at cold start with zod. A missing or
 * malformed variable fails the cold start with a message naming it, instead of a vague error on
 * the first request.
 */

import { ConfigError } from './errors.ts';
import * as z from './schema.ts';
import { issuesOf } from './validation.ts';

/**
 * For `z.preprocess` of a deployment setting that may be left unset: CDK passes an unset context
 * value as '', which reads as absent, so the setting's default (or its absence) applies rather
 * than a parse of ''.
 */
export const unsetAsDefault = (value: unknown): unknown => (value === '' ? undefined : value);

export const TableName = z.string().check(z.minLength(3), z.maxLength(255));
export const QueueUrl = z.httpUrl();

/** `{ unitId: queueUrl }`, as the topology's unitQueues binding passes it. */
export const UnitQueueUrls = z.pipe(
  z.string(),
  z.transform((raw: string, ctx) => {
    const parsed = z.record(z.string(), QueueUrl).safeParse(safeJson(raw));
    if (!parsed.success) {
      ctx.issues.push({
        code: 'custom',
        message: 'expected a JSON object of unit id to queue URL',
        input: raw,
      });
      return z.NEVER;
    }
    return parsed.data;
  }),
);

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function loadConfig<S extends z.core.$ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = z.safeParse(schema, env);
  if (result.success) return result.data;
  const names = issuesOf(result.error)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  throw new ConfigError(`Invalid function configuration (${names})`, { cause: result.error });
}
