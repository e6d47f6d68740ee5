import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { type CategoryCode, categoryCodes } from '../../shared/domain/categories.ts';
import type { Organisation, RoutingRule } from '../../shared/domain/organisation.ts';
import {
  indexDirectory,
  type RoutingDirectory,
  resolveResponsibleUnit,
  validateOrganisation,
} from '../../shared/domain/routing.ts';

/** A small hand-made directory, so each test shows exactly which data drives the decision. */
function smallOrganisation(): Organisation {
  return {
    countyCentreUnitId: 'county-centre',
    units: [
      { id: 'county-centre', kind: 'county_centre', zh: '县综治中心', en: 'County centre' },
      {
        id: 'centre-east',
        kind: 'township_centre',
        zh: '东街道综治中心',
        en: 'East centre',
        townshipId: 'east',
      },
      {
        id: 'centre-hill',
        kind: 'township_centre',
        zh: '山乡综治中心',
        en: 'Hill centre',
        townshipId: 'hill',
      },
      { id: 'transport', kind: 'department', zh: '交通局', en: 'Transport' },
      { id: 'urban-management', kind: 'department', zh: '城管局', en: 'Urban management' },
      { id: 'heritage', kind: 'department', zh: '文物局', en: 'Heritage' },
    ],
    townships: [
      { id: 'east', kind: 'subdistrict', zh: '东街道', en: 'East', centreUnitId: 'centre-east' },
      { id: 'hill', kind: 'township', zh: '山乡', en: 'Hill', centreUnitId: 'centre-hill' },
    ],
    communities: [
      {
        id: 'east-old-town',
        townshipId: 'east',
        kind: 'community',
        zh: '老城社区',
        en: 'Old Town',
        households: 2000,
      },
      {
        id: 'east-new-town',
        townshipId: 'east',
        kind: 'community',
        zh: '新城社区',
        en: 'New Town',
        households: 2500,
      },
      {
        id: 'hill-pine',
        townshipId: 'hill',
        kind: 'village',
        zh: '松村',
        en: 'Pine Village',
        households: 400,
      },
    ],
    grids: [{ id: 'east-old-town-g1', communityId: 'east-old-town', zh: '老城社区第1网格', households: 350 }],
    routingRules: [
      {
        id: 'road-county',
        category: 'road',
        area: { kind: 'county' },
        owner: { kind: 'unit', unitId: 'transport' },
      },
      {
        id: 'road-east',
        category: 'road',
        area: { kind: 'township', townshipId: 'east' },
        owner: { kind: 'unit', unitId: 'urban-management' },
      },
      {
        id: 'road-east-old-town',
        category: 'road',
        area: { kind: 'community', communityId: 'east-old-town' },
        owner: { kind: 'unit', unitId: 'heritage' },
      },
      {
        id: 'dispute-county',
        category: 'dispute',
        area: { kind: 'county' },
        owner: { kind: 'township_centre' },
      },
    ],
  };
}

const withRules = (org: Organisation, ...rules: RoutingRule[]): Organisation => ({
  ...org,
  routingRules: [...org.routingRules, ...rules],
});

