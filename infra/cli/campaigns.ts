/**
 * `campaign create|list|cancel`: anti-fraud outreach campaigns from the command line. The CLI is a
 * client of the staff HTTP API, not of the tables, because the API enforces who may plan or cancel
 * (outreach staff and the county supervisor) and what a plan may say; it signs in as `--user` or
 * CIVICLOOP_USERNAME with the password in CIVICLOOP_PASSWORD. Times are shown in Asia/Shanghai.
 * Exit codes: 0 done, 1 the API refused or failed (its message and each field issue printed),
 * 2 bad usage (usage text printed).
 */
import { shanghaiLocal } from '../../shared/domain/outreach/shanghai-time.ts';
import * as z from '../../shared/schema.ts';
import { ApiError, credentialsFrom, type StaffApi, signIn } from './api-client.ts';
import { readInputFile } from './input-file.ts';
import type { Output } from './queue-pull.ts';
import { resolveApiUrl } from './targets.ts';

export const campaignUsage = `       npm run cli -- campaign create --title <title> --communities <id,id,…> --at <YYYY-MM-DDTHH:MM>
           [--kind sms|lecture|video] (default sms)
           sms:             --signature <name> --body <text>
           lecture, video:  --venue <place> --assignee-role police_officer|grid_worker
                            --assignee-name <name> --assignee-phone <phone> [--duration <minutes>]
           [--repeat once|weekly|monthly] [--interval <n>] [--count <n> | --until <YYYY-MM-DD>]
           [--weekdays MO,TH] (weekly) [--month-day same_day|last_day] (monthly)
           [--schedule] [--json]
       npm run cli -- campaign create --file <plan.json> [--schedule] [--json]
       npm run cli -- campaign list [--status draft|scheduled|running|completed|cancelled] [--json]
       npm run cli -- campaign cancel <campaignId> [--json]
  campaign commands sign in to the staff API as --user <name> or $CIVICLOOP_USERNAME, with the
  password in $CIVICLOOP_PASSWORD (never a flag); --at is Asia/Shanghai local time`;

/** The campaign commands' options, for main's parseArgs. */
export const campaignOptions = {
  title: { type: 'string' },
  communities: { type: 'string' },
  at: { type: 'string' },
  kind: { type: 'string' },
  signature: { type: 'string' },
  body: { type: 'string' },
  repeat: { type: 'string' },
  weekdays: { type: 'string' },
  interval: { type: 'string' },
  count: { type: 'string' },
  until: { type: 'string' },
  'month-day': { type: 'string' },
  venue: { type: 'string' },
  'assignee-role': { type: 'string' },
  'assignee-name': { type: 'string' },
  'assignee-phone': { type: 'string' },
  duration: { type: 'string' },
  schedule: { type: 'boolean' },
  file: { type: 'string' },
  status: { type: 'string' },
  user: { type: 'string' },
} as const;

type CampaignOptionName = keyof typeof campaignOptions;

export type CampaignFlags = {
  [K in CampaignOptionName]?:
    | ((typeof campaignOptions)[K]['type'] extends 'boolean' ? boolean : string)
    | undefined;
} & { json?: boolean | undefined; outputs?: string | undefined };

const PLAN_OPTIONS = [
  'title',
  'communities',
  'at',
  'kind',
  'signature',
  'body',
  'repeat',
  'weekdays',
  'interval',
  'count',
  'until',
  'month-day',
  'venue',
  'assignee-role',
  'assignee-name',
  'assignee-phone',
  'duration',
] as const satisfies readonly CampaignOptionName[];

const ALL_OPTIONS = [
  ...PLAN_OPTIONS,
  'schedule',
  'file',
  'status',
  'user',
] as const satisfies readonly CampaignOptionName[];

/** Which campaign options each command takes (--json, --outputs and --user go with all of them). */
const OPTIONS_OF: Record<string, readonly CampaignOptionName[]> = {
  create: [...PLAN_OPTIONS, 'schedule', 'file', 'user'],
  list: ['status', 'user'],
  cancel: ['user'],
};

class UsageError extends Error {
  override name = 'UsageError';
}

// ─── the API's answers, as much of them as the CLI shows ─────────────────────────────────────────

const CampaignSummary = z.object({
  campaignId: z.string(),
  status: z.string(),
  version: z.number(),
  title: z.string(),
  communityIds: z.array(z.string()),
  firstRunAt: z.string(),
  channel: z.object({
    kind: z.string(),
    purpose: z.optional(z.string()),
    venue: z.optional(z.string()),
    durationMinutes: z.optional(z.number()),
    assignee: z.optional(z.object({ role: z.string(), name: z.string() })),
  }),
  nextRunAt: z.optional(z.string()),
  lastRunAt: z.optional(z.string()),
});
type CampaignSummary = z.infer<typeof CampaignSummary>;

