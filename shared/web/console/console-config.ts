/**
 * What the server hands the console's browser app (`civicloopPage.start(config)`): the wording,
 * the stages, the fields of each staff action's form, what each role's console shows, and the
 * rules that place the campaign API's issues next to the form's fields. Both sides import this
 * module: the server renderer (shared/web/console-page.ts) builds the config, the browser code
 * (./browser/) reads it. It holds only types and small pure data, so bundling it into the page
 * brings no zod and nothing of Node.
 */
import type { Stage } from '../../domain/case.ts';
import type { Role } from '../../domain/staff.ts';
import type {
  ActionField,
  CampaignField,
  CampaignIssueHint,
  CampaignWarning,
  ConsoleAction,
  ConsoleLanguage,
  ConsoleText,
} from '../console-text.ts';

export interface ActionFieldSpec {
  name: ActionField;
  required: boolean;
}

/**
 * What each role's console shows: the case tabs (lists, statistics) for everyone with case
 * access, the campaign planner for those who may see campaigns — 'plan' to create, schedule and
 * cancel, 'view' to look only — and the outreach tasks tab for those whose tasks are their own
 * community's (grid workers). This mirrors campaign-lifecycle.ts (mayPlanCampaigns,
 * mayViewCampaigns, taskCommunityOf) and the case API's refusal of outreach staff, which the unit
 * tests hold it to; importing those here would bundle rrule into the page and its function.
 */
export interface ConsoleSections {
  cases: boolean;
  planner: 'plan' | 'view' | 'none';
  tasks: boolean;
}
export const consoleSections = {
  unit_handler: { cases: true, planner: 'none', tasks: false },
  centre_dispatcher: { cases: true, planner: 'none', tasks: false },
  grid_worker: { cases: true, planner: 'none', tasks: true },
  county_supervisor: { cases: true, planner: 'plan', tasks: false },
  admin: { cases: true, planner: 'view', tasks: false },
  outreach_staff: { cases: false, planner: 'plan', tasks: false },
} as const satisfies Record<Role, ConsoleSections>;

/**
 * Who reaches the unit assessment (考核评价): the county centre (supervisors, admins: every row), a
 * unit's handlers (their unit's row and rank) and a township centre's dispatchers (their centre or
 * township). Mirrors the refusal in shared/services/unit-assessment.ts (visibleRows), which the
 * unit tests hold it to; grid workers and outreach staff get a 403 there and no tab here.
 */
export const assessmentAccess = {
  unit_handler: true,
  centre_dispatcher: true,
  grid_worker: false,
  county_supervisor: true,
  admin: true,
  outreach_staff: false,
} as const satisfies Record<Role, boolean>;

/**
 * Who reaches the grid registry (网格台账: grids, micro-grids, WeChat groups): the county
 * (supervisors, admins, the county centre's dispatchers) and the township centres' dispatchers
 * (their own township). Mirrors the refusal in shared/services/grid-registry-view.ts.
 */
export const registryAccess = {
  unit_handler: false,
  centre_dispatcher: true,
  grid_worker: false,
  county_supervisor: true,
  admin: true,
  outreach_staff: false,
} as const satisfies Record<Role, boolean>;

/**
 * Where each campaign-form field sits in the body of POST /api/campaigns (CampaignPlan), so a
 * server issue (`issues[].path`) is shown next to its field. A path names its field when it is
 * the field's path or lies under it (`communityIds.2`, `recurrence.weekdays.0`).
 */
export const campaignFieldPaths: Readonly<Record<CampaignField, string>> = {
  title: 'title',
  communities: 'communityIds',
  firstRunAt: 'firstRunAt',
  frequency: 'recurrence.frequency',
  interval: 'recurrence.interval',
  weekdays: 'recurrence.weekdays',
  monthDay: 'recurrence.monthDay',
  count: 'recurrence.count',
  until: 'recurrence.until',
  kind: 'channel.kind',
  signature: 'channel.signature',
  body: 'channel.body',
  venue: 'channel.venue',
  duration: 'channel.durationMinutes',
  assigneeRole: 'channel.assignee.role',
  assigneeName: 'channel.assignee.name',
  assigneePhone: 'channel.assignee.phone',
  purpose: 'channel.purpose',
  groupText: 'channel.text',
};

/** Issues about a whole group (it is missing altogether) are shown at the group's first field. */
export const campaignGroupFields: Readonly<Record<string, CampaignField>> = {
  recurrence: 'frequency',
  channel: 'kind',
  'channel.assignee': 'assigneeName',
};

export interface CampaignIssueRule {
  field: CampaignField;
  /** A phrase of the domain's own (English) message that identifies the rule broken. */
  contains: string;
  hint: CampaignIssueHint;
}

