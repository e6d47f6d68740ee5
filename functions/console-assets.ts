/**
 * GET /console/assets/chart.js — the Chart.js UMD build the console's statistics page draws with,
 * served by the system itself: the county's offices may have no route to a CDN, and the console's
 * CSP allows scripts from this origin only.
 *
 * The file is read once at cold start: in Lambda from beside the bundled handler (CDK copies it
 * there, see `copyFiles` in infra/topology.ts), on a laptop from node_modules. The page asks for
 * `?v=<version>`; when that is the version we serve, the answer may be cached for a year
 * (immutable), otherwise it must be revalidated (weak ETag of the content, 304 when unchanged),
 * so a page and a script of different releases never stick together. Gzipped when the browser
 * accepts it: 210 KB becomes about 70 KB on a county office's line.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import type { HttpResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';

/** The name the Lambda bundle carries the file under (see the function's `copyFiles`). */
export const CHART_FILE = 'chart.umd.min.js';

export interface StaticAsset {
  body: Buffer;
  gzipped: Buffer;
  /** Weak: the gzipped and plain representations share it, as they are the same content. */
  etag: string;
  /** The Chart.js version from the file's own banner; undefined if it has none. */
  version: string | undefined;
}

/** Where the UMD build is: beside the handler when bundled, else in chart.js's dist folder. */
export function chartFilePath(): string {
  const bundled = fileURLToPath(new URL(`./${CHART_FILE}`, import.meta.url));
  if (existsSync(bundled)) return bundled;
  // chart.js's `exports` map does not list its dist files, so resolve the package's CommonJS entry
  // (dist/chart.cjs) and take the UMD build from the same folder.
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return path.join(path.dirname(entry), CHART_FILE);
}

export function loadAsset(source: Buffer): StaticAsset {
  // The source map is not shipped; without its comment no browser's devtools ask for it.
  const body = Buffer.from(source.toString('utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), 'utf8');
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const version = /Chart\.js v(\d+\.\d+\.\d+[\w.-]*)/.exec(body.subarray(0, 200).toString('utf8'))?.[1];
  return { body, gzipped: gzipSync(body, { level: 9 }), etag: `W/"${hash}"`, version };
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, no-cache';

/** True when Accept-Encoding lists gzip (or *) without q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

const matchesEtag = (ifNoneMatch: string | undefined, etag: string): boolean => {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
};

export interface ConsoleAssetsHandlerDeps {
  logger: Logger;
  asset: StaticAsset;
}

export const makeHandler = (deps: ConsoleAssetsHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const { asset } = deps;
      const requested = event.queryStringParameters?.v;
      const headers: Record<string, string> = {
        'cache-control': requested !== undefined && requested === asset.version ? IMMUTABLE : REVALIDATE,
        etag: asset.etag,
        vary: 'accept-encoding',
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'same-origin',
      };
      if (matchesEtag(event.headers?.['if-none-match'], asset.etag))
        return { statusCode: 304, headers, body: '' };
      headers['content-type'] = 'text/javascript; charset=utf-8';
      if (acceptsGzip(event.headers?.['accept-encoding'])) {
        return {
          statusCode: 200,
          headers: { ...headers, 'content-encoding': 'gzip' },
          body: asset.gzipped.toString('base64'),
          isBase64Encoded: true,
        };
      }
      return { statusCode: 200, headers, body: asset.body.toString('utf8') };
    });

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('console-assets'),
    asset: loadAsset(readFileSync(chartFilePath())),
  }),
);
