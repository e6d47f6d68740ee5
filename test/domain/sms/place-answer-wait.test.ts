import { describe, expect, it } from 'vitest';
import { placeAnswerDueAt } from '../../../shared/domain/sms/place-answer-wait.ts';

/** A Shanghai wall-clock time as an instant (UTC+8, no daylight saving). */
const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('placeAnswerDueAt: two hours of the resident’s day (08:00–21:00 Asia/Shanghai)', () => {
  it.each([
    ['2026-12-07T10:00:00', '2026-12-07T12:00:00'],
    ['2026-12-07T18:59:00', '2026-12-07T20:59:00'],
    ['2026-12-07T19:00:00', '2026-12-07T21:00:00'],
    // Texted in the evening: the rest of the day, then the morning after.
    ['2026-12-07T20:00:00', '2026-12-08T09:00:00'],
    ['2026-12-07T20:30:00', '2026-12-08T09:30:00'],
    // Texted at night: two hours after waking, and the county's text comes in the morning.
    ['2026-12-07T21:00:00', '2026-12-08T10:00:00'],
    ['2026-12-07T23:40:00', '2026-12-08T10:00:00'],
    ['2026-12-08T03:15:00', '2026-12-08T10:00:00'],
    ['2026-12-08T07:30:00', '2026-12-08T10:00:00'],
    // Across a month and a year.
    ['2026-12-31T22:00:00', '2027-01-01T10:00:00'],
  ])('asked at %s, due at %s', (asked, due) => {
    expect(placeAnswerDueAt(shanghai(asked)).toISOString()).toBe(shanghai(due).toISOString());
  });

  it('never falls due at night, however long the wait', () => {
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const asked = new Date(Date.parse('2026-12-07T00:00:00+08:00') + minute * 60_000);
      for (const waitHours of [1, 2, 13, 20]) {
        const due = placeAnswerDueAt(asked, waitHours * 3_600_000);
        const hour = (due.getUTCHours() + 8) % 24;
        const localMinutes = hour * 60 + due.getUTCMinutes();
        expect(localMinutes, `${asked.toISOString()} + ${waitHours} h`).toBeGreaterThan(8 * 60);
        expect(localMinutes).toBeLessThanOrEqual(21 * 60);
        expect(due.getTime()).toBeGreaterThan(asked.getTime());
      }
    }
  });
});
