/**
 * What CDK runs after esbuild bundles a function: the files its topology entry copies and the
 * page assets it builds, every path quoted for the shell.
 */
import { describe, expect, it } from 'vitest';
import { bundleFilesHooks } from '../../infra/constructs/civic-function.ts';
import { topology } from '../../infra/topology.ts';

describe('the bundling hooks', () => {
  it('copy the files, then build each page beside the bundle with infra/build-page-assets.ts', () => {
    const hooks = bundleFilesHooks({
      copyFiles: [{ from: 'node_modules/x/dist/x.js', to: 'x.js' }],
      pageAssets: ['resident', 'console'],
    });
    expect(hooks.afterBundling('/repo', "/asset's")).toEqual([
      `cp '/repo/node_modules/x/dist/x.js' '/asset'\\''s/x.js'`,
      `node '/repo/infra/build-page-assets.ts' resident '/asset'\\''s'`,
      `node '/repo/infra/build-page-assets.ts' console '/asset'\\''s'`,
    ]);
    expect(hooks.beforeBundling('/repo', '/out')).toEqual([]);
    expect(hooks.beforeInstall('/repo', '/out')).toEqual([]);
  });
});

describe('the page assets in the topology', () => {
  const pagesOf = (name: string) => topology.functions.find((fn) => fn.name === name)?.pageAssets;

  it('are built into the functions that render the resident page', () => {
    expect(pagesOf('resident-page')).toEqual(['resident']);
    // A browser without JavaScript gets the receipt, or its rejected form again, from the submit.
    expect(pagesOf('submit-report')).toEqual(['resident']);
  });
});
