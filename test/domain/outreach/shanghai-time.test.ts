/**
 * Shanghai wall-clock time as a specification: a fixed UTC+08:00, so an instant late in the UTC
 * evening is already the next morning in the county, and local date-times round-trip exactly.
 */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  fromShanghaiLocal,
  LocalDateTime,
  SHANGHAI_OFFSET_MS,
  shanghaiDay,
  shanghaiLocal,
} from '../../../shared/domain/outreach/shanghai-time.ts';

describe('LocalDateTime', () => {
  it('accepts a real date and time to the minute', () => {
    expect(LocalDateTime.safeParse('2026-12-01T09:00').success).toBe(true);
    expect(LocalDateTime.safeParse('2028-02-29T23:59').success).toBe(true);
  });

  it.each([
    ['2026-02-30T09:00', 'a date that does not exist'],
    ['2027-02-29T09:00', 'Feb 29 outside a leap year'],
    ['2026-12-01T24:00', 'hour 24'],
    ['2026-12-01T09:60', 'minute 60'],
    ['2026-12-01 09:00', 'a space instead of T'],
    ['2026-12-01T09:00:00', 'seconds'],
    ['2026-12-01T09:00+08:00', 'an offset'],
    ['2026-12-01', 'a date alone'],
  ])('rejects %s (%s) and says which format it wants', (value) => {
    const result = LocalDateTime.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('a local time as YYYY-MM-DDTHH:MM (Asia/Shanghai)');
  });
});

describe('shanghaiLocal', () => {
  it('reads an instant eight hours ahead of UTC', () => {
    expect(shanghaiLocal(new Date('2026-12-01T01:00:00Z'))).toEqual({
      date: '2026-12-01',
      time: '09:00',
      dateTime: '2026-12-01T09:00',
      weekday: 2,
    });
  });

  it('puts 16:00Z on a Monday at midnight starting Tuesday in Shanghai', () => {
    expect(shanghaiLocal(new Date('2026-11-30T16:00:00Z'))).toMatchObject({
      date: '2026-12-01',
      time: '00:00',
      weekday: 2,
    });
    expect(shanghaiLocal(new Date('2026-11-30T15:59:59.999Z'))).toMatchObject({
      date: '2026-11-30',
      time: '23:59',
      weekday: 1,
    });
  });

  it('drops seconds instead of rounding them up', () => {
    expect(shanghaiLocal(new Date('2026-12-01T12:59:59Z')).time).toBe('20:59');
  });

  it('counts weekdays from Sunday = 0', () => {
    expect(shanghaiLocal(new Date('2026-12-06T04:00:00Z')).weekday).toBe(0);
    expect(shanghaiLocal(new Date('2026-12-05T04:00:00Z')).weekday).toBe(6);
  });

  it('refuses an invalid Date', () => {
    expect(() => shanghaiLocal(new Date('nope'))).toThrow(RangeError);
  });
});

describe('fromShanghaiLocal', () => {
  it('gives the instant eight hours earlier in UTC', () => {
    expect(fromShanghaiLocal('2026-12-01T07:30').toISOString()).toBe('2026-11-30T23:30:00.000Z');
    expect(SHANGHAI_OFFSET_MS).toBe(8 * 60 * 60 * 1000);
  });

  it('round-trips through shanghaiLocal', () => {
    for (const local of ['2026-01-01T00:00', '2026-03-29T02:30', '2026-10-25T02:30', '2028-02-29T23:59']) {
      expect(shanghaiLocal(fromShanghaiLocal(local)).dateTime).toBe(local);
    }
  });

  it('refuses a malformed or impossible local time', () => {
    expect(() => fromShanghaiLocal('2026-02-30T09:00')).toThrow(RangeError);
    expect(() => fromShanghaiLocal('2026-12-01T09:00Z')).toThrow(/YYYY-MM-DDTHH:MM/);
  });
});

describe('shanghaiDay', () => {
  it('gives the Shanghai date of a Date', () => {
    expect(shanghaiDay(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(shanghaiDay(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('accepts a stored ISO timestamp with Z or an offset', () => {
    expect(shanghaiDay('2026-11-30T23:30:00.000Z')).toBe('2026-12-01');
    expect(shanghaiDay('2026-12-01T07:30:00+08:00')).toBe('2026-12-01');
    expect(shanghaiDay('2026-12-01T00:30-05:00')).toBe('2026-12-01');
  });

  it('refuses a timestamp without an offset, which would be read in the server zone', () => {
    expect(() => shanghaiDay('2026-12-01T07:30:00')).toThrow(RangeError);
    expect(() => shanghaiDay('yesterday')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it('crosses month and year ends and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-01', 0)).toBe('2026-12-01');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
  });

  it('refuses a malformed date or a fractional number of days', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2026-12-01', 0.5)).toThrow(RangeError);
  });
});
