/**
 * The reporter rates a closed case 1–5, proving who they are with the private token from their 202
 * answer. Two routes over the same use case (shared/services/rate-report.ts):
 *   POST /api/reports/{trackingCode}/rating  JSON; answers the public status afterwards
 *   POST /rating                             the status page's plain form (urlencoded, code as a
 *                                            field): redirects to the status page once rated, or
 *                                            answers the form again with the problem next to its
 *                                            field — 400, 404 (code and key do not match), 409
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CaseConflictError, CaseStateError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { requestLanguage } from '../shared/http/page-language.ts';
import { assertBodyWithin, bodyExceeds, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, htmlResponse, jsonResponse, redirectResponse } from '../shared/http/responses.ts';
import { type RouteTable, routeFor } from '../shared/http/route-table.ts';
import { createLogger, logEffectFailure } from '../shared/logger.ts';
import * as z from '../shared/schema.ts';
import { rateReport, rateReportForm } from '../shared/services/rate-report.ts';
import { getReportStatus } from '../shared/services/report-status.ts';
import type { TransitionDeps } from '../shared/services/transition-case.ts';
import { languageChoice } from '../shared/web/page-language.ts';
import { statusHref } from '../shared/web/resident/links.ts';
import { type RatingProblem, renderRatingRejected } from '../shared/web/status-page.ts';
import { caseWriteServices } from './wiring/case-writes.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';

export interface RateReportHandlerDeps extends TransitionDeps {
  logger: Logger;
}

const JSON_MAX_BODY_BYTES = 4 * 1024;
/**
 * A form post percent-encodes every Chinese character into nine bytes: a 500-character comment is
 * 4.5 KB on the wire, so the form's limit is twice the JSON one for the same fields.
 */
export const FORM_MAX_BODY_BYTES = 8 * 1024;

/** The form's own fields as typed, to fill the form in again; anything else is ignored. */
const RatingEcho = z.catch(
  z.object({
    lang: z.catch(z.optional(z.string()), undefined),
    code: z.catch(z.optional(z.string()), undefined),
    token: z.catch(z.optional(z.string()), undefined),
    score: z.catch(z.optional(z.string()), undefined),
    comment: z.catch(z.optional(z.string()), undefined),
  }),
  {},
);

type Route = (event: APIGatewayProxyEventV2, deps: RateReportHandlerDeps) => Promise<HttpResponse>;

const routes: RouteTable<Route> = {
  'POST /api/reports/{trackingCode}/rating': async (event, deps) => {
    assertBodyWithin(event, JSON_MAX_BODY_BYTES);
    const state = await rateReport(event.pathParameters?.trackingCode ?? '', readRequestBody(event), deps);
    deps.logger.info('case rated', { trackingCode: state.trackingCode });
    return jsonResponse(200, await getReportStatus(state.trackingCode, deps));
  },

  'POST /rating': async (event, deps) => {
    if (bodyExceeds(event, FORM_MAX_BODY_BYTES)) {
      // Only a client past the textarea's maxlength gets here; the form comes back empty.
      const page = renderRatingRejected({
        lang: requestLanguage(event).lang,
        values: {},
        problem: { kind: 'fields', issues: [{ path: 'comment', message: 'The request body is too large' }] },
      });
      return htmlResponse(413, page);
    }
    const body = readRequestBody(event);
    const { lang: chosen, ...values } = RatingEcho.parse(body);
    // The form says which language its page spoke; a post without it falls back to the cookie.
    const lang = languageChoice(chosen) ?? requestLanguage(event).lang;
    const rejected = (statusCode: number, problem: RatingProblem) =>
      htmlResponse(statusCode, renderRatingRejected({ lang, values, problem }));
    try {
      const state = await rateReportForm(body, deps);
      deps.logger.info('case rated', { trackingCode: state.trackingCode });
      return redirectResponse(`${statusHref(lang, state.trackingCode)}&rated=1`);
    } catch (error) {
      if (error instanceof ValidationError) return rejected(400, { kind: 'fields', issues: error.issues });
      if (error instanceof NotFoundError) return rejected(404, { kind: 'not_yours' });
      if (error instanceof CaseStateError || error instanceof CaseConflictError)
        return rejected(409, { kind: 'not_now' });
      throw error;
    }
  },
};

export const makeHandler = (deps: RateReportHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const route = routeFor(routes, event.routeKey, (key) => new NotFoundError(`No rating route ${key}`));
      return route(event, deps);
    });

export const handler = onFirstInvocation(() => {
  const logger = createLogger('rate-report');
  return makeHandler({
    logger,
    ...caseWriteServices(),
    onEffectFailed: (trackingCode, entry, outcome, error) =>
      logEffectFailure(logger, { trackingCode, entry, outcome, error }),
  });
});
