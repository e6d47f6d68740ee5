/**
 * The working calendar as a specification: which days count, how deadlines and working hours are
 * counted around weekends, holidays and make-up working days (调休), and the county's 2025–2026
 * calendar data. Instants are written in local time (+08:00) so each example reads like the
 * office clock.
 */
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingHours,
  isWorkingDay,
  localDateOf,
  WorkingCalendar,
  workingTimeBetween,
} from '../../shared/domain/working-calendar.ts';
import { countyCalendar } from '../../shared/reference/county-calendar.ts';

const cal = countyCalendar;
const HOUR = 3_600_000;

/** An instant from a local Asia/Shanghai wall-clock time, e.g. at('2026-03-09 10:00'). */
const at = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

const weekdayOf = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay();

// March 2026 has no holidays: Monday 9th to Sunday 15th is a plain week.
describe('isWorkingDay', () => {
  it('counts Monday to Friday of a plain week and not the weekend', () => {
    const week = [
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
      '2026-03-15',
    ];
    expect(week.map((d) => isWorkingDay(d, cal))).toEqual([true, true, true, true, true, false, false]);
  });

  it('does not count a public holiday that falls on a weekday', () => {
    expect(isWorkingDay('2026-10-01', cal)).toBe(false); // Thursday, National Day
    expect(isWorkingDay('2025-01-01', cal)).toBe(false); // Wednesday, New Year
  });

  it('counts a make-up Saturday or Sunday (调休) as a working day', () => {
    expect(isWorkingDay('2026-02-14', cal)).toBe(true); // Saturday before the 2026 Spring Festival
    expect(isWorkingDay('2025-09-28', cal)).toBe(true); // Sunday before National Day 2025
  });

  it('rejects a malformed or non-existent date', () => {
    expect(() => isWorkingDay('2026-3-9', cal)).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-30', cal)).toThrow(RangeError);
  });
});

describe('localDateOf and the Asia/Shanghai offset', () => {
  it('reads 2026-01-05T00:30:00Z as 08:30 local on Monday 5 January, the moment the offices open', () => {
    const opening = new Date('2026-01-05T00:30:00Z');
    expect(opening).toEqual(at('2026-01-05 08:30'));
    expect(localDateOf(opening, cal)).toBe('2026-01-05');
    // No working time has passed before it, one hour of it has passed an hour later.
    expect(workingTimeBetween(new Date('2026-01-05T00:00:00Z'), opening, cal)).toBe(0);
    expect(addWorkingHours(opening, 1, cal)).toEqual(new Date('2026-01-05T01:30:00Z'));
  });

  it('changes the local date at local midnight, which is 16:00 UTC the day before', () => {
    expect(localDateOf(new Date('2026-01-04T15:59:59.999Z'), cal)).toBe('2026-01-04');
    expect(localDateOf(new Date('2026-01-04T16:00:00Z'), cal)).toBe('2026-01-05');
  });
});

