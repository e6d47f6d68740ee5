/**
 * Turns zod failures into the ValidationError the edge understands, so every boundary (HTTP,
 * queue message, CSV row) reports bad input the same way: one issue per bad field, named by path.
 */
import type { z } from 'zod';
import { type FieldIssue, ValidationError } from './errors.ts';

export const issuesOf = (error: z.ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const fields = [...new Set(issues.map((i) => i.path || '(body)'))].join(', ');
  throw new ValidationError(`${what} is invalid: ${fields}`, issues, { cause: result.error });
}
