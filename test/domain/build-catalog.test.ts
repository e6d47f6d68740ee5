import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { buildCatalog } from '../../shared/domain/build-catalog.ts';
import { Catalog } from '../../shared/domain/catalog.ts';
import { categories } from '../../shared/domain/categories.ts';
import { townships, units } from '../../shared/reference/county-structure.ts';

describe('buildCatalog', () => {
  const catalog = buildCatalog(demoOrganisation, categories, { townships, units });

  it('produces a valid catalogue with every category in order', () => {
    expect(Catalog.safeParse(catalog).success).toBe(true);
    expect(catalog.categories).toEqual(categories.map(({ code, zh, en }) => ({ code, zh, en })));
  });

  it('lists the townships in the county’s own order, even when the directory comes back sorted by id', () => {
    const shuffled = {
      ...demoOrganisation,
      townships: [...demoOrganisation.townships].sort((a, b) => a.id.localeCompare(b.id)),
      units: [...demoOrganisation.units].reverse(),
    };
    for (const c of [catalog, buildCatalog(shuffled, categories, { townships, units })]) {
      expect(c.townships.map((t) => t.id)).toEqual(townships.map((t) => t.id));
      expect(c.units.map((u) => u.id)).toEqual(units.map((u) => u.id));
    }
  });

  it('puts every community under its township, sorted by its Chinese name', () => {
    const collator = new Intl.Collator('zh-CN');
    const listed = catalog.townships.flatMap((t) => t.communities);
    expect(listed).toHaveLength(193);
    for (const t of catalog.townships) {
      const names = t.communities.map((c) => c.zh);
      expect(names).toEqual([...names].sort(collator.compare));
      for (const c of t.communities) {
        expect(demoOrganisation.communities.find((d) => d.id === c.id)?.townshipId).toBe(t.id);
      }
    }
    const zhongdu = catalog.townships.find((t) => t.id === 'zhongdu')?.communities.map((c) => c.zh) ?? [];
    // Pinyin order: dōng dá pú < wá liú < xī dá pú.
    expect(zhongdu.indexOf('东达蒲村')).toBeLessThan(zhongdu.indexOf('娃留村'));
    expect(zhongdu.indexOf('娃留村')).toBeLessThan(zhongdu.indexOf('西达蒲村'));
  });

  it('leaves out household counts, grids, routing rules and unit townships', () => {
    const json = JSON.stringify(catalog);
    expect(json).not.toContain('households');
    expect(json).not.toContain('grid');
    expect(json).not.toContain('routingRules');
    expect(json).not.toContain('townshipId');
    expect(catalog.townships.find((t) => t.id === 'chengdong')?.communities[0]).toEqual({
      id: expect.any(String),
      zh: expect.any(String),
      en: expect.any(String),
    });
    expect(Object.keys(catalog.units[0] ?? {})).toEqual(['id', 'kind', 'zh', 'en']);
  });

  it('does not reorder the organisation it reads', () => {
    const before = demoOrganisation.communities.map((c) => c.id);
    buildCatalog(demoOrganisation, categories, { townships, units });
    expect(demoOrganisation.communities.map((c) => c.id)).toEqual(before);
  });
});