describe('addWorkingDays: due at the close (17:30) of the Nth working day after the start day', () => {
  it('does not count the start day: Monday 10:00 plus 1 working day is Tuesday 17:30', () => {
    expect(addWorkingDays(at('2026-03-09 10:00'), 1, cal)).toEqual(at('2026-03-10 17:30'));
  });

  it('does not count the start day even before the offices open', () => {
    expect(addWorkingDays(at('2026-03-09 07:00'), 1, cal)).toEqual(at('2026-03-10 17:30'));
  });

  it('skips the weekend in a plain week', () => {
    expect(addWorkingDays(at('2026-03-09 10:00'), 5, cal)).toEqual(at('2026-03-16 17:30'));
    expect(addWorkingDays(at('2026-03-13 10:00'), 1, cal)).toEqual(at('2026-03-16 17:30')); // Friday → Monday
    expect(addWorkingDays(at('2026-03-14 10:00'), 1, cal)).toEqual(at('2026-03-16 17:30')); // Saturday → Monday
  });

  it('uses the local date: 01:00 Tuesday in Pingyao is still Monday in UTC, and counts from Tuesday', () => {
    const tuesdayNight = new Date('2026-03-09T17:00:00Z'); // 2026-03-10 01:00 local
    expect(addWorkingDays(tuesdayNight, 1, cal)).toEqual(at('2026-03-11 17:30'));
  });

  describe('across the 2026 Spring Festival (off Feb 15–23; make-up Saturdays Feb 14 and Feb 28)', () => {
    it('a report on Friday evening Feb 13 is due the next day, the make-up Saturday, for 1 working day', () => {
      expect(addWorkingDays(at('2026-02-13 18:00'), 1, cal)).toEqual(at('2026-02-14 17:30'));
    });

    it('its second working day is Tuesday Feb 24, after the whole holiday', () => {
      expect(addWorkingDays(at('2026-02-13 18:00'), 2, cal)).toEqual(at('2026-02-24 17:30'));
    });

    it('the make-up Saturday Feb 28 counts too', () => {
      // Feb 14 (1), Feb 24–27 (2–5), Feb 28 (6).
      expect(addWorkingDays(at('2026-02-13 18:00'), 5, cal)).toEqual(at('2026-02-27 17:30'));
      expect(addWorkingDays(at('2026-02-13 18:00'), 6, cal)).toEqual(at('2026-02-28 17:30'));
    });

    it('a report during the holiday is counted from the first working day after it', () => {
      expect(addWorkingDays(at('2026-02-18 11:00'), 1, cal)).toEqual(at('2026-02-24 17:30'));
      expect(addWorkingDays(at('2026-02-14 10:00'), 1, cal)).toEqual(at('2026-02-24 17:30'));
    });
  });

  describe('across National Day 2025 (off Oct 1–8; make-up Sunday Sep 28 and Saturday Oct 11)', () => {
    it('a report on Friday Sep 26 is due on the make-up Sunday Sep 28 for 1 working day', () => {
      expect(addWorkingDays(at('2025-09-26 15:00'), 1, cal)).toEqual(at('2025-09-28 17:30'));
    });

    it('the fourth working day after it is Thursday Oct 9, after the holiday', () => {
      // Sep 28 (1), Sep 29 (2), Sep 30 (3), Oct 9 (4).
      expect(addWorkingDays(at('2025-09-26 15:00'), 4, cal)).toEqual(at('2025-10-09 17:30'));
    });

    it('a report on the evening before the holiday week waits for the holiday to end', () => {
      expect(addWorkingDays(at('2025-09-30 19:00'), 1, cal)).toEqual(at('2025-10-09 17:30'));
      expect(addWorkingDays(at('2025-09-30 19:00'), 3, cal)).toEqual(at('2025-10-11 17:30')); // make-up Saturday
    });
  });

  it('needs a whole number of at least 1 working day', () => {
    expect(() => addWorkingDays(at('2026-03-09 10:00'), 0, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2026-03-09 10:00'), -1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2026-03-09 10:00'), 1.5, cal)).toThrow(RangeError);
  });

  it('fails loudly rather than loop forever on a calendar with no working days', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const everyDayOff = Array.from({ length: 800 }, (_, i) =>
      new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    );
    const closed: WorkingCalendar = { ...cal, holidays: everyDayOff, makeUpWorkdays: [] };
    expect(() => addWorkingDays(at('2026-01-01 10:00'), 1, closed)).toThrow(/no working day/);
    expect(() => addWorkingHours(at('2026-01-01 10:00'), 1, closed)).toThrow(/no working day/);
  });
});

describe('addWorkingHours: only office time (08:30–17:30) on working days counts', () => {
  it('adds within one working day', () => {
    expect(addWorkingHours(at('2026-03-09 09:00'), 2, cal)).toEqual(at('2026-03-09 11:00'));
  });

  it('ends at closing time, not the next morning, when the hours fit exactly', () => {
    expect(addWorkingHours(at('2026-03-09 15:30'), 2, cal)).toEqual(at('2026-03-09 17:30'));
    expect(addWorkingHours(at('2026-03-09 08:30'), 9, cal)).toEqual(at('2026-03-09 17:30'));
  });

  it('carries the rest over a day boundary: 16:30 plus 2 hours is 09:30 the next working day', () => {
    expect(addWorkingHours(at('2026-03-09 16:30'), 2, cal)).toEqual(at('2026-03-10 09:30'));
    expect(addWorkingHours(at('2026-03-09 08:30'), 10, cal)).toEqual(at('2026-03-10 09:30'));
  });

  it('carries the rest over a weekend: Friday 16:30 plus 2 hours is Monday 09:30', () => {
    expect(addWorkingHours(at('2026-03-13 16:30'), 2, cal)).toEqual(at('2026-03-16 09:30'));
  });

  it('carries the rest over a holiday, and onto a make-up Saturday', () => {
    expect(addWorkingHours(at('2026-09-30 16:30'), 2, cal)).toEqual(at('2026-10-08 09:30'));
    expect(addWorkingHours(at('2026-02-13 16:30'), 2, cal)).toEqual(at('2026-02-14 09:30'));
  });

  it('starts counting at the next opening when it starts outside working hours', () => {
    expect(addWorkingHours(at('2026-03-09 07:00'), 1, cal)).toEqual(at('2026-03-09 09:30')); // before 08:30
    expect(addWorkingHours(at('2026-03-09 19:00'), 1, cal)).toEqual(at('2026-03-10 09:30')); // after 17:30
    expect(addWorkingHours(at('2026-03-14 12:00'), 1, cal)).toEqual(at('2026-03-16 09:30')); // Saturday
    expect(addWorkingHours(at('2026-10-03 10:00'), 1, cal)).toEqual(at('2026-10-08 09:30')); // holiday
  });

  it('accepts fractions of an hour', () => {
    expect(addWorkingHours(at('2026-03-09 17:00'), 0.75, cal)).toEqual(at('2026-03-10 08:45'));
  });

  it('needs a positive number of hours', () => {
    expect(() => addWorkingHours(at('2026-03-09 10:00'), 0, cal)).toThrow(RangeError);
    expect(() => addWorkingHours(at('2026-03-09 10:00'), -2, cal)).toThrow(RangeError);
    expect(() => addWorkingHours(at('2026-03-09 10:00'), Number.NaN, cal)).toThrow(RangeError);
  });
});

