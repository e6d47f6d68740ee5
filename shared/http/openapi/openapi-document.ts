/**
 * The OpenAPI 3.1 description of the own API (`GET /api/openapi.json`), generated from the zod
 * schemas the handlers validate with (request bodies and queries) and the answer schemas of
 * api-responses.ts, through zod's JSON Schema 2020-12 output, which OpenAPI 3.1 takes as it is.
 *
 * One operation per topology route key (`'POST /api/reports'`), in `operations` below; the tests
 * hold it against infra/topology.ts (every route described, nothing described that is not
 * routed), validate the document with an OpenAPI validator, and check real answers against it.
 * Built once per container, on the first request (functions/get-openapi.ts).
 */
import { StaffRequestAction } from '../../domain/case-lifecycle.ts';
import { RequestsQuery, ServiceRequestForm } from '../../domain/open311/georeport.ts';
import { NewPartner } from '../../domain/open311/partner-key.ts';
import { CampaignAction } from '../../domain/outreach/campaign-lifecycle.ts';
import { ReportPhotoIds } from '../../domain/photos.ts';
import { ReportSubmission } from '../../domain/report.ts';
import { KeywordTable } from '../../domain/sms/classify-report.ts';
import * as z from '../../schema.ts';
import { SwitchRequest } from '../../services/administer-classifier.ts';
import { PoliciesBody, RoutingRulesBody } from '../../services/administer-policies.ts';
import { ListQuery as CampaignListQuery } from '../../services/campaigns/campaign-calendar.ts';
import { AttendanceBody, TasksQuery } from '../../services/campaigns/outreach-tasks.ts';
import { CreateBody, EditBody } from '../../services/campaigns/plan-campaigns.ts';
import { PreviewBody } from '../../services/campaigns/preview-campaign.ts';
import { CaseExportQuery } from '../../services/case-export.ts';
import { CaseListQuery } from '../../services/case-queries.ts';
import { CaseSearchQuery } from '../../services/case-search.ts';
import { RegistryAnswer, RegistryQuery } from '../../services/grid-registry-view.ts';
import { GridGroupImportAnswer, GridGroupImportBody } from '../../services/import-grid-groups.ts';
import { RatingRequest } from '../../services/rate-report.ts';
import { CallbackQuery, VerificationQuery } from '../../services/receive-wecom.ts';
import { EvidencePhotoRequest } from '../../services/report-photos.ts';
import { StatsExportQuery } from '../../services/statistics-export.ts';
import { AssessmentQuery, DateRangeQuery } from '../../services/unit-assessment.ts';
import * as answers from './api-responses.ts';

type JsonSchema = Record<string, unknown>;
/** Who may call: anyone (partners prove themselves inside the request), or staff with a token. */
type Audience = 'public' | 'staff';

/** A JSON answer's schema: a registered answer (a component) or a schema of its own. */
type AnswerSchema = z.core.$ZodType;

interface ResponseSpec {
  description: string;
  json?: AnswerSchema;
  /** Media types answered besides JSON, as plain strings (pages, CSV, XML). */
  text?: readonly ('text/html' | 'text/csv' | 'application/xml' | 'text/xml' | 'text/plain')[];
  headers?: Record<string, string>;
}

interface OperationSpec {
  summary: string;
  description?: string;
  tag: string;
  audience: Audience;
  query?: z.core.$ZodType;
  /** Request bodies by media type; `input` schemas (what a client sends, before defaults). */
  body?: { json?: z.core.$ZodType; form?: z.core.$ZodType; required?: boolean };
  headers?: { name: string; description: string; schema: JsonSchema; required?: boolean }[];
  responses: Record<number, ResponseSpec>;
}

const errorAnswer = (description: string): ResponseSpec => ({ description, json: answers.ErrorBody });
const bad = (what = 'a field is wrong: `issues` names each') => errorAnswer(what);
const notFound = (what = 'not found (a case outside the caller scope is 404 too)') => errorAnswer(what);
const conflict = (what: string) => errorAnswer(what);

/** A JSON report may name up to three photos uploaded through POST /api/photo-uploads. */
const ReportSubmissionWithPhotos = z.extend(ReportSubmission, {
  photos: z
    .optional(ReportPhotoIds)
    .check(z.describe('upload ids from POST /api/photo-uploads; a form post has none')),
});

