/**
 * Open311 GeoReport v2 use cases: the services, a service definition, a partner's POST (checked,
 * placed and queued exactly as our own intake queues a report), the list of requests over a bounded
 * window, and one request. Errors are our taxonomy (shared/errors.ts); the function renders them in
 * the spec's error list. What a GET shows is decided in shared/domain/open311/georeport.ts.
 */
import { createHash } from 'node:crypto';
import type { CaseState } from '../domain/case.ts';
import type { CategoryCode } from '../domain/categories.ts';
import {
  COMMUNITY_ATTRIBUTE,
  isServiceCode,
  JURISDICTION_ID,
  type Language,
  MAX_WINDOW_DAYS,
  type Open311Receipt,
  type Open311Request,
  type Open311Service,
  type Open311ServiceDefinition,
  open311FieldOf,
  open311RequestOf,
  RequestsQuery,
  requestWindowOf,
  ServiceRequestForm,
  serviceDefinition,
  servicesList,
} from '../domain/open311/georeport.ts';
import { partnerIdOfKey, partnerKeyMatches } from '../domain/open311/partner-key.ts';
import { contactPhoneWithin, describePolicy, type PhonePolicy } from '../domain/phone-number.ts';
import { ReportSubmission, UNPLACED_COMMUNITY } from '../domain/report.ts';
import { findCommunityInText } from '../domain/sms/classify-report.ts';
import { normaliseTrackingCode } from '../domain/tracking-code.ts';
import {
  type FieldIssue,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
} from '../errors.ts';
import type { CaseStore } from '../ports/case-store.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { PartnerKeys } from '../ports/partner-keys.ts';
import type { SecretReader } from '../ports/secret.ts';
import type { ServiceRequestFeed } from '../ports/service-request-feed.ts';
import * as z from '../schema.ts';
import { issuesOf, parseOrThrow } from '../validation.ts';
import { type QueueReportDeps, queueReport } from './submit-report.ts';

/** A partner's POSTs per minute: a hotline vendor forwarding a busy hour stays far below. */
export const DEFAULT_PARTNER_REQUESTS_PER_MINUTE = 60;

export interface Open311ReadDeps {
  directory: DirectoryReader;
  cases: Pick<CaseStore, 'getCase'>;
  feed: ServiceRequestFeed;
  now: () => Date;
  /** This site's origin (https://host): the public result photos' media_url is a path on it. */
  siteOrigin?: string;
}

export interface Open311SubmitDeps extends QueueReportDeps {
  directory: DirectoryReader;
  partners: PartnerKeys;
  /** The pepper partner keys are hashed with (shared/domain/open311/partner-key.ts). */
  keyPepper: SecretReader;
  phonePolicy: PhonePolicy;
  partnerRequestsPerMinute: number;
}

/** One jurisdiction: ours may be named, any other is the spec's 404. */
export function checkJurisdiction(jurisdictionId: string | undefined): void {
  if (jurisdictionId !== undefined && jurisdictionId.trim() !== '' && jurisdictionId !== JURISDICTION_ID) {
    throw new NotFoundError(
      `jurisdiction_id ${JSON.stringify(jurisdictionId)} was not found: this endpoint serves ${JURISDICTION_ID}`,
    );
  }
}

export function listServices(jurisdictionId: string | undefined, lang: Language): Open311Service[] {
  checkJurisdiction(jurisdictionId);
  return servicesList(lang);
}

export async function getServiceDefinition(
  serviceCode: string,
  jurisdictionId: string | undefined,
  lang: Language,
  deps: Pick<Open311ReadDeps, 'directory'>,
): Promise<Open311ServiceDefinition> {
  checkJurisdiction(jurisdictionId);
  if (!isServiceCode(serviceCode))
    throw new NotFoundError(`service_code ${JSON.stringify(serviceCode)} was not found`);
  return serviceDefinition(serviceCode, await deps.directory.load(), lang);
}

// ─── POST requests ───

/** The partner whose valid, unrevoked key this is; 403 otherwise, saying nothing more. */
async function authenticatePartner(apiKey: string | undefined, deps: Open311SubmitDeps): Promise<string> {
  const refused = () => new ForbiddenError('api_key was not provided or is not valid');
  const partnerId = apiKey === undefined ? undefined : partnerIdOfKey(apiKey);
  if (apiKey === undefined || partnerId === undefined) throw refused();
  const partner = await deps.partners.get(partnerId);
  if (!partner || partner.revokedAt || !partnerKeyMatches(await deps.keyPepper(), apiKey, partner.keyHash)) {
    throw refused();
  }
  return partnerId;
}

