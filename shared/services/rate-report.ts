/**
 * The resident's rating (考核评价): 1–5 with an optional comment, on a closed case, only by the
 * person who reported it — proven by the private token from the 202 answer (or, by SMS, by the
 * reporting phone). A rating of 1–2 puts the case on the return-visit list.
 */
import type { CaseState } from '../domain/case.ts';
import { reporterTokenMatches } from '../domain/reporter-token.ts';
import { normaliseTrackingCode } from '../domain/tracking-code.ts';
import { NotFoundError } from '../errors.ts';
import * as z from '../schema.ts';
import { parseOrThrow } from '../validation.ts';
import { applyCaseAction, type TransitionDeps } from './transition-case.ts';

export const RatingRequest = z.object({
  token: z.string().check(z.minLength(10), z.maxLength(200)),
  score: z.coerce
    .number()
    .check(z.int('a whole number from 1 to 5'), z.minimum(1, 'from 1 to 5'), z.maximum(5, 'from 1 to 5')),
  comment: z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(500, 'at most 500 characters'))),
    z.transform((c: string | undefined) => (c ? c : undefined)),
  ),
});

/** Proof of being the reporter: the web token, or the phone the report came from. */
export type ReporterProof = { kind: 'token'; token: string } | { kind: 'phone'; phone: string };

// Same answer for "no such case" and "not your case": the code alone must not reveal anything.
const notYours = () => new NotFoundError('No case with this code can be rated with these details');

export async function rateCase(
  code: string,
  proof: ReporterProof,
  score: number,
  comment: string | undefined,
  deps: TransitionDeps,
): Promise<CaseState> {
  const canonical = normaliseTrackingCode(code);
  if (!canonical) throw notYours();
  const [state, report] = await Promise.all([deps.cases.getCase(canonical), deps.cases.getReport(canonical)]);
  if (!state || !report) throw notYours();
  const matches =
    proof.kind === 'token'
      ? reporterTokenMatches(proof.token, report.reporterTokenHash)
      : report.contactPhone !== undefined && report.contactPhone === proof.phone;
  if (!matches) throw notYours();
  return applyCaseAction(
    state,
    { action: 'rate', score, comment },
    state.version,
    { kind: 'reporter' },
    deps,
  );
}

/**
 * The rating as the status page's HTML form posts it: the same fields and limits, and the tracking
 * code as a field too (a form cannot put it in the path), checked for its shape so a mistyped code
 * is named next to its field like any other.
 */
export const RatingForm = z.extend(RatingRequest, {
  code: z
    .string()
    .check(
      z.refine(
        (code) => normaliseTrackingCode(code) !== undefined,
        'a 9-character tracking code, like K7M-2QX-9PA',
      ),
    ),
});

/** `POST /api/reports/{trackingCode}/rating`. */
export async function rateReport(code: string, body: unknown, deps: TransitionDeps): Promise<CaseState> {
  const request = parseOrThrow(RatingRequest, body, 'The rating');
  return rateCase(code, { kind: 'token', token: request.token }, request.score, request.comment, deps);
}

/** `POST /rating`: the form's fields, then the same rating as the JSON route. */
export async function rateReportForm(body: unknown, deps: TransitionDeps): Promise<CaseState> {
  const request = parseOrThrow(RatingForm, body, 'The rating');
  return rateCase(
    request.code,
    { kind: 'token', token: request.token },
    request.score,
    request.comment,
    deps,
  );
}
