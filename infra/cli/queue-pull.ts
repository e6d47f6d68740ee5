/**
 * `queue pull --unit <unitId>`: the reference department consumer. Long-polls the unit's queue,
 * prints each routed case or escalation notice (a line of text, or one JSON object per line with
 * --json) and deletes
 * what it printed — unless --peek, which makes the messages visible again at once.
 */
import {
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

/** Returns how many cases were printed. */
export async function queuePull(target: Target, options: QueuePullOptions, io: Output): Promise<number> {
  const queueUrl = target.queueUrl(unitQueueName(options.unitId));
  if (!queueUrl) throw new TargetError(`unit ${options.unitId} has no queue in the ${target.description}`);
  const deadline = Date.now() + options.waitSeconds * 1000;
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const seen = new Set<string>();
  let printed = 0;
  while (printed < max) {
    const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    const { Messages = [] } = await target.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: Math.min(20, remaining),
        VisibilityTimeout: options.peek ? 5 : 30,
      }),
    );
    if (Messages.length === 0) {
      if (Date.now() >= deadline) break;
      continue;
    }
    const handled: { Id: string; ReceiptHandle: string }[] = [];
    let fresh = 0;
    for (const message of Messages) {
      const c = parseCase(message);
      if (!c) {
        io.err(`skipping message ${message.MessageId ?? '?'}: not a routed case (left on the queue)`);
        continue;
      }
      // At-least-once delivery: the same message may arrive twice; print it once per run.
      const key = `${c.kind}:${c.trackingCode}:${c.version}`;
      if (!seen.has(key) && printed < max) {
        seen.add(key);
        io.out(options.json ? JSON.stringify(c) : summary(c));
        printed++;
        fresh++;
      }
      handled.push({ Id: message.MessageId ?? '', ReceiptHandle: message.ReceiptHandle ?? '' });
    }
    if (handled.length > 0) {
      await target.sqs.send(
        options.peek
          ? new ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrl,
              Entries: handled.map((h) => ({ ...h, VisibilityTimeout: 0 })),
            })
          : new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: handled }),
      );
    }
    // Peeked messages come straight back; a receive with nothing new means we have seen them all.
    if (options.peek && fresh === 0) break;
  }
  return printed;
}