/** The form a browser without JavaScript posts: the JSON fields as strings, and the page language. */
const ReportForm = z.object({
  category: z.string(),
  communityId: z.string(),
  description: z.string(),
  contactPhone: z.optional(z.string()),
  address: z.optional(z.string()),
  lang: z.optional(z.enum(['zh', 'en'])),
});

/** functions/sign-in.ts validates the same fields (its schema lives with the handler). */
const SignInBody = z.object({
  username: z.string().check(z.minLength(1), z.maxLength(128)),
  password: z.string().check(z.minLength(1), z.maxLength(256)),
  deviceData: z.optional(z.string().check(z.minLength(1), z.maxLength(16_384))),
});

const TransitionBody = z.intersection(
  z.object({ expectedVersion: z.int().check(z.positive()) }),
  StaffRequestAction,
);

const RatingForm = z.object({
  code: z.string(),
  token: z.string(),
  score: z.string(),
  comment: z.optional(z.string()),
  lang: z.optional(z.enum(['zh', 'en'])),
});

const LangQuery = z.object({ lang: z.optional(z.enum(['zh', 'en'])) });
const StatusPageQuery = z.extend(LangQuery, {
  code: z.optional(z.string().check(z.maxLength(64))),
  rated: z.optional(z.literal('1')),
});

const page = (description: string): ResponseSpec => ({
  description,
  text: ['text/html'],
  headers: { 'Set-Cookie': 'the `lang` cookie when `?lang=` chose a language' },
});

/**
 * Open311 GeoReport v2 (functions/open311.ts): the spec's shapes, JSON or XML by the path's
 * extension; the JSON items as api-responses.ts describes them (the handler tests also check
 * them against the GeoReport v2 schemas, test/support/georeport-v2-schemas.ts).
 */
const Open311Errors = z
  .array(z.object({ code: z.int(), description: z.string() }))
  .check(z.describe('GeoReport v2 errors; `code` is the HTTP status'));
const open311Error = (description: string): ResponseSpec => ({
  description,
  json: Open311Errors,
  text: ['text/xml'],
});
const OPEN311_LANG = {
  lang: z.optional(z.enum(['zh', 'en'])).check(z.describe('names and descriptions in English with en')),
};

function open311Operations(): Record<string, OperationSpec> {
  const ops: Record<string, OperationSpec> = {};
  for (const format of ['json', 'xml'] as const) {
    const as = (description: string, json: z.core.$ZodType): ResponseSpec =>
      format === 'json' ? { description, json } : { description, text: ['text/xml'] };
    const fail = (description: string): ResponseSpec =>
      format === 'json' ? { description, json: Open311Errors } : { description, text: ['text/xml'] };
    ops[`GET /open311/v2/discovery.${format}`] = {
      summary: `GeoReport v2 discovery (${format})`,
      tag: 'open311',
      audience: 'public',
      responses: {
        200: as('endpoints and formats', answers.Open311DiscoveryBody),
      },
    };
    ops[`GET /open311/v2/services.${format}`] = {
      summary: `GeoReport v2 services (${format}): our categories`,
      tag: 'open311',
      audience: 'public',
      query: z.object({ jurisdiction_id: z.optional(z.string()), ...OPEN311_LANG }),
      responses: {
        200: as('the services', z.array(answers.Open311ServiceBody)),
        404: fail('another jurisdiction'),
      },
    };
    ops[`GET /open311/v2/requests.${format}`] = {
      summary: `GeoReport v2 service requests (${format}): public, nothing personal; next page in Link rel=next`,
      tag: 'open311',
      audience: 'public',
      query: RequestsQuery,
      responses: {
        200: as('the requests', z.array(answers.Open311RequestBody)),
        400: fail('a filter named'),
        404: fail('another jurisdiction'),
      },
    };
    ops[`POST /open311/v2/requests.${format}`] = {
      summary: `GeoReport v2 new service request (${format}), from a registered partner (api_key form field)`,
      tag: 'open311',
      audience: 'public',
      headers: [
        {
          name: 'Idempotency-Key',
          description: 'As on POST /api/reports: a retry with the same key is the same request.',
          schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,128}$' },
        },
      ],
      body: { form: ServiceRequestForm, required: true },
      responses: {
        200: as(
          'queued: its service_request_id (our tracking code)',
          z.array(answers.Open311ReceiptBody).check(z.length(1)),
        ),
        400: fail('a field named'),
        403: fail('api_key missing or not valid'),
        409: fail('the Idempotency-Key came with another body'),
        413: fail('over 16 KB'),
        429: fail('over the key limit per minute, or the per-client limit'),
      },
    };
  }
  ops['GET /open311/v2/services/{file}'] = {
    summary: 'GeoReport v2 service definition: `{service_code}.json` or `.xml`',
    tag: 'open311',
    audience: 'public',
    query: z.object({ jurisdiction_id: z.optional(z.string()), ...OPEN311_LANG }),
    responses: {
      200: {
        description: 'the definition',
        json: answers.Open311ServiceDefinitionBody,
        text: ['text/xml'],
      },
      404: open311Error('no such service'),
    },
  };
  ops['GET /open311/v2/requests/{file}'] = {
    summary: 'GeoReport v2 one service request: `{service_request_id}.json` or `.xml`',
    tag: 'open311',
    audience: 'public',
    query: z.object({ jurisdiction_id: z.optional(z.string()) }),
    responses: {
      200: {
        description: 'the request, as a list of one',
        json: z.array(answers.Open311RequestBody).check(z.length(1)),
        text: ['text/xml'],
      },
      404: open311Error('no such request'),
    },
  };
  return ops;
}