describe('resolveResponsibleUnit with the demo organisation', () => {
  const defaultOwners: Record<CategoryCode, string> = {
    fraud: 'psb-antifraud',
    public_safety: 'psb',
    dispute: 'centre-zhongdu',
    road: 'transport',
    sanitation: 'urban-management',
    heritage: 'heritage',
    education: 'education',
    assistance: 'civil-affairs',
    market: 'market-regulation',
    petition: 'petition',
    other: 'centre-zhongdu',
  };

  it('sends every category in an ordinary village to its default owner by the county-wide rule', () => {
    for (const category of categoryCodes) {
      expect(resolveResponsibleUnit({ category, communityId: 'zhongdu-waliu' }, demoOrganisation)).toEqual({
        kind: 'rule',
        unitId: defaultOwners[category],
        ruleId: `${category.replace('_', '-')}-county`,
        area: 'county',
        townshipId: 'zhongdu',
        communityId: 'zhongdu-waliu',
      });
    }
  });

  it('sends disputes and other reports to the centre of the community’s own township', () => {
    for (const category of ['dispute', 'other'] as const) {
      expect(
        resolveResponsibleUnit({ category, communityId: 'dongquan-weijiazhuang' }, demoOrganisation).unitId,
      ).toBe('centre-dongquan');
      expect(
        resolveResponsibleUnit({ category, communityId: 'chengdong-kangning' }, demoOrganisation).unitId,
      ).toBe('centre-chengdong');
      expect(
        resolveResponsibleUnit({ category, communityId: 'xiangyuan-xiangyuan' }, demoOrganisation).unitId,
      ).toBe('centre-xiangyuan');
    }
  });

  it('sends a road report in Chengdong to urban management, not transport', () => {
    expect(
      resolveResponsibleUnit({ category: 'road', communityId: 'chengdong-kangning' }, demoOrganisation),
    ).toMatchObject({ kind: 'rule', unitId: 'urban-management', ruleId: 'road-chengdong', area: 'township' });
  });

  it('sends a road report in Dongquan to transport', () => {
    expect(
      resolveResponsibleUnit({ category: 'road', communityId: 'dongquan-shuimotou' }, demoOrganisation),
    ).toMatchObject({ kind: 'rule', unitId: 'transport', ruleId: 'road-county', area: 'county' });
  });

  it('sends a road report inside the ancient city walls to heritage, beating Chengxi’s and the county’s rules', () => {
    expect(
      resolveResponsibleUnit({ category: 'road', communityId: 'chengxi-gucheng' }, demoOrganisation),
    ).toEqual({
      kind: 'rule',
      unitId: 'heritage',
      ruleId: 'road-chengxi-gucheng',
      area: 'community',
      townshipId: 'chengxi',
      communityId: 'chengxi-gucheng',
    });
    expect(
      resolveResponsibleUnit({ category: 'road', communityId: 'chengxi-yongding' }, demoOrganisation).unitId,
    ).toBe('urban-management');
  });

  it('sends a report from an unknown community to the county centre for triage', () => {
    expect(
      resolveResponsibleUnit({ category: 'fraud', communityId: 'nowhere-village' }, demoOrganisation),
    ).toEqual({
      kind: 'county_triage',
      unitId: 'county-centre',
      reason: 'unknown_community',
    });
  });
});

describe('resolveResponsibleUnit: the most specific area wins', () => {
  it('prefers the community rule over the township and county rules', () => {
    expect(
      resolveResponsibleUnit({ category: 'road', communityId: 'east-old-town' }, smallOrganisation()),
    ).toEqual({
      kind: 'rule',
      unitId: 'heritage',
      ruleId: 'road-east-old-town',
      area: 'community',
      townshipId: 'east',
      communityId: 'east-old-town',
    });
  });

  it('prefers the township rule over the county rule elsewhere in that township', () => {
    expect(
      resolveResponsibleUnit({ category: 'road', communityId: 'east-new-town' }, smallOrganisation()),
    ).toMatchObject({
      kind: 'rule',
      unitId: 'urban-management',
      ruleId: 'road-east',
      area: 'township',
    });
  });

  it('falls back to the county rule in other townships', () => {
    expect(
      resolveResponsibleUnit({ category: 'road', communityId: 'hill-pine' }, smallOrganisation()),
    ).toMatchObject({
      kind: 'rule',
      unitId: 'transport',
      ruleId: 'road-county',
      area: 'county',
    });
  });

  it('resolves a township-centre owner to the centre of the report’s own township', () => {
    const org = smallOrganisation();
    expect(resolveResponsibleUnit({ category: 'dispute', communityId: 'hill-pine' }, org).unitId).toBe(
      'centre-hill',
    );
    expect(resolveResponsibleUnit({ category: 'dispute', communityId: 'east-new-town' }, org).unitId).toBe(
      'centre-east',
    );
  });

  it('lets a more specific rule hand a category back to the township centre', () => {
    const org = withRules(smallOrganisation(), {
      id: 'road-hill',
      category: 'road',
      area: { kind: 'township', townshipId: 'hill' },
      owner: { kind: 'township_centre' },
    });
    expect(resolveResponsibleUnit({ category: 'road', communityId: 'hill-pine' }, org)).toMatchObject({
      kind: 'rule',
      unitId: 'centre-hill',
      ruleId: 'road-hill',
    });
  });

  it('picks the rule with the smaller id when two rules wrongly cover the same category and area', () => {
    const base = smallOrganisation();
    const duplicate: RoutingRule = {
      id: 'road-county-2',
      category: 'road',
      area: { kind: 'county' },
      owner: { kind: 'unit', unitId: 'heritage' },
    };
    const before = { ...base, routingRules: [duplicate, ...base.routingRules] };
    const after = withRules(base, duplicate);
    for (const org of [before, after]) {
      expect(resolveResponsibleUnit({ category: 'road', communityId: 'hill-pine' }, org).unitId).toBe(
        'transport',
      );
    }
  });
});

