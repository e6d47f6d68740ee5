/**
 * Reading a queue message body: JSON first, then the zod schema, so a malformed message fails
 * with a ValidationError naming its fields (and goes to the DLQ after retries), never a cast.
 */

import { MalformedBodyError } from '../errors.ts';
import type * as z from '../schema.ts';
import { parseOrThrow } from '../validation.ts';

export function parseMessageBody<S extends z.core.$ZodType>(
  schema: S,
  body: string,
  what: string,
): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new MalformedBodyError(`${what} is not valid JSON`, { cause: error });
  }
  return parseOrThrow(schema, json, what);
}
