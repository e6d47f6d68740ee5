/**
 * Open311 GeoReport v2 as civicloop speaks it: our categories as services, the service definition
 * (one optional attribute, the community), a case as a public service request, the query of
 * `GET requests` with its bounded date window, and the form of `POST requests`. Pure: no I/O.
 *
 * What a GET shows is what the public status shows (shared/services/report-status.ts) and no more:
 * the stage as open/closed, the category, the unit, the dates, the SLA deadline and the resolution
 * note staff wrote for the public. Never the resident's words, address, phone or name; a location
 * only for the categories whose subject is a public place, rounded to about 100 m.
 */
import * as z from '../../schema.ts';
import { type CaseState, isOpen } from '../case.ts';
import { type CategoryCode, categories, categoryCodes } from '../categories.ts';
import type { Community, Township, Unit } from '../organisation.ts';
import { publicPhotoPath, publicResolutionOf, publicResultPhotoKeysOf } from '../public-resolution.ts';
import { formatTrackingCode } from '../tracking-code.ts';

/** Pingyao County's website without the www, as the spec suggests for a jurisdiction_id. */
export const JURISDICTION_ID = 'pingyao.gov.cn';
export const SPEC_URL = 'http://wiki.open311.org/GeoReport_v2';
/** Changed when what this endpoint offers changes (discovery's changeset). */
export const CHANGESET = '2026-12-06T00:00:00Z';

/** The spec's longest window for GET requests, and its default (the most recent 90 days). */
export const MAX_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
/** `service_request_id` lists: each id is one read. */
export const MAX_REQUEST_IDS = 100;

export type Format = 'json' | 'xml';
export type Language = 'zh' | 'en';
export type Open311Status = 'open' | 'closed';

/** The attribute a partner may send as `attribute[community]`. */
export const COMMUNITY_ATTRIBUTE = 'community';

/** One entry of the spec's error list. `code` is the HTTP status, as the spec's examples have it. */
export interface Open311Error {
  code: number;
  description: string;
}

export interface Open311Service {
  service_code: CategoryCode;
  service_name: string;
  description: string;
  metadata: true;
  type: 'realtime';
  keywords: string;
  group: string;
}

/** Groups for clients that list services under headings. */
const groupOf: Record<CategoryCode, { zh: string; en: string }> = {
  fraud: { zh: '安全', en: 'safety' },
  public_safety: { zh: '安全', en: 'safety' },
  heritage: { zh: '安全', en: 'safety' },
  road: { zh: '城市管理', en: 'streets and environment' },
  sanitation: { zh: '城市管理', en: 'streets and environment' },
  market: { zh: '城市管理', en: 'streets and environment' },
  dispute: { zh: '民生服务', en: 'community and welfare' },
  education: { zh: '民生服务', en: 'community and welfare' },
  assistance: { zh: '民生服务', en: 'community and welfare' },
  petition: { zh: '民生服务', en: 'community and welfare' },
  other: { zh: '民生服务', en: 'community and welfare' },
};

/**
 * Categories about a public place (a road, a bin, a monument): their location is shown, rounded.
 * The others are about people (a fraud call, a quarrel, a family in need), where the location is
 * most likely the reporter's home.
 */
const placeCategories: ReadonlySet<CategoryCode> = new Set(['road', 'sanitation', 'heritage']);
/** Three decimals: about 110 m north-south, 95 m east-west at Pingyao's latitude. */
const roundCoordinate = (value: number) => Math.round(value * 1000) / 1000;

const nameIn = (entry: { zh: string; en: string }, lang: Language) => (lang === 'en' ? entry.en : entry.zh);

export function servicesList(lang: Language): Open311Service[] {
  return categories.map((category) => ({
    service_code: category.code,
    service_name: nameIn(category, lang),
    description: nameIn(category, lang),
    // Every service has the community attribute (below), so clients fetch the definition.
    metadata: true,
    type: 'realtime',
    keywords: [category.code, category.zh, category.en].join(', '),
    group: nameIn(groupOf[category.code], lang),
  }));
}

export const isServiceCode = (code: string): code is CategoryCode =>
  (categoryCodes as readonly string[]).includes(code);

export interface Open311ServiceDefinition {
  service_code: CategoryCode;
  attributes: {
    variable: true;
    code: string;
    datatype: 'singlevaluelist';
    required: false;
    datatype_description: string;
    order: 1;
    description: string;
    values: { key: string; name: string }[];
  }[];
}

