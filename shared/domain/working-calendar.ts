/**
 * The county's working calendar as data, and the working-time arithmetic SLAs and statistics use.
 *
 * China's calendar cannot be computed from weekdays alone: each year the State Council moves public
 * holidays around and turns some Saturdays and Sundays into working days (调休). So the calendar
 * is a list of days off and a list of make-up working days, edited by an admin, and these pure
 * functions take it (and any instant) as arguments; nothing here reads the clock.
 *
 * Time zone: Asia/Shanghai has had a fixed UTC+08:00 with no daylight saving since 1991, so plain
 * UTC arithmetic with a fixed offset is exact for every date this system handles; no tz library is
 * needed. The schema pins the zone and offset so a calendar for another zone cannot be stored by
 * mistake and silently mis-handled.
 */
import * as z from '../schema.ts';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/**
 * How many non-working days in a row the arithmetic tolerates before deciding the calendar has
 * no working days left (e.g. an admin listed a whole year as holidays). The longest real break is
 * the 9-day Spring Festival; a year and a bit is far beyond any legitimate calendar and stops an
 * otherwise endless loop.
 */
const MAX_CONSECUTIVE_DAYS_OFF = 400;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A local calendar date, YYYY-MM-DD, that really exists (no 2026-02-30). */
export const LocalDate = z.string().check(z.refine(isValidLocalDate, 'a real date as YYYY-MM-DD'));

/** A local wall-clock time, HH:MM in 24-hour form. */
export const LocalTime = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (00:00–23:59)'));

export const WorkingCalendar = z
  .object({
    timeZone: z.literal('Asia/Shanghai'),
    utcOffsetMinutes: z.literal(480),
    /** Local time the offices open, e.g. '08:30'. */
    workdayStart: LocalTime,
    /** Local time the offices close, e.g. '17:30'; the end of a working day for deadlines. */
    workdayEnd: LocalTime,
    /** Days off even when they fall on a weekday (public holidays and their bridging days). */
    holidays: z.array(LocalDate),
    /** Saturdays and Sundays that are working days (调休 make-up days). */
    makeUpWorkdays: z.array(LocalDate),
  })
  .check(
    z.superRefine((cal, ctx) => {
      // Overnight working hours are not a thing for a county office and would complicate every
      // calculation below, so the day must open before it closes.
      if (minutesOf(cal.workdayStart) >= minutesOf(cal.workdayEnd)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workdayEnd'],
          message: 'workdayEnd must be after workdayStart',
        });
      }
      // A day that is both off and a make-up day is a typo in one of the lists; refuse rather than guess.
      const holidays = new Set(cal.holidays);
      cal.makeUpWorkdays.forEach((day, i) => {
        if (holidays.has(day)) {
          ctx.addIssue({
            code: 'custom',
            path: ['makeUpWorkdays', i],
            message: `${day} is listed both as a holiday and as a make-up working day`,
          });
        }
        // A make-up weekday would change nothing: it is already a working day. Listing one means
        // the admin typed the wrong date.
        if (isValidLocalDate(day) && !isWeekend(day)) {
          ctx.addIssue({
            code: 'custom',
            path: ['makeUpWorkdays', i],
            message: `${day} is not a Saturday or Sunday, so it cannot be a make-up working day`,
          });
        }
      });
    }),
  );
export type WorkingCalendar = z.infer<typeof WorkingCalendar>;

/**
 * Whether a local date is a working day: Monday to Friday unless it is a holiday; Saturday and
 * Sunday only if it is a make-up working day. Throws a RangeError for a malformed date.
 */
export function isWorkingDay(localDate: string, cal: WorkingCalendar): boolean {
  if (!isValidLocalDate(localDate)) throw new RangeError(`not a date as YYYY-MM-DD: ${localDate}`);
  return isWorkingDayUnchecked(localDate, cal);
}

/** The local calendar date (YYYY-MM-DD) of an instant in the calendar's time zone. */
export function localDateOf(instant: Date, cal: WorkingCalendar): string {
  const ms = instantMs(instant, 'instant');
  return new Date(ms + cal.utcOffsetMinutes * MS_PER_MINUTE).toISOString().slice(0, 10);
}

/**
 * The deadline `days` working days after `start`: the END of that working day (workdayEnd, local).
 *
 * The start's own local day does NOT count, whatever the hour and whether or not it is a working
 * day: the count starts with the first working day after it. So a report on Monday 10:00 with
 * 1 working day is due Tuesday 17:30, and one on a Friday evening before a holiday week is counted
 * from the first working day after the holiday. This is the rule residents hear ("within N working
 * days of the day you reported") and it never gives a unit less than N full working days.
 */
export function addWorkingDays(start: Date, days: number, cal: WorkingCalendar): Date {
  instantMs(start, 'start');
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`working days must be a whole number of at least 1, got ${days}`);
  }
  let day = localDateOf(start, cal);
  let remaining = days;
  let daysOff = 0;
  while (remaining > 0) {
    day = addDays(day, 1);
    if (isWorkingDayUnchecked(day, cal)) {
      remaining -= 1;
      daysOff = 0;
    } else {
      daysOff = guardDaysOff(daysOff);
    }
  }
  return new Date(localDayStartMs(day, cal) + minutesOf(cal.workdayEnd) * MS_PER_MINUTE);
}

