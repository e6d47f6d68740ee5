/**
 * Asia/Shanghai wall-clock time for outreach scheduling: the local date-time format campaigns are
 * planned in, and conversions between real instants and the county's wall clock.
 *
 * Asia/Shanghai has been a fixed UTC+08:00 with no daylight saving since 1991, so a constant
 * offset is exact for every date this system handles and no tz library (or the process's own time
 * zone, which is UTC on Lambda but not on a developer's laptop) is involved. Nothing here reads the
 * clock.
 */
import * as z from '../../schema.ts';

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const MS_PER_DAY = 86_400_000;

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * An ISO instant must carry Z or an explicit offset: a string without one would be read in the
 * process's own zone (UTC on Lambda), which is 8 hours away from what a county user meant.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A local Asia/Shanghai date and time to the minute, e.g. '2026-12-01T09:00', that really exists. */
export const LocalDateTime = z
  .string()
  .check(z.refine(isValidLocalDateTime, 'a local time as YYYY-MM-DDTHH:MM (Asia/Shanghai)'));
export type LocalDateTime = z.infer<typeof LocalDateTime>;

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface ShanghaiLocal {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM; seconds are dropped, not rounded, so 20:59:59 is still 20:59. */
  time: string;
  /** YYYY-MM-DDTHH:MM, the LocalDateTime format. */
  dateTime: string;
  /** 0 = Sunday … 6 = Saturday, as Date#getDay counts. */
  weekday: Weekday;
}

const WEEKDAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];

/** The Shanghai wall-clock reading of an instant. Throws a RangeError for an invalid Date. */
export function shanghaiLocal(instant: Date): ShanghaiLocal {
  const shifted = new Date(instantMs(instant, 'instant') + SHANGHAI_OFFSET_MS);
  const date = [
    String(shifted.getUTCFullYear()).padStart(4, '0'),
    pad2(shifted.getUTCMonth() + 1),
    pad2(shifted.getUTCDate()),
  ].join('-');
  const time = `${pad2(shifted.getUTCHours())}:${pad2(shifted.getUTCMinutes())}`;
  const weekday = WEEKDAYS[shifted.getUTCDay()] ?? 0;
  return { date, time, dateTime: `${date}T${time}`, weekday };
}

/** The real instant of a Shanghai wall-clock time. Throws a RangeError unless it is a LocalDateTime. */
export function fromShanghaiLocal(localDateTime: string): Date {
  if (!isValidLocalDateTime(localDateTime)) {
    throw new RangeError(`not a local time as YYYY-MM-DDTHH:MM: ${localDateTime}`);
  }
  return new Date(Date.parse(`${localDateTime}:00Z`) - SHANGHAI_OFFSET_MS);
}

/**
 * The Shanghai calendar date (YYYY-MM-DD) of an instant, given as a Date or as an ISO string with
 * Z or an offset (as stored timestamps are). Throws a RangeError for anything else.
 */
export function shanghaiDay(instant: Date | string): string {
  if (typeof instant === 'string') {
    if (!ISO_INSTANT.test(instant) || Number.isNaN(Date.parse(instant))) {
      throw new RangeError(`not an ISO instant with Z or an offset: ${instant}`);
    }
    return shanghaiLocal(new Date(instant)).date;
  }
  return shanghaiLocal(instant).date;
}

/** The date `n` days after (or before, for negative n) a YYYY-MM-DD date. */
export function addDays(day: string, n: number): string {
  if (!isValidLocalDate(day)) throw new RangeError(`not a date as YYYY-MM-DD: ${day}`);
  if (!Number.isInteger(n)) throw new RangeError(`days must be a whole number, got ${n}`);
  // Dates are plain labels here, so UTC midnight arithmetic is exact (no day is 23 or 25 hours).
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

// ---- internals ----------------------------------------------------------------------------------

function isValidLocalDateTime(s: string): boolean {
  const match = LOCAL_DATE_TIME.exec(s);
  return match?.[1] !== undefined && isValidLocalDate(match[1]);
}

function isValidLocalDate(s: string): boolean {
  if (!LOCAL_DATE.test(s)) return false;
  const ms = Date.parse(`${s}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March, so the date must round-trip to be real.
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

function instantMs(d: Date, name: string): number {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
