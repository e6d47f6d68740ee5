/**
 * How every handler module is wired: nothing is built at import, the deps are built on the first
 * invocation and kept for the cold start, and a configuration error fails that invocation.
 */
import { readdirSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { onFirstInvocation } from '../../../functions/wiring/on-first-invocation.ts';
import { ConfigError } from '../../../shared/errors.ts';
import { lambdaContext } from '../../support/lambda-context.ts';

const catalogRequest: APIGatewayProxyEventV2 = {
  version: '2.0',
  routeKey: 'GET /api/catalog',
  rawPath: '/api/catalog',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: {
    accountId: '000000000000',
    apiId: 'local',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: {
      method: 'GET',
      path: '/api/catalog',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'test',
    },
    requestId: 'request-1',
    routeKey: 'GET /api/catalog',
    stage: '$default',
    time: '06/Dec/2026:00:00:00 +0000',
    timeEpoch: 0,
  },
};

const handlerModules = readdirSync(new URL('../../../functions/', import.meta.url)).filter((name) =>
  name.endsWith('.ts'),
);

describe('onFirstInvocation', () => {
  it('builds nothing when created, builds on the first invocation, and keeps it for the next', async () => {
    let builds = 0;
    const handler = onFirstInvocation(() => {
      builds += 1;
      return async (event: number) => event * 2;
    });
    expect(builds).toBe(0);
    expect(await handler(1, lambdaContext())).toBe(2);
    expect(await handler(2, lambdaContext())).toBe(4);
    expect(builds).toBe(1);
  });

  it('fails the invocation with the configuration error, and builds again on the next one', async () => {
    let builds = 0;
    const handler = onFirstInvocation(() => {
      builds += 1;
      if (builds === 1) throw new ConfigError('Invalid function configuration (CASES_TABLE: missing)');
      return async (event: string) => event;
    });
    await expect(handler('a', lambdaContext())).rejects.toThrow(/CASES_TABLE/);
    expect(await handler('b', lambdaContext())).toBe('b');
    expect(builds).toBe(2);
  });
});

describe('the handler modules', () => {
  it('are all here to check, and the test process plants no configuration for them', () => {
    expect(handlerModules.length).toBeGreaterThanOrEqual(20);
    expect(process.env.DIRECTORY_TABLE).toBeUndefined();
    expect(process.env.CASES_TABLE).toBeUndefined();
  });

  it('reads the configuration on the first invocation: a missing variable fails it, named', async () => {
    const { handler } = await import('../../../functions/get-catalog.ts');
    await expect(handler(catalogRequest, lambdaContext())).rejects.toThrow(ConfigError);
    await expect(handler(catalogRequest, lambdaContext())).rejects.toThrow(/DIRECTORY_TABLE/);
  });

  it.each(handlerModules)(
    '%s imports with none of its configuration set, and exports makeHandler and handler',
    async (name) => {
      const module: Record<string, unknown> = await import(`../../../functions/${name}`);
      expect(typeof module.makeHandler).toBe('function');
      expect(typeof module.handler).toBe('function');
    },
  );
});