/** Every route of the own API, by the topology's route key. */
export const operations: Readonly<Record<string, OperationSpec>> = {
  'GET /': {
    summary: 'The resident report page (works without JavaScript)',
    tag: 'pages',
    audience: 'public',
    query: LangQuery,
    responses: { 200: page('the page') },
  },
  'GET /status': {
    summary: 'A report status as a page, with the rating form once closed',
    tag: 'pages',
    audience: 'public',
    query: StatusPageQuery,
    responses: {
      200: page('the lookup form, or the status'),
      400: page('the form again, the code named as malformed'),
      404: page('the form again, the code named as unknown'),
    },
  },
  'POST /rating': {
    summary: "The status page's rating form",
    tag: 'pages',
    audience: 'public',
    body: { form: RatingForm, required: true },
    responses: {
      303: { description: 'rated: on to the status page', headers: { Location: '/status?code=…&rated=1' } },
      400: page('the form again with the field named'),
      404: page('code and token do not match'),
      409: page('not closed, or already rated'),
      413: page('the form too large'),
    },
  },
  'GET /console': {
    summary: 'The staff console (an HTML shell; its data comes from the staff API)',
    tag: 'pages',
    audience: 'public',
    query: LangQuery,
    responses: { 200: page('the console') },
  },
  'GET /console/assets/chart.js': {
    summary: 'Chart.js for the console, cached (304 when the ETag matches)',
    tag: 'pages',
    audience: 'public',
    query: z.object({ v: z.optional(z.string()) }),
    responses: {
      200: { description: 'the script (application/javascript)' },
      304: { description: 'not modified' },
    },
  },
  'GET /api/openapi.json': {
    summary: 'This document',
    tag: 'meta',
    audience: 'public',
    responses: {
      200: { description: 'the OpenAPI 3.1 document', json: z.looseObject({ openapi: z.string() }) },
      304: { description: 'not modified (If-None-Match)' },
    },
  },
  'POST /api/reports': {
    summary: "A resident's report, queued for routing",
    description:
      'JSON, or a form post from a browser without JavaScript (then the answers are pages). Nothing is stored for a refused one.',
    tag: 'resident',
    audience: 'public',
    headers: [
      {
        name: 'Idempotency-Key',
        description:
          'Any retry with the same key gets the same answer and makes one case; 409 when the key comes with another body. Kept 24 h.',
        schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,128}$' },
      },
    ],
    body: { json: ReportSubmissionWithPhotos, form: ReportForm, required: true },
    responses: {
      202: { description: 'queued', json: answers.SubmissionReceiptBody, text: ['text/html'] },
      400: { ...bad(), text: ['text/html'] },
      409: conflict('the Idempotency-Key came with another body'),
      413: errorAnswer('over 16 KB'),
      415: errorAnswer('neither JSON nor a form'),
    },
  },
  'POST /api/photo-uploads': {
    summary: 'A presigned S3 form for one photo of a report (JPEG, at most 4 MB, ten minutes)',
    description:
      'Post the fields, then the file, to `url` (multipart/form-data); S3 refuses a larger file or another declared type. Name the `uploadId` in the report; each photo is checked (a JPEG by its bytes), stripped of its metadata and kept with the case.',
    tag: 'resident',
    audience: 'public',
    responses: { 201: { description: 'the form', json: answers.PhotoUploadTicketBody } },
  },
  'GET /api/reports/{trackingCode}': {
    summary: 'The public status of a report',
    tag: 'resident',
    audience: 'public',
    responses: {
      200: { description: 'its status', json: answers.PublicStatusBody },
      404: notFound('no such code'),
    },
  },
  'GET /photos/{trackingCode}/{n}': {
    summary: "A result photo the unit made public (the status's `photos`), while the resolution stands",
    description:
      'Redirects to a presigned URL of the photo, good for five minutes and never cached: link this path, not the URL. Open311 `media_url` names it too.',
    tag: 'resident',
    audience: 'public',
    responses: {
      302: { description: 'to the photo', headers: { Location: 'a presigned S3 URL (5 minutes)' } },
      404: notFound('no such code or photo, or the resolution no longer stands'),
    },
  },
  'POST /api/reports/{trackingCode}/rating': {
    summary: 'The reporter rates a closed case 1–5 with the reporterToken of the 202',
    tag: 'resident',
    audience: 'public',
    body: { json: RatingRequest, required: true },
    responses: {
      200: { description: 'the status after the rating', json: answers.PublicStatusBody },
      400: bad(),
      404: notFound('code and token do not match'),
      409: conflict('not closed, or already rated'),
      413: errorAnswer('over 4 KB'),
    },
  },
  'GET /api/catalog': {
    summary: 'Categories, townships with their communities, units',
    tag: 'resident',
    audience: 'public',
    responses: { 200: { description: 'the catalogue', json: answers.Catalog } },
  },
  'POST /api/session': {
    summary: 'Staff sign-in: an ID token for the staff routes',
    tag: 'staff',
    audience: 'public',
    body: { json: SignInBody, required: true },
    responses: {
      200: { description: 'signed in', json: answers.SessionBody },
      400: bad(),
      401: errorAnswer('wrong username or password'),
      403: errorAnswer('the account has no usable role'),
    },
  },
  'GET /api/cases': {
    summary: "A page of the caller's cases, or one of their lists",
    tag: 'cases',
    audience: 'staff',
    query: CaseListQuery,
    responses: { 200: { description: 'a page', json: answers.CasePageBody }, 400: bad() },
  },
  'GET /api/cases/search': {
    summary: "Search the caller's cases by code, phone ending or words",
    tag: 'cases',
    audience: 'staff',
    query: CaseSearchQuery,
    responses: {
      200: { description: 'a page of hits, newest first', json: answers.CasePageBody },
      400: bad(),
    },
  },
  'GET /api/cases/export': {
    summary: "The caller's cases as CSV for Excel, chunk by chunk (UTF-8 with BOM on the first chunk)",
    tag: 'cases',
    audience: 'staff',
    query: CaseExportQuery,
    responses: {
      200: {
        description:
          'a chunk of the file (the first with the BOM and the header); while more follow, X-Next-Cursor and Link rel="next" name the next request',
        text: ['text/csv'],
        headers: {
          'Content-Disposition': 'attachment; filename="…"',
          'X-Next-Cursor': 'the cursor of the next chunk (absent on the last)',
        },
      },
      400: bad(),
      403: errorAnswer('outreach staff; an admin asking for personal=true'),
    },
  },
  'GET /api/cases/{id}': {
    summary: 'One case in full',
    tag: 'cases',
    audience: 'staff',
    responses: { 200: { description: 'the case', json: answers.CaseDetailBody }, 404: notFound() },
  },
  'GET /api/cases/{id}/photos': {
    summary: "A case's photos as presigned URLs good for five minutes",
    tag: 'cases',
    audience: 'staff',
    responses: { 200: { description: 'the photos', json: answers.CasePhotosBody }, 404: notFound() },
  },
  'POST /api/cases/{id}/photos': {
    summary: "The working unit's evidence photo: before, or after (optionally public)",
    description:
      'Upload through POST /api/photo-uploads first; the photo is checked (a JPEG by its bytes), stripped of its metadata and kept with the case.',
    tag: 'cases',
    audience: 'staff',
    body: { json: EvidencePhotoRequest, required: true },
    responses: {
      201: { description: "the case's photos now", json: answers.CasePhotosBody },
      400: bad(),
      403: errorAnswer('only the unit working the case (who may accept or resolve it) attaches evidence'),
      404: notFound(),
      413: errorAnswer('over 1 KB'),
    },
  },
  'POST /api/cases/{id}/transitions': {
    summary: 'Move a case through the closed loop',
    tag: 'cases',
    audience: 'staff',
    body: { json: TransitionBody, required: true },
    responses: {
      200: { description: 'the case as it now is', json: answers.TransitionResultBody },
      400: bad(),
      404: notFound(),
      409: conflict('version_conflict (with currentVersion) or transition_not_allowed (with allowedActions)'),
      413: errorAnswer('over 16 KB'),
    },
  },
  'GET /api/stats': {
    summary:
      'Counts by stage, unit, community and category; time per stage; satisfaction; intake and outreach reach by channel per township and month',
    tag: 'statistics',
    audience: 'staff',
    query: DateRangeQuery,
    responses: {
      200: { description: 'the figures of the caller scope', json: answers.StatsBody },
      400: bad(),
    },
  },
  'GET /api/stats/export': {
    summary:
      'The statistics as CSV for Excel (UTF-8 with BOM): per stage, unit, community and category; by channel per township and month',
    tag: 'statistics',
    audience: 'staff',
    query: StatsExportQuery,
    responses: {
      200: {
        description: 'the CSV file',
        text: ['text/csv'],
        headers: { 'Content-Disposition': 'attachment; filename="…"' },
      },
      400: bad(),
    },
  },
  'GET /api/assessment': {
    summary: 'The unit assessment (考核评价)',
    tag: 'statistics',
    audience: 'staff',
    query: AssessmentQuery,
    responses: { 200: { description: 'rows, ranking, trend', json: answers.AssessmentBody }, 400: bad() },
  },
  'GET /api/assessment/export': {
    summary: 'The unit assessment as CSV for Excel (UTF-8 with BOM)',
    tag: 'statistics',
    audience: 'staff',
    query: AssessmentQuery,
    responses: {
      200: {
        description: 'the CSV file',
        text: ['text/csv'],
        headers: { 'Content-Disposition': 'attachment; filename="…"' },
      },
      400: bad(),
    },
  },
  'GET /api/admin/routing-rules': {
    summary: 'The routing rules',
    tag: 'admin',
    audience: 'staff',
    responses: { 200: { description: 'the rules', json: answers.RoutingRulesAnswer } },
  },
  'PUT /api/admin/routing-rules': {
    summary: 'Replace the routing rules',
    tag: 'admin',
    audience: 'staff',
    body: { json: RoutingRulesBody, required: true },
    responses: {
      200: { description: 'the rules now', json: answers.RoutingRulesAnswer },
      400: bad(),
      413: errorAnswer('over 64 KB'),
    },
  },
  'GET /api/admin/policies': {
    summary: 'SLAs per category, the working calendar, the rating window',
    tag: 'admin',
    audience: 'staff',
    responses: { 200: { description: 'the policies', json: answers.PoliciesAnswer } },
  },
  'PUT /api/admin/policies': {
    summary: 'Replace the policies',
    tag: 'admin',
    audience: 'staff',
    body: { json: PoliciesBody, required: true },
    responses: {
      200: { description: 'the policies now', json: answers.PoliciesAnswer },
      400: bad(),
      413: errorAnswer('over 64 KB'),
    },
  },
  'GET /api/admin/keywords': {
    summary: "The SMS classifier's keyword table",
    tag: 'admin',
    audience: 'staff',
    responses: { 200: { description: 'the table', json: answers.KeywordsAnswer } },
  },
  'PUT /api/admin/keywords': {
    summary: "Replace the SMS classifier's keyword table",
    tag: 'admin',
    audience: 'staff',
    body: { json: KeywordTable, required: true },
    responses: {
      200: { description: 'the table now', json: answers.KeywordsAnswer },
      400: bad(),
      413: errorAnswer('over 64 KB'),
    },
  },
  'GET /api/admin/partners': {
    summary: 'Open311 partner systems',
    tag: 'admin',
    audience: 'staff',
    responses: { 200: { description: 'the partners (never their keys)', json: answers.PartnerListBody } },
  },
  'POST /api/admin/partners': {
    summary: 'Register an Open311 partner system: its API key, shown once',
    tag: 'admin',
    audience: 'staff',
    body: { json: NewPartner, required: true },
    responses: {
      201: { description: 'the partner and its key', json: answers.PartnerCreatedBody },
      400: bad(),
    },
  },
  'DELETE /api/admin/partners/{partnerId}': {
    summary: "Revoke an Open311 partner's key",
    tag: 'admin',
    audience: 'staff',
    responses: {
      200: { description: 'the partner, revoked', json: answers.PartnerRevokedBody },
      400: bad(),
      404: notFound('no such partner'),
    },
  },
  'GET /api/admin/classifier': {
    summary: 'The SMS classifier model in use and its stored versions',
    tag: 'admin',
    audience: 'staff',
    responses: { 200: { description: 'the status', json: answers.ClassifierStatusBody } },
  },
  'POST /api/admin/classifier/rollback': {
    summary: 'Switch to an earlier model version or to keywords only',
    tag: 'admin',
    audience: 'staff',
    body: { json: SwitchRequest, required: true },
    responses: {
      200: { description: 'the status after the switch', json: answers.ClassifierStatusBody },
      400: bad(),
      404: notFound('no such version'),
      409: conflict('version_conflict: another switch came first'),
    },
  },
  'GET /api/outreach/risk': {
    summary: 'Communities ranked by fraud reports per 1,000 households',
    tag: 'outreach',
    audience: 'staff',
    responses: { 200: { description: 'the ranking', json: answers.RiskRankingBody } },
  },
  'GET /api/outreach/tasks': {
    summary: "A community's lectures and screenings",
    tag: 'outreach',
    audience: 'staff',
    query: TasksQuery,
    responses: { 200: { description: 'the tasks', json: answers.OutreachTasksBody }, 400: bad() },
  },
  'GET /api/campaigns': {
    summary: 'Campaigns and the calendar of their occurrences',
    tag: 'outreach',
    audience: 'staff',
    query: CampaignListQuery,
    responses: { 200: { description: 'campaigns and calendar', json: answers.CampaignListBody }, 400: bad() },
  },
  'POST /api/campaigns': {
    summary: 'Create a campaign (`schedule: true` to schedule it at once)',
    tag: 'outreach',
    audience: 'staff',
    body: { json: CreateBody, required: true },
    responses: {
      201: {
        description: 'the campaign',
        json: answers.CampaignViewBody,
        headers: { Location: '/api/campaigns/{id}' },
      },
      400: bad(),
      413: errorAnswer('over 32 KB'),
    },
  },
  'POST /api/campaign-previews': {
    summary: "An SMS plan's text, size and estimated messages before scheduling",
    tag: 'outreach',
    audience: 'staff',
    body: { json: PreviewBody, required: true },
    responses: { 200: { description: 'the preview', json: answers.CampaignPreviewBody }, 400: bad() },
  },
  'GET /api/campaigns/{id}': {
    summary: 'One campaign with its runs and outcomes',
    tag: 'outreach',
    audience: 'staff',
    responses: {
      200: { description: 'the campaign', json: answers.CampaignViewBody },
      404: notFound('no such campaign'),
    },
  },
  'PUT /api/campaigns/{id}': {
    summary: 'Edit a campaign',
    tag: 'outreach',
    audience: 'staff',
    body: { json: EditBody, required: true },
    responses: {
      200: { description: 'the campaign', json: answers.CampaignViewBody },
      400: bad(),
      404: notFound('no such campaign'),
      409: conflict('version_conflict, or not editable now'),
    },
  },
  'POST /api/campaigns/{id}/actions': {
    summary: 'Schedule or cancel a campaign',
    tag: 'outreach',
    audience: 'staff',
    body: {
      json: z.intersection(z.object({ expectedVersion: z.int().check(z.minimum(1)) }), CampaignAction),
      required: true,
    },
    responses: {
      200: { description: 'the campaign', json: answers.CampaignViewBody },
      400: bad(),
      404: notFound('no such campaign'),
      409: conflict('version_conflict, or not allowed now'),
    },
  },
  'POST /api/campaigns/{id}/runs/{runId}/attendance': {
    summary: 'Attendance after a lecture or screening',
    tag: 'outreach',
    audience: 'staff',
    body: { json: AttendanceBody, required: true },
    responses: {
      200: { description: 'the campaign or task with the attendance', json: answers.AttendanceAnswer },
      400: bad(),
      404: notFound('no such campaign or run'),
      409: conflict('the run takes no attendance now'),
    },
  },
  'POST /api/sms/inbound/aliyun/{secret}': {
    summary: 'Aliyun SmsUp push (JSON array of messages); path secret and source allow-list',
    tag: 'sms',
    audience: 'public',
    body: { json: z.array(z.looseObject({})), required: true },
    responses: {
      200: {
        description: 'every message handled: Aliyun expects `{"code":0,"msg":"成功"}`',
        json: z.looseObject({}),
      },
      400: bad(),
      403: errorAnswer('wrong secret or source'),
      503: errorAnswer('a message is not finished: deliver again'),
    },
  },
  'POST /api/sms/inbound/tencent/{secret}': {
    summary: 'Tencent Cloud SMS reply callback; path secret and source allow-list',
    tag: 'sms',
    audience: 'public',
    body: { json: z.unknown(), required: true },
    responses: {
      200: { description: 'handled: Tencent expects `{"result":0,"errmsg":"OK"}`', json: z.looseObject({}) },
      400: bad(),
      403: errorAnswer('wrong secret or source'),
      503: errorAnswer('a message is not finished: deliver again'),
    },
  },
  'POST /api/sms/inbound/twilio': {
    summary: 'Twilio-compatible webhook (form post), X-Twilio-Signature verified',
    tag: 'sms',
    audience: 'public',
    body: { form: z.record(z.string(), z.string()), required: true },
    headers: [
      {
        name: 'X-Twilio-Signature',
        description: 'HMAC-SHA1 of URL and parameters',
        schema: { type: 'string' },
        required: true,
      },
    ],
    responses: {
      200: { description: 'handled: TwiML (text/xml) with the reply', text: ['text/xml'] },
      400: bad(),
      403: errorAnswer('bad signature'),
      503: errorAnswer('a message is not finished: deliver again'),
    },
  },
  'GET /api/wecom/callback': {
    summary: 'WeChat Work callback URL verification: msg_signature checked, echostr decrypted',
    tag: 'wecom',
    audience: 'public',
    query: VerificationQuery,
    responses: {
      200: { description: 'the decrypted echostr, as plain text', text: ['text/plain'] },
      400: bad('a query field is missing or malformed, or the echostr cannot be decrypted'),
      403: errorAnswer('bad_signature or wrong_receiver'),
    },
  },
  'POST /api/wecom/callback': {
    summary: "A grid worker's message to the civicloop app (encrypted XML), acknowledged within 5 s",
    tag: 'wecom',
    audience: 'public',
    query: CallbackQuery,
    responses: {
      200: {
        description: 'received (empty body; the answer goes out as an app message)',
        text: ['text/plain'],
      },
      400: bad('malformed_xml or undecryptable'),
      403: errorAnswer('bad_signature, wrong_receiver or stale_timestamp'),
      503: errorAnswer('not finished: the platform delivers again'),
    },
  },
  'GET /api/registry/grids': {
    summary:
      'Grids with their micro-grids and WeChat groups (owner, admins, member count read from the platform)',
    description:
      'The county (supervisors, admins, the county centre) sees every township and lists any one; a township centre its own (another township: 403).',
    tag: 'registry',
    audience: 'staff',
    query: RegistryQuery,
    responses: {
      200: {
        description: "each visible township's figures, and the listed township's grids",
        json: RegistryAnswer,
      },
      400: bad('townshipId is malformed or names no township'),
      403: errorAnswer('forbidden: not a county or township centre reader, or another township'),
    },
  },
  'POST /api/admin/grid-groups/import': {
    summary: 'Import micro-grids and grid groups from CSV (one row per micro-grid), admins only',
    description:
      'Columns: grid_id, group_chat_id, group_owner (the grid worker), micro_grid_id, micro_grid_name, micro_grid_households, micro_grid_worker. A grid is stored whole or refused whole; a re-import of the same file changes nothing.',
    tag: 'admin',
    audience: 'staff',
    body: { json: GridGroupImportBody, required: true },
    responses: {
      200: {
        description: 'what was added, changed and refused (line and field per refusal)',
        json: GridGroupImportAnswer,
      },
      400: bad('the body or the header line is wrong: `issues` names it'),
      403: errorAnswer('forbidden: admins only'),
      413: errorAnswer('over 5 MB'),
    },
  },
  ...open311Operations(),
};

