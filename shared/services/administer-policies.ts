/**
 * The admin's levers: the routing rules (which unit owns which category where) and the policies
 * (SLAs per category, the working calendar with its 调休 days, the rating window). Each is
 * replaced whole, validated first, so a half-edited rule set can never route a report.
 */
import { RoutingRule } from '../domain/organisation.ts';
import { validateOrganisation } from '../domain/routing.ts';
import { ServiceLevels } from '../domain/service-levels.ts';
import { KeywordTable } from '../domain/sms/classify-report.ts';
import type { Staff } from '../domain/staff.ts';
import { WorkingCalendar } from '../domain/working-calendar.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import type { DirectoryReader, DirectoryWriter } from '../ports/directory.ts';
import type { KeywordStore, Policies, PolicyReader, PolicyWriter } from '../ports/policies.ts';
import * as z from '../schema.ts';
import { parseOrThrow } from '../validation.ts';

export interface AdministerDeps {
  directory: DirectoryReader & Pick<DirectoryWriter, 'replaceRoutingRules'>;
  policies: PolicyReader & PolicyWriter & KeywordStore;
}

export const PoliciesBody = z.object({
  serviceLevels: ServiceLevels,
  calendar: WorkingCalendar,
  ratingWindowDays: z.int().check(z.minimum(1), z.maximum(30)),
});

export const RoutingRulesBody = z.object({ rules: z.array(RoutingRule).check(z.minLength(1)) });

function assertAdmin(staff: Staff): void {
  if (staff.role !== 'admin')
    throw new ForbiddenError('Only an administrator can change routing rules and policies');
}

export async function readPolicies(staff: Staff, deps: AdministerDeps): Promise<Policies> {
  assertAdmin(staff);
  return deps.policies.loadPolicies();
}

export async function replacePolicies(staff: Staff, body: unknown, deps: AdministerDeps): Promise<Policies> {
  assertAdmin(staff);
  const policies = parseOrThrow(PoliciesBody, body, 'The policies');
  await deps.policies.writePolicies(policies);
  return policies;
}

export async function readRoutingRules(staff: Staff, deps: AdministerDeps) {
  assertAdmin(staff);
  return { rules: (await deps.directory.load()).routingRules };
}

export async function replaceRoutingRules(staff: Staff, body: unknown, deps: AdministerDeps) {
  assertAdmin(staff);
  const { rules } = parseOrThrow(RoutingRulesBody, body, 'The routing rules');
  const org = await deps.directory.load();
  const problems = validateOrganisation({ ...org, routingRules: rules });
  if (problems.length > 0) {
    throw new ValidationError(
      `The routing rules are inconsistent: ${problems.join('; ')}`,
      problems.map((message) => ({ path: 'rules', message })),
    );
  }
  await deps.directory.replaceRoutingRules(rules);
  return { rules };
}

export async function readKeywords(staff: Staff, deps: AdministerDeps): Promise<KeywordTable> {
  assertAdmin(staff);
  return deps.policies.loadKeywords();
}

/** Replaces the SMS classifier's keyword table (every category needs an entry, `other` included). */
export async function replaceKeywords(
  staff: Staff,
  body: unknown,
  deps: AdministerDeps,
): Promise<KeywordTable> {
  assertAdmin(staff);
  const table = parseOrThrow(KeywordTable, body, 'The keyword table');
  await deps.policies.writeKeywords(table);
  return table;
}
