import { describe, expect, it } from 'vitest';
import { openCursor, sealCursor } from '../../shared/adapters/page-cursor.ts';
import { ValidationError } from '../../shared/errors.ts';

const key = 'a-test-secret-of-at-least-32-characters';
const binding = { caller: 'user-1', listing: { kind: 'unit', unitId: 'transport', open: true }, filter: {} };
const lastKey = {
  pk: 'CASE#K7M2QX9PA',
  sk: 'STATE',
  unitLane: 'UNIT#transport#open',
  laneSk: '2026-12-01#K7M2QX9PA',
};

const refusal = (open: () => unknown) => {
  try {
    open();
  } catch (error) {
    return error;
  }
  throw new Error('the cursor was accepted');
};

describe('sealed page cursors', () => {
  it('resume exactly the key they were sealed with, for the same binding', () => {
    const cursor = sealCursor(key, binding, lastKey);
    expect(cursor).toMatch(/^[\w-]+\.[\w-]{43}$/);
    expect(openCursor(key, binding, cursor)).toEqual(lastKey);
  });

  it('are not given when there is no next page, and no cursor opens to no key', () => {
    expect(sealCursor(key, binding, undefined)).toBeUndefined();
    expect(openCursor(key, binding, undefined)).toBeUndefined();
  });

  it('do not depend on the order of the binding’s fields', () => {
    const cursor = sealCursor(key, binding, lastKey);
    const reordered = {
      filter: {},
      listing: { open: true, unitId: 'transport', kind: 'unit' },
      caller: 'user-1',
    };
    expect(openCursor(key, reordered, cursor)).toEqual(lastKey);
  });

  it.each([
    ['another caller', key, { ...binding, caller: 'user-2' }],
    ['another listing', key, { ...binding, listing: { ...binding.listing, open: false } }],
    ['another filter', key, { ...binding, filter: { stage: 'dispatched' } }],
    ['another secret', `${key}-rotated`, binding],
  ])('are a ValidationError naming `cursor` for %s', (_, otherKey, otherBinding) => {
    const cursor = sealCursor(key, binding, lastKey);
    const error = refusal(() => openCursor(otherKey, otherBinding, cursor));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'cursor' }] });
  });

  it('refuse any edit, a missing or extra part, and an unsigned key', () => {
    const cursor = sealCursor(key, binding, lastKey) ?? '';
    const [body = '', mac = ''] = cursor.split('.');
    const lastChar = mac.at(-1) === 'A' ? 'B' : 'A';
    const otherBody = Buffer.from(JSON.stringify({ ...lastKey, pk: 'CASE#000000000' })).toString('base64url');
    for (const forged of [
      `${body}.${mac.slice(0, -1)}${lastChar}`,
      `${otherBody}.${mac}`,
      body,
      `${body}.`,
      `.${mac}`,
      `${cursor}.${mac}`,
      `${body}.${mac}=`,
    ]) {
      expect(refusal(() => openCursor(key, binding, forged))).toMatchObject({ issues: [{ path: 'cursor' }] });
    }
  });
});
