/**
 * Quiet hours as a specification: the Shanghai wall-clock window [start, end) in which outreach
 * SMS are not sent, and when a send that falls in it may go instead. Instants are written with
 * +08:00 so each example reads like the county's clock.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUIET_HOURS,
  isQuietHour,
  overlapsQuietHours,
  QuietHours,
  quietHoursEnd,
} from '../../../shared/domain/outreach/quiet-hours.ts';

/** An instant from a Shanghai wall-clock time, e.g. at('2026-12-01 21:00') or with seconds. */
const at = (local: string): Date => {
  const [date, time = ''] = local.split(' ');
  return new Date(`${date}T${time.length === 5 ? `${time}:00` : time}+08:00`);
};
const quiet = DEFAULT_QUIET_HOURS;
const lunch: QuietHours = { start: '12:00', end: '14:00' };
const never: QuietHours = { start: '09:00', end: '09:00' };

describe('QuietHours', () => {
  it('defaults to 21:00–08:00 and cannot be changed by a caller', () => {
    expect(DEFAULT_QUIET_HOURS).toEqual({ start: '21:00', end: '08:00' });
    expect(Object.isFrozen(DEFAULT_QUIET_HOURS)).toBe(true);
  });

  it('accepts HH:MM times and refuses anything else', () => {
    expect(QuietHours.safeParse({ start: '22:00', end: '07:30' }).success).toBe(true);
    const bad = QuietHours.safeParse({ start: '24:00', end: '8:00' });
    expect(bad.error?.issues.map((issue) => issue.path)).toEqual([['start'], ['end']]);
  });
});

describe('isQuietHour with the default 21:00–08:00', () => {
  it('is not quiet at 20:59, nor at its last second', () => {
    expect(isQuietHour(at('2026-12-01 20:59'), quiet)).toBe(false);
    expect(isQuietHour(at('2026-12-01 20:59:59.999'), quiet)).toBe(false);
  });

  it('is quiet from 21:00 exactly', () => {
    expect(isQuietHour(at('2026-12-01 21:00:00'), quiet)).toBe(true);
  });

  it('is quiet at midnight and at 07:59, and not at 08:00', () => {
    expect(isQuietHour(at('2026-12-02 00:00'), quiet)).toBe(true);
    expect(isQuietHour(at('2026-12-02 07:59'), quiet)).toBe(true);
    expect(isQuietHour(at('2026-12-02 07:59:59.999'), quiet)).toBe(true);
    expect(isQuietHour(at('2026-12-02 08:00'), quiet)).toBe(false);
  });

  it('reads the Shanghai clock, not UTC: 13:00Z is 21:00 in the county', () => {
    expect(isQuietHour(new Date('2026-12-01T13:00:00Z'), quiet)).toBe(true);
    expect(isQuietHour(new Date('2026-12-01T12:59:00Z'), quiet)).toBe(false);
    expect(isQuietHour(new Date('2026-12-01T23:59:00Z'), quiet)).toBe(true);
    expect(isQuietHour(new Date('2026-12-02T00:00:00Z'), quiet)).toBe(false);
  });

  it('refuses an invalid Date or a malformed setting', () => {
    expect(() => isQuietHour(new Date(Number.NaN), quiet)).toThrow(RangeError);
    expect(() => isQuietHour(at('2026-12-01 12:00'), { start: '9pm', end: '08:00' })).toThrow(RangeError);
  });
});

describe('isQuietHour with a window that does not wrap (12:00–14:00)', () => {
  it('is quiet from 12:00 until just before 14:00 and nowhere else', () => {
    expect(isQuietHour(at('2026-12-01 11:59'), lunch)).toBe(false);
    expect(isQuietHour(at('2026-12-01 12:00'), lunch)).toBe(true);
    expect(isQuietHour(at('2026-12-01 13:59'), lunch)).toBe(true);
    expect(isQuietHour(at('2026-12-01 14:00'), lunch)).toBe(false);
    expect(isQuietHour(at('2026-12-01 00:00'), lunch)).toBe(false);
    expect(isQuietHour(at('2026-12-01 22:00'), lunch)).toBe(false);
  });
});

describe('isQuietHour when start equals end', () => {
  it('is never quiet, at any hour', () => {
    for (let hour = 0; hour < 24; hour += 1) {
      const hh = String(hour).padStart(2, '0');
      expect(isQuietHour(at(`2026-12-01 ${hh}:00`), never)).toBe(false);
    }
    expect(isQuietHour(at('2026-12-01 09:00'), never)).toBe(false);
  });
});

describe('quietHoursEnd', () => {
  it('defers a send at 21:00 to 08:00 the next morning', () => {
    expect(quietHoursEnd(at('2026-12-01 21:00'), quiet).toISOString()).toBe(
      at('2026-12-02 08:00').toISOString(),
    );
  });

  it('crosses month and year ends: 21:00 on 30 Nov to 08:00 on 1 Dec, 23:30 on 31 Dec to 08:00 on 1 Jan', () => {
    expect(quietHoursEnd(at('2026-11-30 21:00'), quiet).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(quietHoursEnd(at('2026-12-31 23:30'), quiet).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('defers a send after midnight to 08:00 the same morning', () => {
    expect(quietHoursEnd(at('2026-12-02 00:00'), quiet).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(quietHoursEnd(at('2026-12-02 07:59'), quiet).toISOString()).toBe('2026-12-02T00:00:00.000Z');
  });

  it('leaves a send outside quiet hours where it is', () => {
    const eight = at('2026-12-02 08:00');
    expect(quietHoursEnd(eight, quiet)).toBe(eight);
    const late = at('2026-12-01 20:59:59');
    expect(quietHoursEnd(late, quiet)).toBe(late);
  });

  it('ends a lunch-time window at 14:00 the same day', () => {
    expect(quietHoursEnd(at('2026-12-01 12:30'), lunch).toISOString()).toBe(
      at('2026-12-01 14:00').toISOString(),
    );
  });

  it('never defers when start equals end', () => {
    const nine = at('2026-12-01 09:00');
    expect(quietHoursEnd(nine, never)).toBe(nine);
  });
});

describe('overlapsQuietHours', () => {
  it('flags a planned start inside the window, edges as [start, end)', () => {
    expect(overlapsQuietHours('20:59', quiet)).toBe(false);
    expect(overlapsQuietHours('21:00', quiet)).toBe(true);
    expect(overlapsQuietHours('00:00', quiet)).toBe(true);
    expect(overlapsQuietHours('07:59', quiet)).toBe(true);
    expect(overlapsQuietHours('08:00', quiet)).toBe(false);
  });

  it('handles a window that does not wrap and one that is empty', () => {
    expect(overlapsQuietHours('12:00', lunch)).toBe(true);
    expect(overlapsQuietHours('14:00', lunch)).toBe(false);
    expect(overlapsQuietHours('23:00', lunch)).toBe(false);
    expect(overlapsQuietHours('09:00', never)).toBe(false);
  });

  it('refuses a time that is not HH:MM', () => {
    expect(() => overlapsQuietHours('8:00', quiet)).toThrow(RangeError);
    expect(() => overlapsQuietHours('24:00', quiet)).toThrow(RangeError);
  });
});
