/**
 * Modules a function loads on a rare path only, each its own file beside the handler in a Lambda
 * bundle (built by infra/build-side-modules.ts after bundling, CDK's afterBundling hook and the
 * bench alike), loaded with `require` on first use.
 *
 * Why not a dynamic `import()` inside the bundle: esbuild then wraps the imported module and every
 * module it imports in lazy initialisers, decided before tree shaking, so zod, the SDK and most of
 * our own code were wrapped in every function that merely wired the photo store. Their cold starts
 * compiled each module twice and took 30–50% more CPU (BENCHMARKS.md, "Side modules").
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { S3Sdk } from '../../shared/adapters/s3-sdk.ts';

export const sideModules = {
  /** The S3 SDK for the photo store (shared/adapters/s3-sdk.ts). */
  s3Sdk: { source: 'shared/adapters/s3-sdk.ts', file: 's3-sdk.js' },
} as const;
export type SideModule = keyof typeof sideModules;
export const sideModuleNames = ['s3Sdk'] as const satisfies readonly SideModule[];

/**
 * The side module's path: beside the bundle when this runs from one (`import.meta.url` is the
 * bundle's own file there), else its source in the repository (the local runtime and the tests).
 */
export function sideModulePath(name: SideModule, from: string = import.meta.url): string {
  const beside = fileURLToPath(new URL(`./${sideModules[name].file}`, from));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL(`../../${sideModules[name].source}`, import.meta.url));
}

/** The S3 SDK, loaded on first use. */
export function loadS3Sdk(): Promise<S3Sdk> {
  // A specifier esbuild cannot follow: the module stays out of the bundle.
  return import(sideModulePath('s3Sdk'));
}