async function admitPartner(partnerId: string, deps: Open311SubmitDeps): Promise<void> {
  const now = deps.now();
  const minute = now.toISOString().slice(0, 16);
  const expires = new Date(now.getTime() + 3_600_000);
  if (!(await deps.partners.admit(partnerId, minute, deps.partnerRequestsPerMinute, expires))) {
    throw new RateLimitedError(
      `This api_key sent more than ${deps.partnerRequestsPerMinute} requests this minute; try again in a minute`,
      60 - now.getUTCSeconds(),
    );
  }
}

const renamed = (issues: FieldIssue[]): FieldIssue[] =>
  issues.map((issue) => ({ ...issue, path: open311FieldOf[issue.path] ?? issue.path }));

/** Where the request is: the community attribute, else a community the address names, else triage. */
function communityOf(
  form: ServiceRequestForm,
  communityIds: ReadonlySet<string>,
  placeText: (text: string) => string | undefined,
): string {
  const chosen = form[`attribute[${COMMUNITY_ATTRIBUTE}]`];
  if (chosen !== undefined) {
    if (!communityIds.has(chosen)) {
      throw new ValidationError('The request is invalid: attribute[community]', [
        {
          path: `attribute[${COMMUNITY_ATTRIBUTE}]`,
          message: 'unknown community: use a key of the community attribute in the service definition',
        },
      ]);
    }
    return chosen;
  }
  const fromAddress = form.address_string === undefined ? undefined : placeText(form.address_string);
  return fromAddress ?? UNPLACED_COMMUNITY;
}

export interface PartnerSubmission {
  /** The parsed form body. */
  form: unknown;
  /** The raw body, whose hash makes the idempotency key when the partner sends none. */
  rawBody: string;
  /** The partner's own Idempotency-Key header, if any. */
  idempotencyKey?: string;
}

/**
 * A partner's service request, queued as a web report is: the same schema, phone policy, ledger
 * and intake queue. Idempotent per partner: the key is the partner's `Idempotency-Key` header, or
 * else the body's hash, so a resent identical POST within 24 hours gets the same
 * service_request_id and makes one case. Names, email, device and account ids are read and dropped.
 */
export async function submitServiceRequest(
  submission: PartnerSubmission,
  deps: Open311SubmitDeps,
): Promise<Open311Receipt> {
  const body = typeof submission.form === 'object' && submission.form !== null ? submission.form : {};
  const apiKey = 'api_key' in body && typeof body.api_key === 'string' ? body.api_key : undefined;
  const partnerId = await authenticatePartner(apiKey, deps);
  await admitPartner(partnerId, deps);
  const form = parseOrThrow(ServiceRequestForm, body, 'The request');
  checkJurisdiction(form.jurisdiction_id);
  if (!isServiceCode(form.service_code)) {
    throw new NotFoundError(`service_code ${JSON.stringify(form.service_code)} was not found`);
  }
  const org = await deps.directory.load();
  const communityId = communityOf(form, new Set(org.communities.map((c) => c.id)), (text) =>
    findCommunityInText(text, org.communities),
  );
  const report = parseReport(form, form.service_code, communityId, deps.phonePolicy);
  const receipt = await queueReport(report, 'web', deps, {
    key: partnerIdempotencyKey(partnerId, submission),
    body: submission.rawBody,
  });
  return {
    service_request_id: receipt.trackingCode,
    service_notice:
      communityId === UNPLACED_COMMUNITY
        ? 'Received. No community could be determined, so the township centre will place it.'
        : 'Received. It is routed to the responsible unit within seconds.',
  };
}

