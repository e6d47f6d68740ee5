/**
 * POST /api/cases/{id}/transitions — `{ action, note?, expectedVersion, ... }`. 200 with the case
 * as it now is; 409 when someone else moved it first (with the current version) or when the
 * action is not possible now (naming the allowed ones); 404 outside the caller's scope; 403 for
 * outreach staff, who have no case access at all.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { canSee } from '../shared/domain/case-lifecycle.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger, logEffectFailure } from '../shared/logger.ts';
import type { StaffTokenVerifier } from '../shared/ports/staff-tokens.ts';
import { getCaseDetail, requireCaseAccess, summarise } from '../shared/services/case-queries.ts';
import { type TransitionDeps, transitionCase } from '../shared/services/transition-case.ts';
import { type CaseWriteServices, caseWriteServices } from './wiring/case-writes.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface TransitionHandlerDeps extends TransitionDeps, CaseWriteServices {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

export const makeHandler = (deps: TransitionHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .use(limitBodySize(16 * 1024))
    .handler(async (event) => {
      const staff = requireCaseAccess(staffOf(event));
      const state = await transitionCase(event.pathParameters?.id ?? '', readRequestBody(event), staff, deps);
      deps.logger.info('case moved', {
        trackingCode: state.trackingCode,
        stage: state.stage,
        version: state.version,
      });
      // After a return or reassignment the case may have left the caller's scope: then the summary.
      return jsonResponse(
        200,
        canSee(staff, state)
          ? await getCaseDetail(staff, state.trackingCode, deps)
          : { ...summarise(state, deps.now()), allowedActions: [] },
      );
    });

export const handler = onFirstInvocation(() => {
  const logger = createLogger('transition-case');
  return makeHandler({
    logger,
    ...caseWriteServices(),
    ...staffTokenServices(),
    onEffectsDeferred: (trackingCode, error) =>
      logger.warn('effects deferred to the sweeper', { trackingCode, error }),
    onEffectFailed: (trackingCode, entry, outcome, error) =>
      logEffectFailure(logger, { trackingCode, entry, outcome, error }),
  });
});
