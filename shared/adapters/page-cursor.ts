/**
 * Opaque page cursors: a DynamoDB LastEvaluatedKey as base64url JSON. Decoding validates the
 * shape, so a tampered or foreign cursor is a 400 naming `cursor`, not a DynamoDB error.
 */
import * as z from 'zod';
import { ValidationError } from '../errors.ts';

const Cursor = z.record(z.string(), z.union([z.string(), z.number()]));

export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

export function decodeCursor(cursor: string | undefined): Record<string, string | number> | undefined {
  if (!cursor) return undefined;
  try {
    return Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (error) {
    throw new ValidationError(
      'The cursor is not one this API gave out',
      [{ path: 'cursor', message: 'invalid cursor' }],
      { cause: error },
    );
  }
}
