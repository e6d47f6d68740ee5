/**
 * `node infra/build-page-assets.ts <page> <outDir>`: writes a page's bundled script and stylesheet
 * (`<page>.js`, `<page>.css`) into a directory. CDK runs it after bundling each function whose
 * topology entry lists the page in `pageAssets`, so the files sit beside the handler, where
 * shared/web/page-assets.ts reads them.
 */
import * as esbuild from 'esbuild';
import * as z from '../shared/schema.ts';
import { browserPages, writePageAssets } from '../shared/web/page-assets.ts';

const Args = z.tuple([z.enum(browserPages), z.string().check(z.minLength(1))]);
const parsed = Args.safeParse(process.argv.slice(2));
if (!parsed.success) {
  console.error(`usage: node infra/build-page-assets.ts <${browserPages.join('|')}> <outDir>`);
  process.exit(2);
}
const [page, outDir] = parsed.data;
writePageAssets(page, outDir, { esbuild });
