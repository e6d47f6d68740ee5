/**
 * The organisation and policies a case transition needs, in the shape the pure lifecycle table
 * asks for: where returned cases go, which units exist, and the SLA deadlines for the case's
 * category counted on the county's working calendar.
 */

import type { LifecycleContext } from '../domain/case-lifecycle.ts';
import type { CategoryCode } from '../domain/categories.ts';
import type { Organisation } from '../domain/organisation.ts';
import { deadlineAfter, serviceLevelFor } from '../domain/service-levels.ts';
import type { Policies } from '../ports/policies.ts';

export function lifecycleContext(
  category: CategoryCode,
  org: Organisation,
  policies: Policies,
): LifecycleContext {
  const level = serviceLevelFor(category, policies.serviceLevels);
  const units = new Set(org.units.map((u) => u.id));
  return {
    countyCentreUnitId: org.countyCentreUnitId,
    townshipCentreOf: (townshipId) => org.townships.find((t) => t.id === townshipId)?.centreUnitId,
    unitExists: (unitId) => units.has(unitId),
    deadline: (kind, from) =>
      deadlineAfter(from, kind === 'accept' ? level.accept : level.resolve, policies.calendar),
    ratingWindowDays: policies.ratingWindowDays,
  };
}
