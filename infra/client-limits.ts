/**
 * Per-client limits on the public endpoints: how many requests one client address may make to a
 * group of routes in a trailing window. The one description both runtimes read: in AWS it becomes
 * a WAF rate-based rule per group on the CloudFront distribution in front of the HTTP API
 * (infra/constructs/edge-protection.ts); on a laptop the local gateway counts the same groups per
 * socket address (infra/local/client-limiter.ts). Over the limit the answer is 429 with
 * `Retry-After` and the error envelope below, before any function runs, so nothing is stored.
 *
 * Why these numbers: Pingyao's residents file a few hundred reports a day in all, and many of
 * them share an address (mobile carriers put thousands of phones behind one carrier-grade NAT;
 * government offices leave through one). A limit must therefore sit far above what a whole
 * county behind one address does in five minutes, and still stop one machine from taking the
 * 50 requests/s the API stage allows everyone (infra/stack.ts `apiThrottle`). AWS WAF's smallest
 * limit is 10 and its windows are 1, 2, 5 or 10 minutes.
 *
 * Staff routes are not limited per address: they need a token the JWT authoriser checks first,
 * staff sit behind shared office addresses, and a misbehaving account is disabled, not throttled.
 */
import type { ErrorBody } from '../shared/http/responses.ts';

/** The windows AWS WAF's rate-based rules can count over. */
export type LimitWindowSeconds = 60 | 120 | 300 | 600;

export interface ClientLimit {
  /** Names the WAF rule and its metric: letters, digits and hyphens. */
  name: string;
  /** The routes counted together, as the topology's route keys (`POST /api/reports`). */
  routes: readonly string[];
  /** Requests one client address may make to these routes within the window (WAF minimum: 10). */
  limit: number;
  windowSeconds: LimitWindowSeconds;
}

const FIVE_MINUTES = 300;

export const clientLimits: readonly ClientLimit[] = [
  {
    // A resident files one or two reports; a storm or a flood may bring the county's busiest five
    // minutes to a dozen, rarely all from one address. 20 is above that and caps one machine at
    // 5,760 reports a day (what reaches a phone is further capped per number).
    name: 'intake',
    routes: ['POST /api/reports'],
    limit: 20,
    windowSeconds: FIVE_MINUTES,
  },
  {
    // Up to three photos a report, each its own presigned form: three times the intake's limit.
    // A form only lets its one key be written, at most 4 MB, within ten minutes.
    name: 'photo-uploads',
    routes: ['POST /api/photo-uploads'],
    limit: 60,
    windowSeconds: FIVE_MINUTES,
  },
  {
    // Residents reopen their status page now and then; 100 leaves room for many residents behind
    // one carrier NAT. Tracking codes carry 45 random bits: with a million cases on record, one
    // address guessing at this limit (28,800 a day) finds a case about once in three years, and
    // the status page shows no personal data.
    name: 'report-status',
    // The JSON status, the status page and its result photos' redirects: one count for all three.
    routes: ['GET /api/reports/{trackingCode}', 'GET /status', 'GET /photos/{trackingCode}/{n}'],
    limit: 100,
    windowSeconds: FIVE_MINUTES,
  },
  {
    // A reporter rates a closed case once (again after a reopening); WAF's minimum is plenty.
    name: 'rating',
    // The JSON rating and the status page's rating form: one count for both.
    routes: ['POST /api/reports/{trackingCode}/rating', 'POST /rating'],
    limit: 10,
    windowSeconds: FIVE_MINUTES,
  },
  {
    // A county centre's staff (a few dozen) sign in at the start of a shift through one office
    // address; tokens last an hour. 60 is above that and slows password spraying from one
    // machine to 17,280 tries a day, which Cognito's threat protection then sees per account.
    name: 'sign-in',
    routes: ['POST /api/session'],
    limit: 60,
    windowSeconds: FIVE_MINUTES,
  },
  {
    // Gateways call from a few addresses each. The busiest inbound traffic follows an outreach
    // broadcast (150,000 households at 20 messages/s, each told to reply R to opt out): even 5%
    // replying reach us at about 1/s, 300 per five minutes; 1,000 leaves three times that. Without
    // the path secret or a valid signature a request is refused anyway (403).
    name: 'sms-webhooks',
    routes: [
      'POST /api/sms/inbound/aliyun/{secret}',
      'POST /api/sms/inbound/tencent/{secret}',
      'POST /api/sms/inbound/twilio',
    ],
    limit: 1000,
    windowSeconds: FIVE_MINUTES,
  },
  {
    // WeChat Work calls from its own servers: the county's 2,348 grid workers forward a few
    // thousand appeals a year, and entering the app sends an event. 600 per five minutes is far
    // above that; without a valid msg_signature a request is refused (403) and nothing is stored.
    name: 'wecom-callback',
    routes: ['GET /api/wecom/callback', 'POST /api/wecom/callback'],
    limit: 600,
    windowSeconds: FIVE_MINUTES,
  },
  {
    // Open311 reads: a partner's sync job or a journalist's dashboard polls the request list and
    // the services every few minutes, a page (up to 1,000 requests) at a time; a mobile app's
    // users share carrier NAT addresses. 1,000 per five minutes serves that and keeps one machine
    // to a tenth of the stage's capacity. Nothing personal is ever in these answers.
    name: 'open311-read',
    routes: (['json', 'xml'] as const)
      .flatMap((format) => [
        `GET /open311/v2/discovery.${format}`,
        `GET /open311/v2/services.${format}`,
        `GET /open311/v2/requests.${format}`,
      ])
      .concat(['GET /open311/v2/services/{file}', 'GET /open311/v2/requests/{file}']),
    limit: 1000,
    windowSeconds: FIVE_MINUTES,
  },
  {
    // Open311 POSTs come from registered partner systems (a 12345 hotline vendor forwarding what
    // its operators take), each also held to 60 a minute per key by its own counter (DynamoDB,
    // shared/services/open311.ts). 300 per five minutes per address is that key's rate; a request
    // without a valid key is refused (403) before anything is stored.
    name: 'open311-submit',
    routes: ['POST /open311/v2/requests.json', 'POST /open311/v2/requests.xml'],
    limit: 300,
    windowSeconds: FIVE_MINUTES,
  },
  {
    // The resident page, the catalogue behind its form, the console shell and its chart library,
    // and the API's OpenAPI document: a few requests per visit, nothing stored. 500 serves a
    // hundred visits from one address in five minutes and keeps one machine to a twentieth of the
    // stage's capacity.
    name: 'pages',
    routes: [
      'GET /',
      'GET /api/catalog',
      'GET /console',
      'GET /console/assets/chart.js',
      'GET /api/openapi.json',
    ],
    limit: 500,
    windowSeconds: FIVE_MINUTES,
  },
];

/** The answer over a limit, in the API's error envelope; WAF sends the same bytes. */
export const rateLimitedBody = {
  error: {
    code: 'rate_limited',
    message: 'Too many requests from your address. Please wait a few minutes and try again.',
  },
} as const satisfies ErrorBody;

/** The limit a route is counted against, if any. */
export function limitForRoute(
  routeKey: string,
  limits: readonly ClientLimit[] = clientLimits,
): ClientLimit | undefined {
  return limits.find((limit) => limit.routes.includes(routeKey));
}
