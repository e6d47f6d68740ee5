/**
 * How an outreach campaign repeats: the stored recurrence choice, its RFC 5545 (iCalendar RRULE)
 * text, and the real instants of its runs.
 *
 * Computation is in "floating" Shanghai wall-clock time: rrule is given UTC Date values whose UTC
 * fields hold the Shanghai wall clock, and 8 hours are subtracted from what it returns. This is
 * exact because Asia/Shanghai is a fixed UTC+08:00 without daylight saving, and it keeps weekdays
 * and month days on the Shanghai calendar (a 07:30 Tuesday run in Shanghai is Monday 23:30 UTC).
 * rrule's tzid option is deliberately not used: it converts through the process's Intl data and
 * local zone, which is more machinery for no gain here.
 *
 * Rules the county should know about:
 * - firstRunAt anchors the series: its time of day, the week or month the interval counts from,
 *   and (for 'same_day') the day of the month. As in rrule and python-dateutil, firstRunAt is a
 *   run only if it matches the rule; a weekly series on MO with a firstRunAt on a Tuesday starts
 *   the following Monday.
 * - Monthly 'same_day' on the 29th, 30th or 31st follows RFC 5545 and SKIPS months that lack that
 *   day (a series on the 31st runs in Jan, Mar, May, Jul, Aug, Oct, Dec); it never moves the run to
 *   an earlier day. Choose 'last_day' (BYMONTHDAY=-1) for "the end of every month": Jan 31, Feb 28
 *   (29 in a leap year), Mar 31, Apr 30, …
 * - `until` is a local date and includes that whole day; `count` counts runs, the first included.
 */
import * as rruleModule from 'rrule';
import { Recurrence, Weekday } from './recurrence-rule.ts';
import { fromShanghaiLocal, SHANGHAI_OFFSET_MS, shanghaiLocal } from './shanghai-time.ts';

export { Recurrence, Weekday };

const WEEKDAY_ORDER = Weekday.options;
/** Date#getDay order (0 = Sunday), for the weekday of the first run. */
const BY_JS_DAY = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const satisfies readonly Weekday[];

type RRuleModule = typeof rruleModule;
const isRRuleModule = (value: unknown): value is RRuleModule =>
  typeof value === 'object' && value !== null && 'RRule' in value;
// Node runs rrule's CommonJS build, whose exports it can only hand over as `default`; bundlers
// (esbuild for Lambda, vite for tests) use its ES module build with named exports.
const fallback: unknown = Reflect.get(rruleModule, 'default');
const rrule: RRuleModule = isRRuleModule(rruleModule)
  ? rruleModule
  : isRRuleModule(fallback)
    ? fallback
    : rruleModule;
const { RRule } = rrule;
type RRuleOptions = Partial<rruleModule.Options>;

/**
 * The series as standard iCalendar text, e.g.
 * `DTSTART;TZID=Asia/Shanghai:20261201T090000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=4`,
 * for export to calendars and for showing to support staff. A one-off is `FREQ=DAILY;COUNT=1`.
 * With a TZID start, RFC 5545 requires UNTIL in UTC: the end of the local until-day, 15:59:59Z.
 */
export function toRRuleText(firstRunAt: string, recurrence: Recurrence): string {
  const start = shanghaiLocal(fromShanghaiLocal(firstRunAt));
  const dtstart = `DTSTART;TZID=Asia/Shanghai:${start.dateTime.replace(/[-:]/g, '')}00`;
  const { until, ...rest } = ruleOptions(firstRunAt, recurrence);
  const options: RRuleOptions = { ...rest };
  if (until) options.until = new Date(until.getTime() - SHANGHAI_OFFSET_MS);
  return `${dtstart}\n${RRule.optionsToString(options)}`;
}

/** The runs at or after `from` and before `to`, ascending, at most `limit` of them. */
export function occurrencesBetween(
  firstRunAt: string,
  recurrence: Recurrence,
  from: Date,
  to: Date,
  limit = 500,
): Date[] {
  const fromMs = instantMs(from, 'from');
  const toMs = instantMs(to, 'to');
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a whole number of at least 1, got ${limit}`);
  }
  if (toMs <= fromMs) return [];
  const rule = buildRule(firstRunAt, recurrence);
  // `between` with inc=true is [after, before]; ending 1 ms before `to` makes it [from, to).
  return rule
    .between(floating(fromMs), floating(toMs - 1), true, (_date, found) => found < limit)
    .map(fromFloating);
}

/**
 * The first run after `after` (at or after it when `inclusive`), or undefined when the series has
 * no more runs (its count is used up or its until-day has passed).
 */
export function nextOccurrence(
  firstRunAt: string,
  recurrence: Recurrence,
  after: Date,
  inclusive = false,
): Date | undefined {
  const afterMs = instantMs(after, 'after');
  const next = buildRule(firstRunAt, recurrence).after(floating(afterMs), inclusive);
  return next ? fromFloating(next) : undefined;
}

/** Whether the series has no run after `after`, so the campaign can be closed. */
export function hasEnded(firstRunAt: string, recurrence: Recurrence, after: Date): boolean {
  return nextOccurrence(firstRunAt, recurrence, after) === undefined;
}

// ---- internals ----------------------------------------------------------------------------------

/**
 * The rrule options in floating time (UTC fields = Shanghai wall clock), without dtstart, so the
 * same options serve computation and text. Weekdays are listed in calendar order so that the text
 * does not depend on the order someone ticked the boxes in.
 */
function ruleOptions(firstRunAt: string, recurrence: Recurrence): RRuleOptions {
  const start = shanghaiLocal(fromShanghaiLocal(firstRunAt));
  switch (recurrence.frequency) {
    case 'once':
      return { freq: RRule.DAILY, count: 1 };
    case 'weekly': {
      const chosen = new Set<Weekday>(recurrence.weekdays ?? [BY_JS_DAY[start.weekday]]);
      const days = WEEKDAY_ORDER.filter((day) => chosen.has(day)).map((day) => RRule[day]);
      return withEnd({ freq: RRule.WEEKLY, interval: recurrence.interval, byweekday: days }, recurrence);
    }
    case 'monthly': {
      const monthDay = recurrence.monthDay === 'last_day' ? -1 : Number(start.date.slice(8, 10));
      return withEnd(
        { freq: RRule.MONTHLY, interval: recurrence.interval, bymonthday: [monthDay] },
        recurrence,
      );
    }
  }
}

function withEnd(
  options: RRuleOptions,
  end: { count?: number | undefined; until?: string | undefined },
): RRuleOptions {
  if (end.count !== undefined) return { ...options, count: end.count };
  if (end.until !== undefined) {
    // The last second of the local until-day: runs are whole minutes, so this includes them all.
    return { ...options, until: new Date(Date.parse(`${end.until}T23:59:59Z`)) };
  }
  return options;
}

function buildRule(firstRunAt: string, recurrence: Recurrence) {
  const dtstart = floating(fromShanghaiLocal(firstRunAt).getTime());
  // noCache: each rule is built for one query, so rrule's memo would only cost memory.
  return new RRule({ ...ruleOptions(firstRunAt, recurrence), dtstart }, true);
}

function floating(instantMsValue: number): Date {
  return new Date(instantMsValue + SHANGHAI_OFFSET_MS);
}

function fromFloating(wallClock: Date): Date {
  return new Date(wallClock.getTime() - SHANGHAI_OFFSET_MS);
}

function instantMs(d: Date, name: string): number {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}