// ─── generation ──────────────────────────────────────────────────────────────────────────────

/** zod → JSON Schema 2020-12 as OpenAPI 3.1 embeds it: no `$schema`, no `$id` inside the document. */
function jsonSchemaOf(schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema {
  const {
    $schema: _dialect,
    $id: _id,
    ...rest
  } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

/** The answers of api-responses.ts become named components (`CaseDetailBody` → `CaseDetail`). */
function componentNames(): Map<z.core.$ZodType, string> {
  const names = new Map<z.core.$ZodType, string>();
  for (const [name, schema] of Object.entries(answers)) {
    if (schema instanceof z.core.$ZodType) names.set(schema, name.replace(/Body$|Answer$/, '') || name);
  }
  return names;
}

function parametersOf(path: string, op: OperationSpec): JsonSchema[] {
  const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = op.query ? jsonSchemaOf(op.query, 'input') : undefined;
  const properties = (query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(query?.required) ? query.required : []);
  const inQuery = Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    // Lists are comma-separated in one parameter (`service_code=road,fraud`), as the handlers split them.
    ...(schema.type === 'array' ? { style: 'form', explode: false } : {}),
    schema,
  }));
  const inHeader = (op.headers ?? []).map((h) => ({
    name: h.name,
    in: 'header',
    required: h.required ?? false,
    description: h.description,
    schema: h.schema,
  }));
  return [...inPath, ...inQuery, ...inHeader];
}