describe('workingTimeBetween: milliseconds of office time between two instants', () => {
  it('measures a span within one working day', () => {
    expect(workingTimeBetween(at('2026-03-09 09:00'), at('2026-03-09 11:30'), cal)).toBe(2.5 * HOUR);
  });

  it('leaves out the time before opening and after closing', () => {
    expect(workingTimeBetween(at('2026-03-09 07:00'), at('2026-03-09 20:00'), cal)).toBe(9 * HOUR);
    expect(workingTimeBetween(at('2026-03-09 18:00'), at('2026-03-10 08:00'), cal)).toBe(0);
  });

  it('leaves out a weekend: Friday 16:30 to Monday 09:30 is 2 hours', () => {
    expect(workingTimeBetween(at('2026-03-13 16:30'), at('2026-03-16 09:30'), cal)).toBe(2 * HOUR);
    expect(workingTimeBetween(at('2026-03-14 09:00'), at('2026-03-15 17:00'), cal)).toBe(0);
  });

  it('leaves out a holiday but counts a make-up working day', () => {
    expect(workingTimeBetween(at('2026-09-30 16:30'), at('2026-10-08 09:30'), cal)).toBe(2 * HOUR);
    // 2025-09-26 Fri 16:30 → Mon 29 09:30: Friday's last hour, all of make-up Sunday 28th, Monday's first hour.
    expect(workingTimeBetween(at('2025-09-26 16:30'), at('2025-09-29 09:30'), cal)).toBe(11 * HOUR);
  });

  it('counts a plain week as five nine-hour days', () => {
    expect(workingTimeBetween(at('2026-03-09 00:00'), at('2026-03-16 00:00'), cal)).toBe(45 * HOUR);
  });

  it('is zero for a zero or negative span', () => {
    expect(workingTimeBetween(at('2026-03-09 10:00'), at('2026-03-09 10:00'), cal)).toBe(0);
    expect(workingTimeBetween(at('2026-03-09 11:00'), at('2026-03-09 10:00'), cal)).toBe(0);
  });

  it('undoes addWorkingHours', () => {
    const starts = [
      '2026-03-09 07:00',
      '2026-03-13 16:30',
      '2026-02-12 12:15',
      '2025-09-30 17:00',
      '2026-10-03 10:00',
    ];
    for (const start of starts) {
      for (const hours of [1, 4, 9, 20, 100]) {
        const end = addWorkingHours(at(start), hours, cal);
        expect(workingTimeBetween(at(start), end, cal), `${start} + ${hours}h`).toBe(hours * HOUR);
      }
    }
  });
});

describe('the WorkingCalendar schema', () => {
  it('rejects working hours that close before they open', () => {
    expect(WorkingCalendar.safeParse({ ...cal, workdayStart: '17:30', workdayEnd: '08:30' }).success).toBe(
      false,
    );
    expect(WorkingCalendar.safeParse({ ...cal, workdayEnd: '25:00' }).success).toBe(false);
  });

  it('rejects a day listed both as a holiday and as a make-up working day', () => {
    const result = WorkingCalendar.safeParse({
      ...cal,
      makeUpWorkdays: [...cal.makeUpWorkdays, '2026-10-03'],
    });
    expect(result.success).toBe(false);
  });

  it('rejects a make-up working day that is not a weekend day', () => {
    expect(WorkingCalendar.safeParse({ ...cal, makeUpWorkdays: ['2026-03-10'] }).success).toBe(false);
  });

  it('rejects dates that do not exist and other time zones', () => {
    expect(WorkingCalendar.safeParse({ ...cal, holidays: ['2026-02-30'] }).success).toBe(false);
    expect(WorkingCalendar.safeParse({ ...cal, timeZone: 'Europe/London' }).success).toBe(false);
    expect(WorkingCalendar.safeParse({ ...cal, utcOffsetMinutes: 0 }).success).toBe(false);
  });
});