/**
 * Server issues the form words more precisely than its field's general rule: the domain's
 * messages are English, the console speaks the user's language, so the page recognises which rule
 * a message is about (the unit tests feed the real schemas and lifecycle through these).
 */
export const campaignIssueRules: readonly CampaignIssueRule[] = [
  { field: 'body', contains: '12381', hint: 'antiFraudNumber' },
  { field: 'signature', contains: '12381', hint: 'antiFraudNumber' },
  { field: 'body', contains: 'links', hint: 'link' },
  { field: 'body', contains: 'opt-out', hint: 'optOut' },
  { field: 'body', contains: '【】', hint: 'brackets' },
  { field: 'signature', contains: '【】', hint: 'brackets' },
  { field: 'firstRunAt', contains: 'quiet hours', hint: 'quietHours' },
  { field: 'firstRunAt', contains: 'in the past', hint: 'pastFirstRun' },
  { field: 'firstRunAt', contains: 'no occurrence is left', hint: 'noOccurrenceLeft' },
  { field: 'weekdays', contains: 'include the weekday', hint: 'weekdayMismatch' },
  { field: 'firstRunAt', contains: 'last day of a month', hint: 'lastDayMismatch' },
  { field: 'count', contains: 'not both', hint: 'countAndUntil' },
];

export interface CampaignWarningRule {
  /** A phrase of the preview's own (English) warning. */
  contains: string;
  warning: CampaignWarning;
}

/** Preview warnings (POST /api/campaign-previews) the page words itself; a number in them is the day. */
export const campaignWarningRules: readonly CampaignWarningRule[] = [
  { contains: 'months without a day', warning: 'skippedMonths' },
  { contains: 'no occurrence is left', warning: 'noOccurrence' },
  { contains: 'at their monthly limit', warning: 'groupsAtLimit' },
  { contains: 'no WeChat group registered', warning: 'gridsWithoutGroup' },
];

/** The rules that place and word the campaign API's issues, as the config carries them. */
export interface CampaignRules {
  campaignFieldPaths: Readonly<Record<CampaignField, string>>;
  campaignGroupFields: Readonly<Record<string, CampaignField>>;
  campaignIssueRules: readonly CampaignIssueRule[];
  campaignWarningRules: readonly CampaignWarningRule[];
}

export const campaignRules: CampaignRules = {
  campaignFieldPaths,
  campaignGroupFields,
  campaignIssueRules,
  campaignWarningRules,
};

export interface ConsoleConfig extends CampaignRules {
  t: ConsoleText;
  lang: ConsoleLanguage;
  /** Where the Chart.js UMD build is served; the statistics load it on first use. */
  chartSrc: string;
  stages: readonly Stage[];
  openStages: readonly Stage[];
  actionFields: Record<ConsoleAction, ActionFieldSpec[]>;
  sections: Record<Role, ConsoleSections>;
  /** Who sees the unit assessment's tab (assessmentAccess). */
  assessment: Record<Role, boolean>;
  /** Who sees the grid registry's tab (registryAccess). */
  registry: Record<Role, boolean>;
}

const isCampaignField = (rules: CampaignRules, key: string): key is CampaignField =>
  Object.keys(rules.campaignFieldPaths).indexOf(key) >= 0;

/** The form field a server issue's path belongs to; undefined for the body as a whole. */
export function campaignFieldOf(
  path: string,
  rules: CampaignRules = campaignRules,
): CampaignField | undefined {
  const group =
    Object.keys(rules.campaignGroupFields).indexOf(path) >= 0 ? rules.campaignGroupFields[path] : undefined;
  if (group) return group;
  let found: CampaignField | undefined;
  let length = -1;
  for (const [field, fieldPath] of Object.entries(rules.campaignFieldPaths)) {
    if (!isCampaignField(rules, field)) continue;
    if ((path === fieldPath || path.startsWith(`${fieldPath}.`)) && fieldPath.length > length) {
      found = field;
      length = fieldPath.length;
    }
  }
  return found;
}

/** The precise wording for an issue on a field, when the rule it breaks is one the page knows. */
export const campaignIssueHintOf = (
  field: CampaignField,
  message: string,
  rules: CampaignRules = campaignRules,
): CampaignIssueHint | undefined =>
  rules.campaignIssueRules.find((rule) => rule.field === field && message.includes(rule.contains))?.hint;

/** The page's own wording for a preview warning, when it recognises it. */
export const campaignWarningOf = (
  warning: string,
  rules: CampaignRules = campaignRules,
): CampaignWarning | undefined =>
  rules.campaignWarningRules.find((rule) => warning.includes(rule.contains))?.warning;
