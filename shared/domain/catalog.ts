/**
 * The public catalogue the report form is built from: categories, the townships with their
 * communities, and the units. It carries no household counts, grids or people.
 */
import * as z from '../schema.ts';
import { CategoryCode } from './categories.ts';
import { EntityId, TownshipKind, UnitKind } from './organisation.ts';

export const Catalog = z.object({
  categories: z.array(z.object({ code: CategoryCode, zh: z.string(), en: z.string() })),
  townships: z.array(
    z.object({
      id: EntityId,
      kind: TownshipKind,
      zh: z.string(),
      en: z.string(),
      communities: z.array(z.object({ id: EntityId, zh: z.string(), en: z.string() })),
    }),
  ),
  units: z.array(z.object({ id: EntityId, kind: UnitKind, zh: z.string(), en: z.string() })),
});
export type Catalog = z.infer<typeof Catalog>;
