/**
 * What the campaign planner's views share: Asia/Shanghai dates and times (the county's fixed
 * UTC+08:00, whatever zone the browser is in), campaign wording, and the placing of the campaign
 * API's issues next to the form's fields.
 */
import type { CampaignStatus } from '../../../../domain/outreach/campaign.ts';
import type { Weekday } from '../../../../domain/outreach/recurrence.ts';
import type {
  EstimateSourceSummary,
  OutreachEstimate,
} from '../../../../services/campaigns/outreach-estimate.ts';
import type { CampaignField } from '../../../console-text.ts';
import { campaignFieldOf, campaignIssueHintOf, campaignWarningOf } from '../../console-config.ts';
import type { ApiIssue } from '../api.ts';
import { communityName } from '../api.ts';
import { C, FMT_LOCALE, P, T } from '../context.ts';
import { el, fill, lookup, number, when } from '../dom.ts';
import { hasKey } from '../guards.ts';
import { clearCalendar } from './calendar.ts';
import { clearCampaignForm } from './campaign-form.ts';
import { clearCampaignView } from './campaign-view.ts';
import { clearRisk } from './risk.ts';

/** Where an SMS estimate comes from: the registry, the directory, or both. */
export const estimateSourceText = (source: EstimateSourceSummary | undefined): string =>
  source ? lookup(P.estimateSources, source) || source : '—';

/** An SMS estimate per community: the registry's counts behind it, or the directory's household count. */
export const estimateLines = (estimate: OutreachEstimate | undefined): HTMLLIElement[] =>
  (estimate?.communities ?? []).map((c) => {
    const values = { name: communityName(c.communityId), n: number(c.households) };
    return el('li', {
      'data-community': c.communityId,
      'data-source': c.source,
      text:
        c.source === 'registry'
          ? fill(P.estimateRegistry, {
              ...values,
              registered: number(c.registered),
              optedOut: number(c.optedOut),
              capped: number(c.capped),
            })
          : fill(P.estimateDirectory, values),
    });
  });

const SHANGHAI_MS = 8 * 3600000;
const DAY_MS = 86400000;
/** Monday first, as the calendar's columns and the planner's wording list them. */
export const WEEKDAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const JS_WEEKDAYS: readonly Weekday[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

const weekdayAt = (ms: number): Weekday => JS_WEEKDAYS[new Date(ms).getUTCDay()] ?? 'MO';

// Asia/Shanghai is a fixed UTC+08:00, so its wall clock is the UTC fields of the instant + 8 h,
// whatever zone the browser is in.
export function shanghai(at: string): { date: string; time: string; weekday: Weekday } {
  const ms = Date.parse(at) + SHANGHAI_MS;
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), weekday: weekdayAt(ms) };
}
export const todayShanghai = (): string => shanghai(new Date().toISOString()).date;
export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
export const weekdayOf = (day: string): Weekday => weekdayAt(Date.parse(`${day}T00:00:00Z`));
export const mondayIndex = (day: string): number => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
export function dateText(day: string | undefined): string {
  if (!day) return '—';
  try {
    return new Date(`${day}T00:00:00Z`).toLocaleDateString(FMT_LOCALE, {
      timeZone: 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  } catch {
    return day;
  }
}
export const dayOf = (at: string | undefined): string => (at ? dateText(shanghai(at).date) : '—');
export const withWeekday = (at: string): string => `${when(at)} ${P.weekdays[shanghai(at).weekday]}`;
/** A plan's 'YYYY-MM-DDTHH:MM', which is Shanghai wall-clock time, shown like every other time. */
export const localText = (local: string | undefined): string =>
  local ? when(new Date(Date.parse(`${local}:00Z`) - SHANGHAI_MS).toISOString()) : '—';
export function communityList(ids: readonly string[] | undefined, max: number): string {
  const names = (ids || []).map(communityName);
  return names.length > max
    ? fill(P.communitiesMore, { names: names.slice(0, max).join(T.listSeparator), n: names.length })
    : names.join(T.listSeparator);
}
export const statusBadge = (status: CampaignStatus, id?: string): HTMLSpanElement =>
  el('span', {
    className: `badge cs-${status}`,
    id,
    'data-status': status,
    text: P.statuses[status] || status,
  });
export const campaignHref = (id: string): string => `#/campaign/${encodeURIComponent(id)}`;
export const rateText = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : Number(x).toFixed(3);
export const signedText = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : (x > 0 ? '+' : '') + Number(x).toFixed(3);
export const kindName = (kind: string): string => lookup(P.kinds, kind) || kind;

/** Every campaign-form field, in the form's order. */
export const CAMPAIGN_FIELDS = (): CampaignField[] =>
  Object.keys(C.campaignFieldPaths).filter(isCampaignField);
export const isCampaignField = (f: string): f is CampaignField => hasKey(C.campaignFieldPaths, f);

/** The page's own words for an issue: the precise rule when recognised, else the field's rule. */
function issueText(field: CampaignField, message: string): string {
  const hint = campaignIssueHintOf(field, message, C);
  return hint ? P.issueHints[hint] : P.fieldErrors[field];
}
export interface SortedIssues {
  byField: Partial<Record<CampaignField, string[]>>;
  /** The fields with issues, in the form's order. */
  fields: CampaignField[];
  /** Issues no field is for. */
  unplaced: string[];
}
export function sortIssues(issues: readonly ApiIssue[]): SortedIssues {
  const byField: Partial<Record<CampaignField, string[]>> = {};
  const unplaced: string[] = [];
  for (const i of issues) {
    const f = campaignFieldOf(i.path, C);
    if (!f) {
      unplaced.push(i.message);
      continue;
    }
    const text = issueText(f, i.message);
    const texts = byField[f] ?? [];
    byField[f] = texts;
    if (texts.indexOf(text) < 0) texts.push(text);
  }
  return { byField, fields: CAMPAIGN_FIELDS().filter((f) => byField[f]), unplaced };
}
export function warningText(w: string): string {
  const warning = campaignWarningOf(w, C);
  if (!warning) return w;
  const day = /[0-9]+/.exec(w);
  return fill(P.warnings[warning], { day: day ? day[0] : '' });
}

/** Nothing of the planner stays in the page after sign-out. */
export function clearPlanner(): void {
  clearRisk();
  clearCalendar();
  clearCampaignView();
  clearCampaignForm();
}