/**
 * The instant after `hours` of working time from `start`, counting only time between workdayStart
 * and workdayEnd on working days. A start outside working hours (before opening, after closing, on
 * a weekend or holiday) begins counting at the next opening. Example with 08:30–17:30: a start at
 * 16:30 plus 2 working hours uses the hour left today and one more the next working day: 09:30.
 * A sum that lands exactly on closing time stays on that day (17:30) rather than moving to the
 * next morning. Fractional hours are allowed; `hours` must be positive.
 */
export function addWorkingHours(start: Date, hours: number, cal: WorkingCalendar): Date {
  let cursor = instantMs(start, 'start');
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new RangeError(`working hours must be a positive number, got ${hours}`);
  }
  let remaining = hours * MS_PER_HOUR;
  let day = localDateOf(start, cal);
  let daysOff = 0;
  for (;;) {
    if (isWorkingDayUnchecked(day, cal)) {
      daysOff = 0;
      const { open, close } = workingWindow(day, cal);
      const from = Math.max(cursor, open);
      if (from < close) {
        const available = close - from;
        if (remaining <= available) return new Date(from + remaining);
        remaining -= available;
      }
    } else {
      daysOff = guardDaysOff(daysOff);
    }
    day = addDays(day, 1);
    cursor = localDayStartMs(day, cal);
  }
}

/**
 * Milliseconds of working time between two instants (only time inside working hours on working
 * days), for statistics such as the mean time a stage takes.
 *
 * A zero or negative span (b not after a) gives 0, not a negative number: stage timestamps are
 * written by different functions whose clocks may disagree by a few milliseconds, and a negative
 * duration would drag a mean below what any case actually took.
 */
export function workingTimeBetween(a: Date, b: Date, cal: WorkingCalendar): number {
  const from = instantMs(a, 'a');
  const to = instantMs(b, 'b');
  if (to <= from) return 0;
  const lastDay = localDateOf(b, cal);
  let total = 0;
  // Walk the local days the span touches; a case open a year is a few hundred steps, cheap enough
  // for statistics and simpler than counting whole weeks in closed form around holidays.
  for (let day = localDateOf(a, cal); day <= lastDay; day = addDays(day, 1)) {
    if (!isWorkingDayUnchecked(day, cal)) continue;
    const { open, close } = workingWindow(day, cal);
    const overlap = Math.min(to, close) - Math.max(from, open);
    if (overlap > 0) total += overlap;
  }
  return total;
}

// ---- internals ----------------------------------------------------------------------------------

interface DaySets {
  holidays: ReadonlySet<string>;
  makeUp: ReadonlySet<string>;
}

/**
 * Sets built once per calendar object: the arithmetic asks about every day it walks, and a
 * statistics run asks for thousands of cases against the same calendar. Calendars are treated as
 * immutable values (they are parsed from storage and replaced whole, never edited in place).
 */
const daySetsCache = new WeakMap<WorkingCalendar, DaySets>();

function daySets(cal: WorkingCalendar): DaySets {
  let sets = daySetsCache.get(cal);
  if (!sets) {
    sets = { holidays: new Set(cal.holidays), makeUp: new Set(cal.makeUpWorkdays) };
    daySetsCache.set(cal, sets);
  }
  return sets;
}

function isWorkingDayUnchecked(localDate: string, cal: WorkingCalendar): boolean {
  const { holidays, makeUp } = daySets(cal);
  // The schema forbids a day in both lists; if an unparsed calendar has one anyway, the day is
  // off, because a holiday is the announcement people actually plan around.
  if (holidays.has(localDate)) return false;
  if (makeUp.has(localDate)) return true;
  return !isWeekend(localDate);
}

function isValidLocalDate(s: string): boolean {
  if (!LOCAL_DATE.test(s)) return false;
  const ms = Date.parse(`${s}T00:00:00Z`);
  // Date.parse accepts 2026-02-30 by rolling it over, so check that the date round-trips.
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

function isWeekend(localDate: string): boolean {
  const weekday = new Date(`${localDate}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Minutes after local midnight of an HH:MM time. */
function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** The calendar date `n` days after a local date; dates are plain labels, so UTC arithmetic is exact. */
function addDays(localDate: string, n: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The UTC epoch milliseconds of local midnight starting `localDate`. */
function localDayStartMs(localDate: string, cal: WorkingCalendar): number {
  return Date.parse(`${localDate}T00:00:00Z`) - cal.utcOffsetMinutes * MS_PER_MINUTE;
}

/** Opening and closing instants (UTC epoch ms) of a local day. */
function workingWindow(localDate: string, cal: WorkingCalendar): { open: number; close: number } {
  const midnight = localDayStartMs(localDate, cal);
  return {
    open: midnight + minutesOf(cal.workdayStart) * MS_PER_MINUTE,
    close: midnight + minutesOf(cal.workdayEnd) * MS_PER_MINUTE,
  };
}

function instantMs(d: Date, name: string): number {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

function guardDaysOff(daysOff: number): number {
  const next = daysOff + 1;
  if (next > MAX_CONSECUTIVE_DAYS_OFF) {
    throw new RangeError(
      `the working calendar has no working day in ${MAX_CONSECUTIVE_DAYS_OFF} consecutive days; check its holidays`,
    );
  }
  return next;
}
