/**
 * `directory seed`: writes the demo organisation, its routing rules and the default policies (SLAs,
 * working calendar) into the directory table,
 * after checking it is consistent. The local runtime does this on first start; a fresh AWS
 * deployment needs it once, before the first report is routed.
 */
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import type { Organisation } from '../../shared/domain/organisation.ts';
import { validateOrganisation } from '../../shared/domain/routing.ts';
import type { Policies } from '../../shared/ports/policies.ts';
import type { Output } from './queue-pull.ts';
import { type Target, TargetError } from './targets.ts';

export async function directorySeed(
  target: Target,
  org: Organisation,
  policies: Policies,
  io: Output,
): Promise<void> {
  const problems = validateOrganisation(org);
  if (problems.length > 0)
    throw new TargetError(`the organisation is inconsistent:\n  ${problems.join('\n  ')}`);
  const table = target.tableName('directory');
  if (!table) throw new TargetError(`no directory table in the ${target.description}`);
  await new DynamoDbPolicies(target.db, table).writePolicies(policies);
  await new DynamoDbDirectory(target.db, table).write(org);
  io.err(
    `seeded ${org.units.length} units, ${org.townships.length} townships, ${org.communities.length} communities, ` +
      `${org.grids.length} grids, ${org.routingRules.length} routing rules, ` +
      `${policies.serviceLevels.length} service levels and the working calendar into ${table}`,
  );
}
