/**
 * The organisation and policies a case transition needs, in the shape the pure lifecycle table
 * asks for: where returned cases go, which units exist, and the SLA deadlines for the case's
 * category counted on the county's working calendar.
 */

import type { LifecycleContext } from '../domain/case-lifecycle.ts';
import type { CategoryCode } from '../domain/categories.ts';
import type { Organisation } from '../domain/organisation.ts';
import { resolveResponsibleUnit } from '../domain/routing.ts';
import { deadlineAfter, serviceLevelFor } from '../domain/service-levels.ts';
import { workingTimeBetween } from '../domain/working-calendar.ts';
import type { Policies } from '../ports/policies.ts';

export function lifecycleContext(
  category: CategoryCode,
  org: Organisation,
  policies: Policies,
  /** The case's community, so a recategorised case can follow the routing rules (and a resolution confirm its category). */
  communityId?: string,
): LifecycleContext {
  const level = serviceLevelFor(category, policies.serviceLevels);
  const units = new Set(org.units.map((u) => u.id));
  return {
    countyCentreUnitId: org.countyCentreUnitId,
    townshipCentreOf: (townshipId) => org.townships.find((t) => t.id === townshipId)?.centreUnitId,
    unitExists: (unitId) => units.has(unitId),
    deadline: (kind, from) =>
      deadlineAfter(from, kind === 'accept' ? level.accept : level.resolve, policies.calendar),
    workingMs: (from, to) => workingTimeBetween(from, to, policies.calendar),
    ratingWindowDays: policies.ratingWindowDays,
    ...(communityId === undefined
      ? {}
      : {
          ownerFor: (to: CategoryCode) => {
            const decision = resolveResponsibleUnit({ category: to, communityId }, org);
            if (decision.kind !== 'rule') return undefined;
            const accept = serviceLevelFor(to, policies.serviceLevels).accept;
            return {
              unitId: decision.unitId,
              acceptDeadline: (from: Date) => deadlineAfter(from, accept, policies.calendar),
            };
          },
        }),
  };
}