/**
 * The definition of every service: where the problem is, as one of the county's communities and
 * villages. Optional, because a partner may only have an address: without it the address names the
 * community, and a request neither places goes to the township centre's triage like any other.
 */
export function serviceDefinition(
  code: CategoryCode,
  org: { communities: readonly Community[]; townships: readonly Township[] },
  lang: Language,
): Open311ServiceDefinition {
  const townships = new Map(org.townships.map((t) => [t.id, t]));
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: COMMUNITY_ATTRIBUTE,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: lang === 'en' ? 'the community or village id' : '社区或村的编号（key）',
        order: 1,
        description:
          lang === 'en'
            ? 'The community or village where the problem is. Without it, the address_string names it; a request placed by neither is triaged by the township centre.'
            : '问题所在的社区或村。不填时按 address_string 中的社区或村名确定；都无法确定的由乡镇（街道）综治中心分拣。',
        values: org.communities.map((community) => {
          const township = townships.get(community.townshipId);
          const name = nameIn(community, lang);
          return { key: community.id, name: township ? `${nameIn(township, lang)} ${name}` : name };
        }),
      },
    ],
  };
}

/** Open while someone still has work on it; closed once verified and closed, evaluated, or merged. */
export const open311StatusOf = (state: Pick<CaseState, 'stage'>): Open311Status =>
  isOpen(state.stage) ? 'open' : 'closed';

export interface Open311Request {
  service_request_id: string;
  status: Open311Status;
  status_notes?: string;
  service_name: string;
  service_code: CategoryCode;
  agency_responsible?: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime?: string;
  lat?: number;
  long?: number;
  /** The first result photo the unit made public, while the resolution stands (a redirect path). */
  media_url?: string;
}

/** The spec's w3 datetime, to the second (our instants carry milliseconds). */
export const w3Datetime = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z');

/**
 * A case as a public service request: nothing personal (see the module comment). `siteOrigin`
 * (https://host) makes the public result photo's path absolute for `media_url`: the spec has one
 * media URL per request, so the first photo; a redirect to a fresh short-lived URL, never a
 * presigned URL that would expire while a partner keeps the list.
 */
export function open311RequestOf(
  state: CaseState,
  unit: Pick<Unit, 'zh' | 'en'> | undefined,
  lang: Language,
  siteOrigin?: string,
): Open311Request {
  const category = categories.find((c) => c.code === state.category);
  const resolution = publicResolutionOf(state);
  const notes =
    state.stage === 'merged' && state.mergedInto
      ? lang === 'en'
        ? `Duplicate of ${formatTrackingCode(state.mergedInto)}`
        : `与 ${formatTrackingCode(state.mergedInto)} 为同一问题，已合并办理`
      : resolution?.note;
  const expected = state.timer?.kind === 'resolve_due' ? state.timer.at : undefined;
  const location = placeCategories.has(state.category) ? state.location : undefined;
  const photo = siteOrigin !== undefined && publicResultPhotoKeysOf(state).length > 0;
  return {
    service_request_id: formatTrackingCode(state.trackingCode),
    status: open311StatusOf(state),
    ...(notes ? { status_notes: notes } : {}),
    service_name: category ? nameIn(category, lang) : state.category,
    service_code: state.category,
    ...(unit ? { agency_responsible: nameIn(unit, lang) } : {}),
    requested_datetime: w3Datetime(state.submittedAt),
    updated_datetime: w3Datetime(state.updatedAt),
    ...(expected ? { expected_datetime: w3Datetime(expected) } : {}),
    ...(location ? { lat: roundCoordinate(location.lat), long: roundCoordinate(location.lng) } : {}),
    ...(photo ? { media_url: `${siteOrigin}${publicPhotoPath(state.trackingCode, 1)}` } : {}),
  };
}

// ─── GET requests: the query ───

const W3_MESSAGE = 'a w3 datetime with its time zone, e.g. 2026-12-01T00:00:00Z or 2026-12-01T08:00:00+08:00';
const W3Datetime = z.iso.datetime({ offset: true, error: W3_MESSAGE });

/** Comma lists as the spec writes them (`status=open,closed`); blank means not given. */
const commaList = <T extends z.core.$ZodType>(item: T) =>
  z.preprocess(
    (raw) =>
      typeof raw === 'string' && raw.trim() !== ''
        ? raw
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
        : undefined,
    z.optional(z.array(item).check(z.minLength(1))),
  );

const blankAsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const RequestsQuery = z.object({
  jurisdiction_id: z.preprocess(blankAsAbsent, z.optional(z.string())),
  service_request_id: commaList(z.string().check(z.minLength(1))).check(
    z.refine((ids) => !ids || ids.length <= MAX_REQUEST_IDS, {
      error: `at most ${MAX_REQUEST_IDS} ids at once`,
    }),
  ),
  service_code: commaList(
    z.string().check(
      z.refine(isServiceCode, {
        error: `one of the service codes of services.json: ${categoryCodes.join(', ')}`,
      }),
    ),
  ),
  start_date: z.preprocess(blankAsAbsent, z.optional(W3Datetime)),
  end_date: z.preprocess(blankAsAbsent, z.optional(W3Datetime)),
  status: commaList(z.enum(['open', 'closed'], { error: 'open or closed' })),
  page_size: z.preprocess(
    blankAsAbsent,
    z._default(
      z.coerce
        .number({ error: `a whole number from 1 to ${MAX_PAGE_SIZE}` })
        .check(
          z.int(`a whole number from 1 to ${MAX_PAGE_SIZE}`),
          z.minimum(1, `a whole number from 1 to ${MAX_PAGE_SIZE}`),
          z.maximum(MAX_PAGE_SIZE, `a whole number from 1 to ${MAX_PAGE_SIZE}`),
        ),
      DEFAULT_PAGE_SIZE,
    ),
  ),
  /** The `rel="next"` link's cursor; pages are not numbered (see the README). */
  cursor: z.preprocess(blankAsAbsent, z.optional(z.string().check(z.maxLength(2048)))),
  page: z.preprocess(
    blankAsAbsent,
    z.optional(
      z.undefined({
        error: 'pages are not numbered: follow the Link header (rel="next"), which carries a cursor',
      }),
    ),
  ),
  lang: z.preprocess(blankAsAbsent, z._default(z.enum(['zh', 'en'], { error: 'zh or en' }), 'zh')),
});
export type RequestsQuery = z.infer<typeof RequestsQuery>;

export interface RequestWindow {
  from: string;
  to: string;
}

/**
 * The requested_datetime range to read: as given, or the most recent 90 days; one end alone
 * extends 90 days from it. Undefined when it is longer than 90 days or runs backwards (the caller
 * names the field).
 */
export function requestWindowOf(
  query: Pick<RequestsQuery, 'start_date' | 'end_date'>,
  now: Date,
): { window: RequestWindow } | { error: 'reversed' | 'too_long' } {
  const start = query.start_date ? Date.parse(query.start_date) : undefined;
  const end = query.end_date ? Date.parse(query.end_date) : undefined;
  const to = end ?? (start !== undefined ? start + MAX_WINDOW_DAYS * DAY_MS : now.getTime());
  const from = start ?? to - MAX_WINDOW_DAYS * DAY_MS;
  if (from > to) return { error: 'reversed' };
  if (to - from > MAX_WINDOW_DAYS * DAY_MS) return { error: 'too_long' };
  return { window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } };
}

// ─── POST requests: the form ───

/** Form fields as the spec names them; what we do not keep (names, email, device) is read and dropped. */
export const ServiceRequestForm = z.object({
  api_key: z.optional(z.string()),
  jurisdiction_id: z.preprocess(blankAsAbsent, z.optional(z.string())),
  service_code: z.preprocess(
    blankAsAbsent,
    z.string({ error: 'the service_code of the request (services.json)' }),
  ),
  lat: z.preprocess(blankAsAbsent, z.optional(z.string())),
  long: z.preprocess(blankAsAbsent, z.optional(z.string())),
  address_string: z.preprocess(blankAsAbsent, z.optional(z.string())),
  description: z.preprocess(blankAsAbsent, z.optional(z.string())),
  phone: z.preprocess(blankAsAbsent, z.optional(z.string())),
  [`attribute[${COMMUNITY_ATTRIBUTE}]`]: z.preprocess(blankAsAbsent, z.optional(z.string())),
});
export type ServiceRequestForm = z.infer<typeof ServiceRequestForm>;

/** Field names of our report → the spec's, so a partner is told the field it sent. */
export const open311FieldOf: Record<string, string> = {
  category: 'service_code',
  description: 'description',
  contactPhone: 'phone',
  location: 'lat',
  'location.lat': 'lat',
  'location.lng': 'long',
  address: 'address_string',
  communityId: `attribute[${COMMUNITY_ATTRIBUTE}]`,
};

/** The answer to a POST: our tracking code is the service_request_id (the case exists within seconds). */
export interface Open311Receipt {
  service_request_id: string;
  service_notice: string;
}