const SmsPreview = z.object({
  text: z.string(),
  characters: z.number(),
  encoding: z.string(),
  parts: z.number(),
  estimatedMessages: z.number(),
  estimatedParts: z.number(),
});

const CampaignView = z.object({
  campaign: CampaignSummary,
  upcoming: z.array(z.string()),
  households: z.number(),
  preview: z.optional(SmsPreview),
});

const PlanPreview = z.object({ upcoming: z.array(z.string()), warnings: z.array(z.string()) });

const CampaignList = z.object({ campaigns: z.array(CampaignSummary) });

const JsonObject = z.record(z.string(), z.unknown());

function parseAnswer<S extends z.core.$ZodType>(schema: S, answer: unknown, what: string): z.infer<S> {
  const result = z.safeParse(schema, answer);
  if (!result.success) throw new ApiError(200, 'bad_response', `unexpected answer to ${what}`);
  return result.data;
}

// ─── formatting ─────────────────────────────────────────────────────────────────────────────────

const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** An ISO instant as Asia/Shanghai wall-clock time, e.g. `2026-12-01 09:00 Tue`. */
function localTime(iso: string | undefined, withWeekday = false): string {
  if (!iso) return '—';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const local = shanghaiLocal(instant);
  return `${local.date} ${local.time}${withWeekday ? ` ${WEEKDAY_NAMES[local.weekday]}` : ''}`;
}

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** Terminal columns of a string: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      code >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

function truncate(text: string, maxWidth: number): string {
  if (displayWidth(text) <= maxWidth) return text;
  let out = '';
  for (const char of text) {
    if (displayWidth(`${out}${char}…`) > maxWidth) break;
    out += char;
  }
  return `${out}…`;
}

const padEnd = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : padEnd(cell, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function channelLine(campaign: CampaignSummary, households: number): string {
  const { channel } = campaign;
  const reach = `${plural(campaign.communityIds.length, 'community', 'communities')}, ${plural(households, 'household')}`;
  if (channel.kind === 'sms') return `sms to ${reach}`;
  if (channel.kind === 'wecom_group')
    return `wecom_group ${channel.purpose ?? '?'} to the grids' groups of ${reach}`;
  const who = channel.assignee ? `, led by ${channel.assignee.name} (${channel.assignee.role})` : '';
  const minutes = channel.durationMinutes === undefined ? '' : `, ${channel.durationMinutes} min`;
  return `${channel.kind} at ${channel.venue ?? '?'}${minutes}${who}, for ${reach}`;
}

function printApiError(error: ApiError, doing: string, api: StaffApi | undefined, io: Output): void {
  const who = api && (error.status === 401 || error.status === 403) ? ` (signed in as ${api.username})` : '';
  io.err(`${doing}: ${error.message}${who}`);
  for (const issue of error.issues) io.err(`  ${issue.path || '(body)'}: ${issue.message}`);
  if (error.code === 'version_conflict') io.err('  it changed while the command ran; run the command again');
}

// ─── reading the plan from the flags ────────────────────────────────────────────────────────────

function required(value: string | undefined, flag: string, hint = ''): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required${hint}`);
  return value;
}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} must be a whole number`);
  return Number(value);
}

const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function refuseFlags(flags: CampaignFlags, names: readonly CampaignOptionName[], reason: string): void {
  const given = names.filter((name) => flags[name] !== undefined);
  if (given.length) throw new UsageError(`${given.map((n) => `--${n}`).join(', ')} ${reason}`);
}

function recurrenceFrom(flags: CampaignFlags): Record<string, unknown> {
  const frequency = flags.repeat ?? 'once';
  if (frequency === 'once') {
    refuseFlags(
      flags,
      ['interval', 'count', 'until', 'weekdays', 'month-day'],
      'need --repeat weekly or --repeat monthly',
    );
    return { frequency };
  }
  if (frequency !== 'weekly' && frequency !== 'monthly')
    throw new UsageError(`--repeat must be once, weekly or monthly, not ${frequency}`);
  if (flags.count !== undefined && flags.until !== undefined)
    throw new UsageError('give --count or --until, not both');
  if (frequency === 'weekly') refuseFlags(flags, ['month-day'], 'needs --repeat monthly');
  else refuseFlags(flags, ['weekdays'], 'needs --repeat weekly');
  const interval = wholeNumber(flags.interval, '--interval');
  const runs = wholeNumber(flags.count, '--count');
  return {
    frequency,
    ...(interval === undefined ? {} : { interval }),
    ...(runs === undefined ? {} : { count: runs }),
    ...(flags.until === undefined ? {} : { until: flags.until }),
    ...(flags.weekdays === undefined ? {} : { weekdays: commaList(flags.weekdays.toUpperCase()) }),
    ...(flags['month-day'] === undefined ? {} : { monthDay: flags['month-day'] }),
  };
}

