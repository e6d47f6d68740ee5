/**
 * The WeChat Work server API (企业微信; the government edition 政务微信 runs the same API on its own
 * host, hence the configurable base URL), for the civicloop app: `gettoken`, `message/send` and
 * `media/get` (the photos workers forward: binary when found, errcode JSON when not).
 *
 * One access token per app, shared by every function through DynamoDB (AccessTokenStore): a
 * caller uses the stored token while it has more than REFRESH_EARLY_MS left; after that, one
 * caller at a time (the one whose conditional write takes the lease) fetches a new one, while the
 * others keep using the old one until it is about to expire, and only then wait for the new one
 * (polling the store, a bounded number of times). A warm function keeps the token in memory too,
 * so most calls read nothing. A call the platform answers with an invalid or expired token
 * (40014, 42001) gets the token refreshed once and is retried once; the platform's rate limits
 * (45009, 45033, -1 busy) are retried after a growing pause, a bounded number of times, then
 * fail as a DependencyError. The token never appears in a log or an error (it travels in the
 * query string, so no URL is ever logged either).
 */
import { ConfigError, DependencyError, UndeliverableError } from '../errors.ts';
import type { SecretReader } from '../ports/secret.ts';
import type {
  AccessTokenStore,
  AppCard,
  CachedAccessToken,
  GroupChatSummary,
  SendTextOptions,
  WecomCardMessenger,
  WecomGroupChats,
  WecomMediaReader,
  WecomMessenger,
} from '../ports/wecom.ts';
import * as z from '../schema.ts';

/** Refresh this long before the token's expiry (tokens live 7,200 s). */
export const REFRESH_EARLY_MS = 5 * 60_000;
/** A refresh lease outlives one gettoken call (its timeout) with room to spare. */
const LEASE_MS = 10_000;
/** Below this much validity an old token is not used while another caller refreshes. */
const MIN_VALID_MS = 30_000;
const CALL_TIMEOUT_MS = 3_000;
export const TOKEN_ERRORS = new Set([40014, 42001]);
export const RATE_LIMIT_ERRORS = new Set([45009, 45033, -1]);
/** message/send: "user & party & tag all invalid". */
const ALL_RECIPIENTS_INVALID = 81013;

const ApiAnswer = z.object({ errcode: z._default(z.int(), 0), errmsg: z._default(z.string(), '') });
const TokenAnswer = z.extend(ApiAnswer, {
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.int().check(z.positive()),
});
const SendAnswer = z.extend(ApiAnswer, { invaliduser: z.optional(z.string()) });
/** groupchat/get's answer, as much of it as is read (member names and join details are not). */
const GroupChatAnswer = z.extend(ApiAnswer, {
  group_chat: z.optional(
    z.object({
      chat_id: z.string(),
      owner: z.string(),
      admin_list: z.optional(z.array(z.object({ userid: z.string() }))),
      // Counted, not kept: a customer group holds at most 500 members on the public platform; a
      // government edition's larger groups are counted all the same.
      member_list: z.array(z.object({ type: z.optional(z.int()) })),
    }),
  ),
});

/** An answer with a non-zero errcode; the code and message only. */
export class WecomApiError extends DependencyError {
  readonly errcode: number;
  constructor(what: string, errcode: number, errmsg: string) {
    super(`WeChat Work ${what} answered errcode ${errcode}: ${errmsg.slice(0, 120)}`);
    this.errcode = errcode;
  }
}

