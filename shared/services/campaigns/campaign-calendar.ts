/** The planner's list of campaigns and the calendar of their occurrences. */
import type { Campaign, CampaignStatus } from '../../domain/outreach/campaign.ts';
import { occurrencesBetween } from '../../domain/outreach/recurrence.ts';
import { addDays, fromShanghaiLocal, shanghaiDay } from '../../domain/outreach/shanghai-time.ts';
import type { Staff } from '../../domain/staff.ts';
import { LocalDate } from '../../domain/working-calendar.ts';
import { ValidationError } from '../../errors.ts';
import * as z from '../../schema.ts';
import { parseOrThrow } from '../../validation.ts';
import { type CampaignApiDeps, listAllCampaigns, requireViewer } from './planner-context.ts';

export interface CalendarEntry {
  campaignId: string;
  title: string;
  kind: Campaign['channel']['kind'];
  status: CampaignStatus;
  at: string;
  communityIds: string[];
}

export const ListQuery = z.object({
  from: z.optional(LocalDate),
  to: z.optional(LocalDate),
  status: z.optional(z.enum(['draft', 'scheduled', 'running', 'completed', 'cancelled'])),
});

/** Campaigns, newest first, and the calendar of their occurrences from `from` to `to` (default: 6 weeks). */
export async function listCampaigns(staff: Staff, rawQuery: unknown, deps: CampaignApiDeps) {
  requireViewer(staff);
  const query = parseOrThrow(ListQuery, rawQuery ?? {}, 'The query');
  const today = shanghaiDay(deps.now());
  const from = query.from ?? addDays(today, -7);
  const to = query.to ?? addDays(from, 42);
  if (to < from)
    throw new ValidationError('The range ends before it starts', [
      { path: 'to', message: 'on or after from' },
    ]);
  const start = fromShanghaiLocal(`${from}T00:00`);
  const end = fromShanghaiLocal(`${addDays(to, 1)}T00:00`);
  const all = await listAllCampaigns(deps);
  const campaigns = query.status ? all.filter((c) => c.status === query.status) : all;
  const calendar: CalendarEntry[] = campaigns
    .filter((c) => c.status !== 'draft' && c.status !== 'cancelled')
    .flatMap((c) =>
      occurrencesBetween(c.firstRunAt, c.recurrence, start, end, 200).map((at) => ({
        campaignId: c.campaignId,
        title: c.title,
        kind: c.channel.kind,
        status: c.status,
        at: at.toISOString(),
        communityIds: c.communityIds,
      })),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
  return { from, to, campaigns, calendar };
}
