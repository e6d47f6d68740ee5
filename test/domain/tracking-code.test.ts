import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatTrackingCode,
  generateTrackingCode,
  normaliseTrackingCode,
  TrackingCode,
} from '../../shared/domain/tracking-code.ts';

describe('tracking codes', () => {
  it('are nine characters without the letters people misread (I, L, O, U)', () => {
    for (let i = 0; i < 500; i++) {
      const code = generateTrackingCode((n) => randomBytes(n));
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{9}$/);
      expect(TrackingCode.safeParse(code).success).toBe(true);
    }
  });

  it('are not sequential: 10,000 codes are all different', () => {
    const codes = new Set(Array.from({ length: 10_000 }, () => generateTrackingCode((n) => randomBytes(n))));
    expect(codes.size).toBe(10_000);
  });

  it('print in three groups that can be read out on the phone', () => {
    expect(formatTrackingCode('K7M2QX9PA')).toBe('K7M-2QX-9PA');
  });

  it('accept what a resident types: lower case, spaces, hyphens, full-width, O for 0 and I or L for 1', () => {
    expect(normaliseTrackingCode('k7m-2qx-9pa')).toBe('K7M2QX9PA');
    expect(normaliseTrackingCode(' K7M 2QX 9PA ')).toBe('K7M2QX9PA');
    expect(normaliseTrackingCode('Ｋ７Ｍ－２ＱＸ－９ＰＡ')).toBe('K7M2QX9PA');
    expect(normaliseTrackingCode('O1I-L00-ABC')).toBe('011100ABC');
  });

  it('reject input that cannot be a code', () => {
    expect(normaliseTrackingCode('K7M-2QX')).toBeUndefined();
    expect(normaliseTrackingCode('K7M-2QX-9PU')).toBeUndefined();
    expect(normaliseTrackingCode('../../etc')).toBeUndefined();
  });
});
