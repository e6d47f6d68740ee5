/**
 * Reads the grids' WeChat groups' member counts from the platform (externalcontact/groupchat/get)
 * into the registry, a bounded number per run: every hour, the groups never counted come first
 * (a fresh import's are counted within the hour), then those counted longest ago, and a group is
 * counted again once its count is older than `staleAfterMs` (20 hours: each group about daily, the
 * county's 2,348 spread over the day's runs). Calls go one at a time with a gap between them, and
 * the client waits out the platform's frequency limits (45009) a few times; when the platform is
 * still busy, or cannot be reached, the run stops where it is and the next run carries on. A chat
 * the platform does not know is reported (its grid id and errcode, never a name) and tried again
 * the next day. Each count is one conditional write, kept only while the grid's group is still the
 * chat that was read.
 */
import type { Grid } from '../domain/organisation.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { GridRegistryWriter } from '../ports/grid-registry.ts';
import type { WecomGroupChats } from '../ports/wecom.ts';

export interface RefreshGroupMembersDeps {
  directory: DirectoryReader;
  grids: Pick<GridRegistryWriter, 'recordMemberCount'>;
  groupChats: WecomGroupChats;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** The invocation's time left (ms); the run stops before it runs out. */
  remainingMs?: () => number;
}

export interface RefreshGroupMembersOptions {
  /** Groups read per run at most. */
  maxGroups?: number;
  staleAfterMs?: number;
  /** Pause between two platform calls. */
  gapMs?: number;
}

export interface RefreshGroupMembersReport {
  /** Groups whose count was missing or stale. */
  due: number;
  refreshed: number;
  /** Groups an import replaced while they were read: their count was not written. */
  replaced: number;
  /** Chats the platform refused, by grid. */
  failed: { gridId: string; errcode: number }[];
  /** Why the run stopped before its due groups were done, if it did. */
  stopped?: 'platform_busy' | 'unreachable' | 'out_of_time';
}

export const GROUPS_PER_RUN = 300;
export const STALE_AFTER_MS = 20 * 3_600_000;
const GAP_MS = 100;
/** Left for writing and logging when the invocation's time is nearly up. */
const TIME_MARGIN_MS = 10_000;
/** The platform's "over the frequency limit" and "busy" codes, once the client gave up waiting. */
const PLATFORM_BUSY = new Set([45009, 45033, -1]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const errcodeOf = (error: unknown): number | undefined =>
  error instanceof Error && 'errcode' in error && typeof error.errcode === 'number'
    ? error.errcode
    : undefined;

/** The groups to read this run: never counted first, then the oldest count, at most `max`. */
export function groupsDue(
  grids: readonly Grid[],
  now: Date,
  staleAfterMs: number,
): { gridId: string; chatId: string; countedAt: string }[] {
  const cutoff = now.getTime() - staleAfterMs;
  return grids
    .flatMap((g) =>
      g.group && (g.group.memberCountAt === undefined || Date.parse(g.group.memberCountAt) <= cutoff)
        ? [{ gridId: g.id, chatId: g.group.chatId, countedAt: g.group.memberCountAt ?? '' }]
        : [],
    )
    .sort((a, b) =>
      a.countedAt < b.countedAt ? -1 : a.countedAt > b.countedAt ? 1 : a.gridId < b.gridId ? -1 : 1,
    );
}

export async function refreshGroupMembers(
  deps: RefreshGroupMembersDeps,
  options: RefreshGroupMembersOptions = {},
): Promise<RefreshGroupMembersReport> {
  const sleep = deps.sleep ?? defaultSleep;
  const org = await deps.directory.load();
  const due = groupsDue(org.grids, deps.now(), options.staleAfterMs ?? STALE_AFTER_MS);
  const report: RefreshGroupMembersReport = { due: due.length, refreshed: 0, replaced: 0, failed: [] };
  const batch = due.slice(0, options.maxGroups ?? GROUPS_PER_RUN);
  for (const [i, { gridId, chatId }] of batch.entries()) {
    if (deps.remainingMs && deps.remainingMs() < TIME_MARGIN_MS) {
      report.stopped = 'out_of_time';
      break;
    }
    if (i > 0) await sleep(options.gapMs ?? GAP_MS);
    let memberCount: number;
    try {
      memberCount = (await deps.groupChats.groupChat(chatId)).memberCount;
    } catch (error) {
      const errcode = errcodeOf(error);
      if (errcode === undefined) {
        report.stopped = 'unreachable';
        break;
      }
      if (PLATFORM_BUSY.has(errcode)) {
        report.stopped = 'platform_busy';
        break;
      }
      report.failed.push({ gridId, errcode });
      continue;
    }
    if (await deps.grids.recordMemberCount(gridId, chatId, memberCount, deps.now())) report.refreshed++;
    else report.replaced++;
  }
  return report;
}
