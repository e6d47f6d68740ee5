/**
 * What the campaign planner's use cases share: their dependencies, who may plan, look at campaigns
 * or see outreach tasks, and reading campaigns (one, or all of them a page at a time).
 */
import type { Organisation } from '../../domain/organisation.ts';
import type { Campaign, CampaignPlan } from '../../domain/outreach/campaign.ts';
import {
  mayPlanCampaigns,
  mayViewCampaigns,
  mayViewOutreachTasks,
} from '../../domain/outreach/campaign-lifecycle.ts';
import type { QuietHours } from '../../domain/outreach/quiet-hours.ts';
import { occurrencesBetween } from '../../domain/outreach/recurrence.ts';
import type { Staff } from '../../domain/staff.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { DirectoryReader } from '../../ports/directory.ts';
import type { FraudReportReader } from '../../ports/fraud-reports.ts';
import type { CampaignStore } from '../../ports/outreach.ts';
import type { GroupSendsDeps } from './group-sends.ts';
import type { OutreachEstimateDeps } from './outreach-estimate.ts';

export interface CampaignApiDeps extends OutreachEstimateDeps {
  campaigns: CampaignStore;
  directory: DirectoryReader;
  fraudReports: FraudReportReader;
  quietHours: QuietHours;
  /** WeChat-group campaigns: the groups' monthly slots (preview) and runs' groups (view). */
  groupSends?: GroupSendsDeps;
  newId: () => string;
  now: () => Date;
}

const UPCOMING = 10;
const LISTED_CAMPAIGNS = 100;

export function requirePlanner(staff: Staff): void {
  if (!mayPlanCampaigns(staff))
    throw new ForbiddenError('Only outreach staff and the county supervisor may plan or cancel campaigns.');
}
export function requireViewer(staff: Staff): void {
  if (!mayViewCampaigns(staff)) throw new ForbiddenError('The campaign planner is for outreach staff.');
}

export function checkCommunities(plan: CampaignPlan, org: Organisation): void {
  const known = new Set(org.communities.map((c) => c.id));
  const issues = plan.communityIds.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `communityIds.${i}`, message: `no community ${id}` }],
  );
  if (issues.length) throw new ValidationError('Some communities do not exist', issues);
}

export const householdsOf = (communityIds: string[], org: Organisation): number =>
  communityIds.reduce((sum, id) => sum + (org.communities.find((c) => c.id === id)?.households ?? 0), 0);

export function upcomingOf(
  campaign: Pick<Campaign, 'firstRunAt' | 'recurrence'>,
  from: Date,
  limit = UPCOMING,
): string[] {
  const horizon = new Date(from.getTime() + 3 * 366 * 86_400_000);
  return occurrencesBetween(campaign.firstRunAt, campaign.recurrence, from, horizon, limit).map((d) =>
    d.toISOString(),
  );
}

export async function loadCampaign(campaignId: string, deps: CampaignApiDeps): Promise<Campaign> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${campaignId}`);
  return campaign;
}

export function requireTaskViewer(staff: Staff): void {
  if (!mayViewOutreachTasks(staff))
    throw new ForbiddenError('Outreach tasks are for grid workers and outreach staff.');
}

export async function listAllCampaigns(deps: CampaignApiDeps): Promise<Campaign[]> {
  const all: Campaign[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.list(LISTED_CAMPAIGNS, cursor);
    all.push(...page.campaigns);
    cursor = page.cursor;
  } while (cursor && all.length < 2000);
  return all;
}