describe('the county calendar data (State Council holiday notices for 2025 and 2026)', () => {
  it('parses with the schema, with offices open 08:30–17:30 Beijing time', () => {
    expect(WorkingCalendar.parse(cal)).toEqual(cal);
    expect(cal).toMatchObject({
      timeZone: 'Asia/Shanghai',
      utcOffsetMinutes: 480,
      workdayStart: '08:30',
      workdayEnd: '17:30',
    });
  });

  it('has no date that is both a holiday and a make-up working day, and no date twice', () => {
    const holidays = new Set(cal.holidays);
    expect(cal.makeUpWorkdays.filter((d) => holidays.has(d))).toEqual([]);
    expect(holidays.size).toBe(cal.holidays.length);
    expect(new Set(cal.makeUpWorkdays).size).toBe(cal.makeUpWorkdays.length);
  });

  it('has only Saturdays and Sundays as make-up working days (holidays may include weekend days)', () => {
    expect(cal.makeUpWorkdays.filter((d) => ![0, 6].includes(weekdayOf(d)))).toEqual([]);
  });

  it('covers 2025 (28 days off, 5 make-up days) and 2026 (33 days off, 6 make-up days)', () => {
    const inYear = (days: string[], year: string) => days.filter((d) => d.startsWith(year)).length;
    expect([inYear(cal.holidays, '2025'), inYear(cal.makeUpWorkdays, '2025')]).toEqual([28, 5]);
    expect([inYear(cal.holidays, '2026'), inYear(cal.makeUpWorkdays, '2026')]).toEqual([33, 6]);
    expect(cal.holidays.every((d) => d.startsWith('2025') || d.startsWith('2026'))).toBe(true);
  });

  it.each([
    ['2025-01-26', true, 'Sunday worked before Spring Festival 2025'],
    ['2025-01-28', false, 'Spring Festival 2025 starts on New Year’s Eve'],
    ['2025-02-04', false, 'last day of Spring Festival 2025'],
    ['2025-02-08', true, 'Saturday worked after Spring Festival 2025'],
    ['2025-04-04', false, 'Qingming 2025'],
    ['2025-04-27', true, 'Sunday worked before Labour Day 2025'],
    ['2025-05-05', false, 'last day of Labour Day 2025'],
    ['2025-06-02', false, 'Dragon Boat 2025'],
    ['2025-09-28', true, 'Sunday worked before National Day 2025'],
    ['2025-10-08', false, 'last day of National Day and Mid-Autumn 2025'],
    ['2025-10-11', true, 'Saturday worked after National Day 2025'],
    ['2026-01-02', false, 'New Year 2026 (Friday)'],
    ['2026-01-04', true, 'Sunday worked after New Year 2026'],
    ['2026-02-14', true, 'Saturday worked before Spring Festival 2026'],
    ['2026-02-16', false, 'New Year’s Eve 2026'],
    ['2026-02-23', false, 'last day of Spring Festival 2026 (Monday)'],
    ['2026-02-24', true, 'first working day after Spring Festival 2026'],
    ['2026-02-28', true, 'Saturday worked after Spring Festival 2026'],
    ['2026-04-06', false, 'Qingming 2026 (Monday)'],
    ['2026-05-05', false, 'last day of Labour Day 2026 (Tuesday)'],
    ['2026-05-09', true, 'Saturday worked after Labour Day 2026'],
    ['2026-06-19', false, 'Dragon Boat 2026 (Friday)'],
    ['2026-09-20', true, 'Sunday worked before National Day 2026'],
    ['2026-09-25', false, 'Mid-Autumn 2026 (Friday)'],
    ['2026-10-07', false, 'last day of National Day 2026 (Wednesday)'],
    ['2026-10-10', true, 'Saturday worked after National Day 2026'],
  ])('%s is a working day: %s (%s)', (day, working) => {
    expect(isWorkingDay(day, cal)).toBe(working);
  });

  it('has all of Feb 16–23, 2026 off', () => {
    const days = ['16', '17', '18', '19', '20', '21', '22', '23'].map((d) => `2026-02-${d}`);
    expect(days.filter((d) => isWorkingDay(d, cal))).toEqual([]);
  });
});