describe('resolveResponsibleUnit: never nowhere', () => {
  it('sends a category with no rule to the township centre for triage', () => {
    expect(
      resolveResponsibleUnit({ category: 'market', communityId: 'hill-pine' }, smallOrganisation()),
    ).toEqual({
      kind: 'township_triage',
      unitId: 'centre-hill',
      townshipId: 'hill',
      communityId: 'hill-pine',
      reason: 'no_rule',
    });
  });

  it('sends a report whose rule names a missing unit to the township centre for triage', () => {
    const org = withRules(smallOrganisation(), {
      id: 'market-county',
      category: 'market',
      area: { kind: 'county' },
      owner: { kind: 'unit', unitId: 'market-regulation' },
    });
    expect(resolveResponsibleUnit({ category: 'market', communityId: 'east-new-town' }, org)).toEqual({
      kind: 'township_triage',
      unitId: 'centre-east',
      townshipId: 'east',
      communityId: 'east-new-town',
      reason: 'owner_unknown',
    });
  });

  it('sends the report to the county centre when the township centre is not a unit', () => {
    const base = smallOrganisation();
    const org = { ...base, units: base.units.filter((u) => u.id !== 'centre-hill') };
    for (const category of ['market', 'dispute'] as const) {
      expect(resolveResponsibleUnit({ category, communityId: 'hill-pine' }, org)).toEqual({
        kind: 'county_triage',
        unitId: 'county-centre',
        reason: 'township_centre_unknown',
      });
    }
    expect(resolveResponsibleUnit({ category: 'road', communityId: 'hill-pine' }, org).unitId).toBe(
      'transport',
    );
  });

  it('sends the report to the county centre when the community’s township is unknown', () => {
    const base = smallOrganisation();
    const org = { ...base, townships: base.townships.filter((t) => t.id !== 'hill') };
    expect(resolveResponsibleUnit({ category: 'other', communityId: 'hill-pine' }, org)).toEqual({
      kind: 'county_triage',
      unitId: 'county-centre',
      reason: 'township_centre_unknown',
    });
  });

  it('gives every category in every community of the demo a unit that exists, even with no rules at all', () => {
    const org = { ...demoOrganisation, routingRules: [] };
    const unitIds = new Set(org.units.map((u) => u.id));
    for (const c of org.communities) {
      for (const category of categoryCodes) {
        const decision = resolveResponsibleUnit({ category, communityId: c.id }, org);
        expect(decision.kind).toBe('township_triage');
        expect(unitIds.has(decision.unitId)).toBe(true);
      }
    }
  });
});

describe('indexDirectory', () => {
  it('looks communities, townships and rules up by id and by category and area', () => {
    const index = indexDirectory(smallOrganisation());
    expect(index.countyCentreUnitId).toBe('county-centre');
    expect(index.unitIds.has('heritage')).toBe(true);
    expect(index.communities.get('hill-pine')?.townshipId).toBe('hill');
    expect(index.townships.get('east')?.centreUnitId).toBe('centre-east');
    expect(index.rules.size).toBe(4);
  });

  it('resolves a new directory object with its own rules, not a cached index of an earlier one', () => {
    const base = smallOrganisation();
    expect(resolveResponsibleUnit({ category: 'market', communityId: 'hill-pine' }, base).kind).toBe(
      'township_triage',
    );
    const changed: RoutingDirectory = withRules(base, {
      id: 'market-county',
      category: 'market',
      area: { kind: 'county' },
      owner: { kind: 'unit', unitId: 'heritage' },
    });
    expect(resolveResponsibleUnit({ category: 'market', communityId: 'hill-pine' }, changed).unitId).toBe(
      'heritage',
    );
  });
});