function channelFrom(flags: CampaignFlags): Record<string, unknown> {
  const kind = flags.kind ?? 'sms';
  const taskFlags = ['venue', 'assignee-role', 'assignee-name', 'assignee-phone', 'duration'] as const;
  if (kind === 'sms') {
    refuseFlags(flags, taskFlags, 'are for --kind lecture or video');
    return {
      kind,
      signature: required(flags.signature, '--signature', ' for an SMS campaign (e.g. 平遥反诈)'),
      body: required(flags.body, '--body', ' for an SMS campaign'),
    };
  }
  if (kind !== 'lecture' && kind !== 'video')
    throw new UsageError(
      `--kind must be sms, lecture or video, not ${kind} (a WeChat-group campaign is created with --file)`,
    );
  refuseFlags(flags, ['signature', 'body'], 'are for --kind sms');
  const durationMinutes = wholeNumber(flags.duration, '--duration');
  return {
    kind,
    venue: required(flags.venue, '--venue', ` for a ${kind}`),
    ...(durationMinutes === undefined ? {} : { durationMinutes }),
    assignee: {
      role: required(flags['assignee-role'], '--assignee-role', ' (police_officer or grid_worker)'),
      name: required(flags['assignee-name'], '--assignee-name'),
      phone: required(flags['assignee-phone'], '--assignee-phone'),
    },
  };
}

function planFromFlags(flags: CampaignFlags): Record<string, unknown> {
  const communityIds = commaList(
    required(flags.communities, '--communities', ' (community ids, comma-separated)'),
  );
  if (communityIds.length === 0) throw new UsageError('--communities needs at least one community id');
  return {
    title: required(flags.title, '--title'),
    communityIds,
    firstRunAt: required(flags.at, '--at', ' (the first run, YYYY-MM-DDTHH:MM in Asia/Shanghai)'),
    recurrence: recurrenceFrom(flags),
    channel: channelFrom(flags),
  };
}

