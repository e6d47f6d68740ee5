/**
 * The local stand-in for API Gateway's HTTP API: matches the topology's routes, turns each
 * request into a payload-v2 event (bodies base64-encoded as the HTTP API does for non-text
 * types, such as form posts), invokes the handler and writes its structured result back. Staff
 * routes pass their requests on as the HTTP API does: the functions verify staff tokens
 * themselves (shared/http/staff-identity.ts), against the local issuer's keys. Given a
 * client limiter, it first does what the WAF in front of the API does in AWS: a client address
 * over its limit gets 429 with `Retry-After`, and the function is not invoked.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from '../../shared/schema.ts';
import { rateLimitedBody } from '../client-limits.ts';
import type { HttpMethod } from '../topology.ts';
import type { ClientLimiter } from './client-limiter.ts';
import type { HostedFunction } from './function-host.ts';
import { readBody } from './http-bodies.ts';

/** API Gateway's own payload limit; the functions enforce their much smaller ones. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

interface Route {
  method: HttpMethod;
  path: string;
  pattern: RegExp;
  params: string[];
  fn: HostedFunction;
}

const StructuredResult = z.object({
  statusCode: z.int(),
  headers: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  body: z.optional(z.string()),
  isBase64Encoded: z.optional(z.boolean()),
  cookies: z.optional(z.array(z.string())),
});

export function routesOf(functions: Iterable<HostedFunction>): Route[] {
  const routes: Route[] = [];
  for (const fn of functions) {
    for (const trigger of fn.spec.triggers) {
      if (trigger.kind !== 'http') continue;
      const params: string[] = [];
      const source = trigger.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        params.push(name);
        return '([^/]+)';
      });
      routes.push({
        method: trigger.method,
        path: trigger.path,
        pattern: new RegExp(`^${source}$`),
        params,
        fn,
      });
    }
  }
  return routes;
}

const isTextual = (contentType: string | undefined) =>
  contentType === undefined || /^(text\/|application\/(json|[\w.+-]+\+json|xml))/i.test(contentType);

function toEvent(
  req: IncomingMessage,
  url: URL,
  route: Route,
  match: RegExpExecArray,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie')
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // API Gateway tells the function how the client reached it; so does its stand-in.
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-for'] ??= req.socket.remoteAddress ?? '127.0.0.1';
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams)
    query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  const pathParameters: Record<string, string> = {};
  route.params.forEach((name, i) => {
    pathParameters[name] = decodeURIComponent(match[i + 1] ?? '');
  });
  const textual = isTextual(headers['content-type']);
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: req.headers.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: route.params.length ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body.byteLength === 0 ? undefined : textual ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.byteLength > 0 && !textual,
  };
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export type ExtraRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export function createHttpGateway(routes: Route[], extra?: ExtraRoute, limiter?: ClientLimiter): Server {
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (extra && (await extra(req, res, url))) return;
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      let matched: { route: Route; match: RegExpExecArray } | undefined;
      for (const route of routes) {
        const match = route.pattern.exec(url.pathname);
        if (match && route.method === method) matched = { route, match };
      }
      if (!matched) {
        writeJson(res, 404, { message: 'Not Found' });
        return;
      }
      // WAF answers at the edge, before any body is read.
      const decision = limiter?.admit(
        `${matched.route.method} ${matched.route.path}`,
        req.socket.remoteAddress ?? '127.0.0.1',
      );
      if (decision && !decision.admitted) {
        writeJson(res, 429, rateLimitedBody, { 'retry-after': String(decision.retryAfterSeconds) });
        return;
      }
      let body: Buffer;
      try {
        body = await readBody(req, GATEWAY_MAX_BODY_BYTES);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        writeJson(res, 413, { message: 'Request Entity Too Large' });
        return;
      }
      const event = toEvent(req, url, matched.route, matched.match, body);
      const raw = await matched.route.fn.invoke(event);
      const result = StructuredResult.safeParse(raw);
      if (!result.success) {
        // The HTTP API answers a plain returned value as a 200 JSON body.
        writeJson(res, 200, raw);
        return;
      }
      const { statusCode, headers = {}, body: out = '', isBase64Encoded, cookies } = result.data;
      const outHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(headers)) outHeaders[name] = String(value);
      if (cookies?.length) outHeaders['set-cookie'] = cookies;
      res.writeHead(statusCode, outHeaders);
      res.end(req.method === 'HEAD' ? undefined : isBase64Encoded ? Buffer.from(out, 'base64') : out);
    } catch {
      // What API Gateway says when the integration fails; the function's own logs say why.
      if (!res.headersSent) writeJson(res, 500, { message: 'Internal Server Error' });
      else res.end();
    }
  });
}