export interface WecomApiOptions {
  /** https://qyapi.weixin.qq.com, or the government edition's own host. */
  baseUrl: string;
  corpId: SecretReader;
  appSecret: SecretReader;
  agentId: string;
  tokens: AccessTokenStore;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Tries of a rate-limited call, the first included. Default 4. */
  rateLimitTries?: number;
  /** Reads of the store while waiting for another caller's refresh. Default 20. */
  leaseWaits?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WecomApiClient implements WecomMessenger, WecomCardMessenger, WecomGroupChats, WecomMediaReader {
  readonly #o: WecomApiOptions;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #warm: CachedAccessToken | undefined;

  constructor(options: WecomApiOptions) {
    if (!/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(options.baseUrl)) {
      throw new ConfigError('The WeChat Work API base URL must be an http(s) URL without query or fragment');
    }
    if (!/^\d{1,12}$/.test(options.agentId))
      throw new ConfigError('The WeChat Work agent id must be a number');
    this.#o = options;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? defaultSleep;
  }

  async #app(): Promise<string> {
    return `${await this.#o.corpId()}#${this.#o.agentId}`;
  }

  async #request(
    what: string,
    path: string,
    query: Record<string, string>,
    body?: unknown,
  ): Promise<unknown> {
    const url = new URL(`${this.#o.baseUrl.replace(/\/$/, '')}/cgi-bin/${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8' } }),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DependencyError(`WeChat Work ${what} could not be reached`, {
        cause: error instanceof Error ? new Error(error.name) : undefined,
      });
    }
    if (!response.ok) throw new DependencyError(`WeChat Work ${what} answered HTTP ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new DependencyError(`WeChat Work ${what} answered something other than JSON`);
    }
  }

  /** One platform call, retried after a pause while the platform says it is over its limits. */
  async #limited<T extends z.infer<typeof ApiAnswer>>(call: () => Promise<T>): Promise<T> {
    const tries = this.#o.rateLimitTries ?? 4;
    for (let attempt = 1; ; attempt++) {
      const answer = await call();
      if (!RATE_LIMIT_ERRORS.has(answer.errcode) || attempt >= tries) return answer;
      await this.#sleep(250 * 2 ** (attempt - 1) * (1 + Math.random() / 2));
    }
  }

  async #fetchToken(): Promise<CachedAccessToken> {
    const [corpid, corpsecret] = [await this.#o.corpId(), await this.#o.appSecret()];
    const answer = await this.#limited(async () => {
      const raw = await this.#request('gettoken', 'gettoken', { corpid, corpsecret });
      const errcode = ApiAnswer.safeParse(raw);
      if (errcode.success && errcode.data.errcode !== 0)
        return { ...errcode.data, access_token: '', expires_in: 0 };
      const parsed = TokenAnswer.safeParse(raw);
      if (!parsed.success) throw new DependencyError('WeChat Work gettoken answered without a token');
      return parsed.data;
    });
    if (answer.errcode !== 0) throw new WecomApiError('gettoken', answer.errcode, answer.errmsg);
    return { token: answer.access_token, expiresAt: this.#now() + answer.expires_in * 1000 };
  }

  /**
   * The app's token: the warm one, the stored one, or a new one fetched by whoever takes the
   * lease. `notThis`: a token the platform just refused, never to be returned again.
   */
  async accessToken(notThis?: string): Promise<string> {
    // The token of `t` when it has more than `margin` left and is not the refused one.
    const usable = (t: CachedAccessToken | undefined, margin: number): string | undefined =>
      t !== undefined && t.token !== '' && t.token !== notThis && t.expiresAt - margin > this.#now()
        ? t.token
        : undefined;
    const warm = usable(this.#warm, REFRESH_EARLY_MS);
    if (warm) return warm;
    const app = await this.#app();
    const waits = this.#o.leaseWaits ?? 20;
    for (let wait = 0; wait <= waits; wait++) {
      const stored = await this.#o.tokens.read(app);
      const current = usable(stored, REFRESH_EARLY_MS);
      if (current) {
        this.#warm = stored;
        return current;
      }
      const now = this.#now();
      if (await this.#o.tokens.lease(app, now, now + LEASE_MS)) {
        // Someone may have stored a new token between our read and our lease: use theirs.
        const meanwhile = await this.#o.tokens.read(app);
        const theirs = usable(meanwhile, REFRESH_EARLY_MS);
        if (theirs) {
          await this.#o.tokens.release(app);
          this.#warm = meanwhile;
          return theirs;
        }
        let fresh: CachedAccessToken;
        try {
          fresh = await this.#fetchToken();
        } catch (error) {
          await this.#o.tokens.release(app).catch(() => undefined);
          const lasting = usable(stored, MIN_VALID_MS);
          if (lasting) return lasting;
          throw error;
        }
        await this.#o.tokens.store(app, fresh);
        this.#warm = fresh;
        return fresh.token;
      }
      // Someone else is refreshing: the old token serves while it lasts, else wait for theirs.
      const lasting = usable(stored, MIN_VALID_MS);
      if (lasting) return lasting;
      await this.#sleep(Math.min(100 * 2 ** wait, 1_000));
    }
    throw new DependencyError('The WeChat Work access token was not refreshed in time');
  }

  /** A call with the app's token: refreshed once and retried once when the platform refuses it. */
  async #withToken<T extends z.infer<typeof ApiAnswer>>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    const answer = await this.#limited(() => call(token));
    if (!TOKEN_ERRORS.has(answer.errcode)) return answer;
    this.#warm = undefined;
    const renewed = await this.accessToken(token);
    return this.#limited(() => call(renewed));
  }

  async sendText(toUser: string, content: string, options: SendTextOptions = {}): Promise<void> {
    const agentid = Number(this.#o.agentId);
    const duplicateCheck =
      options.duplicateCheckSeconds === undefined
        ? {}
        : {
            enable_duplicate_check: 1,
            duplicate_check_interval: Math.min(
              Math.max(Math.round(options.duplicateCheckSeconds), 1),
              14_400,
            ),
          };
    const answer = await this.#withToken(async (access_token) => {
      const raw = await this.#request(
        'message/send',
        'message/send',
        { access_token },
        { touser: toUser, msgtype: 'text', agentid, text: { content }, safe: 0, ...duplicateCheck },
      );
      const parsed = SendAnswer.safeParse(raw);
      if (!parsed.success) throw new DependencyError('WeChat Work message/send answered an unexpected shape');
      return parsed.data;
    });
    if (answer.errcode !== 0) throw new WecomApiError('message/send', answer.errcode, answer.errmsg);
    if (answer.invaliduser) throw new UndeliverableError('WeChat Work refused the recipient (invaliduser)');
  }

  /**
   * externalcontact/groupchat/get: a customer group chat's owner, admins and member count (the
   * member list is counted, not kept). The app must be allowed the customer-contact API in the
   * corp's settings (客户联系 → API → 可调用应用). An unknown chat is a WecomApiError.
   */
  async groupChat(chatId: string): Promise<GroupChatSummary> {
    const answer = await this.#withToken(async (access_token) => {
      const raw = await this.#request(
        'externalcontact/groupchat/get',
        'externalcontact/groupchat/get',
        { access_token },
        { chat_id: chatId, need_name: 0 },
      );
      const parsed = GroupChatAnswer.safeParse(raw);
      if (!parsed.success)
        throw new DependencyError('WeChat Work externalcontact/groupchat/get answered an unexpected shape');
      return parsed.data;
    });
    if (answer.errcode !== 0 || answer.group_chat === undefined)
      throw new WecomApiError('externalcontact/groupchat/get', answer.errcode, answer.errmsg);
    const chat = answer.group_chat;
    return {
      chatId: chat.chat_id,
      ownerUserId: chat.owner,
      adminUserIds: (chat.admin_list ?? []).map((a) => a.userid),
      memberCount: chat.member_list.length,
    };
  }

  /**
   * One app message to up to 1,000 users (`touser` joined by `|`): a text card with its link, or
   * plain text when there is no link. Users the platform does not know (`invaliduser`, e.g. a
   * worker who left the corp) are answered, not thrown: the others got it.
   */
  async sendCard(toUsers: readonly string[], card: AppCard): Promise<{ invalidUsers: string[] }> {
    if (toUsers.length === 0 || toUsers.length > 1000)
      throw new RangeError('message/send takes 1 to 1,000 users at once');
    const agentid = Number(this.#o.agentId);
    const message = card.url
      ? {
          msgtype: 'textcard',
          textcard: {
            title: card.title,
            description: card.description,
            url: card.url,
            ...(card.button ? { btntxt: card.button } : {}),
          },
        }
      : { msgtype: 'text', text: { content: `${card.title}\n${card.description}` } };
    const answer = await this.#withToken(async (access_token) => {
      const raw = await this.#request(
        'message/send',
        'message/send',
        { access_token },
        { touser: toUsers.join('|'), agentid, ...message, safe: 0 },
      );
      const parsed = SendAnswer.safeParse(raw);
      if (!parsed.success) throw new DependencyError('WeChat Work message/send answered an unexpected shape');
      return parsed.data;
    });
    // 81013: not one of the users is known to the platform; nobody to send to, nothing to retry.
    if (answer.errcode === ALL_RECIPIENTS_INVALID) return { invalidUsers: [...toUsers] };
    if (answer.errcode !== 0) throw new WecomApiError('message/send', answer.errcode, answer.errmsg);
    const invalidUsers = (answer.invaliduser ?? '').split('|').filter((u) => u !== '');
    return { invalidUsers };
  }

  /**
   * media/get: the media's bytes, read no further than `maxBytes` (the Content-Length first, then
   * the body as it streams). The platform answers errcode JSON instead of the file when the id is
   * unknown or expired (40007), which is an UndeliverableError: retrying cannot bring it back.
   */
  async downloadMedia(
    mediaId: string,
    maxBytes: number,
  ): Promise<{ bytes: Uint8Array } | { tooLarge: number }> {
    let media: { bytes: Uint8Array } | { tooLarge: number } = { tooLarge: 0 };
    const answer = await this.#withToken(async (access_token) => {
      const url = new URL(`${this.#o.baseUrl.replace(/\/$/, '')}/cgi-bin/media/get`);
      url.searchParams.set('access_token', access_token);
      url.searchParams.set('media_id', mediaId);
      let response: Response;
      try {
        response = await this.#fetch(url, { signal: AbortSignal.timeout(MEDIA_TIMEOUT_MS) });
      } catch (error) {
        throw new DependencyError('WeChat Work media/get could not be reached', {
          cause: error instanceof Error ? new Error(error.name) : undefined,
        });
      }
      if (!response.ok) throw new DependencyError(`WeChat Work media/get answered HTTP ${response.status}`);
      const type = response.headers.get('content-type') ?? '';
      if (/json|text\/plain/i.test(type)) {
        const parsed = ApiAnswer.safeParse(await response.json().catch(() => undefined));
        if (!parsed.success) throw new DependencyError('WeChat Work media/get answered an unexpected shape');
        if (parsed.data.errcode === 0) throw new DependencyError('WeChat Work media/get answered no file');
        return parsed.data;
      }
      media = await readBounded(response, maxBytes);
      return { errcode: 0, errmsg: 'ok' };
    });
    if (answer.errcode === 40007)
      throw new UndeliverableError('WeChat Work no longer has the media (unknown or expired media id)');
    if (answer.errcode !== 0) throw new WecomApiError('media/get', answer.errcode, answer.errmsg);
    return media;
  }
}

/** A photo over the phone network from the platform's media store: generous, within a function's time. */
const MEDIA_TIMEOUT_MS = 10_000;

/** The body, or its size once it is known to exceed `maxBytes` (the rest is not read). */
async function readBounded(
  response: Response,
  maxBytes: number,
): Promise<{ bytes: Uint8Array } | { tooLarge: number }> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return { tooLarge: declared };
  }
  const reader = response.body?.getReader();
  if (reader === undefined) return { bytes: new Uint8Array() };
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      return { tooLarge: total };
    }
    chunks.push(value);
  }
  return { bytes: Buffer.concat(chunks) };
}
