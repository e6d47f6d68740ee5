/**
 * The sweeper's part of the SMS conversation: a report held for the resident's answer to
 * "请回复您所在的社区或村" that nobody answered by its due time (place-answer-wait.ts) goes on to
 * triage, exactly as an answer that places nothing would send it — unplaced, to the county
 * centre — with the reporter's phone, so the case's first update texts them its tracking code and
 * later updates follow. Never lost, never twice:
 *
 * - due reports are read from a sparse index (only held, not yet forwarded items carry its keys),
 *   soonest first, page by page within a budget; never a scan;
 * - the sweep decides with one conditional write (`waiting` → `timed_out`): an answer recorded
 *   first wins and the sweep leaves that report to it, and an answer coming after finds the
 *   report decided (receive-sms.ts answers it with the code);
 * - the decided report is routed as the intake consumer routes it (one case per tracking code),
 *   then recorded as forwarded, which takes it out of the index. A sweep that dies in between
 *   leaves it in the index, decided, and the next sweep routes it again to the same case; so is
 *   an answered report whose answering delivery died before sending it on.
 */
import { heldRefOf, type PendingSmsReports } from '../ports/pending-sms-reports.ts';
import { type RouteReportDeps, routeReport } from './route-report.ts';

export interface ForwardHeldSmsReportsDeps extends RouteReportDeps {
  pendingReports: Pick<PendingSmsReports, 'duePage' | 'timeOut' | 'markForwarded'>;
}

export interface HeldReportSweep {
  /** Tracking codes of held reports sent on unanswered by this sweep. */
  timedOut: string[];
  /** Tracking codes routed and recorded forwarded by this sweep (timed out, or left decided). */
  forwarded: string[];
  failed: { trackingCode: string; error: string }[];
  /** True when the budget ran out with due reports left (the next sweep carries on). */
  unfinished: boolean;
}

export interface HeldReportBudget {
  pageSize: number;
  /** At most this many held reports per sweep. */
  maxReports: number;
}

/** A few a day are expected; the bound keeps a backlog from crowding out the sweeper's other work. */
export const defaultHeldReportBudget: HeldReportBudget = { pageSize: 25, maxReports: 200 };

export async function forwardHeldSmsReports(
  deps: ForwardHeldSmsReportsDeps,
  budget: HeldReportBudget = defaultHeldReportBudget,
): Promise<HeldReportSweep> {
  const sweep: HeldReportSweep = { timedOut: [], forwarded: [], failed: [], unfinished: false };
  const now = deps.now();
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.pendingReports.duePage(
      now,
      Math.min(budget.pageSize, budget.maxReports - seen),
      cursor,
    );
    for (const phoneKey of page.unreadable) {
      sweep.failed.push({ trackingCode: `held-sms:${phoneKey.slice(0, 8)}`, error: 'UnreadableHeldReport' });
    }
    for (const { phoneKey, report } of page.due) {
      try {
        const ref = heldRefOf(report);
        let decided = report.stage === 'answered' || report.stage === 'timed_out' ? report : undefined;
        if (report.stage === 'waiting') {
          // The decision: nobody answered in time. Lost when an answer was recorded first.
          decided = await deps.pendingReports.timeOut(phoneKey, ref, now);
          if (decided) sweep.timedOut.push(report.trackingCode);
        }
        if (!decided) continue;
        await routeReport(decided.message, deps);
        // False when the answer's own delivery recorded it first: routed all the same, once.
        if (await deps.pendingReports.markForwarded(phoneKey, ref)) sweep.forwarded.push(report.trackingCode);
      } catch (error) {
        sweep.failed.push({
          trackingCode: report.trackingCode,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
    seen += page.due.length + page.unreadable.length;
    cursor = page.cursor;
  } while (cursor !== undefined && seen < budget.maxReports);
  sweep.unfinished = cursor !== undefined;
  return sweep;
}