function parseReport(
  form: ServiceRequestForm,
  category: CategoryCode,
  communityId: string,
  phonePolicy: PhonePolicy,
): ReportSubmission {
  const issues: FieldIssue[] = [];
  if ((form.lat === undefined) !== (form.long === undefined)) {
    issues.push({ path: form.lat === undefined ? 'lat' : 'long', message: 'send lat and long together' });
  }
  let contactPhone: string | undefined;
  if (form.phone !== undefined) {
    const phone = contactPhoneWithin(phonePolicy).safeParse(form.phone);
    if (phone.success) contactPhone = phone.data;
    else issues.push({ path: 'phone', message: describePolicy(phonePolicy) });
  }
  const parsed = ReportSubmission.safeParse({
    category,
    communityId,
    description: form.description,
    contactPhone,
    location:
      form.lat !== undefined && form.long !== undefined ? { lat: form.lat, lng: form.long } : undefined,
    address: form.address_string,
  });
  if (!parsed.success) issues.push(...renamed(issuesOf(parsed.error)));
  if (!parsed.success || issues.length > 0) {
    const fields = [...new Set(issues.map((i) => i.path || '(body)'))].join(', ');
    throw new ValidationError(`The request is invalid: ${fields}`, issues);
  }
  return parsed.data;
}

/** Our intake's key for a partner's submission: the partner's own key or the body, never shared between partners. */
function partnerIdempotencyKey(partnerId: string, submission: PartnerSubmission): string {
  const basis =
    submission.idempotencyKey === undefined
      ? `body:${submission.rawBody}`
      : `key:${submission.idempotencyKey}`;
  return `o311-${createHash('sha256').update(`${partnerId}\u0000${basis}`, 'utf8').digest('hex')}`;
}

// ─── GET requests ───

async function unitsById(deps: Pick<Open311ReadDeps, 'directory'>) {
  const org = await deps.directory.load();
  return new Map(org.units.map((u) => [u.id, u]));
}

const asRequests = async (
  states: CaseState[],
  lang: Language,
  deps: Pick<Open311ReadDeps, 'directory' | 'siteOrigin'>,
) => {
  const units = await unitsById(deps);
  return states.map((state) => open311RequestOf(state, units.get(state.unitId), lang, deps.siteOrigin));
};

export interface RequestsPage {
  requests: Open311Request[];
  /** For the next page, when there is one. */
  cursor?: string;
}

/**
 * GET requests: by ids (which override everything else, as the spec says), or every request
 * submitted in the window (default the last 90 days, at most 90), with the status and service
 * filters, a page at a time.
 */
export async function listServiceRequests(input: unknown, deps: Open311ReadDeps): Promise<RequestsPage> {
  const query = parseOrThrow(RequestsQuery, input, 'The query');
  checkJurisdiction(query.jurisdiction_id);
  if (query.service_request_id) {
    const codes = [...new Set(query.service_request_id.map(normaliseTrackingCode))].filter(
      (code): code is NonNullable<typeof code> => code !== undefined,
    );
    const states = (await Promise.all(codes.map((code) => deps.cases.getCase(code)))).filter(
      (state): state is CaseState => state !== undefined,
    );
    return { requests: await asRequests(states, query.lang, deps) };
  }
  const window = requestWindowOf(query, deps.now());
  if ('error' in window) {
    const message =
      window.error === 'reversed'
        ? 'start_date must not be after end_date'
        : `the range may span at most ${MAX_WINDOW_DAYS} days`;
    throw new ValidationError(`The query is invalid: ${message}`, [
      { path: 'start_date', message },
      { path: 'end_date', message },
    ]);
  }
  const statuses = new Set(query.status ?? ['open', 'closed']);
  const page = await deps.feed.submittedBetween({
    lanes: [
      ...(statuses.has('open') ? ['open' as const] : []),
      ...(statuses.has('closed') ? ['done' as const] : []),
    ],
    from: window.window.from,
    to: window.window.to,
    ...(query.service_code ? { categories: query.service_code } : {}),
    limit: query.page_size,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  return {
    requests: await asRequests(page.cases, query.lang, deps),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** GET requests/{id}: one request, as a list of one (the spec's shape); 404 for an unknown id. */
export async function getServiceRequest(
  id: string,
  input: unknown,
  deps: Open311ReadDeps,
): Promise<Open311Request[]> {
  const query = parseOrThrow(
    z.pick(RequestsQuery, { jurisdiction_id: true, lang: true }),
    input,
    'The query',
  );
  checkJurisdiction(query.jurisdiction_id);
  const code = normaliseTrackingCode(id);
  const state = code === undefined ? undefined : await deps.cases.getCase(code);
  if (!state) {
    throw new NotFoundError(
      `service_request_id ${JSON.stringify(id)} was not found; a request posted seconds ago may take a moment to appear`,
    );
  }
  return asRequests([state], query.lang, deps);
}
