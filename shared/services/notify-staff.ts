/**
 * The staff notifier (issue 16 item 4): one notification off its queue becomes one WeChat Work
 * app message — a text card linking into the console — to whoever the directory names *now*:
 * the grid workers of the case's or task's communities, the unit's handlers and the county
 * centre's. Resolving at send time is the point: a worker who left the grid, or a handler taken
 * off the unit's list, is not told about work that is no longer theirs.
 *
 * At least once, and once: the notification's key is claimed in the ledger (a conditional write)
 * before the send and marked sent after it; a repeated sweep or a redelivered message finds it
 * sent and does nothing; a failed send releases the claim and throws, so the queue redelivers it
 * (the platform's rate limits are backed off inside the client first). Recipients go at most
 * 1,000 to a call, as message/send allows.
 */
import type { Organisation } from '../domain/organisation.ts';
import {
  recipientBatches,
  recipientsOf,
  renderStaffCard,
  type StaffNotification,
} from '../domain/staff-notification.ts';
import { DependencyError } from '../errors.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { StaffNotificationLedger } from '../ports/staff-notifications.ts';
import type { WecomCardMessenger } from '../ports/wecom.ts';

export interface NotifyStaffDeps {
  directory: DirectoryReader;
  ledger: StaffNotificationLedger;
  messenger: WecomCardMessenger;
  /** The console's address (https://…/console); without it the message goes without a link. */
  consoleUrl: string | undefined;
  now: () => Date;
}

/** Longer than one send with the client's back-off (4 tries, ~2 s) and its token refresh. */
const LEASE_MS = 60_000;
/** Longer than the queue keeps a message: no redelivery can outlive the key's memory. */
const REMEMBER_MS = 15 * 86_400_000;

export type NotifyOutcome =
  | { outcome: 'sent'; recipients: number; invalid: number; calls: number }
  | { outcome: 'no_recipients' }
  | { outcome: 'already_sent' };

/** Thrown while another delivery of the same key is sending it: the queue tries again later. */
export class NotificationInFlightError extends DependencyError {}

export async function notifyStaff(
  notification: StaffNotification,
  deps: NotifyStaffDeps,
): Promise<NotifyOutcome> {
  const org: Organisation = await deps.directory.load();
  const recipients = recipientsOf(notification, org);
  if (recipients.length === 0) return { outcome: 'no_recipients' };

  const now = deps.now();
  const forgetAt = new Date(now.getTime() + REMEMBER_MS);
  const claim = await deps.ledger.claim(notification.key, now, new Date(now.getTime() + LEASE_MS), forgetAt);
  if (claim.kind === 'sent') return { outcome: 'already_sent' };
  if (claim.kind === 'busy')
    throw new NotificationInFlightError('another delivery of this staff notification is sending it');

  const card = renderStaffCard(notification, org, deps.consoleUrl);
  let invalid = 0;
  let calls = 0;
  try {
    for (const batch of recipientBatches(recipients)) {
      const answer = await deps.messenger.sendCard(batch, card);
      invalid += answer.invalidUsers.length;
      calls++;
    }
  } catch (error) {
    await deps.ledger.release(notification.key);
    throw error;
  }
  await deps.ledger.markSent(notification.key, { recipients: recipients.length, invalid }, forgetAt);
  return { outcome: 'sent', recipients: recipients.length, invalid, calls };
}
