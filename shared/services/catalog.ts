/** The catalogue the report form is built from, read from the directory (cached by the caller). */
import { buildCatalog } from '../domain/build-catalog.ts';
import type { Catalog } from '../domain/catalog.ts';
import { categories } from '../domain/categories.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import { townships, units } from '../reference/county-structure.ts';

export async function getCatalog(deps: { directory: DirectoryReader }): Promise<Catalog> {
  return buildCatalog(await deps.directory.load(), categories, { townships, units });
}
