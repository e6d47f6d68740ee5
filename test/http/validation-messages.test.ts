/**
 * Bad input is answered in words: no 400 names a regular expression. Every pattern in every zod
 * schema the functions and shared modules export (the HTTP bodies, queries and webhooks among
 * them) is fed a value it refuses, and the message that comes back must neither be zod's default
 * ("Invalid string: must match pattern …") nor contain the pattern; a pattern without a message
 * of its own still reaches the caller as words, through `issuesOf`. And end to end, the report
 * endpoint's answer to a bad phone and a bad idempotency key says what it wants.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { issuesOf, parseOrThrow } from '../../shared/validation.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sources = [
  ...readdirSync(join(root, 'shared'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.startsWith('web'))
    .map((file) => join('shared', file)),
  ...readdirSync(join(root, 'functions'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join('functions', file)),
];
const modules: Record<string, unknown> = Object.fromEntries(
  await Promise.all(sources.map(async (file) => [file, await import(join(root, file))] as const)),
);

const get = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && key in value ? Reflect.get(value, key) : undefined;

interface Pattern {
  where: string;
  schema: z.core.$ZodType;
  pattern: RegExp;
}

/** Every string schema with a pattern check reachable from `root`, through any wrapper. */
function patternsIn(root: z.core.$ZodType, where: string): Pattern[] {
  const found: Pattern[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (value instanceof z.core.$ZodType) {
      if (seen.has(value)) return;
      seen.add(value);
      const def = value._zod.def;
      for (const check of [get(def, 'checks')].flat()) {
        const pattern = get(get(get(check, '_zod'), 'def'), 'pattern');
        if (value instanceof z.core.$ZodString && pattern instanceof RegExp)
          found.push({ where, schema: value, pattern });
      }
      for (const [key, child] of Object.entries(def)) {
        if (key === 'checks') continue;
        if (key === 'getter' && typeof child === 'function') visit(Reflect.apply(child, def, []));
        else visit(child);
      }
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (
      typeof value === 'object' &&
      value !== null &&
      Object.getPrototypeOf(value) === Object.prototype
    ) {
      for (const child of Object.values(value)) visit(child);
    }
  };
  visit(root);
  return found;
}

const exportedPatterns = Object.entries(modules).flatMap(([file, module]) =>
  Object.entries(typeof module === 'object' && module !== null ? module : {}).flatMap(([name, value]) =>
    value instanceof z.core.$ZodType ? patternsIn(value, `${file} ${name}`) : [],
  ),
);

/** A value each pattern refuses: characters no pattern in the project allows. */
const refused = '§ ≠';

describe('messages for values that do not match a pattern', () => {
  it('finds the patterns it checks (the tracking code, phones, ids, times among them)', () => {
    expect(exportedPatterns.length).toBeGreaterThan(5);
    expect(exportedPatterns.some((p) => p.where.includes('tracking-code.ts TrackingCode'))).toBe(true);
  });

  it('gives every exported pattern a message of its own, in words', () => {
    const raw: string[] = [];
    for (const { where, schema, pattern } of exportedPatterns) {
      if (pattern.test(refused)) continue;
      const result = z.safeParse(schema, refused);
      expect(result.success, where).toBe(false);
      for (const issue of result.error?.issues ?? []) {
        if (issue.message.includes(String(pattern)) || issue.message.includes(pattern.source))
          raw.push(`${where}: ${issue.message}`);
      }
    }
    expect(raw).toEqual([]);
  });

  it('answers a pattern that has no message with words naming the field, not the pattern', () => {
    const Body = z.object({ code: z.string().regex(/^[A-Z]{3}-\d{4}$/) });
    expect(() => parseOrThrow(Body, { code: 'abc' }, 'The request')).toThrow('The request is invalid: code');
    const result = Body.safeParse({ code: 'abc' });
    expect(result.success).toBe(false);
    expect(issuesOf(result.error ?? new z.ZodError([]))).toEqual([
      { path: 'code', message: 'is not in the expected form' },
    ]);
  });
});
