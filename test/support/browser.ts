/**
 * The browser for the e2e tests: the Chromium that `npm ci` brings (@sparticuz/chromium, a headless
 * shell shipped brotli-compressed inside the package, so no install step downloads anything),
 * unpacked once per package version into node_modules/.cache. CIVICLOOP_CHROMIUM names another
 * executable for developers who prefer their own browser; nothing falls back to a system browser.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import * as z from 'zod';

// createRequire, not import.meta.resolve, which vitest's module runner does not support.
const require = createRequire(import.meta.url);
const PACKAGE_ENTRY = pathToFileURL(require.resolve('@sparticuz/chromium'));
const PACKAGE_VERSION = z
  .object({ version: z.string().min(1) })
  .parse(JSON.parse(readFileSync(new URL('../package.json', PACKAGE_ENTRY), 'utf8'))).version;
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/civicloop-chromium/', import.meta.url));
const UNPACKED = join(CACHE, PACKAGE_VERSION);

/** The unpacked browser's own fontconfig: the fonts that come with npm ci, never the machine's. */
const FONTCONFIG = join(CACHE, 'fontconfig');
/**
 * Noto Sans Hans (GB2312), OpenType files in an npm package. The package's own fonts are Latin only:
 * without these, Chinese renders as blank boxes 0.6 em wide, so the screenshots show nothing and the
 * phone-width checks measure text narrower than any phone draws it.
 */
const CHINESE_FONTS = fileURLToPath(
  new URL('../fonts/', pathToFileURL(require.resolve('@embedpdf/fonts-sc'))),
);

/**
 * The unpacked executable, unpacking it first if no run has yet. The package unpacks into
 * os.tmpdir() at a fixed name and takes any file there as finished, so two test workers (or two
 * vitest runs) unpacking at once would exec a half-written binary. Here each unpacks into a
 * directory of its own (TMPDIR for a child process) and renames it into place: one rename wins,
 * and UNPACKED, once it exists, is complete.
 */
export async function unpackedChromium(): Promise<string> {
  const executable = join(UNPACKED, 'chromium');
  if (existsSync(executable)) return executable;
  await mkdir(CACHE, { recursive: true });
  const staging = await mkdtemp(join(CACHE, `${PACKAGE_VERSION}.unpacking-`));
  try {
    // The browser, its fonts and SwiftShader, then the NSS and expat libraries it links (the package
    // unpacks those only on Amazon Linux, but a bare Debian lacks them too).
    const unpack = `const { default: chromium, inflate } = await import(${JSON.stringify(PACKAGE_ENTRY.href)});
      await chromium.executablePath();
      await inflate(${JSON.stringify(fileURLToPath(new URL('../bin/al2023.tar.br', PACKAGE_ENTRY)))});`;
    await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', unpack], {
      env: { ...process.env, TMPDIR: staging },
    });
    await rename(staging, UNPACKED);
  } catch (error) {
    // Another worker's rename won the race: its directory is complete, and ours is not needed.
    if (!existsSync(executable)) throw new Error('Could not unpack @sparticuz/chromium', { cause: error });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return executable;
}

/**
 * Writes the fontconfig for the unpacked browser and returns its folder. The package's own fonts.conf
 * points at /tmp/fonts; this one at the fonts unpacked beside the browser and the Chinese fonts.
 * Written on every launch, so it is never stale, and renamed into place, as browsers start at once.
 */
async function writeFontconfig(unpacked: string): Promise<string> {
  await mkdir(FONTCONFIG, { recursive: true });
  const draft = join(FONTCONFIG, `fonts.conf.${randomUUID()}`);
  await writeFile(
    draft,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(dirname(unpacked), 'fonts', 'fonts')}</dir>
  <dir>${CHINESE_FONTS}</dir>
  <cachedir>${join(FONTCONFIG, 'cache')}</cachedir>
</fontconfig>
`,
  );
  await rename(draft, join(FONTCONFIG, 'fonts.conf'));
  return FONTCONFIG;
}

export async function launchChromium(): Promise<Browser> {
  const chosen = process.env.CIVICLOOP_CHROMIUM;
  if (chosen !== undefined) {
    if (!existsSync(chosen)) throw new Error(`CIVICLOOP_CHROMIUM names ${chosen}, which does not exist`);
    // A chosen browser finds the machine's fonts the machine's way.
    return launch(chosen, process.env);
  }
  const unpacked = await unpackedChromium();
  // The unpacked shell finds fonts only through the fontconfig it is pointed at, and loads the
  // libraries that came with it before the machine's.
  const libraries = [join(dirname(unpacked), 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean);
  return launch(unpacked, {
    ...process.env,
    FONTCONFIG_PATH: await writeFontconfig(unpacked),
    LD_LIBRARY_PATH: libraries.join(':'),
  });
}

function launch(executablePath: string, env: NodeJS.ProcessEnv): Promise<Browser> {
  return chromium.launch({
    executablePath,
    env,
    // No background networking: this machine has no internet, and Chromium's attempts only slow it.
    // Playwright adds a fresh --user-data-dir itself. @sparticuz/chromium's own `args` are for Lambda
    // (single process, no zygote, web security off) and would change what the pages are tested under.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
