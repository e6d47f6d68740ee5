/**
 * Service levels (SLAs) per report category: how long the responsible unit has to accept a case
 * and to resolve it, and the deadline arithmetic on the county's working calendar. The levels
 * themselves are data an admin edits (defaults in shared/reference/service-level-defaults.ts).
 */
import { ConfigError } from '../errors.ts';
import * as z from '../schema.ts';
import { CategoryCode } from './categories.ts';
import { addWorkingDays, addWorkingHours, type WorkingCalendar } from './working-calendar.ts';

const MS_PER_HOUR = 3_600_000;

export const Duration = z.object({
  /**
   * `working_days`: due at the close of the Nth working day after the start day.
   * `working_hours`: office hours on working days only.
   * `hours`: plain elapsed clock hours, nights and holidays included, for urgent categories
   * (a fraud victim's money moves tonight, not after the holiday).
   */
  unit: z.enum(['working_days', 'working_hours', 'hours']),
  amount: z.int().check(z.positive()),
});
export type Duration = z.infer<typeof Duration>;

export const ServiceLevel = z.object({
  category: CategoryCode,
  /** From dispatch to the unit accepting the case. */
  accept: Duration,
  /** From acceptance to the unit resolving it. */
  resolve: Duration,
});
export type ServiceLevel = z.infer<typeof ServiceLevel>;

export const ServiceLevels = z.array(ServiceLevel).check(
  z.superRefine((levels, ctx) => {
    // Two levels for one category would make the deadline depend on list order.
    const seen = new Set<CategoryCode>();
    levels.forEach((level, i) => {
      if (seen.has(level.category)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'category'],
          message: `more than one service level for ${level.category}`,
        });
      }
      seen.add(level.category);
    });
    // `other` is the fallback for every category without its own level; without it a case of
    // such a category could get no deadline at all, so refuse the list up front.
    if (!seen.has('other')) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'a service level for the `other` category is required',
      });
    }
  }),
);
export type ServiceLevels = z.infer<typeof ServiceLevels>;

/**
 * Thrown by `serviceLevelFor` when neither the category nor the `other` fallback has a level.
 * A validated `ServiceLevels` list always has `other`, so this means unvalidated policy data
 * reached the domain: a configuration fault (HTTP 500, logged), not the caller's mistake.
 */
export class MissingServiceLevelError extends ConfigError {
  readonly category: CategoryCode;
  constructor(category: CategoryCode) {
    super(`no service level for category ${category} and no fallback level for other`);
    this.category = category;
  }
}

/** The deadline a duration gives from `start`, counted on the calendar (see Duration's units). */
export function deadlineAfter(start: Date, d: Duration, cal: WorkingCalendar): Date {
  switch (d.unit) {
    case 'working_days':
      return addWorkingDays(start, d.amount, cal);
    case 'working_hours':
      return addWorkingHours(start, d.amount, cal);
    case 'hours':
      return new Date(start.getTime() + d.amount * MS_PER_HOUR);
  }
}

/**
 * The level for a category. A category without its own level gets the `other` category's level,
 * returned as is (its `category` is then 'other', which tells a caller the fallback applied): a
 * category added to the form before an admin sets its SLA still gets a deadline. Throws
 * MissingServiceLevelError if `other` is missing too.
 */
export function serviceLevelFor(category: CategoryCode, levels: readonly ServiceLevel[]): ServiceLevel {
  const own = levels.find((l) => l.category === category);
  if (own) return own;
  const fallback = levels.find((l) => l.category === 'other');
  if (fallback) return fallback;
  throw new MissingServiceLevelError(category);
}

/** Overdue once `now` is strictly after the deadline; at the deadline instant itself it is still on time. */
export function isOverdue(dueAt: Date, now: Date): boolean {
  return now.getTime() > dueAt.getTime();
}