/** A whole CampaignPlan from a JSON file; undefined (after saying why) when it cannot be read. */
async function planFromFile(file: string, io: Output): Promise<Record<string, unknown> | undefined> {
  const text = await readInputFile(file, io);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    io.err(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const plan = JsonObject.safeParse(json);
  if (!plan.success) {
    io.err(`${file} must hold one JSON object, a campaign plan`);
    return undefined;
  }
  return plan.data;
}

// ─── the commands ───────────────────────────────────────────────────────────────────────────────

async function create(api: StaffApi, plan: Record<string, unknown>, flags: CampaignFlags, io: Output) {
  const body = flags.schedule ? { ...plan, schedule: true } : plan;
  const answer = await api.post('/api/campaigns', body);
  if (flags.json) {
    io.out(JSON.stringify(answer, null, 2));
    return;
  }
  const view = parseAnswer(CampaignView, answer, 'the new campaign');
  const { campaign } = view;
  // The preview adds the planner's warnings, and a draft's runs (the campaign has none until scheduled).
  let preview: z.infer<typeof PlanPreview> | undefined;
  try {
    preview = parseAnswer(PlanPreview, await api.post('/api/campaign-previews', plan), 'the preview');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    io.err(`(no preview: ${error.message})`);
  }
  io.out('campaign created');
  io.out(`  id:         ${campaign.campaignId}`);
  io.out(`  status:     ${campaign.status} (version ${campaign.version})`);
  io.out(`  title:      ${campaign.title}`);
  io.out(`  channel:    ${channelLine(campaign, view.households)}`);
  if (view.preview) {
    const sms = view.preview;
    io.out(
      `  SMS:        ${plural(sms.parts, 'part')} per message (${plural(sms.characters, 'character')}, ${sms.encoding})`,
    );
    io.out(
      `  estimated:  ${plural(sms.estimatedMessages, 'message')}, ${plural(sms.estimatedParts, 'part')}`,
    );
    io.out(`  text:       ${sms.text}`);
  }
  const scheduled = campaign.status !== 'draft';
  const upcoming = scheduled ? view.upcoming : (preview?.upcoming ?? []);
  if (upcoming.length) {
    io.out(
      scheduled
        ? '  next runs (Asia/Shanghai):'
        : '  runs once scheduled (Asia/Shanghai; a draft does not run — create with --schedule):',
    );
    for (const at of upcoming) io.out(`    ${localTime(at, true)}`);
  } else {
    io.out('  next runs:  none left after now');
  }
  for (const warning of preview?.warnings ?? []) io.err(`warning: ${warning}`);
}

async function list(api: StaffApi, flags: CampaignFlags, io: Output) {
  const query = flags.status === undefined ? '' : `?status=${encodeURIComponent(flags.status)}`;
  const answer = await api.get(`/api/campaigns${query}`);
  if (flags.json) {
    io.out(JSON.stringify(answer, null, 2));
    return;
  }
  const { campaigns } = parseAnswer(CampaignList, answer, 'the campaign list');
  if (campaigns.length) {
    const rows = campaigns.map((c) => [
      c.campaignId,
      c.status,
      c.channel.kind,
      truncate(c.title, 32),
      String(c.communityIds.length),
      localTime(c.nextRunAt),
      localTime(c.lastRunAt),
    ]);
    for (const line of table(
      ['ID', 'STATUS', 'KIND', 'TITLE', 'COMMUNITIES', 'NEXT RUN (Shanghai)', 'LAST RUN'],
      rows,
    ))
      io.out(line);
  }
  io.err(`${plural(campaigns.length, 'campaign')}${flags.status ? ` ${flags.status}` : ''}`);
}

async function cancel(api: StaffApi, campaignId: string, flags: CampaignFlags, io: Output) {
  const path = `/api/campaigns/${encodeURIComponent(campaignId)}`;
  const current = parseAnswer(CampaignView, await api.get(path), 'the campaign').campaign;
  const answer = await api.post(`${path}/actions`, { action: 'cancel', expectedVersion: current.version });
  if (flags.json) {
    io.out(JSON.stringify(answer, null, 2));
    return;
  }
  const { campaign } = parseAnswer(CampaignView, answer, 'the cancellation');
  io.out(
    `campaign ${campaign.campaignId} (${campaign.title}): ${current.status} → ${campaign.status} (version ${campaign.version})`,
  );
}

/** Runs `campaign <command> …`; returns the exit code. */
export async function campaignCommand(
  command: string | undefined,
  args: string[],
  flags: CampaignFlags,
  env: Record<string, string | undefined>,
  io: Output,
): Promise<number> {
  let api: StaffApi | undefined;
  const doing =
    command === 'create'
      ? 'could not create the campaign'
      : command === 'list'
        ? 'could not list campaigns'
        : `could not cancel campaign ${args[0] ?? ''}`;
  try {
    const allowed = command === undefined ? undefined : OPTIONS_OF[command];
    if (!allowed) throw new UsageError(`unknown campaign command ${command ?? '(none)'}`);
    const notHere = ALL_OPTIONS.filter((name) => !allowed.includes(name));
    refuseFlags(flags, notHere, `cannot be used with campaign ${command}`);
    if (args.length > (command === 'cancel' ? 1 : 0))
      throw new UsageError(`unexpected argument ${args.slice(command === 'cancel' ? 1 : 0).join(' ')}`);

    let plan: Record<string, unknown> | undefined;
    if (command === 'create') {
      if (flags.file !== undefined) {
        refuseFlags(flags, PLAN_OPTIONS, 'cannot be combined with --file (the file holds the whole plan)');
        plan = await planFromFile(flags.file, io);
        if (!plan) return 1;
      } else {
        plan = planFromFlags(flags);
      }
    }
    const campaignId = command === 'cancel' ? required(args[0], '<campaignId>') : '';

    const credentials = credentialsFrom(env, flags.user);
    if (!credentials) {
      io.err(
        'campaign commands sign in to the staff API: set CIVICLOOP_USERNAME (or pass --user) and CIVICLOOP_PASSWORD',
      );
      return 2;
    }
    const apiUrl = resolveApiUrl(flags.outputs);
    try {
      api = await signIn(apiUrl, credentials);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      printApiError(error, `sign-in as ${credentials.username} failed`, undefined, io);
      return 1;
    }
    if (plan) await create(api, plan, flags, io);
    else if (command === 'list') await list(api, flags, io);
    else await cancel(api, campaignId, flags, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      io.err(`usage: ${campaignUsage.trimStart()}`);
      return 2;
    }
    if (error instanceof ApiError) {
      printApiError(error, doing, api, io);
      return 1;
    }
    throw error;
  }
}
