/**
 * Quiet hours for outreach SMS: the Shanghai wall-clock window in which no outreach is sent, and
 * when a send that falls in it may go instead.
 *
 * Providers allow promotional SMS only in daytime and nobody wants an anti-fraud text at night, so
 * a send in quiet hours is deferred to the end of the window, never dropped and never sent. The
 * window is [start, end): 21:00 is quiet and 08:00 is not. It wraps over midnight when start is
 * after end (21:00–08:00), does not when start is before end (12:00–14:00, a lunch-time rest),
 * and start === end means no quiet hours at all rather than a whole day of them, since a
 * window that blocks every minute would defer sends forever.
 */
import * as z from '../../schema.ts';
import { LocalTime } from '../working-calendar.ts';
import { addDays, fromShanghaiLocal, SHANGHAI_OFFSET_MS, shanghaiLocal } from './shanghai-time.ts';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const QuietHours = z.object({ start: LocalTime, end: LocalTime });
export type QuietHours = z.infer<typeof QuietHours>;

/** Frozen because it is shared by every caller that has no county setting of its own. */
export const DEFAULT_QUIET_HOURS: Readonly<QuietHours> = Object.freeze({ start: '21:00', end: '08:00' });

/** Whether an instant is inside quiet hours on the Shanghai wall clock (to the millisecond). */
export function isQuietHour(at: Date, quiet: QuietHours): boolean {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('at is an invalid Date');
  // Milliseconds since Shanghai midnight; the window edges are whole minutes, so 20:59:59.999 is
  // still before a 21:00 start.
  const sinceMidnight = (((ms + SHANGHAI_OFFSET_MS) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  return inWindow(sinceMidnight, quiet);
}

/**
 * When the quiet period containing `at` ends (21:00 on the 30th → 08:00 on the 1st); `at` itself
 * when it is not in quiet hours, so the result is always the earliest moment a send may go.
 */
export function quietHoursEnd(at: Date, quiet: QuietHours): Date {
  if (!isQuietHour(at, quiet)) return at;
  const local = shanghaiLocal(at);
  const { start, end } = bounds(quiet);
  // Only in a wrapping window can the quiet period started this evening end tomorrow morning;
  // after midnight (before `end`) it ends the same day.
  const endsTomorrow = start > end && minutesOf(local.time) >= start;
  const day = endsTomorrow ? addDays(local.date, 1) : local.date;
  return fromShanghaiLocal(`${day}T${quiet.end}`);
}

/** Whether a planned local start time (HH:MM) falls in quiet hours, for validating a campaign plan. */
export function overlapsQuietHours(localTime: string, quiet: QuietHours): boolean {
  if (!HH_MM.test(localTime)) throw new RangeError(`not a time as HH:MM: ${localTime}`);
  return inWindow(minutesOf(localTime) * MS_PER_MINUTE, quiet);
}

// ---- internals ----------------------------------------------------------------------------------

function inWindow(sinceMidnightMs: number, quiet: QuietHours): boolean {
  const { start, end } = bounds(quiet);
  const startMs = start * MS_PER_MINUTE;
  const endMs = end * MS_PER_MINUTE;
  if (start === end) return false;
  if (start < end) return sinceMidnightMs >= startMs && sinceMidnightMs < endMs;
  return sinceMidnightMs >= startMs || sinceMidnightMs < endMs;
}

/** Start and end in minutes after midnight; a malformed setting throws rather than never matching. */
function bounds(quiet: QuietHours): { start: number; end: number } {
  if (!HH_MM.test(quiet.start) || !HH_MM.test(quiet.end)) {
    throw new RangeError(`quiet hours must be HH:MM–HH:MM, got ${quiet.start}–${quiet.end}`);
  }
  return { start: minutesOf(quiet.start), end: minutesOf(quiet.end) };
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
