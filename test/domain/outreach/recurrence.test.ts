/**
 * Campaign recurrence as a specification: what a repeat may be, its iCalendar text, and the real
 * instants of its runs. Runs are planned on the Shanghai wall clock, so a 09:00 run is 01:00Z all
 * year and weekdays and month days are Shanghai's, even when the run is the previous day in UTC.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  hasEnded,
  nextOccurrence,
  occurrencesBetween,
  Recurrence,
  toRRuleText,
} from '../../../shared/domain/outreach/recurrence.ts';
import { fromShanghaiLocal, shanghaiLocal } from '../../../shared/domain/outreach/shanghai-time.ts';

const rec = (input: z.input<typeof Recurrence>): Recurrence => Recurrence.parse(input);
/** An instant from a Shanghai wall-clock time, e.g. at('2026-12-01T09:00'). */
const at = (local: string): Date => fromShanghaiLocal(local);
const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());
const localDates = (dates: Date[]): string[] => dates.map((d) => shanghaiLocal(d).date);
const WEEK = 7 * 86_400_000;
const FAR = at('2040-01-01T00:00');

/** Every run of a series that ends (by count or until). */
const allRuns = (firstRunAt: string, recurrence: Recurrence): Date[] =>
  occurrencesBetween(firstRunAt, recurrence, at('2000-01-01T00:00'), FAR);

describe('Recurrence', () => {
  it('fills in every week / every month on the same day when left out', () => {
    expect(rec({ frequency: 'weekly' })).toEqual({ frequency: 'weekly', interval: 1 });
    expect(rec({ frequency: 'monthly' })).toEqual({
      frequency: 'monthly',
      interval: 1,
      monthDay: 'same_day',
    });
    expect(rec({ frequency: 'once' })).toEqual({ frequency: 'once' });
  });

  it('refuses both a count and an end date, on the count', () => {
    const result = Recurrence.safeParse({ frequency: 'weekly', count: 4, until: '2026-12-31' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['count'], message: expect.stringMatching(/not both/) }),
    ]);
  });

  it.each([
    [{ frequency: 'weekly', weekdays: ['MO', 'MO'] }, ['weekdays'], /only once/],
    [{ frequency: 'weekly', weekdays: [] }, ['weekdays'], /at least one weekday/],
    [{ frequency: 'weekly', weekdays: ['XX'] }, ['weekdays', 0], /./],
    [{ frequency: 'weekly', interval: 9 }, ['interval'], /./],
    [{ frequency: 'weekly', interval: 1.5 }, ['interval'], /./],
    [{ frequency: 'weekly', count: 105 }, ['count'], /./],
    [{ frequency: 'monthly', count: 61 }, ['count'], /./],
    [{ frequency: 'monthly', interval: 13 }, ['interval'], /./],
    [{ frequency: 'monthly', monthDay: 'first_day' }, ['monthDay'], /./],
    [{ frequency: 'monthly', until: '2026-02-30' }, ['until'], /real date/],
    [{ frequency: 'daily' }, ['frequency'], /./],
  ])('refuses %j at %j', (input, path, message) => {
    const result = Recurrence.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});

