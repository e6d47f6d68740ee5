/**
 * `queue pull --unit <unitId>`: the reference department consumer. Long-polls the unit's queue,
 * prints each routed case or escalation notice (a line of text, or one JSON object per line with
 * --json) and deletes exactly what it printed. With --peek it deletes nothing: it keeps what it
 * receives hidden until it has seen everything (so each receive brings new messages), then makes
 * all of it visible again at once. Plain SQS calls; the local runtime's endpoint supplies SQS's
 * behaviour where the emulator differs.
 */
import {
  type BatchResultErrorEntry,
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { UnitQueueMessage } from '../../shared/domain/case.ts';
import { formatTrackingCode } from '../../shared/domain/tracking-code.ts';
import { unitQueueName } from '../topology.ts';
import type { Target } from './targets.ts';
import { TargetError } from './targets.ts';

export interface QueuePullOptions {
  unitId: string;
  waitSeconds: number;
  peek: boolean;
  json: boolean;
  max?: number;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const parseCase = (message: Message): UnitQueueMessage | undefined => {
  try {
    const parsed = UnitQueueMessage.safeParse(JSON.parse(message.Body ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const summary = (m: UnitQueueMessage) =>
  m.kind === 'case.dispatched'
    ? [
        formatTrackingCode(m.trackingCode),
        m.category.padEnd(13),
        m.communityId.padEnd(26),
        m.reason.padEnd(10),
        m.dispatchedAt,
        JSON.stringify(m.description.length > 60 ? `${m.description.slice(0, 59)}…` : m.description),
      ].join('  ')
    : [
        formatTrackingCode(m.trackingCode),
        'ESCALATED'.padEnd(13),
        m.unitId.padEnd(26),
        m.reason,
        m.escalatedAt,
      ].join('  ');

/** Longer than any peek runs, so nothing it has seen comes back before it lets everything go. */
const peekVisibilitySeconds = (waitSeconds: number) => Math.min(43_200, Math.ceil(waitSeconds) + 60);

interface Handle {
  messageId: string;
  receiptHandle: string;
}

/** Runs a batch call ten entries at a time; returns the handles SQS did not accept, with why. */
async function inBatches(
  handles: readonly Handle[],
  send: (entries: { Id: string; ReceiptHandle: string }[]) => Promise<{ Failed?: BatchResultErrorEntry[] }>,
): Promise<{ handle: Handle; code: string }[]> {
  const failures: { handle: Handle; code: string }[] = [];
  for (let i = 0; i < handles.length; i += 10) {
    const chunk = handles.slice(i, i + 10);
    const { Failed = [] } = await send(
      chunk.map((h, n) => ({ Id: String(n), ReceiptHandle: h.receiptHandle })),
    );
    for (const failure of Failed) {
      const handle = chunk[Number(failure.Id)];
      if (handle) failures.push({ handle, code: failure.Code ?? 'unknown' });
    }
  }
  return failures;
}

/** Returns how many cases were printed. */
export async function queuePull(target: Target, options: QueuePullOptions, io: Output): Promise<number> {
  const queueUrl = target.queueUrl(unitQueueName(options.unitId));
  if (!queueUrl) throw new TargetError(`unit ${options.unitId} has no queue in the ${target.description}`);
  const deadline = Date.now() + options.waitSeconds * 1000;
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const seen = new Set<string>();
  // --peek: every message received, by id, with its latest receipt handle, to let go at the end.
  const held = new Map<string, string>();
  let printed = 0;
  try {
    while (printed < max) {
      const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      const { Messages = [] } = await target.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          // Never more than is left to print, so a pull has nothing in hand it will not print.
          MaxNumberOfMessages: Math.min(10, max - printed),
          WaitTimeSeconds: Math.min(20, remaining),
          VisibilityTimeout: options.peek ? peekVisibilitySeconds(options.waitSeconds) : 30,
        }),
      );
      if (Messages.length === 0) {
        if (Date.now() >= deadline) break;
        continue;
      }
      const printedNow: Handle[] = [];
      for (const message of Messages) {
        const handle = { messageId: message.MessageId ?? '', receiptHandle: message.ReceiptHandle ?? '' };
        if (options.peek) held.set(handle.messageId, handle.receiptHandle);
        const c = parseCase(message);
        if (!c) {
          io.err(`skipping message ${handle.messageId || '?'}: not a routed case (left on the queue)`);
          continue;
        }
        // At-least-once delivery: the same message may arrive twice; print it once per run (a
        // second copy of what was printed is deleted with it).
        const key = `${c.kind}:${c.trackingCode}:${c.version}`;
        if (!seen.has(key)) {
          if (printed >= max) continue;
          seen.add(key);
          io.out(options.json ? JSON.stringify(c) : summary(c));
          printed++;
        }
        printedNow.push(handle);
      }
      if (!options.peek && printedNow.length > 0) {
        const failures = await inBatches(printedNow, (Entries) =>
          target.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries })),
        );
        for (const { handle, code } of failures) {
          io.err(`could not delete message ${handle.messageId} (${code}): it will be delivered again`);
        }
      }
    }
  } finally {
    if (held.size > 0) {
      const handles = [...held].map(([messageId, receiptHandle]) => ({ messageId, receiptHandle }));
      const failures = await inBatches(handles, (Entries) =>
        target.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: Entries.map((e) => ({ ...e, VisibilityTimeout: 0 })),
          }),
        ),
      );
      for (const { handle, code } of failures) {
        io.err(
          `message ${handle.messageId} stays hidden until its visibility timeout ends (${code}); it is not lost`,
        );
      }
    }
  }
  return printed;
}