describe('validateOrganisation', () => {
  it('finds nothing wrong with a sound directory', () => {
    expect(validateOrganisation(smallOrganisation())).toEqual([]);
  });

  it('reports duplicate ids of each kind of entity', () => {
    const org = smallOrganisation();
    const [unit] = org.units;
    const [township] = org.townships;
    const [community] = org.communities;
    const [grid] = org.grids;
    const [rule] = org.routingRules;
    if (!unit || !township || !community || !grid || !rule) throw new Error('fixture is incomplete');
    const problems = validateOrganisation({
      ...org,
      units: [...org.units, unit],
      townships: [...org.townships, township],
      communities: [...org.communities, community],
      grids: [...org.grids, grid],
      routingRules: [...org.routingRules, { ...rule, area: { kind: 'township', townshipId: 'hill' } }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'duplicate unit id "county-centre"',
        'duplicate township id "east"',
        'duplicate community id "east-old-town"',
        'duplicate grid id "east-old-town-g1"',
        'duplicate routing rule id "road-county"',
      ]),
    );
  });

  it('reports a community in an unknown township', () => {
    const org = smallOrganisation();
    org.communities.push({
      id: 'lake-reed',
      townshipId: 'lake',
      kind: 'village',
      zh: '苇村',
      en: 'Reed',
      households: 300,
    });
    expect(validateOrganisation(org)).toEqual(['community "lake-reed" belongs to unknown township "lake"']);
  });

  it('reports a grid in an unknown community', () => {
    const org = smallOrganisation();
    org.grids.push({ id: 'east-gone-g1', communityId: 'east-gone', zh: '第1网格', households: 350 });
    expect(validateOrganisation(org)).toEqual([
      'grid "east-gone-g1" belongs to unknown community "east-gone"',
    ]);
  });

  it('reports a rule naming an unknown unit', () => {
    const org = withRules(smallOrganisation(), {
      id: 'fraud-county',
      category: 'fraud',
      area: { kind: 'county' },
      owner: { kind: 'unit', unitId: 'psb-antifraud' },
    });
    expect(validateOrganisation(org)).toEqual([
      'routing rule "fraud-county" names unknown unit "psb-antifraud"',
    ]);
  });

  it('reports rules for unknown townships and communities', () => {
    const org = withRules(
      smallOrganisation(),
      {
        id: 'road-lake',
        category: 'road',
        area: { kind: 'township', townshipId: 'lake' },
        owner: { kind: 'township_centre' },
      },
      {
        id: 'road-east-gone',
        category: 'road',
        area: { kind: 'community', communityId: 'east-gone' },
        owner: { kind: 'township_centre' },
      },
    );
    expect(validateOrganisation(org)).toEqual([
      'routing rule "road-lake" applies to unknown township "lake"',
      'routing rule "road-east-gone" applies to unknown community "east-gone"',
    ]);
  });

  it('reports two rules for the same category and area', () => {
    const org = withRules(smallOrganisation(), {
      id: 'road-east-again',
      category: 'road',
      area: { kind: 'township', townshipId: 'east' },
      owner: { kind: 'unit', unitId: 'transport' },
    });
    expect(validateOrganisation(org)).toEqual([
      'routing rules "road-east" and "road-east-again" both cover road in township:east',
    ]);
  });

  it('does not confuse the same category in different areas, or different categories in one area', () => {
    const org = withRules(smallOrganisation(), {
      id: 'dispute-east',
      category: 'dispute',
      area: { kind: 'township', townshipId: 'east' },
      owner: { kind: 'township_centre' },
    });
    expect(validateOrganisation(org)).toEqual([]);
  });

  it('reports a township whose centre is not a unit, and a unit serving an unknown township', () => {
    const org = smallOrganisation();
    org.townships.push({ id: 'lake', kind: 'township', zh: '湖乡', en: 'Lake', centreUnitId: 'centre-lake' });
    org.units.push({
      id: 'centre-river',
      kind: 'township_centre',
      zh: '河乡综治中心',
      en: 'River',
      townshipId: 'river',
    });
    expect(validateOrganisation(org)).toEqual([
      'unit "centre-river" serves unknown township "river"',
      'township "lake" has unknown centre unit "centre-lake"',
    ]);
  });

  it('reports a county centre that is missing or is not a county centre', () => {
    expect(validateOrganisation({ ...smallOrganisation(), countyCentreUnitId: 'gone' })).toEqual([
      'county centre "gone" is not a unit',
    ]);
    expect(validateOrganisation({ ...smallOrganisation(), countyCentreUnitId: 'transport' })).toEqual([
      'county centre "transport" is a department, not a county_centre',
    ]);
  });
});
