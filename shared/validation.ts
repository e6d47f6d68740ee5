/**
 * Turns zod failures into the ValidationError the edge understands, so every boundary (HTTP,
 * queue message, CSV row) reports bad input the same way: one issue per bad field, named by path.
 */

import { type FieldIssue, ValidationError } from './errors.ts';
import * as z from './schema.ts';

/**
 * The issue's message, unless it is zod's default for a pattern ("Invalid string: must match
 * pattern /^…$/"): a regular expression tells a resident nothing. Every pattern should carry its
 * own message saying the expected form; this is the net under one that does not.
 */
function humanMessage(issue: z.core.$ZodIssue): string {
  if (
    issue.code === 'invalid_format' &&
    issue.pattern !== undefined &&
    issue.message.includes(issue.pattern)
  ) {
    return 'is not in the expected form';
  }
  return issue.message;
}

export const issuesOf = (error: z.core.$ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: humanMessage(issue) }));

export function parseOrThrow<S extends z.core.$ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const fields = [...new Set(issues.map((i) => i.path || '(body)'))].join(', ');
  throw new ValidationError(`${what} is invalid: ${fields}`, issues, { cause: result.error });
}
