/**
 * Derives the public catalogue from the organisation: what a resident may pick on the form, in
 * the order they expect to see it, and nothing more (no household counts, grids or rules).
 */
import type { Catalog } from './catalog.ts';
import type { Category } from './categories.ts';
import type { Organisation } from './organisation.ts';

// Residents know the county's own order (sub-districts first, then towns, then townships); a
// directory read back from storage comes sorted by id, so the order is restored here. Entries the
// fixed structure does not know keep their relative order after the known ones.
function inCountyOrder<T extends { id: string }>(items: readonly T[], order: readonly { id: string }[]): T[] {
  const rank = new Map(order.map((o, i) => [o.id, i]));
  const rankOf = (item: T): number => rank.get(item.id) ?? order.length;
  return [...items].sort((a, b) => rankOf(a) - rankOf(b));
}

// Built when first needed, not at import: loading ICU's Chinese collation takes milliseconds,
// which every function importing this module paid on its cold start, most never sorting a name.
let collator: Intl.Collator | undefined;
const chineseCollator = (): Intl.Collator => {
  collator ??= new Intl.Collator('zh-CN');
  return collator;
};

/**
 * The order residents know the townships and units in: the county's fixed structure
 * (shared/reference/county-structure.ts), passed in so the domain holds no county's data.
 */
export interface CountyOrder {
  townships: readonly { id: string }[];
  units: readonly { id: string }[];
}

export function buildCatalog(
  org: Organisation,
  categories: readonly Category[],
  order: CountyOrder,
): Catalog {
  return {
    categories: categories.map(({ code, zh, en }) => ({ code, zh, en })),
    townships: inCountyOrder(org.townships, order.townships).map((t) => ({
      id: t.id,
      kind: t.kind,
      zh: t.zh,
      en: t.en,
      communities: org.communities
        .filter((c) => c.townshipId === t.id)
        .sort((a, b) => chineseCollator().compare(a.zh, b.zh) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(({ id, zh, en }) => ({ id, zh, en })),
    })),
    units: inCountyOrder(org.units, order.units).map(({ id, kind, zh, en }) => ({ id, kind, zh, en })),
  };
}
