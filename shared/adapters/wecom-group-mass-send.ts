/**
 * WeChat Work's enterprise mass-send to customer groups (企业群发 → 客户群), the platform calls
 * outreach to the grids' groups makes: `externalcontact/add_msg_template` (chat_type `group`, one
 * task per owner, `chat_id_list` naming the owner's groups), `get_groupmsg_task` (has the owner
 * sent it), `get_groupmsg_send_result` (per group), `remind_groupmsg_send` and
 * `cancel_groupmsg_send` (a cancelled campaign's unsent tasks). The app's token is
 * WecomApiClient's, from the one shared cache; a refused token (40014, 42001) is refreshed once
 * and the call retried once, and the platform's rate limits (45009, 45033, -1) are waited out
 * with a growing pause, a bounded number of times — as wecom-api.ts does for app messages.
 */
import { DependencyError } from '../errors.ts';
import type { CreatedGroupTask, GroupMassSender } from '../ports/group-mass-send.ts';
import * as z from '../schema.ts';
import { RATE_LIMIT_ERRORS, TOKEN_ERRORS, WecomApiError } from './wecom-api.ts';

const CALL_TIMEOUT_MS = 3_000;
/** get_groupmsg_send_result pages at most 1,000 results. */
const RESULT_PAGE = 1000;

const ApiAnswer = z.object({ errcode: z._default(z.int(), 0), errmsg: z._default(z.string(), '') });
const AddAnswer = z.extend(ApiAnswer, {
  msgid: z.optional(z.string()),
  fail_list: z.optional(z.array(z.string())),
});
const TaskAnswer = z.extend(ApiAnswer, {
  next_cursor: z.optional(z.string()),
  task_list: z.optional(
    z.array(z.object({ userid: z.string(), status: z.int(), send_time: z.optional(z.number()) })),
  ),
});
const ResultAnswer = z.extend(ApiAnswer, {
  next_cursor: z.optional(z.string()),
  send_list: z.optional(
    z.array(
      z.object({
        chat_id: z.optional(z.string()),
        userid: z.optional(z.string()),
        status: z.int(),
        send_time: z.optional(z.number()),
      }),
    ),
  ),
});
type Answer = z.infer<typeof ApiAnswer>;

export interface WecomGroupMassSendOptions {
  baseUrl: string;
  /** The shared token cache (WecomApiClient.accessToken). */
  tokens: { accessToken(notThis?: string): Promise<string> };
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Tries of a rate-limited call, the first included. Default 6: a county-wide run meets the limit. */
  rateLimitTries?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WecomGroupMassSendApi implements GroupMassSender {
  readonly #o: WecomGroupMassSendOptions;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: WecomGroupMassSendOptions) {
    this.#o = options;
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? defaultSleep;
  }

  async #post(path: string, token: string, body: unknown): Promise<unknown> {
    const url = new URL(`${this.#o.baseUrl.replace(/\/$/, '')}/cgi-bin/externalcontact/${path}`);
    url.searchParams.set('access_token', token);
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json; charset=utf-8' },
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DependencyError(`WeChat Work ${path} could not be reached`, {
        cause: error instanceof Error ? new Error(error.name) : undefined,
      });
    }
    if (!response.ok) throw new DependencyError(`WeChat Work ${path} answered HTTP ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new DependencyError(`WeChat Work ${path} answered something other than JSON`);
    }
  }

  /** One call with the shared token, rate limits waited out, a refused token renewed once. */
  async #call<S extends z.core.$ZodType<Answer>>(
    path: string,
    schema: S,
    body: unknown,
  ): Promise<z.infer<S>> {
    const tries = this.#o.rateLimitTries ?? 6;
    const once = async (token: string): Promise<z.infer<S>> => {
      for (let attempt = 1; ; attempt++) {
        const parsed = z.safeParse(schema, await this.#post(path, token, body));
        if (!parsed.success) throw new DependencyError(`WeChat Work ${path} answered an unexpected shape`);
        if (!RATE_LIMIT_ERRORS.has(parsed.data.errcode) || attempt >= tries) return parsed.data;
        await this.#sleep(250 * 2 ** (attempt - 1) * (1 + Math.random() / 2));
      }
    };
    const token = await this.#o.tokens.accessToken();
    const answer = await once(token);
    const final = TOKEN_ERRORS.has(answer.errcode)
      ? await once(await this.#o.tokens.accessToken(token))
      : answer;
    if (final.errcode !== 0) throw new WecomApiError(path, final.errcode, final.errmsg);
    return final;
  }

  async createGroupTask(sender: string, chatIds: string[], text: string): Promise<CreatedGroupTask> {
    let answer: z.infer<typeof AddAnswer>;
    try {
      answer = await this.#call('add_msg_template', AddAnswer, {
        chat_type: 'group',
        sender,
        // The owner's groups, chosen for them (clients 4.1.10 and later); `allow_select` false
        // keeps the owner from adding groups the campaign did not target.
        chat_id_list: chatIds,
        allow_select: false,
        text: { content: text },
      });
    } catch (error) {
      // An errcode is an answer: the task was not created. Anything else leaves it unknown.
      if (!(error instanceof WecomApiError)) throw error;
      const retryable = RATE_LIMIT_ERRORS.has(error.errcode) || TOKEN_ERRORS.has(error.errcode);
      return { kind: retryable ? 'busy' : 'refused', errcode: error.errcode };
    }
    if (!answer.msgid) throw new DependencyError('WeChat Work add_msg_template answered without a msgid');
    return { kind: 'created', msgid: answer.msgid, failed: answer.fail_list ?? [] };
  }

  async taskSent(msgid: string, owner: string): Promise<{ sent: boolean; sendTime?: number }> {
    let cursor: string | undefined;
    do {
      const answer = await this.#call('get_groupmsg_task', TaskAnswer, {
        msgid,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      const mine = answer.task_list?.find((t) => t.userid === owner);
      // 2: sent. 0: not yet (the owner has not confirmed).
      if (mine) return { sent: mine.status === 2, ...(mine.send_time ? { sendTime: mine.send_time } : {}) };
      cursor = answer.next_cursor || undefined;
    } while (cursor);
    return { sent: false };
  }

  async sendResults(msgid: string, owner: string): Promise<{ chatId: string; status: number }[]> {
    const results: { chatId: string; status: number }[] = [];
    let cursor: string | undefined;
    do {
      const answer = await this.#call('get_groupmsg_send_result', ResultAnswer, {
        msgid,
        userid: owner,
        limit: RESULT_PAGE,
        ...(cursor ? { cursor } : {}),
      });
      for (const r of answer.send_list ?? [])
        if (r.chat_id) results.push({ chatId: r.chat_id, status: r.status });
      cursor = answer.next_cursor || undefined;
    } while (cursor);
    return results;
  }

  async remind(msgid: string): Promise<void> {
    await this.#call('remind_groupmsg_send', ApiAnswer, { msgid });
  }

  async cancel(msgid: string): Promise<boolean> {
    try {
      await this.#call('cancel_groupmsg_send', ApiAnswer, { msgid });
      return true;
    } catch (error) {
      // An errcode (already sent, already stopped) is an answer; anything else is retried.
      if (error instanceof WecomApiError && !RATE_LIMIT_ERRORS.has(error.errcode)) return false;
      throw error;
    }
  }
}