describe('toRRuleText', () => {
  it('writes a weekly series as standard iCalendar text in Asia/Shanghai', () => {
    expect(toRRuleText('2026-12-01T09:00', rec({ frequency: 'weekly', weekdays: ['TU'], count: 4 }))).toBe(
      'DTSTART;TZID=Asia/Shanghai:20261201T090000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=4',
    );
  });

  it('writes a one-off as a single daily run', () => {
    expect(toRRuleText('2026-12-01T09:00', rec({ frequency: 'once' }))).toBe(
      'DTSTART;TZID=Asia/Shanghai:20261201T090000\nRRULE:FREQ=DAILY;COUNT=1',
    );
  });

  it('uses the Shanghai weekday of the first run when no weekdays are given', () => {
    // 07:30 on Tuesday in Shanghai is 23:30 on Monday in UTC; the rule must say TU.
    expect(toRRuleText('2026-12-01T07:30', rec({ frequency: 'weekly', interval: 2 }))).toBe(
      'DTSTART;TZID=Asia/Shanghai:20261201T073000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU',
    );
  });

  it('lists weekdays in calendar order whatever order they were chosen in', () => {
    const text = toRRuleText('2026-12-01T09:00', rec({ frequency: 'weekly', weekdays: ['FR', 'MO', 'WE'] }));
    expect(text.split('\n')[1]).toBe('RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR');
  });

  it('writes the end date as the last second of that Shanghai day, in UTC as RFC 5545 requires', () => {
    const text = toRRuleText(
      '2026-12-01T09:00',
      rec({ frequency: 'monthly', monthDay: 'last_day', until: '2027-06-30' }),
    );
    expect(text.split('\n')[1]).toBe('RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1;UNTIL=20270630T155959Z');
  });

  it('writes same_day as the Shanghai day of the month of the first run', () => {
    expect(toRRuleText('2026-01-31T09:00', rec({ frequency: 'monthly', interval: 3, count: 2 }))).toBe(
      'DTSTART;TZID=Asia/Shanghai:20260131T090000\nRRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=31;COUNT=2',
    );
    expect(toRRuleText('2026-12-01T07:30', rec({ frequency: 'monthly' })).split('\n')[1]).toBe(
      'RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1',
    );
  });

  it('refuses a first run that is not a local date-time', () => {
    expect(() => toRRuleText('2026-12-01T09:00Z', rec({ frequency: 'once' }))).toThrow(RangeError);
  });
});

