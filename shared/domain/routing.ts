/**
 * Routing as a pure function of the directory: which unit owns a report of a given category in a
 * given community. The most specific rule wins (community > township > county); anything that
 * cannot be placed confidently falls back to the township centre, then the county centre, so a
 * report never goes nowhere. Also owns the consistency check an admin's directory must pass.
 */
import type { CategoryCode } from './categories.ts';
import type { Community, Organisation, RoutingRule, RuleArea, Township, Unit } from './organisation.ts';

export interface RoutingDirectory {
  readonly countyCentreUnitId: string;
  readonly units: readonly Unit[];
  readonly townships: readonly Township[];
  readonly communities: readonly Community[];
  readonly routingRules: readonly RoutingRule[];
}

export type RoutingDecision =
  | {
      kind: 'rule';
      unitId: string;
      ruleId: string;
      area: RuleArea['kind'];
      townshipId: string;
      communityId: string;
    }
  | {
      kind: 'township_triage';
      unitId: string;
      townshipId: string;
      communityId: string;
      reason: 'no_rule' | 'owner_unknown';
    }
  | {
      kind: 'county_triage';
      unitId: string;
      reason: 'unknown_community' | 'township_centre_unknown';
    };

export interface DirectoryIndex {
  readonly countyCentreUnitId: string;
  readonly unitIds: ReadonlySet<string>;
  readonly townships: ReadonlyMap<string, Township>;
  readonly communities: ReadonlyMap<string, Community>;
  /** Keyed by `ruleKey(category, area)`; at most one rule per key. */
  readonly rules: ReadonlyMap<string, RoutingRule>;
}

const areaKey = (area: RuleArea): string => {
  switch (area.kind) {
    case 'county':
      return 'county';
    case 'township':
      return `township:${area.townshipId}`;
    case 'community':
      return `community:${area.communityId}`;
  }
};

const ruleKey = (category: CategoryCode, area: RuleArea): string => `${category}|${areaKey(area)}`;

export function indexDirectory(directory: RoutingDirectory): DirectoryIndex {
  const rules = new Map<string, RoutingRule>();
  for (const rule of directory.routingRules) {
    const key = ruleKey(rule.category, rule.area);
    const existing = rules.get(key);
    // Two rules for one category and area are a directory error (validateOrganisation reports it);
    // until it is fixed, the smaller id wins so the outcome does not depend on storage order.
    if (!existing || rule.id < existing.id) rules.set(key, rule);
  }
  return {
    countyCentreUnitId: directory.countyCentreUnitId,
    unitIds: new Set(directory.units.map((u) => u.id)),
    townships: new Map(directory.townships.map((t) => [t.id, t])),
    communities: new Map(directory.communities.map((c) => [c.id, c])),
    rules,
  };
}

// The router resolves every report against the same cached directory object, so its index is
// built once per directory. Directories are treated as immutable values: change one by making a
// new object, not by pushing into its arrays.
const indexes = new WeakMap<RoutingDirectory, DirectoryIndex>();

function indexOf(directory: RoutingDirectory): DirectoryIndex {
  let index = indexes.get(directory);
  if (!index) {
    index = indexDirectory(directory);
    indexes.set(directory, index);
  }
  return index;
}

export function resolveResponsibleUnit(
  report: { category: CategoryCode; communityId: string },
  directory: RoutingDirectory,
): RoutingDecision {
  const index = indexOf(directory);
  const community = index.communities.get(report.communityId);
  if (!community) {
    return { kind: 'county_triage', unitId: index.countyCentreUnitId, reason: 'unknown_community' };
  }
  const { townshipId } = community;
  const communityId = community.id;
  const centreUnitId = index.townships.get(townshipId)?.centreUnitId;
  const centre = centreUnitId !== undefined && index.unitIds.has(centreUnitId) ? centreUnitId : undefined;

  const rule =
    index.rules.get(ruleKey(report.category, { kind: 'community', communityId })) ??
    index.rules.get(ruleKey(report.category, { kind: 'township', townshipId })) ??
    index.rules.get(ruleKey(report.category, { kind: 'county' }));

  const owner = rule && (rule.owner.kind === 'township_centre' ? centre : rule.owner.unitId);
  if (rule && owner !== undefined && index.unitIds.has(owner)) {
    return { kind: 'rule', unitId: owner, ruleId: rule.id, area: rule.area.kind, townshipId, communityId };
  }
  if (centre === undefined) {
    return { kind: 'county_triage', unitId: index.countyCentreUnitId, reason: 'township_centre_unknown' };
  }
  return {
    kind: 'township_triage',
    unitId: centre,
    townshipId,
    communityId,
    reason: rule ? 'owner_unknown' : 'no_rule',
  };
}

/** Problems that would misroute reports or break references; empty when the directory is sound. */
export function validateOrganisation(org: Organisation): string[] {
  const problems: string[] = [];

  const idsOf = (what: string, items: readonly { id: string }[]): Set<string> => {
    const seen = new Set<string>();
    for (const { id } of items) {
      if (seen.has(id)) problems.push(`duplicate ${what} id "${id}"`);
      seen.add(id);
    }
    return seen;
  };
  const unitIds = idsOf('unit', org.units);
  const townshipIds = idsOf('township', org.townships);
  const communityIds = idsOf('community', org.communities);
  idsOf('grid', org.grids);
  idsOf('routing rule', org.routingRules);

  const countyCentre = org.units.find((u) => u.id === org.countyCentreUnitId);
  if (!countyCentre) problems.push(`county centre "${org.countyCentreUnitId}" is not a unit`);
  else if (countyCentre.kind !== 'county_centre') {
    problems.push(`county centre "${org.countyCentreUnitId}" is a ${countyCentre.kind}, not a county_centre`);
  }

  for (const unit of org.units) {
    if (unit.townshipId !== undefined && !townshipIds.has(unit.townshipId)) {
      problems.push(`unit "${unit.id}" serves unknown township "${unit.townshipId}"`);
    }
  }
  for (const township of org.townships) {
    if (!unitIds.has(township.centreUnitId)) {
      problems.push(`township "${township.id}" has unknown centre unit "${township.centreUnitId}"`);
    }
  }
  for (const community of org.communities) {
    if (!townshipIds.has(community.townshipId)) {
      problems.push(`community "${community.id}" belongs to unknown township "${community.townshipId}"`);
    }
  }
  for (const grid of org.grids) {
    if (!communityIds.has(grid.communityId)) {
      problems.push(`grid "${grid.id}" belongs to unknown community "${grid.communityId}"`);
    }
  }

  const ruleByKey = new Map<string, string>();
  for (const rule of org.routingRules) {
    if (rule.owner.kind === 'unit' && !unitIds.has(rule.owner.unitId)) {
      problems.push(`routing rule "${rule.id}" names unknown unit "${rule.owner.unitId}"`);
    }
    if (rule.area.kind === 'township' && !townshipIds.has(rule.area.townshipId)) {
      problems.push(`routing rule "${rule.id}" applies to unknown township "${rule.area.townshipId}"`);
    }
    if (rule.area.kind === 'community' && !communityIds.has(rule.area.communityId)) {
      problems.push(`routing rule "${rule.id}" applies to unknown community "${rule.area.communityId}"`);
    }
    const key = ruleKey(rule.category, rule.area);
    const other = ruleByKey.get(key);
    if (other !== undefined) {
      problems.push(
        `routing rules "${other}" and "${rule.id}" both cover ${rule.category} in ${areaKey(rule.area)}`,
      );
    } else {
      ruleByKey.set(key, rule.id);
    }
  }

  return problems;
}
