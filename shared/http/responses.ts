/**
 * HTTP response shapes for API Gateway (payload v2), so every endpoint answers in the same form:
 * JSON bodies, an error envelope `{ error: { code, message, issues? } }`, and HTML pages.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FieldIssue } from '../errors.ts';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse => ({
  statusCode,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...securityHeaders,
    ...headers,
  },
  body: JSON.stringify(body),
});

export const htmlResponse = (
  statusCode: number,
  html: string,
  headers: Record<string, string> = {},
): HttpResponse => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ...securityHeaders,
    ...headers,
  },
  body: html,
});

/** A CSV file to download (shared/domain/spreadsheet-csv.ts writes it), never cached. */
export const csvAttachment = (
  csv: string,
  fileName: string,
  headers: Record<string, string> = {},
): HttpResponse => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'no-store',
    ...securityHeaders,
    ...headers,
  },
  body: csv,
});

/** 303 See Other: where a browser goes after a form post, with GET (post, redirect, get). */
export const redirectResponse = (location: string, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode: 303,
  headers: { location, 'cache-control': 'no-store', ...securityHeaders, ...headers },
  body: '',
});

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    issues?: FieldIssue[];
    currentVersion?: number;
    allowedActions?: string[];
  };
}

export const errorResponse = (statusCode: number, error: ErrorBody['error']): HttpResponse =>
  jsonResponse(statusCode, { error } satisfies ErrorBody);
