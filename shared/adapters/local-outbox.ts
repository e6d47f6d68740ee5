/**
 * SmsSender for the local runtime: nothing leaves the laptop; every message is kept in memory
 * with its part count, where the phone simulator shows it as the phone's conversation. One
 * outbox per process (`localOutbox()`), because the runtime and the handler modules it hosts are
 * separate composition roots that must see the same messages.
 */
import { randomUUID } from 'node:crypto';
import { smsParts } from '../domain/sms/sms-parts.ts';
import type { OutboundSms, SentSms, SmsSender } from '../ports/sms-sender.ts';

export interface OutboxEntry extends OutboundSms, SentSms {
  sentAt: string;
}

export interface LocalOutboxOptions {
  now?: () => Date;
  newId?: () => string;
  /** Oldest entries are dropped beyond this, so a long-running runtime does not grow forever. */
  capacity?: number;
  /** Where entries are kept; `localOutbox()` passes the process-wide list. */
  entries?: OutboxEntry[];
}

export class LocalOutbox implements SmsSender {
  readonly #entries: OutboxEntry[];
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #capacity: number;

  constructor(options: LocalOutboxOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? (() => `local-${randomUUID()}`);
    this.#capacity = options.capacity ?? 5000;
    this.#entries = options.entries ?? [];
  }

  async send(message: OutboundSms): Promise<SentSms> {
    const { encoding, parts } = smsParts(message.body);
    const sent: SentSms = { providerMessageId: this.#newId(), encoding, parts };
    this.#entries.push({ ...message, ...sent, sentAt: this.#now().toISOString() });
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
    return sent;
  }

  /** Everything sent, oldest first; only what went to `to` when given. Copies, not the store. */
  messages(to?: string): OutboxEntry[] {
    return this.#entries.filter((e) => to === undefined || e.to === to).map((e) => ({ ...e }));
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

// The list lives on globalThis rather than in a module variable: a handler module loaded through
// another module graph (vitest's, or a different URL) gets its own copy of this module, and
// must still write where the runtime's simulator reads.
const OUTBOX_KEY = Symbol.for('civicloop.localOutbox');

/** An outbox over the process's one list of sent messages. */
export function localOutbox(options: Omit<LocalOutboxOptions, 'entries'> = {}): LocalOutbox {
  const existing: unknown = Reflect.get(globalThis, OUTBOX_KEY);
  const entries: OutboxEntry[] = Array.isArray(existing) ? existing : [];
  if (entries !== existing) Reflect.set(globalThis, OUTBOX_KEY, entries);
  return new LocalOutbox({ ...options, entries });
}
