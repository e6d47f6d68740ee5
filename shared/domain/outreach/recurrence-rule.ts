/**
 * The recurrence a campaign is planned with, as the API and the console write it: once, weekly
 * on chosen weekdays, or monthly on the same day or the last day, with a count or an end date.
 * Only the schema lives here, so what merely stores or forwards a plan (the planner, the sender)
 * does not bundle the recurrence library; recurrence.ts computes the occurrences.
 */
import * as z from '../../schema.ts';
import { LocalDate } from '../working-calendar.ts';

export const Weekday = z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);
export type Weekday = z.infer<typeof Weekday>;

const Once = z.object({ frequency: z.literal('once') });

const Weekly = z.object({
  frequency: z.literal('weekly'),
  /** Every `interval` weeks; the weeks start on Monday, as RFC 5545 assumes by default. */
  interval: z._default(z.int().check(z.minimum(1), z.maximum(8)), 1),
  /** The days of the week to run on; left out, the weekday of the first run. */
  weekdays: z.optional(
    z.array(Weekday).check(
      z.minLength(1, 'choose at least one weekday'),
      z.maxLength(7),
      z.refine((days) => new Set(days).size === days.length, 'each weekday may be listed only once'),
    ),
  ),
  /** Two years of weekly runs; a longer campaign should be planned again rather than left running. */
  count: z.optional(z.int().check(z.minimum(1), z.maximum(104))),
  until: z.optional(LocalDate),
});

const Monthly = z.object({
  frequency: z.literal('monthly'),
  interval: z._default(z.int().check(z.minimum(1), z.maximum(12)), 1),
  monthDay: z._default(z.enum(['same_day', 'last_day']), 'same_day'),
  count: z.optional(z.int().check(z.minimum(1), z.maximum(60))),
  until: z.optional(LocalDate),
});

export const Recurrence = z.discriminatedUnion('frequency', [Once, Weekly, Monthly]).check(
  z.superRefine((r, ctx) => {
    // RFC 5545 forbids both in one RRULE; accepting both would mean silently ignoring one.
    if (r.frequency !== 'once' && r.count !== undefined && r.until !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: 'give either a number of runs (count) or an end date (until), not both',
      });
    }
  }),
);
export type Recurrence = z.infer<typeof Recurrence>;
