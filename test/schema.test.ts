/**
 * shared/schema.ts is zod as the functions use it: zod/mini with zod's English messages, and the
 * only way in. Classic installs English by itself, mini does not, so without it every issue would
 * read "Invalid input"; and one module importing 'zod' itself would put the classic API, and its
 * cost at every cold start, back into each function that bundles it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as z from '../shared/schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the schema module', () => {
  it('answers in zod\'s English words, not mini\'s bare "Invalid input"', () => {
    const Body = z.object({ name: z.string().check(z.minLength(2)), count: z.int() });
    const result = Body.safeParse({ name: 'x', count: 1.5 });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'Too small: expected string to have >=2 characters',
      'Invalid input: expected int, received number',
    ]);
  });

  it('runs a preprocess step on the raw input before the schema, as classic did', () => {
    const unsetAsDefault = z.preprocess(
      (value) => (value === '' ? undefined : value),
      z._default(z.coerce.number(), 7),
    );
    expect(unsetAsDefault.parse('')).toBe(7);
    expect(unsetAsDefault.parse('3')).toBe(3);
    expect(unsetAsDefault.safeParse('three').success).toBe(false);
  });

  it("is the only module of the functions, shared code and infrastructure that imports 'zod'", () => {
    const importers = ['shared', 'functions', 'infra'].flatMap((folder) =>
      readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => join(folder, file))
        .filter((file) => /from 'zod(\/[^']*)?'/.test(readFileSync(join(root, file), 'utf8'))),
    );
    expect(importers).toEqual([join('shared', 'schema.ts')]);
  });
});
