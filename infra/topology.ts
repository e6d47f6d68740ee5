/**
 * The one description of the system: its tables, queues (each with a dead-letter queue), and
 * functions with their triggers and the resources they are bound to. The CDK stack
 * (`infra/stack.ts`) and the local runtime (`infra/local/`) are both built from this module, so
 * what runs on a laptop cannot drift from what is deployed.
 */
import { caseIndexes } from '../shared/adapters/case-table-layout.ts';
import { outreachIndexes } from '../shared/adapters/dynamodb-outreach-store.ts';
import { OUTREACH_DELIVERY_ATTEMPTS } from '../shared/domain/outreach/campaign.ts';
import { unitIds } from '../shared/reference/county-structure.ts';
import type { BrowserPage } from '../shared/web/page-assets.ts';

export type KeyType = 'S' | 'N';
export interface KeySpec {
  name: string;
  type: KeyType;
}

export interface IndexSpec {
  name: string;
  partitionKey: KeySpec;
  sortKey?: KeySpec;
}

export interface TableSpec {
  /** Logical name; also the suffix of the physical name. */
  name: string;
  partitionKey: KeySpec;
  sortKey?: KeySpec;
  timeToLiveAttribute?: string;
  indexes: IndexSpec[];
}

export interface QueueSpec {
  name: string;
  /** Seconds a received message stays hidden; ≥ 6× the consumer's timeout (AWS guidance). */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  retentionDays: number;
  /**
   * How long its dead-letter queue keeps a message, counted from when the message was first sent
   * (SQS keeps the original enqueue time), so never less than `retentionDays`. Default 14, the
   * SQS maximum.
   */
  deadLetterRetentionDays?: number;
  /** Who reads it: one of our functions, or a unit outside the system (a department). */
  consumer: 'function' | 'external';
}

/**
 * An S3 bucket: private, encrypted, TLS only, no versions kept (a deleted photo is gone). Objects
 * under an `expiry` prefix are deleted after its days (uploads nobody reported with).
 */
export interface BucketSpec {
  name: string;
  expiry: { prefix: string; days: number }[];
  /** Browsers on the site's own origin may POST to it (presigned uploads), nothing else cross-origin. */
  browserUploads: boolean;
}

