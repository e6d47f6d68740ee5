/**
 * Service levels as a specification: the three duration units, choosing a category's level with
 * the `other` fallback, when a case is overdue, and the defaults a new installation starts with.
 */
import { describe, expect, it } from 'vitest';
import { type CategoryCode, categoryCodes } from '../../shared/domain/categories.ts';
import {
  deadlineAfter,
  isOverdue,
  MissingServiceLevelError,
  type ServiceLevel,
  ServiceLevels,
  serviceLevelFor,
} from '../../shared/domain/service-levels.ts';
import { ConfigError } from '../../shared/errors.ts';
import { countyCalendar } from '../../shared/reference/county-calendar.ts';
import { defaultServiceLevels } from '../../shared/reference/service-level-defaults.ts';

const cal = countyCalendar;
const DAY = 86_400_000;

/** An instant from a local Asia/Shanghai wall-clock time, e.g. at('2026-03-09 10:00'). */
const at = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

const level = (category: CategoryCode, acceptDays: number, resolveDays: number): ServiceLevel => ({
  category,
  accept: { unit: 'working_days', amount: acceptDays },
  resolve: { unit: 'working_days', amount: resolveDays },
});

describe('deadlineAfter', () => {
  it('counts clock hours through the night and the weekend for `hours`', () => {
    // A fraud report late on Saturday night must be picked up by 01:00 Sunday.
    expect(deadlineAfter(at('2026-03-14 23:00'), { unit: 'hours', amount: 2 }, cal)).toEqual(
      at('2026-03-15 01:00'),
    );
    // ...and during a public holiday too.
    expect(deadlineAfter(at('2026-10-01 12:00'), { unit: 'hours', amount: 4 }, cal)).toEqual(
      at('2026-10-01 16:00'),
    );
  });

  it('counts office hours on working days only for `working_hours`', () => {
    // Friday 16:30 + 4 working hours: one hour on Friday, three on Monday morning.
    expect(deadlineAfter(at('2026-03-13 16:30'), { unit: 'working_hours', amount: 4 }, cal)).toEqual(
      at('2026-03-16 11:30'),
    );
  });

  it('ends at 17:30 of the Nth working day after the start day for `working_days`', () => {
    expect(deadlineAfter(at('2026-03-09 10:00'), { unit: 'working_days', amount: 1 }, cal)).toEqual(
      at('2026-03-10 17:30'),
    );
    // Across the 2026 Spring Festival: make-up Saturday Feb 14, then Feb 24 after the holiday.
    expect(deadlineAfter(at('2026-02-13 18:00'), { unit: 'working_days', amount: 2 }, cal)).toEqual(
      at('2026-02-24 17:30'),
    );
  });
});

describe('serviceLevelFor', () => {
  const levels = [level('road', 2, 10), level('other', 3, 15)];

  it("returns the category's own level", () => {
    expect(serviceLevelFor('road', levels)).toEqual(level('road', 2, 10));
  });

  it('falls back to the `other` level for a category without one', () => {
    expect(serviceLevelFor('heritage', levels)).toEqual(level('other', 3, 15));
  });

  it('throws MissingServiceLevelError, a configuration error, when `other` is missing too', () => {
    const withoutOther = [level('road', 2, 10)];
    expect(() => serviceLevelFor('heritage', withoutOther)).toThrow(MissingServiceLevelError);
    try {
      serviceLevelFor('heritage', withoutOther);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ category: 'heritage', code: 'config_invalid' });
    }
  });
});

describe('isOverdue', () => {
  const due = at('2026-03-10 17:30');

  it('is on time before and at the deadline, overdue after it', () => {
    expect(isOverdue(due, at('2026-03-10 17:29'))).toBe(false);
    expect(isOverdue(due, due)).toBe(false);
    expect(isOverdue(due, new Date(due.getTime() + 1))).toBe(true);
  });
});

describe('the ServiceLevels schema', () => {
  it('rejects two levels for the same category', () => {
    expect(
      ServiceLevels.safeParse([level('road', 2, 10), level('road', 1, 5), level('other', 2, 15)]).success,
    ).toBe(false);
  });

  it('requires a level for `other`, the fallback', () => {
    expect(ServiceLevels.safeParse([level('road', 2, 10)]).success).toBe(false);
  });

  it('requires whole, positive amounts and a known unit', () => {
    const withAccept = (accept: unknown) => [{ ...level('other', 2, 15), accept }];
    expect(ServiceLevels.safeParse(withAccept({ unit: 'working_days', amount: 0 })).success).toBe(false);
    expect(ServiceLevels.safeParse(withAccept({ unit: 'working_days', amount: 1.5 })).success).toBe(false);
    expect(ServiceLevels.safeParse(withAccept({ unit: 'days', amount: 2 })).success).toBe(false);
  });
});

describe('the default service levels', () => {
  it('parse with the schema', () => {
    expect(ServiceLevels.parse(defaultServiceLevels)).toEqual(defaultServiceLevels);
  });

  it('give every category exactly one level of its own', () => {
    expect(defaultServiceLevels.map((l) => l.category).sort()).toEqual([...categoryCodes].sort());
  });

  it('make the police accept fraud and public-safety reports within clock hours, day or night', () => {
    expect(serviceLevelFor('fraud', defaultServiceLevels).accept).toEqual({ unit: 'hours', amount: 2 });
    expect(serviceLevelFor('public_safety', defaultServiceLevels).accept).toEqual({
      unit: 'hours',
      amount: 4,
    });
  });

  it('keep petitions within the 15-day acceptance and 60-day handling limits of the 信访 regulations', () => {
    const petition = serviceLevelFor('petition', defaultServiceLevels);
    // The worst case: a petition arriving just before the longest break of the two years.
    const start = at('2026-02-13 18:00');
    const accepted = deadlineAfter(start, petition.accept, cal);
    const resolved = deadlineAfter(accepted, petition.resolve, cal);
    expect(accepted.getTime() - start.getTime()).toBeLessThanOrEqual(15 * DAY);
    expect(resolved.getTime() - start.getTime()).toBeLessThanOrEqual(60 * DAY);
  });
});
