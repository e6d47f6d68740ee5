import { describe, expect, it, vi } from 'vitest';
import { demoOrganisation as org } from '../../../infra/demo/demo-organisation.ts';
import { categoryCodes } from '../../../shared/domain/categories.ts';
import { Organisation } from '../../../shared/domain/organisation.ts';
import { resolveResponsibleUnit, validateOrganisation } from '../../../shared/domain/routing.ts';
import { townships, units } from '../../../shared/reference/county-structure.ts';

const communitiesOf = (townshipId: string) => org.communities.filter((c) => c.townshipId === townshipId);
const sum = (xs: readonly { households: number }[]) => xs.reduce((s, x) => s + x.households, 0);

describe('the demo organisation', () => {
  it('parses with the Organisation schema and has no directory problems', () => {
    expect(Organisation.safeParse(org).success).toBe(true);
    expect(validateOrganisation(org)).toEqual([]);
  });

  it('uses the fixed county structure: 16 townships, its units and the county centre', () => {
    expect(org.townships).toEqual(townships);
    expect(org.townships).toHaveLength(16);
    expect(org.units.map(({ wecomUserIds: _duty, ...unit }) => unit)).toEqual(units);
    for (const unit of org.units) expect(unit.wecomUserIds).toEqual([`duty-${unit.id}`]);
    expect(org.countyCentreUnitId).toBe('county-centre');
  });

  it('has the seed’s 193 village and community centres, some in every township', () => {
    expect(org.communities).toHaveLength(193);
    for (const t of townships) expect(communitiesOf(t.id).length, t.id).toBeGreaterThan(0);
  });

  it('names communities <townshipId>-<slug>, uniquely within the county and the township', () => {
    expect(new Set(org.communities.map((c) => c.id)).size).toBe(193);
    for (const c of org.communities) expect(c.id.startsWith(`${c.townshipId}-`), c.id).toBe(true);
    for (const t of townships) {
      const names = communitiesOf(t.id).map((c) => c.zh);
      expect(new Set(names).size, t.id).toBe(names.length);
    }
  });

  it('gives sub-districts 社区 communities and towns/townships mostly 村 villages', () => {
    for (const t of townships) {
      const here = communitiesOf(t.id);
      const villages = here.filter((c) => c.kind === 'village');
      if (t.kind === 'subdistrict') expect(villages, t.id).toEqual([]);
      else expect(villages.length, t.id).toBeGreaterThan(here.length / 2);
    }
    for (const c of org.communities)
      expect(c.zh.endsWith(c.kind === 'village' ? '村' : '社区'), c.zh).toBe(true);
  });

  it('places each name from the seed article in its own township', () => {
    const expected: [string, string][] = [
      ['chengdong', '康宁社区'],
      ['dongquan', '魏家庄村'],
      ['dongquan', '孟山村'],
      ['dongquan', '水磨头村'],
      ['zhongdu', '娃留村'],
      ['zhongdu', '东达蒲村'],
      ['zhongdu', '西达蒲村'],
      ['xiangyuan', '襄垣村'],
    ];
    for (const [townshipId, zh] of expected) {
      expect(
        org.communities.filter((c) => c.zh === zh).map((c) => c.townshipId),
        zh,
      ).toEqual([townshipId]);
    }
    expect(org.communities.find((c) => c.zh === '康宁社区')?.id).toBe('chengdong-kangning');
    expect(org.communities.find((c) => c.zh === '魏家庄村')?.en).toBe('Weijiazhuang Village');
  });

  it('reaches about 150,000 households, with villages of 200–1,500 and urban communities of 1,500–4,000', () => {
    const total = sum(org.communities);
    expect(total).toBeGreaterThanOrEqual(145_000);
    expect(total).toBeLessThanOrEqual(155_000);
    for (const c of org.communities) {
      const [min, max] = c.kind === 'village' ? [200, 1_500] : [1_500, 4_000];
      expect(c.households, c.id).toBeGreaterThanOrEqual(min);
      expect(c.households, c.id).toBeLessThanOrEqual(max);
    }
  });

  it('splits Chengdong into 28 grids of about 350 households, one per grid worker, named without people', () => {
    const chengdongIds = new Set(communitiesOf('chengdong').map((c) => c.id));
    expect(org.grids).toHaveLength(28);
    for (const g of org.grids) {
      expect(chengdongIds.has(g.communityId), g.id).toBe(true);
      expect(g.households, g.id).toBeGreaterThanOrEqual(340);
      expect(g.households, g.id).toBeLessThanOrEqual(360);
      expect(g.id).toMatch(new RegExp(`^${g.communityId}-g\\d+$`));
      expect(g.zh).toMatch(/^.+社区第\d+网格$/);
    }
    expect(new Set(org.grids.map((g) => g.id)).size).toBe(28);
    expect(org.grids.find((g) => g.id === 'chengdong-kangning-g3')?.zh).toBe('康宁社区第3网格');
  });

  it('makes every Chengdong community exactly the sum of its grids', () => {
    for (const c of communitiesOf('chengdong')) {
      const grids = org.grids.filter((g) => g.communityId === c.id);
      expect(grids.length, c.id).toBeGreaterThan(0);
      expect(c.households, c.id).toBe(sum(grids));
    }
  });

  it('has one county-wide rule for every category', () => {
    for (const code of categoryCodes) {
      const countyRules = org.routingRules.filter((r) => r.category === code && r.area.kind === 'county');
      expect(countyRules, code).toHaveLength(1);
    }
  });

  it('gives the three urban sub-districts’ roads to urban management and the ancient city’s to heritage', () => {
    const roadRules = org.routingRules.filter((r) => r.category === 'road' && r.area.kind !== 'county');
    expect(roadRules.map((r) => [r.id, r.owner])).toEqual([
      ['road-chengdong', { kind: 'unit', unitId: 'urban-management' }],
      ['road-chengxi', { kind: 'unit', unitId: 'urban-management' }],
      ['road-chengnan', { kind: 'unit', unitId: 'urban-management' }],
      ['road-chengxi-gucheng', { kind: 'unit', unitId: 'heritage' }],
    ]);
    expect(org.communities.find((c) => c.id === 'chengxi-gucheng')?.zh).toBe('古城社区');
  });

  it('routes every report in every community to a unit that exists', () => {
    const unitIds = new Set(org.units.map((u) => u.id));
    for (const c of org.communities) {
      for (const category of categoryCodes) {
        const decision = resolveResponsibleUnit({ category, communityId: c.id }, org);
        expect(decision.kind, `${category} in ${c.id}`).toBe('rule');
        expect(unitIds.has(decision.unitId)).toBe(true);
      }
    }
  });

  it('is the same every time it is built', async () => {
    vi.resetModules();
    const again = await import('../../../infra/demo/demo-organisation.ts');
    expect(again.demoOrganisation).not.toBe(org);
    expect(again.demoOrganisation).toEqual(org);
  });
});