/** What a function may do under a key prefix of a bucket (`list`: list keys under the prefix). */
export interface BucketAccess {
  action: 'read' | 'write' | 'delete' | 'list';
  prefix: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** `public`: residents, no account. `staff`: a valid staff token (JWT) is required. */
export type HttpAuth = 'public' | 'staff';

export interface TopicSpec {
  name: string;
  description: string;
  /** AWS services allowed to publish to it (e.g. `sms-voice.amazonaws.com` for two-way SMS). */
  publishers: string[];
}

export type Trigger =
  | { kind: 'http'; method: HttpMethod; path: string; auth: HttpAuth }
  /** An SNS topic subscription: asynchronous, retried, then dead-lettered. */
  | { kind: 'topic'; topic: string }
  | {
      kind: 'queue';
      queue: string;
      batchSize: number;
      maxBatchingWindowSeconds: number;
      /** At most this many concurrent invocations (Lambda's minimum is 2); unset: Lambda scales freely. */
      maxConcurrency?: number;
    }
  | {
      kind: 'schedule';
      everyMinutes: number;
      /** The local runtime also runs it once as it starts, so a fresh runtime shows what it reads. */
      localAtStart?: boolean;
    };

/**
 * A resource a function may use. The grant and the environment variable that names the resource
 * are declared together, so a function can only reach what it has been granted.
 */
export type Binding =
  | { kind: 'table'; table: string; access: 'read' | 'readWrite'; env: string }
  | { kind: 'queue'; queue: string; access: 'send'; env: string }
  /**
   * A bucket: its name in `env`, and only the actions and key prefixes in `access` (none: the
   * name alone, e.g. for a page's CSP to name the bucket's origin).
   */
  | { kind: 'bucket'; bucket: string; access: BucketAccess[]; env: string }
  /** Every unit's dispatch queue, passed as a JSON map { unitId: queueUrl }. */
  | { kind: 'unitQueues'; access: 'send'; env: string }
  /**
   * Sending SMS through AWS End User Messaging: the env names the origination identity (phone
   * number, sender id or pool; CDK context `smsOriginationIdentity`), `local-outbox` locally.
   */
  | { kind: 'smsSender'; env: string }
  /**
   * A per-deployment setting that is not secret (an allow-list, a limit): CDK context `name` in
   * AWS (empty when unset, which means the default or disables what needs it), `local` in the
   * local runtime.
   */
  | { kind: 'setting'; name: string; env: string; local: string }
  /**
   * A secret (a key we sign with, a provider's token), read by the function at run time through
   * shared/adapters/secrets.ts and never put in its environment or the CDK context: `env` holds
   * the secret's ARN, so it ends in `_ARN`. The stack makes one Secrets Manager secret per `name`,
   * shared by every function that binds it, and grants each of them GetSecretValue on it alone.
   * `value` says where the value comes from in AWS: `generated`, a random key of our own that
   * Secrets Manager generates at the first deploy; `provider`, a value a provider issues (Twilio's
   * auth token), deployed as a random placeholder until an operator puts the real one. The local
   * runtime generates every secret itself, once per data directory (in memory: once per start),
   * and serves it through the same call (infra/local/local-secrets.ts).
   */
  | { kind: 'secret'; name: string; env: string; value: 'generated' | 'provider' }
  /**
   * The staff console's user-pool app client id, for signing staff in. Locally, the id of the
   * runtime's stand-in client.
   */
  | { kind: 'userPoolClient'; env: string }
  /**
   * The staff user pool's id, with leave to sign staff in on the server (AdminInitiateAuth, which
   * passes the caller's context data to threat protection). Locally, the stand-in's pool.
   */
  | { kind: 'userPool'; access: 'signIn'; env: string };

export interface FunctionSpec {
  name: string;
  /** Path of the handler module from the repository root; it exports `handler`. */
  entry: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  triggers: Trigger[];
  bindings: Binding[];
  /**
   * Files the handler reads at run time, copied into its bundle: `from` relative to the
   * repository root, `to` relative to the bundle (where `new URL(to, import.meta.url)` finds it).
   */
  copyFiles?: { from: string; to: string }[];
  /**
   * Server-rendered pages whose browser script and stylesheet the handler inlines: each is built
   * from shared/web/<page>/ into the bundle as `<page>.js` and `<page>.css` (see
   * shared/web/page-assets.ts; run from source, the handler builds them itself).
   */
  pageAssets?: BrowserPage[];
  /**
   * Log events that page the on-call: a structured log line whose `event` field is `event` makes
   * a metric, and one occurrence raises an alarm on the stack's alarm topic.
   */
  logAlarms?: { event: string; description: string }[];
}

export interface Topology {
  tables: TableSpec[];
  queues: QueueSpec[];
  topics?: TopicSpec[];
  buckets?: BucketSpec[];
  functions: FunctionSpec[];
}

/** The queue a unit's routed cases are delivered to. */
export const unitQueueName = (unitId: string): string => `unit-${unitId}`;

export type SecretBinding = Extract<Binding, { kind: 'secret' }>;

/**
 * Every secret the topology's functions bind, once per name: the stack makes one Secrets Manager
 * secret of each, the local runtime one generated value. A name bound with two different
 * `value`s is a mistake in the topology.
 */
export function secretsOf(topology: Topology): { name: string; value: SecretBinding['value'] }[] {
  const byName = new Map<string, SecretBinding['value']>();
  for (const fn of topology.functions) {
    for (const binding of fn.bindings) {
      if (binding.kind !== 'secret') continue;
      const known = byName.get(binding.name);
      if (known !== undefined && known !== binding.value) {
        throw new Error(`topology: secret ${binding.name} is bound as both ${known} and ${binding.value}`);
      }
      byName.set(binding.name, binding.value);
    }
  }
  return [...byName].map(([name, value]) => ({ name, value }));
}

const ROUTER_TIMEOUT_SECONDS = 10;
const PLANNER_TIMEOUT_SECONDS = 120;
const SENDER_TIMEOUT_SECONDS = 120;
const NOTIFIER_TIMEOUT_SECONDS = 30;

/** What every function that changes cases needs (functions/wiring/case-writes.ts reads these). */
const caseWriteBindings: Binding[] = [
  { kind: 'table', table: 'cases', access: 'readWrite', env: 'CASES_TABLE' },
  { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
  { kind: 'table', table: 'stats', access: 'readWrite', env: 'STATS_TABLE' },
  { kind: 'unitQueues', access: 'send', env: 'UNIT_QUEUE_URLS' },
  // Reporters are texted when their case is dispatched, resolved and closed, unless their phone
  // opted out or had its texts for the day: both are kept in the SMS table.
  { kind: 'smsSender', env: 'SMS_ORIGINATION_IDENTITY' },
  { kind: 'table', table: 'sms', access: 'readWrite', env: 'SMS_TABLE' },
  // Case updates per phone per day; empty: 5 (shared/services/reporter-texts.ts).
  { kind: 'setting', name: 'reporterTextsPerDay', env: 'REPORTER_TEXTS_PER_DAY', local: '' },
  // A new case's search postings, and a moved one's, are written by its outbox after the delivery.
  { kind: 'table', table: 'search', access: 'readWrite', env: 'SEARCH_TABLE' },
  // A forwarded appeal's every change, queued for its grid worker (relay-to-workers sends it).
  { kind: 'queue', queue: 'wecom-relays', access: 'send', env: 'WECOM_RELAYS_QUEUE_URL' },
  // Return visits and escalations are told to staff in WeChat Work by the notifier (notify-staff).
  { kind: 'queue', queue: 'staff-notifications', access: 'send', env: 'STAFF_NOTIFICATIONS_QUEUE_URL' },
];

/** Case effects that keep failing are parked (shared/domain/effect-outbox.ts): someone must look. */
const effectAlarms = [
  { event: 'effect_parked', description: 'a case effect (a delivery, a text) kept failing and was parked' },
];

/** What a function answering residents' texts needs (functions/wiring/sms.ts reads these). */
const smsReceiveBindings: Binding[] = [
  ...caseWriteBindings,
  // Read to place a text in its household's community; written to mark a household opted out.
  { kind: 'table', table: 'households', access: 'readWrite', env: 'HOUSEHOLDS_TABLE' },
  { kind: 'queue', queue: 'intake', access: 'send', env: 'INTAKE_QUEUE_URL' },
  // The key SMS reports' tracking codes are derived with (HMAC of the provider's message id), so
  // nobody can compute them from a provider's serial message ids.
  { kind: 'secret', name: 'trackingCodeSecret', env: 'TRACKING_CODE_SECRET_ARN', value: 'generated' },
  // The trained classifier model in use, read once per version (none stored: keywords only).
  { kind: 'table', table: 'classifier', access: 'read', env: 'CLASSIFIER_TABLE' },
];

/** Outreach deployment settings (CDK context; empty = the default in functions/wiring/outreach.ts). */
const outreachQuietHours: Binding = {
  kind: 'setting',
  name: 'outreachQuietHours',
  env: 'OUTREACH_QUIET_HOURS',
  local: '',
};
/** The frequency cap: the sender applies it, the campaign preview estimates with the same value. */
const outreachCapDays: Binding = {
  kind: 'setting',
  name: 'outreachCapDays',
  env: 'OUTREACH_CAP_DAYS',
  local: '',
};

/**
 * The platform's enterprise mass-sends per WeChat group and month (empty: 4, the government
 * edition's rule): the group planner applies it, the campaign preview judges with the same value.
 */
const wecomGroupSendsPerMonth: Binding = {
  kind: 'setting',
  name: 'wecomGroupSendsPerMonth',
  env: 'WECOM_GROUP_SENDS_PER_MONTH',
  local: '',
};

/**
 * The key the case lists sign their page cursors with (shared/adapters/page-cursor.ts). A new
 * value only makes open cursors start their list again (a 400 naming `cursor`).
 */
const cursorSecret: Binding = {
  kind: 'secret',
  name: 'cursorSecret',
  env: 'CURSOR_SECRET_ARN',
  value: 'generated',
};

/** The pepper Open311 partner keys are hashed with (shared/domain/open311/partner-key.ts). */
const partnerKeyPepper: Binding = {
  kind: 'secret',
  name: 'partnerKeyPepper',
  env: 'PARTNER_KEY_PEPPER_ARN',
  value: 'generated',
};

/** The photo bucket by name only: what a page needs to allow its origin in its CSP. */
const photoBucketName: Binding = { kind: 'bucket', bucket: 'photos', access: [], env: 'PHOTOS_BUCKET' };

/** What the functions that only read cases need. */
const caseReadBindings: Binding[] = [
  { kind: 'table', table: 'cases', access: 'read', env: 'CASES_TABLE' },
  { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
  { kind: 'table', table: 'stats', access: 'read', env: 'STATS_TABLE' },
];

export const topology: Topology = {
  tables: [
    {
      // Cases: one small, frequently-updated state item per case and one write-once report item.
      // Sparse indexes serve every list (see shared/adapters/dynamodb-case-store.ts); no scans.
      name: 'cases',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: Object.entries(caseIndexes).map(([name, [pk, sk]]) => ({
        name,
        partitionKey: { name: pk, type: 'S' },
        sortKey: { name: sk, type: 'S' },
      })),
    },
    {
      // Staff search postings: term (per scope and month) or phone tail → a case's `submittedAt#code`,
      // nothing else (shared/domain/case-search.ts); read by key, never scanned.
      name: 'search',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [],
    },
    {
      // The SMS channel's memory: inbound message ids (retries), opt-outs, hourly report counts,
      // reports held for their place. Only a held report not yet sent on carries the keys of the
      // sparse byDue index, which sweep-cases reads for the ones due (dynamodb-pending-sms-reports.ts).
      name: 'sms',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
      indexes: [
        { name: 'byDue', partitionKey: { name: 'duePk', type: 'S' }, sortKey: { name: 'dueSk', type: 'S' } },
      ],
    },
    {
      // Counters behind GET /api/stats: idempotent set memberships, one partition.
      name: 'stats',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [],
    },
    {
      // The organisation and routing rules: read often, changed by admins.
      name: 'directory',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [],
    },
    {
      // The household registry: an item per household and one per phone pointing to it, so a
      // phone lookup is two GetItems; the sparse index lists a community's households page by
      // page for outreach (see shared/adapters/dynamodb-household-registry.ts).
      name: 'households',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [
        {
          name: 'byCommunity',
          partitionKey: { name: 'communityPk', type: 'S' },
          sortKey: { name: 'householdSk', type: 'S' },
        },
      ],
    },
    {
      // Outreach: campaigns, their runs, deferred batches, and per-household delivery records and
      // caps. The sparse `due` index is what the scheduler queries; `byCreation` lists campaigns.
      // See shared/adapters/dynamodb-outreach-store.ts.
      name: 'outreach',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
      indexes: Object.entries(outreachIndexes).map(([name, [pk, sk]]) => ({
        name,
        partitionKey: { name: pk, type: 'S' },
        sortKey: { name: sk, type: 'S' },
      })),
    },
    {
      // Idempotency-Key records of the intake API: key hash → body hash, 24 h (dynamodb-submission-ledger.ts).
      name: 'idempotency',
      partitionKey: { name: 'id', type: 'S' },
      timeToLiveAttribute: 'expiration',
      indexes: [],
    },
    {
      // Open311 partner systems, one item each with the peppered hash of its API key, and their
      // per-minute request counters (expiring); read by key (shared/adapters/dynamodb-partner-keys.ts).
      name: 'partners',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
      indexes: [],
    },
    {
      // The report classifier's trained models, one item per version, and the pointer to the one
      // in use (shared/adapters/dynamodb-classifier-models.ts); read by key, never scanned.
      name: 'classifier',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [],
    },
  ],
  buckets: [
    {
      // Residents' photos: uploads (straight from the browser, presigned POST) and each case's
      // checked, metadata-free photos under cases/<code>/ (shared/domain/photos.ts). An upload no
      // report named is deleted after a day.
      name: 'photos',
      expiry: [{ prefix: 'uploads/', days: 1 }],
      browserUploads: true,
    },
  ],
  topics: [
    {
      // AWS End User Messaging publishes residents' texts here (the phone number's two-way channel).
      name: 'inbound-sms',
      description: 'civicloop inbound SMS',
      publishers: ['sms-voice.amazonaws.com'],
    },
  ],
  queues: [
    {
      // Reports with the reporter's phone and words, drained by the router within seconds. Kept
      // only as long as redelivery needs: the age alarm fires after 15 minutes and a failing
      // message dead-letters after 5 receives (5 minutes), so 4 days on the queue cover a router
      // down over a long weekend, and 7 days (from submission) give a person a working week to
      // redrive a dead letter. The case keeps the report once routed.
      name: 'intake',
      visibilityTimeoutSeconds: 6 * ROUTER_TIMEOUT_SECONDS,
      maxReceiveCount: 5,
      retentionDays: 4,
      deadLetterRetentionDays: 7,
      consumer: 'function',
    },
    {
      // Requests to plan an SMS run (enqueue its households); a planner out of time re-queues one.
      name: 'outreach-plan',
      visibilityTimeoutSeconds: 6 * PLANNER_TIMEOUT_SECONDS,
      maxReceiveCount: 5,
      retentionDays: 14,
      consumer: 'function',
    },
    {
      // Batches of a run's households for the sender: household ids, never phones (the sender
      // looks them up when it sends), so nothing personal to cut short here.
      name: 'outreach',
      visibilityTimeoutSeconds: 6 * SENDER_TIMEOUT_SECONDS,
      maxReceiveCount: OUTREACH_DELIVERY_ATTEMPTS,
      retentionDays: 14,
      consumer: 'function',
    },
    {
      // Staff notifications for WeChat Work (return visits, escalations, tomorrow's tasks): codes
      // and ids only, the recipients read at send time. Retried while the platform refuses (its
      // rate limits), then dead-lettered; the console's lists have the same work meanwhile.
      name: 'staff-notifications',
      visibilityTimeoutSeconds: 6 * NOTIFIER_TIMEOUT_SECONDS,
      maxReceiveCount: 8,
      retentionDays: 4,
      consumer: 'function',
    },
    {
      // Photos grid workers forwarded in WeChat Work, fetched from the platform (media/get) off the
      // callback's five seconds. The platform keeps a media id three days: so does the queue.
      name: 'wecom-photos',
      visibilityTimeoutSeconds: 6 * 30,
      maxReceiveCount: 5,
      retentionDays: 3,
      consumer: 'function',
    },
    {
      // A forwarded appeal's changes for its grid worker (codes and stages only), sent by
      // relay-to-workers as WeChat Work app messages; retried while the platform refuses.
      name: 'wecom-relays',
      visibilityTimeoutSeconds: 6 * 30,
      maxReceiveCount: 8,
      retentionDays: 4,
      consumer: 'function',
    },
    // Departments poll their queue with their own tools; a --peek counts as a receive, hence 10.
    // Cases carry the description and address but no phone (hasContactPhone only); 14 days, as a
    // department closed over the Spring Festival (up to 9 days off) must still find its cases.
    ...unitIds.map(
      (unitId): QueueSpec => ({
        name: unitQueueName(unitId),
        visibilityTimeoutSeconds: 60,
        maxReceiveCount: 10,
        retentionDays: 14,
        consumer: 'external',
      }),
    ),
  ],
  functions: [
    {
      name: 'submit-report',
      entry: 'functions/submit-report.ts',
      description: 'Accepts a resident report (JSON or form post) and queues it for routing',
      timeoutSeconds: 6,
      memoryMb: 1024,
      triggers: [{ kind: 'http', method: 'POST', path: '/api/reports', auth: 'public' }],
      bindings: [
        { kind: 'queue', queue: 'intake', access: 'send', env: 'INTAKE_QUEUE_URL' },
        { kind: 'table', table: 'idempotency', access: 'readWrite', env: 'IDEMPOTENCY_TABLE' },
        // Read only when a browser without JavaScript sends a bad form: the form is re-rendered.
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        // The numbers a contact phone may be, e.g. `+86 1[3-9]XXXXXXXXX` (shared/domain/phone-number.ts);
        // empty: mainland mobiles.
        { kind: 'setting', name: 'acceptedPhoneNumbers', env: 'ACCEPTED_PHONE_NUMBERS', local: '' },
        // A report's photos are checked and moved to its case before it is queued (report-photos.ts);
        // cases/ is read only to tell a retried submission whose photos were already moved.
        {
          kind: 'bucket',
          bucket: 'photos',
          access: [
            { action: 'read', prefix: 'uploads/' },
            { action: 'delete', prefix: 'uploads/' },
            { action: 'write', prefix: 'cases/' },
            { action: 'read', prefix: 'cases/' },
          ],
          env: 'PHOTOS_BUCKET',
        },
      ],
      // The receipt and the re-rendered form of a browser without JavaScript are the resident page.
      pageAssets: ['resident'],
    },
    {
      // The form the browser posts a photo to S3 with; the signature covers uploads/<id>.jpg only.
      name: 'presign-photo-upload',
      entry: 'functions/presign-photo-upload.ts',
      description: 'A presigned S3 form for one resident photo (JPEG, bounded size, uploads/ only)',
      timeoutSeconds: 5,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'POST', path: '/api/photo-uploads', auth: 'public' }],
      bindings: [
        {
          kind: 'bucket',
          bucket: 'photos',
          access: [{ action: 'write', prefix: 'uploads/' }],
          env: 'PHOTOS_BUCKET',
        },
      ],
    },
    {
      // Open311 GeoReport v2: one route per format, as an HTTP API path variable must be a whole
      // segment (the service code and request id carry their format: road.json).
      name: 'open311',
      entry: 'functions/open311.ts',
      description: 'Open311 GeoReport v2: services, partner service requests, public request status',
      timeoutSeconds: 10,
      memoryMb: 1024,
      triggers: [
        ...(['json', 'xml'] as const).flatMap((format): Trigger[] => [
          { kind: 'http', method: 'GET', path: `/open311/v2/discovery.${format}`, auth: 'public' },
          { kind: 'http', method: 'GET', path: `/open311/v2/services.${format}`, auth: 'public' },
          { kind: 'http', method: 'GET', path: `/open311/v2/requests.${format}`, auth: 'public' },
          { kind: 'http', method: 'POST', path: `/open311/v2/requests.${format}`, auth: 'public' },
        ]),
        { kind: 'http', method: 'GET', path: '/open311/v2/services/{file}', auth: 'public' },
        { kind: 'http', method: 'GET', path: '/open311/v2/requests/{file}', auth: 'public' },
      ],
      bindings: [
        // Read: one case per id, the county lanes by submission time (byCounty), never written.
        { kind: 'table', table: 'cases', access: 'read', env: 'CASES_TABLE' },
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        // A partner's request goes where a resident's goes: the ledger, then the intake queue.
        { kind: 'queue', queue: 'intake', access: 'send', env: 'INTAKE_QUEUE_URL' },
        { kind: 'table', table: 'idempotency', access: 'readWrite', env: 'IDEMPOTENCY_TABLE' },
        { kind: 'setting', name: 'acceptedPhoneNumbers', env: 'ACCEPTED_PHONE_NUMBERS', local: '' },
        // Keys are read; the per-minute counters are written.
        { kind: 'table', table: 'partners', access: 'readWrite', env: 'PARTNERS_TABLE' },
        partnerKeyPepper,
        // The public address of /open311/v2 for discovery and page links (the API sees CloudFront's
        // requests with its own host); empty: the host the request reached, right locally.
        { kind: 'setting', name: 'open311EndpointUrl', env: 'OPEN311_ENDPOINT_URL', local: '' },
        // POSTs per minute per partner key; empty: 60.
        {
          kind: 'setting',
          name: 'open311PartnerRequestsPerMinute',
          env: 'OPEN311_PARTNER_REQUESTS_PER_MINUTE',
          local: '',
        },
      ],
    },
    {
      name: 'route-report',
      entry: 'functions/route-report.ts',
      description: 'Creates the case once, finds the responsible unit and dispatches it to that queue',
      timeoutSeconds: ROUTER_TIMEOUT_SECONDS,
      memoryMb: 512,
      triggers: [{ kind: 'queue', queue: 'intake', batchSize: 10, maxBatchingWindowSeconds: 0 }],
      bindings: caseWriteBindings,
      logAlarms: effectAlarms,
    },
    {
      name: 'get-report-status',
      entry: 'functions/get-report-status.ts',
      description: 'Public status of a report by tracking code, without personal data (JSON and page)',
      timeoutSeconds: 5,
      memoryMb: 512,
      triggers: [
        { kind: 'http', method: 'GET', path: '/api/reports/{trackingCode}', auth: 'public' },
        // The same status as a page, for browsers without JavaScript, with the rating form once closed.
        { kind: 'http', method: 'GET', path: '/status', auth: 'public' },
        // A public result photo: a redirect to a fresh presigned URL (report-status.ts).
        { kind: 'http', method: 'GET', path: '/photos/{trackingCode}/{n}', auth: 'public' },
      ],
      bindings: [
        { kind: 'table', table: 'cases', access: 'read', env: 'CASES_TABLE' },
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        // Signs GETs of the public result photos only (cases/<code>/public-after-…, IAM's `*` standing
        // for the tracking code); report-status.ts signs no other key either (isPublicResultPhotoKey).
        {
          kind: 'bucket',
          bucket: 'photos',
          access: [{ action: 'read', prefix: 'cases/*/public-after-' }],
          env: 'PHOTOS_BUCKET',
        },
      ],
      pageAssets: ['resident'],
    },
    {
      name: 'get-catalog',
      entry: 'functions/get-catalog.ts',
      description: 'Categories, communities and units for the report form',
      timeoutSeconds: 5,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'GET', path: '/api/catalog', auth: 'public' }],
      bindings: [{ kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' }],
    },
    {
      // Generated from the zod schemas on the first request and kept in memory; binds nothing.
      name: 'get-openapi',
      entry: 'functions/get-openapi.ts',
      description: 'The OpenAPI 3.1 description of the API, generated from its zod schemas',
      timeoutSeconds: 5,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'GET', path: '/api/openapi.json', auth: 'public' }],
      bindings: [],
    },
    {
      name: 'resident-page',
      entry: 'functions/resident-page.ts',
      description: 'The resident report page, rendered on the server so it works without JavaScript',
      timeoutSeconds: 5,
      memoryMb: 1024,
      triggers: [{ kind: 'http', method: 'GET', path: '/', auth: 'public' }],
      bindings: [
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        // For the page's CSP: the browser posts photos to the bucket.
        photoBucketName,
      ],
      pageAssets: ['resident'],
    },
    {
      name: 'console-page',
      entry: 'functions/console-page.ts',
      description: 'The staff console: an HTML shell without data; it signs in and uses the staff API',
      timeoutSeconds: 5,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'GET', path: '/console', auth: 'public' }],
      // For the page's CSP: case photos are shown from presigned URLs of the bucket.
      bindings: [photoBucketName],
      pageAssets: ['console'],
    },
    {
      name: 'console-assets',
      entry: 'functions/console-assets.ts',
      description: 'Chart.js for the console, served from this origin with long-lived caching',
      timeoutSeconds: 5,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'GET', path: '/console/assets/chart.js', auth: 'public' }],
      bindings: [],
      copyFiles: [{ from: 'node_modules/chart.js/dist/chart.umd.min.js', to: 'chart.umd.min.js' }],
    },
    {
      name: 'sign-in',
      entry: 'functions/sign-in.ts',
      description: 'Signs a member of staff in with username and password; answers with an ID token',
      timeoutSeconds: 6,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'POST', path: '/api/session', auth: 'public' }],
      bindings: [
        { kind: 'userPool', access: 'signIn', env: 'USER_POOL_ID' },
        { kind: 'userPoolClient', env: 'USER_POOL_CLIENT_ID' },
      ],
    },
    {
      name: 'get-case',
      entry: 'functions/get-case.ts',
      description: 'One case in full, with the actions the caller may take now',
      timeoutSeconds: 5,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'GET', path: '/api/cases/{id}', auth: 'staff' }],
      bindings: caseReadBindings,
    },
    {
      name: 'get-case-photos',
      entry: 'functions/get-case-photos.ts',
      description: "A case's photos as short-lived URLs; the working unit's evidence photos attached",
      timeoutSeconds: 6,
      memoryMb: 512,
      triggers: [
        { kind: 'http', method: 'GET', path: '/api/cases/{id}/photos', auth: 'staff' },
        { kind: 'http', method: 'POST', path: '/api/cases/{id}/photos', auth: 'staff' },
      ],
      bindings: [
        // readWrite: a public result photo's key is recorded on the case item (report-photos.ts).
        { kind: 'table', table: 'cases', access: 'readWrite', env: 'CASES_TABLE' },
        ...caseReadBindings.filter((b) => !(b.kind === 'table' && b.table === 'cases')),
        {
          kind: 'bucket',
          bucket: 'photos',
          access: [
            { action: 'read', prefix: 'cases/' },
            { action: 'list', prefix: 'cases/' },
            // An evidence photo is checked and moved from its upload as a resident's (report-photos.ts).
            { action: 'read', prefix: 'uploads/' },
            { action: 'delete', prefix: 'uploads/' },
            { action: 'write', prefix: 'cases/' },
          ],
          env: 'PHOTOS_BUCKET',
        },
      ],
    },
    {
      // After get-case: the local gateway takes the last route that matches, API Gateway the most specific.
      name: 'search-cases',
      entry: 'functions/search-cases.ts',
      description: 'Staff search by tracking code, phone ending or words, inside the caller scope',
      timeoutSeconds: 6,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'GET', path: '/api/cases/search', auth: 'staff' }],
      bindings: [
        { kind: 'table', table: 'cases', access: 'read', env: 'CASES_TABLE' },
        { kind: 'table', table: 'search', access: 'read', env: 'SEARCH_TABLE' },
        cursorSecret,
      ],
    },
    {
      // After get-case, as search-cases: the local gateway takes the last route that matches.
      // The export reads a chunk of up to 3 MB of rows (pages of 100 and their reports in one
      // batch each), hence the longer timeout; a list page takes well under a second.
      name: 'list-cases',
      entry: 'functions/list-cases.ts',
      description: "A page of the caller's cases, or one of the lists; the same as CSV, chunk by chunk",
      timeoutSeconds: 20,
      memoryMb: 512,
      triggers: [
        { kind: 'http', method: 'GET', path: '/api/cases', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/cases/export', auth: 'staff' },
      ],
      bindings: [...caseReadBindings, cursorSecret],
    },
    {
      name: 'transition-case',
      entry: 'functions/transition-case.ts',
      description: 'Moves a case through the closed loop with one conditional write',
      timeoutSeconds: 6,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'POST', path: '/api/cases/{id}/transitions', auth: 'staff' }],
      bindings: caseWriteBindings,
      logAlarms: effectAlarms,
    },
    {
      name: 'get-stats',
      entry: 'functions/get-stats.ts',
      description: 'Counts by stage, unit and community; overdue; time per stage; satisfaction',
      timeoutSeconds: 6,
      memoryMb: 512,
      triggers: [
        { kind: 'http', method: 'GET', path: '/api/stats', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/stats/export', auth: 'staff' },
      ],
      bindings: caseReadBindings,
    },
    {
      // Reads month and day counters only (never a case), and the directory for units and policies.
      name: 'get-assessment',
      entry: 'functions/get-assessment.ts',
      description: 'Unit assessment: on time, returned, reopened, satisfaction, ranking, trend; CSV export',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [
        { kind: 'http', method: 'GET', path: '/api/assessment', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/assessment/export', auth: 'staff' },
      ],
      bindings: [
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        { kind: 'table', table: 'stats', access: 'read', env: 'STATS_TABLE' },
      ],
    },
    {
      name: 'rate-report',
      entry: 'functions/rate-report.ts',
      description: "The reporter's 1-5 rating of a closed case",
      timeoutSeconds: 6,
      memoryMb: 512,
      triggers: [
        { kind: 'http', method: 'POST', path: '/api/reports/{trackingCode}/rating', auth: 'public' },
        // The status page's rating form (urlencoded), answered with a redirect or the form again.
        { kind: 'http', method: 'POST', path: '/rating', auth: 'public' },
      ],
      bindings: caseWriteBindings,
      logAlarms: effectAlarms,
    },
    {
      name: 'sweep-cases',
      entry: 'functions/sweep-cases.ts',
      description: 'Escalates overdue cases, flags unrated ones for a return visit, reruns stranded effects',
      timeoutSeconds: 60,
      memoryMb: 512,
      triggers: [{ kind: 'schedule', everyMinutes: 5 }],
      bindings: caseWriteBindings,
      logAlarms: effectAlarms,
    },
    {
      name: 'administer',
      entry: 'functions/administer.ts',
      description: 'Admin: replace the routing rules, the SLAs and the working calendar',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [
        { kind: 'http', method: 'GET', path: '/api/admin/routing-rules', auth: 'staff' },
        { kind: 'http', method: 'PUT', path: '/api/admin/routing-rules', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/admin/policies', auth: 'staff' },
        { kind: 'http', method: 'PUT', path: '/api/admin/policies', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/admin/keywords', auth: 'staff' },
        { kind: 'http', method: 'PUT', path: '/api/admin/keywords', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/admin/partners', auth: 'staff' },
        { kind: 'http', method: 'POST', path: '/api/admin/partners', auth: 'staff' },
        { kind: 'http', method: 'DELETE', path: '/api/admin/partners/{partnerId}', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/admin/classifier', auth: 'staff' },
        { kind: 'http', method: 'POST', path: '/api/admin/classifier/rollback', auth: 'staff' },
      ],
      bindings: [
        { kind: 'table', table: 'directory', access: 'readWrite', env: 'DIRECTORY_TABLE' },
        // The classifier's versions and the pointer a rollback moves.
        { kind: 'table', table: 'classifier', access: 'readWrite', env: 'CLASSIFIER_TABLE' },
        // Open311 partners: created and revoked here, their keys hashed with the pepper.
        { kind: 'table', table: 'partners', access: 'readWrite', env: 'PARTNERS_TABLE' },
        partnerKeyPepper,
      ],
    },
    {
      name: 'campaigns',
      entry: 'functions/campaigns.ts',
      description: 'Campaign planner API: campaigns, preview, calendar, attendance, fraud-risk ranking',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [
        { kind: 'http', method: 'GET', path: '/api/outreach/risk', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/outreach/tasks', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/campaigns', auth: 'staff' },
        { kind: 'http', method: 'POST', path: '/api/campaigns', auth: 'staff' },
        { kind: 'http', method: 'POST', path: '/api/campaign-previews', auth: 'staff' },
        { kind: 'http', method: 'GET', path: '/api/campaigns/{id}', auth: 'staff' },
        { kind: 'http', method: 'PUT', path: '/api/campaigns/{id}', auth: 'staff' },
        { kind: 'http', method: 'POST', path: '/api/campaigns/{id}/actions', auth: 'staff' },
        { kind: 'http', method: 'POST', path: '/api/campaigns/{id}/runs/{runId}/attendance', auth: 'staff' },
      ],
      bindings: [
        { kind: 'table', table: 'outreach', access: 'readWrite', env: 'OUTREACH_TABLE' },
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        // The fraud-report counters (per community per day) live with the statistics.
        { kind: 'table', table: 'stats', access: 'read', env: 'STATS_TABLE' },
        // The preview's estimate: the registry's per-community counters, never its households.
        { kind: 'table', table: 'households', access: 'read', env: 'HOUSEHOLDS_TABLE' },
        outreachQuietHours,
        outreachCapDays,
        wecomGroupSendsPerMonth,
      ],
    },
    {
      name: 'outreach-tick',
      entry: 'functions/outreach-tick.ts',
      description:
        'Starts due campaign runs once, reminds lecture and screening assignees, resumes deferred batches',
      timeoutSeconds: 60,
      memoryMb: 512,
      triggers: [{ kind: 'schedule', everyMinutes: 1 }],
      bindings: [
        { kind: 'table', table: 'outreach', access: 'readWrite', env: 'OUTREACH_TABLE' },
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        { kind: 'table', table: 'sms', access: 'readWrite', env: 'SMS_TABLE' },
        { kind: 'smsSender', env: 'SMS_ORIGINATION_IDENTITY' },
        { kind: 'queue', queue: 'outreach', access: 'send', env: 'OUTREACH_QUEUE_URL' },
        { kind: 'queue', queue: 'outreach-plan', access: 'send', env: 'OUTREACH_PLAN_QUEUE_URL' },
        // Tomorrow's lecture or screening, told to the communities' grid workers in WeChat Work.
        { kind: 'queue', queue: 'staff-notifications', access: 'send', env: 'STAFF_NOTIFICATIONS_QUEUE_URL' },
      ],
    },
    {
      name: 'plan-outreach',
      entry: 'functions/plan-outreach.ts',
      description: "Reads a run's households page by page into the outreach queue, checkpointing each page",
      timeoutSeconds: PLANNER_TIMEOUT_SECONDS,
      memoryMb: 512,
      triggers: [{ kind: 'queue', queue: 'outreach-plan', batchSize: 1, maxBatchingWindowSeconds: 0 }],
      bindings: [
        { kind: 'table', table: 'outreach', access: 'readWrite', env: 'OUTREACH_TABLE' },
        { kind: 'table', table: 'households', access: 'read', env: 'HOUSEHOLDS_TABLE' },
        { kind: 'queue', queue: 'outreach', access: 'send', env: 'OUTREACH_QUEUE_URL' },
        { kind: 'queue', queue: 'outreach-plan', access: 'send', env: 'OUTREACH_PLAN_QUEUE_URL' },
        // WeChat-group runs: the grids' groups, and the mass-send tasks created with the app's
        // token from the shared cache in the SMS table (functions/wiring/wecom-groups.ts).
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        { kind: 'table', table: 'sms', access: 'readWrite', env: 'SMS_TABLE' },
        // The groups each confirmed mass-send reached, for the statistics by channel.
        { kind: 'table', table: 'stats', access: 'readWrite', env: 'STATS_TABLE' },
        { kind: 'secret', name: 'wecomCorpId', env: 'WECOM_CORP_ID_ARN', value: 'provider' },
        { kind: 'secret', name: 'wecomAppSecret', env: 'WECOM_APP_SECRET_ARN', value: 'provider' },
        { kind: 'setting', name: 'wecomAgentId', env: 'WECOM_AGENT_ID', local: '' },
        { kind: 'setting', name: 'wecomApiBaseUrl', env: 'WECOM_API_BASE_URL', local: '' },
        wecomGroupSendsPerMonth,
      ],
    },
    {
      name: 'send-outreach',
      entry: 'functions/send-outreach.ts',
      description: 'Sends outreach SMS honouring opt-outs, quiet hours, the frequency cap and the send rate',
      timeoutSeconds: SENDER_TIMEOUT_SECONDS,
      memoryMb: 512,
      triggers: [
        // The send rate is shared through the pacer; a few concurrent senders are enough to reach it.
        { kind: 'queue', queue: 'outreach', batchSize: 1, maxBatchingWindowSeconds: 0, maxConcurrency: 4 },
      ],
      bindings: [
        { kind: 'table', table: 'outreach', access: 'readWrite', env: 'OUTREACH_TABLE' },
        { kind: 'table', table: 'households', access: 'read', env: 'HOUSEHOLDS_TABLE' },
        { kind: 'table', table: 'sms', access: 'read', env: 'SMS_TABLE' },
        // The households each batch reached, for the statistics by channel.
        { kind: 'table', table: 'stats', access: 'readWrite', env: 'STATS_TABLE' },
        { kind: 'smsSender', env: 'SMS_ORIGINATION_IDENTITY' },
        outreachQuietHours,
        {
          kind: 'setting',
          name: 'outreachMessagesPerSecond',
          env: 'OUTREACH_MESSAGES_PER_SECOND',
          local: '',
        },
        outreachCapDays,
      ],
    },
    {
      name: 'anonymise-reports',
      entry: 'functions/anonymise-reports.ts',
      description: "Removes reporters' phones, addresses and words from cases done for the retention period",
      timeoutSeconds: 60,
      memoryMb: 512,
      triggers: [{ kind: 'schedule', everyMinutes: 60 }],
      bindings: [
        { kind: 'table', table: 'cases', access: 'readWrite', env: 'CASES_TABLE' },
        // An anonymised report's search postings go with its words and phone.
        { kind: 'table', table: 'search', access: 'readWrite', env: 'SEARCH_TABLE' },
        // And the case's photos (cases/<code>/): listed, then deleted.
        {
          kind: 'bucket',
          bucket: 'photos',
          access: [
            { action: 'list', prefix: 'cases/' },
            { action: 'delete', prefix: 'cases/' },
          ],
          env: 'PHOTOS_BUCKET',
        },
        // Days; empty: 365 (shared/domain/report-retention.ts).
        { kind: 'setting', name: 'reportRetentionDays', env: 'REPORT_RETENTION_DAYS', local: '' },
      ],
      logAlarms: [
        {
          event: 'anonymisation_failed',
          description: 'a case due for anonymisation could not be anonymised (retried every run)',
        },
      ],
    },
    {
      name: 'train-classifier',
      entry: 'functions/train-classifier.ts',
      description:
        "Trains the report classifier on the county's confirmed categories and stores it versioned",
      timeoutSeconds: 300,
      memoryMb: 1024,
      triggers: [{ kind: 'schedule', everyMinutes: 1440 }],
      bindings: [
        // The labelled examples live in the cases table (EXAMPLE#<month>); nothing else is read there.
        { kind: 'table', table: 'cases', access: 'read', env: 'CASES_TABLE' },
        // The keyword table the model is combined with and calibrated against.
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        { kind: 'table', table: 'classifier', access: 'readWrite', env: 'CLASSIFIER_TABLE' },
      ],
    },
    {
      name: 'receive-sms',
      entry: 'functions/receive-sms.ts',
      description: "Answers a resident's text: report, status, rating, opt-out or help",
      timeoutSeconds: 10,
      memoryMb: 1024,
      triggers: [{ kind: 'topic', topic: 'inbound-sms' }],
      bindings: smsReceiveBindings,
      logAlarms: effectAlarms,
    },
    {
      name: 'sms-webhooks',
      entry: 'functions/sms-webhooks.ts',
      description: 'Inbound SMS from Aliyun, Tencent Cloud and Twilio-compatible gateways',
      timeoutSeconds: 10,
      memoryMb: 1024,
      triggers: [
        { kind: 'http', method: 'POST', path: '/api/sms/inbound/aliyun/{secret}', auth: 'public' },
        { kind: 'http', method: 'POST', path: '/api/sms/inbound/tencent/{secret}', auth: 'public' },
        { kind: 'http', method: 'POST', path: '/api/sms/inbound/twilio', auth: 'public' },
      ],
      logAlarms: effectAlarms,
      bindings: [
        ...smsReceiveBindings,
        // The path secret of the Aliyun and Tencent callback URLs.
        { kind: 'secret', name: 'smsGatewaySecret', env: 'SMS_GATEWAY_SECRET_ARN', value: 'generated' },
        { kind: 'setting', name: 'smsAllowlistAliyun', env: 'SMS_ALLOWLIST_ALIYUN', local: '' },
        { kind: 'setting', name: 'smsAllowlistTencent', env: 'SMS_ALLOWLIST_TENCENT', local: '' },
        // Checks X-Twilio-Signature; issued by Twilio, put into the secret by an operator (README).
        { kind: 'secret', name: 'twilioAuthToken', env: 'TWILIO_AUTH_TOKEN_ARN', value: 'provider' },
        { kind: 'setting', name: 'twilioWebhookUrl', env: 'TWILIO_WEBHOOK_URL', local: '' },
      ],
    },
    {
      // The five-level registry (issue 16 item 1): micro-grids and the grids' WeChat groups.
      name: 'grid-registry',
      entry: 'functions/grid-registry.ts',
      description: "Five-level registry: grids' micro-grids and WeChat groups, and their CSV import",
      timeoutSeconds: 29,
      memoryMb: 1024,
      triggers: [
        { kind: 'http', method: 'GET', path: '/api/registry/grids', auth: 'staff' },
        { kind: 'http', method: 'POST', path: '/api/admin/grid-groups/import', auth: 'staff' },
      ],
      bindings: [
        // Grids are items of the directory; an import replaces them one by one.
        { kind: 'table', table: 'directory', access: 'readWrite', env: 'DIRECTORY_TABLE' },
      ],
    },
    {
      name: 'refresh-group-members',
      entry: 'functions/refresh-group-members.ts',
      description: "Reads the grid groups' member counts from WeChat Work, a bounded number an hour",
      timeoutSeconds: 120,
      memoryMb: 512,
      triggers: [{ kind: 'schedule', everyMinutes: 60, localAtStart: true }],
      bindings: [
        { kind: 'table', table: 'directory', access: 'readWrite', env: 'DIRECTORY_TABLE' },
        // The app's shared access token.
        { kind: 'table', table: 'sms', access: 'readWrite', env: 'SMS_TABLE' },
        { kind: 'secret', name: 'wecomCorpId', env: 'WECOM_CORP_ID_ARN', value: 'provider' },
        { kind: 'secret', name: 'wecomAppSecret', env: 'WECOM_APP_SECRET_ARN', value: 'provider' },
        { kind: 'setting', name: 'wecomAgentId', env: 'WECOM_AGENT_ID', local: '' },
        { kind: 'setting', name: 'wecomApiBaseUrl', env: 'WECOM_API_BASE_URL', local: '' },
      ],
    },
    {
      // The civicloop app's callback in WeChat Work (政务微信): a grid worker's appeal, verified,
      // decrypted and queued for intake, the tracking code sent back as an app message (issue 16).
      name: 'wecom-callback',
      entry: 'functions/wecom-callback.ts',
      description: "WeChat Work app callback: URL verification and grid workers' appeals",
      // The platform waits five seconds for the answer.
      timeoutSeconds: 5,
      memoryMb: 1024,
      triggers: [
        { kind: 'http', method: 'GET', path: '/api/wecom/callback', auth: 'public' },
        { kind: 'http', method: 'POST', path: '/api/wecom/callback', auth: 'public' },
      ],
      bindings: [
        { kind: 'table', table: 'cases', access: 'read', env: 'CASES_TABLE' },
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        { kind: 'table', table: 'classifier', access: 'read', env: 'CLASSIFIER_TABLE' },
        // Callbacks taken (replays refused) and the app's shared access token.
        { kind: 'table', table: 'sms', access: 'readWrite', env: 'SMS_TABLE' },
        { kind: 'queue', queue: 'intake', access: 'send', env: 'INTAKE_QUEUE_URL' },
        // A forwarded photo joins the worker's latest appeal and is fetched from this queue.
        { kind: 'queue', queue: 'wecom-photos', access: 'send', env: 'WECOM_PHOTOS_QUEUE_URL' },
        // The resident's phone in an appeal is taken as the web form takes it (its number shapes).
        { kind: 'setting', name: 'acceptedPhoneNumbers', env: 'ACCEPTED_PHONE_NUMBERS', local: '' },
        { kind: 'secret', name: 'trackingCodeSecret', env: 'TRACKING_CODE_SECRET_ARN', value: 'generated' },
        // Issued by WeChat Work (the corp's settings and the app's page); put in by an operator (README).
        { kind: 'secret', name: 'wecomCorpId', env: 'WECOM_CORP_ID_ARN', value: 'provider' },
        { kind: 'secret', name: 'wecomAppSecret', env: 'WECOM_APP_SECRET_ARN', value: 'provider' },
        { kind: 'secret', name: 'wecomCallbackToken', env: 'WECOM_CALLBACK_TOKEN_ARN', value: 'provider' },
        { kind: 'secret', name: 'wecomEncodingAesKey', env: 'WECOM_ENCODING_AES_KEY_ARN', value: 'provider' },
        { kind: 'setting', name: 'wecomAgentId', env: 'WECOM_AGENT_ID', local: '' },
        // The government edition's own API host; empty: https://qyapi.weixin.qq.com. Locally the
        // runtime points it at its WeChat Work simulator.
        { kind: 'setting', name: 'wecomApiBaseUrl', env: 'WECOM_API_BASE_URL', local: '' },
      ],
    },
    {
      // Staff notifications where staff are (issue 16 item 4): WeChat Work app messages with a
      // link into the console, to whoever the directory names at send time.
      name: 'notify-staff',
      entry: 'functions/notify-staff.ts',
      description: 'Tells grid workers and handlers of return visits, escalations and tasks in WeChat Work',
      timeoutSeconds: NOTIFIER_TIMEOUT_SECONDS,
      memoryMb: 512,
      // Few at once: the app's message/send limits are the platform's, shared by every caller.
      triggers: [
        {
          kind: 'queue',
          queue: 'staff-notifications',
          batchSize: 10,
          maxBatchingWindowSeconds: 5,
          maxConcurrency: 2,
        },
      ],
      bindings: [
        // Read at send time: the grids' workers and the units' handlers as they are now.
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        // The ledger of notification keys and the app's shared access token.
        { kind: 'table', table: 'sms', access: 'readWrite', env: 'SMS_TABLE' },
        { kind: 'secret', name: 'wecomCorpId', env: 'WECOM_CORP_ID_ARN', value: 'provider' },
        { kind: 'secret', name: 'wecomAppSecret', env: 'WECOM_APP_SECRET_ARN', value: 'provider' },
        { kind: 'setting', name: 'wecomAgentId', env: 'WECOM_AGENT_ID', local: '' },
        { kind: 'setting', name: 'wecomApiBaseUrl', env: 'WECOM_API_BASE_URL', local: '' },
        // The staff console's address for the messages' links, e.g. https://grid.example.gov.cn/console;
        // empty: the messages go without a link. Locally the runtime sets its own /console.
        { kind: 'setting', name: 'consoleUrl', env: 'CONSOLE_URL', local: '' },
      ],
    },
    {
      // A photo a grid worker forwarded (issue 16 item 3): downloaded (media/get), checked, its
      // metadata stripped, stored as the case's photo; the worker told when it cannot be kept.
      name: 'attach-wecom-photos',
      entry: 'functions/attach-wecom-photos.ts',
      description: "Stores the photos grid workers forward in WeChat Work as their cases' photos",
      timeoutSeconds: 30,
      memoryMb: 512,
      triggers: [
        {
          kind: 'queue',
          queue: 'wecom-photos',
          batchSize: 5,
          maxBatchingWindowSeconds: 0,
          maxConcurrency: 2,
        },
      ],
      bindings: [
        // The app's shared access token.
        { kind: 'table', table: 'sms', access: 'readWrite', env: 'SMS_TABLE' },
        {
          kind: 'bucket',
          bucket: 'photos',
          access: [{ action: 'write', prefix: 'cases/' }],
          env: 'PHOTOS_BUCKET',
        },
        { kind: 'secret', name: 'wecomCorpId', env: 'WECOM_CORP_ID_ARN', value: 'provider' },
        { kind: 'secret', name: 'wecomAppSecret', env: 'WECOM_APP_SECRET_ARN', value: 'provider' },
        { kind: 'setting', name: 'wecomAgentId', env: 'WECOM_AGENT_ID', local: '' },
        { kind: 'setting', name: 'wecomApiBaseUrl', env: 'WECOM_API_BASE_URL', local: '' },
      ],
    },
    {
      // A forwarded appeal's every change told to its grid worker (issue 16 item 3), to relay in
      // the grid's group; the case functions only queue it and hold no WeChat Work secret.
      name: 'relay-to-workers',
      entry: 'functions/relay-to-workers.ts',
      description: "Tells grid workers of their forwarded appeals' status changes in WeChat Work",
      timeoutSeconds: 30,
      memoryMb: 512,
      triggers: [
        {
          kind: 'queue',
          queue: 'wecom-relays',
          batchSize: 10,
          maxBatchingWindowSeconds: 0,
          maxConcurrency: 2,
        },
      ],
      bindings: [
        // The app's shared access token.
        { kind: 'table', table: 'sms', access: 'readWrite', env: 'SMS_TABLE' },
        { kind: 'secret', name: 'wecomCorpId', env: 'WECOM_CORP_ID_ARN', value: 'provider' },
        { kind: 'secret', name: 'wecomAppSecret', env: 'WECOM_APP_SECRET_ARN', value: 'provider' },
        { kind: 'setting', name: 'wecomAgentId', env: 'WECOM_AGENT_ID', local: '' },
        { kind: 'setting', name: 'wecomApiBaseUrl', env: 'WECOM_API_BASE_URL', local: '' },
      ],
    },
  ],
};