const textSchema = { type: 'string' };

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
  [key: string]: unknown;
}

/** The whole document; pure, so it can be built at cold start or in a test. */
export function buildOpenApiDocument(): OpenApiDocument {
  const components = componentNames();
  const schemas: Record<string, JsonSchema> = {};
  const refTo = (schema: z.core.$ZodType): JsonSchema => {
    const name = components.get(schema);
    if (name === undefined) return jsonSchemaOf(schema, 'output');
    schemas[name] ??= jsonSchemaOf(schema, 'output');
    return { $ref: `#/components/schemas/${name}` };
  };

  const paths: OpenApiDocument['paths'] = {};
  for (const [routeKey, op] of Object.entries(operations)) {
    const [method = '', path = ''] = routeKey.split(' ');
    const responses: Record<string, JsonSchema> = {};
    const all: Record<number, ResponseSpec> = {
      ...op.responses,
      ...(op.audience === 'staff'
        ? {
            401: errorAnswer('no token, an expired one, or one not for this service'),
            403: op.responses[403] ?? errorAnswer('the role may not do this'),
          }
        : { 429: op.responses[429] ?? errorAnswer('rate_limited: over the per-client limit (Retry-After)') }),
    };
    for (const [status, response] of Object.entries(all)) {
      const content: Record<string, JsonSchema> = {};
      if (response.json) content['application/json'] = { schema: refTo(response.json) };
      for (const media of response.text ?? []) content[media] = { schema: textSchema };
      responses[status] = {
        description: response.description,
        ...(Object.keys(content).length > 0 ? { content } : {}),
        ...(response.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(response.headers).map(([name, description]) => [
                  name,
                  { description, schema: textSchema },
                ]),
              ),
            }
          : {}),
      };
    }
    const body = op.body
      ? {
          required: op.body.required ?? false,
          content: {
            ...(op.body.json ? { 'application/json': { schema: jsonSchemaOf(op.body.json, 'input') } } : {}),
            ...(op.body.form
              ? { 'application/x-www-form-urlencoded': { schema: jsonSchemaOf(op.body.form, 'input') } }
              : {}),
          },
        }
      : undefined;
    const parameters = parametersOf(path, op);
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: operationId(method, path),
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body ? { requestBody: body } : {}),
      security: op.audience === 'staff' ? [{ staffToken: [] }] : [],
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'civicloop',
      version: '1',
      description:
        'Complaint intake, closed-loop case tracking and anti-fraud outreach. Generated from the zod schemas the handlers validate with. Errors: `{ error: { code, message, issues? } }`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    tags: [...new Set(Object.values(operations).map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        staffToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The Cognito ID token `POST /api/session` answers with (idToken).',
        },
        partnerKey: {
          type: 'apiKey',
          in: 'query',
          name: 'api_key',
          description:
            'An Open311 partner key (o311_<id>_<secret>) an admin issued (POST /api/admin/partners). GeoReport v2 sends it as the `api_key` field of the POST requests form, which is where it is read: OpenAPI cannot name a form field as a key, so the POST operations list it in their form rather than under `security`.',
        },
      },
    },
  };
}

function operationId(method: string, path: string): string {
  const words = path
    .replace(/\{(\w+)\}/g, 'by-$1')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return (
    [method.toLowerCase(), ...words.map((w) => w[0]?.toUpperCase() + w.slice(1))].join('') ||
    method.toLowerCase()
  );
}