describe('weekly series on the Shanghai clock', () => {
  const weekly = rec({ frequency: 'weekly' });
  const runs2026 = occurrencesBetween(
    '2026-01-06T09:00',
    weekly,
    at('2026-01-01T00:00'),
    at('2027-01-01T00:00'),
  );

  it('runs at 01:00Z every Tuesday of the year, 52 times, exactly a week apart', () => {
    expect(runs2026).toHaveLength(52);
    expect(runs2026[0]?.toISOString()).toBe('2026-01-06T01:00:00.000Z');
    expect(runs2026.at(-1)?.toISOString()).toBe('2026-12-29T01:00:00.000Z');
    for (const run of runs2026) {
      expect(run.getUTCHours()).toBe(1);
      expect(run.getUTCMinutes()).toBe(0);
      expect(shanghaiLocal(run).weekday).toBe(2);
    }
    runs2026.slice(1).forEach((run, i) => {
      expect(run.getTime() - (runs2026[i]?.getTime() ?? 0)).toBe(WEEK);
    });
  });

  it('does not shift when Europe and America change their clocks (March/April, October/November)', () => {
    const isoRuns = iso(runs2026);
    for (const expected of [
      '2026-03-03T01:00:00.000Z',
      '2026-03-10T01:00:00.000Z',
      '2026-03-31T01:00:00.000Z',
      '2026-04-07T01:00:00.000Z',
      '2026-10-27T01:00:00.000Z',
      '2026-11-03T01:00:00.000Z',
    ]) {
      expect(isoRuns).toContain(expected);
    }
  });

  it('gives the same instants whatever time zone the process runs in', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      // Proves the zone really changed for this process, so the comparison means something.
      expect(new Date('2026-07-01T00:00:00Z').getTimezoneOffset()).toBe(240);
      const inNewYork = occurrencesBetween(
        '2026-01-06T09:00',
        weekly,
        at('2026-01-01T00:00'),
        at('2027-01-01T00:00'),
      );
      expect(iso(inNewYork)).toEqual(iso(runs2026));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('keeps a 07:30 Tuesday run on Tuesday in Shanghai, which is Monday 23:30 in UTC', () => {
    const runs = occurrencesBetween(
      '2026-12-01T07:30',
      weekly,
      at('2026-12-01T00:00'),
      at('2026-12-16T00:00'),
    );
    expect(iso(runs)).toEqual([
      '2026-11-30T23:30:00.000Z',
      '2026-12-07T23:30:00.000Z',
      '2026-12-14T23:30:00.000Z',
    ]);
    expect(runs.map((d) => d.getUTCDay())).toEqual([1, 1, 1]);
    expect(runs.map((d) => shanghaiLocal(d).weekday)).toEqual([2, 2, 2]);
  });

  it('matches chosen weekdays on the Shanghai calendar, not the UTC one', () => {
    const runs = occurrencesBetween(
      '2026-12-01T07:30',
      rec({ frequency: 'weekly', weekdays: ['TU', 'TH'] }),
      at('2026-12-01T00:00'),
      at('2026-12-09T00:00'),
    );
    expect(iso(runs)).toEqual([
      '2026-11-30T23:30:00.000Z',
      '2026-12-02T23:30:00.000Z',
      '2026-12-07T23:30:00.000Z',
    ]);
    expect(runs.map((d) => shanghaiLocal(d).weekday)).toEqual([2, 4, 2]);
  });

  it('counts every other week from the week of the first run, which runs only if it matches', () => {
    // First run Tuesday 1 Dec; that week's Thursday runs, the week of 7 Dec is skipped.
    const runs = allRuns(
      '2026-12-01T09:00',
      rec({ frequency: 'weekly', interval: 2, weekdays: ['MO', 'TH'], count: 5 }),
    );
    expect(localDates(runs)).toEqual(['2026-12-03', '2026-12-14', '2026-12-17', '2026-12-28', '2026-12-31']);
  });
});

describe('monthly series at month ends', () => {
  it('skips the months without a 31st for same_day on the 31st (RFC 5545)', () => {
    const runs = allRuns('2026-01-31T10:00', rec({ frequency: 'monthly', count: 7 }));
    expect(localDates(runs)).toEqual([
      '2026-01-31',
      '2026-03-31',
      '2026-05-31',
      '2026-07-31',
      '2026-08-31',
      '2026-10-31',
      '2026-12-31',
    ]);
    const months = runs.map((d) => shanghaiLocal(d).date.slice(5, 7));
    for (const short of ['02', '04', '06', '09', '11']) expect(months).not.toContain(short);
    expect(runs.every((d) => d.toISOString().endsWith('T02:00:00.000Z'))).toBe(true);
  });

  it('skips February outside a leap year for same_day on the 29th', () => {
    expect(localDates(allRuns('2027-01-29T10:00', rec({ frequency: 'monthly', count: 3 })))).toEqual([
      '2027-01-29',
      '2027-03-29',
      '2027-04-29',
    ]);
  });

  it('runs on the last day of every month for last_day: Jan 31, Feb 28, Mar 31, Apr 30', () => {
    const runs = allRuns('2026-01-31T10:00', rec({ frequency: 'monthly', monthDay: 'last_day', count: 4 }));
    expect(localDates(runs)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('gives Feb 28 in 2027 and Feb 29 in the leap year 2028 for last_day', () => {
    const runs = allRuns('2027-01-31T10:00', rec({ frequency: 'monthly', monthDay: 'last_day', count: 14 }));
    const dates = localDates(runs);
    expect(dates).toHaveLength(14);
    expect(dates).toContain('2027-02-28');
    expect(dates).toContain('2028-02-29');
    expect(dates).not.toContain('2028-02-28');
    expect(dates.slice(-3)).toEqual(['2027-12-31', '2028-01-31', '2028-02-29']);
  });

  it('starts last_day at the end of the first run’s month when the first run is mid-month', () => {
    const runs = allRuns('2026-01-15T10:00', rec({ frequency: 'monthly', monthDay: 'last_day', count: 2 }));
    expect(localDates(runs)).toEqual(['2026-01-31', '2026-02-28']);
  });

  it('keeps a 07:30 run on the 1st in Shanghai, which is the last day of the previous month in UTC', () => {
    const runs = allRuns('2026-12-01T07:30', rec({ frequency: 'monthly', count: 3 }));
    expect(iso(runs)).toEqual([
      '2026-11-30T23:30:00.000Z',
      '2026-12-31T23:30:00.000Z',
      '2027-01-31T23:30:00.000Z',
    ]);
  });
});

describe('how a series ends', () => {
  it('stops after count runs, the first included', () => {
    const weeklyFour = rec({ frequency: 'weekly', count: 4 });
    expect(localDates(allRuns('2026-12-01T09:00', weeklyFour))).toEqual([
      '2026-12-01',
      '2026-12-08',
      '2026-12-15',
      '2026-12-22',
    ]);
    expect(nextOccurrence('2026-12-01T09:00', weeklyFour, at('2026-12-22T09:00'))).toBeUndefined();
  });

  it('includes runs on the until day, even late in the evening', () => {
    const runs = allRuns('2026-12-01T23:30', rec({ frequency: 'weekly', until: '2026-12-22' }));
    expect(iso(runs)).toEqual([
      '2026-12-01T15:30:00.000Z',
      '2026-12-08T15:30:00.000Z',
      '2026-12-15T15:30:00.000Z',
      '2026-12-22T15:30:00.000Z',
    ]);
  });

  it('has no runs when the until day is before the first run', () => {
    const series = rec({ frequency: 'monthly', until: '2026-11-30' });
    expect(allRuns('2026-12-01T09:00', series)).toEqual([]);
    expect(nextOccurrence('2026-12-01T09:00', series, at('2026-01-01T00:00'), true)).toBeUndefined();
  });

  it('runs a one-off exactly once, at its first run', () => {
    const once = rec({ frequency: 'once' });
    expect(iso(allRuns('2026-12-01T09:00', once))).toEqual(['2026-12-01T01:00:00.000Z']);
    expect(hasEnded('2026-12-01T09:00', once, at('2026-12-01T08:59'))).toBe(false);
    expect(hasEnded('2026-12-01T09:00', once, at('2026-12-01T09:00'))).toBe(true);
  });

  it('says whether anything is left after a moment', () => {
    const series = rec({ frequency: 'weekly', until: '2026-12-22' });
    expect(hasEnded('2026-12-01T09:00', series, at('2026-12-22T08:59'))).toBe(false);
    expect(hasEnded('2026-12-01T09:00', series, at('2026-12-22T09:00'))).toBe(true);
    expect(hasEnded('2026-12-01T09:00', rec({ frequency: 'weekly' }), at('2039-06-01T00:00'))).toBe(false);
  });
});

describe('nextOccurrence', () => {
  const weekly = rec({ frequency: 'weekly' });

  it('skips a run at exactly `after` unless inclusive', () => {
    const run = at('2026-12-08T09:00');
    expect(nextOccurrence('2026-12-01T09:00', weekly, run)?.toISOString()).toBe('2026-12-15T01:00:00.000Z');
    expect(nextOccurrence('2026-12-01T09:00', weekly, run, true)?.toISOString()).toBe(
      '2026-12-08T01:00:00.000Z',
    );
  });

  it('gives the first run for any moment before it', () => {
    expect(nextOccurrence('2026-12-01T09:00', weekly, at('2026-06-01T00:00'))?.toISOString()).toBe(
      '2026-12-01T01:00:00.000Z',
    );
  });

  it('gives the following run one millisecond after a run', () => {
    const justAfter = new Date(at('2026-12-08T09:00').getTime() + 1);
    expect(nextOccurrence('2026-12-01T09:00', weekly, justAfter, true)?.toISOString()).toBe(
      '2026-12-15T01:00:00.000Z',
    );
  });

  it('refuses an invalid Date', () => {
    expect(() => nextOccurrence('2026-12-01T09:00', weekly, new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('occurrencesBetween', () => {
  const weekly = rec({ frequency: 'weekly' });

  it('includes a run at `from` and excludes one at `to`', () => {
    const runs = occurrencesBetween(
      '2026-12-01T09:00',
      weekly,
      at('2026-12-08T09:00'),
      at('2026-12-22T09:00'),
    );
    expect(iso(runs)).toEqual(['2026-12-08T01:00:00.000Z', '2026-12-15T01:00:00.000Z']);
  });

  it('returns at most `limit` runs, the earliest ones', () => {
    const runs = occurrencesBetween('2026-12-01T09:00', weekly, at('2026-01-01T00:00'), FAR, 3);
    expect(localDates(runs)).toEqual(['2026-12-01', '2026-12-08', '2026-12-15']);
  });

  it('caps an endless series at 500 runs by default', () => {
    const runs = occurrencesBetween(
      '2026-12-01T09:00',
      rec({ frequency: 'weekly', weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'] }),
      at('2026-01-01T00:00'),
      FAR,
    );
    expect(runs).toHaveLength(500);
  });

  it('is empty for an empty or reversed range and refuses a limit below 1', () => {
    expect(
      occurrencesBetween('2026-12-01T09:00', weekly, at('2026-12-08T09:00'), at('2026-12-08T09:00')),
    ).toEqual([]);
    expect(occurrencesBetween('2026-12-01T09:00', weekly, FAR, at('2026-01-01T00:00'))).toEqual([]);
    expect(() => occurrencesBetween('2026-12-01T09:00', weekly, at('2026-01-01T00:00'), FAR, 0)).toThrow(
      RangeError,
    );
  });
});
