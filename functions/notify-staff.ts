/**
 * Staff notifier queue consumer (issue 16 item 4): each notification — a return visit, an
 * overdue and escalated case, tomorrow's lecture or screening — goes to the grid workers or
 * handlers the directory names now, as one WeChat Work app message with a link into the console
 * (shared/services/notify-staff.ts). A failed send is reported back and redelivered; a key
 * already sent is not sent again.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { StaffNotification } from '../shared/domain/staff-notification.ts';
import { createLogger } from '../shared/logger.ts';
import { queueEdge } from '../shared/queue/queue-edge.ts';
import { type NotifyStaffDeps, notifyStaff } from '../shared/services/notify-staff.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { notifyStaffServices } from './wiring/staff-notifications.ts';

export interface NotifyStaffHandlerDeps extends NotifyStaffDeps {
  logger: Logger;
}

export const makeHandler = (deps: NotifyStaffHandlerDeps) =>
  queueEdge({
    logger: deps.logger,
    message: { schema: StaffNotification, what: 'The staff notification' },
    // The key names a case or a run by its code or ids: nothing personal.
    identify: (notification) => ({ about: notification.about, key: notification.key }),
    handle: async (notification) => ({ ...(await notifyStaff(notification, deps)) }),
    log: {
      handled: 'staff notification',
      failed: { message: 'staff notification will be retried', level: 'warn' },
    },
  });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('notify-staff'), ...notifyStaffServices() }),
);
