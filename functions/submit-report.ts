/**
 * POST /api/reports — a resident's report from the web form (JSON or a plain form post).
 * Answers 202 with the tracking code and the reporter's private token once the report is on the
 * intake queue. A contact phone must be one the county texts (ACCEPTED_PHONE_NUMBERS).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DEFAULT_PHONE_POLICY, type PhonePolicy } from '../shared/domain/phone-number.ts';
import { ValidationError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, prefersHtml, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, htmlResponse, jsonResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import * as z from '../shared/schema.ts';
import { getCatalog } from '../shared/services/catalog.ts';
import { screenContactPhone } from '../shared/services/screen-contact-phone.ts';
import { type SubmitReportDeps, submitReport } from '../shared/services/submit-report.ts';
import {
  parsePageLanguage,
  renderSubmissionReceipt,
  renderSubmissionRejected,
} from '../shared/web/resident-page.ts';
import { submitReportServices } from './wiring/intake.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';

export const MAX_BODY_BYTES = 16 * 1024;

export interface SubmitReportHandlerDeps extends SubmitReportDeps {
  logger: Logger;
  /** The numbers a contact phone may be; mainland mobiles when not given. */
  phonePolicy?: PhonePolicy;
}

/** The form's own fields as typed, to re-render them; anything else in the body is ignored. */
const FormEcho = z.object({
  lang: z.catch(z.optional(z.string()), undefined),
  category: z.catch(z.optional(z.string()), undefined),
  communityId: z.catch(z.optional(z.string()), undefined),
  description: z.catch(z.optional(z.string()), undefined),
  contactPhone: z.catch(z.optional(z.string()), undefined),
  address: z.catch(z.optional(z.string()), undefined),
});
const formEcho = (body: unknown) => z.catch(FormEcho, {}).parse(body);

export const makeHandler = (deps: SubmitReportHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .use(limitBodySize(MAX_BODY_BYTES))
    .handler(async (event) => {
      const body = readRequestBody(event);
      const html = prefersHtml(event);
      const key = event.headers['idempotency-key'];
      try {
        const screened = await screenContactPhone(
          body,
          deps.phonePolicy ?? DEFAULT_PHONE_POLICY,
          deps.directory,
        );
        const receipt = await submitReport(
          screened,
          'web',
          deps,
          key === undefined ? undefined : { key, body: event.body ?? '' },
        );
        deps.logger.info('report queued', { trackingCode: receipt.trackingCode });
        if (!html) return jsonResponse(202, receipt);
        const lang = parsePageLanguage(formEcho(body).lang);
        return htmlResponse(
          202,
          renderSubmissionReceipt({
            lang,
            trackingCode: receipt.trackingCode,
            reporterToken: receipt.reporterToken,
          }),
        );
      } catch (error) {
        // A browser without JavaScript gets its form back with the problems named, not JSON.
        if (html && error instanceof ValidationError) {
          const { lang, ...values } = formEcho(body);
          const page = renderSubmissionRejected({
            catalog: await getCatalog(deps),
            lang: parsePageLanguage(lang),
            values,
            issues: error.issues,
          });
          return htmlResponse(400, page);
        }
        throw error;
      }
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('submit-report'), ...submitReportServices() }),
);
