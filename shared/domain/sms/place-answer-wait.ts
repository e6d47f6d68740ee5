/**
 * How long a held SMS report waits for the resident's answer to "请回复您所在的社区或村" before it
 * goes on to triage without one: two hours of the resident's day (08:00–21:00 Asia/Shanghai, the
 * hours outreach texts keep to). Night hours do not count, so a resident who texts at 23:00 has
 * until 10:00 to answer after waking, and the case update that follows (with the tracking code)
 * reaches them in the morning instead of at 01:00. Pure: nothing here reads the clock.
 */
import { SHANGHAI_OFFSET_MS } from '../outreach/shanghai-time.ts';

/** Daytime the resident has to answer. */
export const PLACE_ANSWER_WAIT_MS = 2 * 3_600_000;
/** The resident's day, as hours of the Shanghai clock: [from, until). */
export const RESIDENT_DAY = { fromHour: 8, untilHour: 21 } as const;
/**
 * The held item outlives its due time by this much and is then deleted by TTL: a backstop only.
 * The sweep forwards a report within minutes of its due time, and a report it cannot forward is
 * reported on every sweep for a week before the item could go.
 */
export const HELD_ITEM_BACKSTOP_MS = 7 * 86_400_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** When a report whose question went out at `askedAt` goes on to triage unanswered. */
export function placeAnswerDueAt(askedAt: Date, waitMs: number = PLACE_ANSWER_WAIT_MS): Date {
  // Counted on the Shanghai wall clock (a fixed UTC+8, no daylight saving), then shifted back.
  let local = askedAt.getTime() + SHANGHAI_OFFSET_MS;
  let left = waitMs;
  for (;;) {
    const midnight = Math.floor(local / DAY_MS) * DAY_MS;
    const dayStart = midnight + RESIDENT_DAY.fromHour * HOUR_MS;
    const dayEnd = midnight + RESIDENT_DAY.untilHour * HOUR_MS;
    if (local < dayStart) local = dayStart;
    if (local >= dayEnd) {
      local = dayStart + DAY_MS;
      continue;
    }
    const usable = dayEnd - local;
    if (left <= usable) return new Date(local + left - SHANGHAI_OFFSET_MS);
    left -= usable;
    local = dayStart + DAY_MS;
  }
}
