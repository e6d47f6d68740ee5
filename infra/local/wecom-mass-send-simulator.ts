/**
 * The WeChat Work simulator's enterprise mass-send to customer groups (企业群发 → 客户群), mounted
 * by wecom-simulator.ts: `add_msg_template` (chat_type group) records a task for its sender,
 * `get_groupmsg_task` and `get_groupmsg_send_result` answer it as the platform does (status 0
 * until the owner confirms; then per group 1 sent, or 3 when the group had already received its 4
 * mass-sends that month), `cancel_groupmsg_send` stops a task not sent yet, and
 * `remind_groupmsg_send` counts reminders (at most three within 24 hours, as documented). The
 * owner's confirmation, which a person gives in the app, is `confirm` — for tests and the browser
 * page where someone plays the grid worker. Where the platform's documentation gives no error
 * code (an unknown msgid, a fourth reminder within 24 hours, a task settled already) the codes
 * are our own.
 */
import { randomBytes } from 'node:crypto';
import * as z from '../../shared/schema.ts';

export interface SimulatedMassSendGroup {
  chatId: string;
  /** `waiting` for the owner; `sent`; `limited`: not sent, the group had its month's mass-sends. */
  status: 'waiting' | 'sent' | 'limited';
}

export interface SimulatedMassSend {
  msgid: string;
  /** The group owner who must confirm it. */
  sender: string;
  text: string;
  createdAt: string;
  /** `cancelled`: stopped by the enterprise (cancel_groupmsg_send) before the owner sent it. */
  status: 'waiting' | 'sent' | 'cancelled';
  sentAt?: string;
  reminders: number;
  /** When each reminder came. */
  remindedAt: string[];
  groups: SimulatedMassSendGroup[];
}

export interface MassSendSimulatorOptions {
  now: () => number;
  /** The owner of a customer group chat the platform holds, undefined for none. */
  groupOwner: (chatId: string) => string | undefined;
}

const PLATFORM_MONTHLY_LIMIT = 4;
const DAY_MS = 86_400_000;
const PATHS = new Set([
  '/cgi-bin/externalcontact/add_msg_template',
  '/cgi-bin/externalcontact/get_groupmsg_task',
  '/cgi-bin/externalcontact/get_groupmsg_send_result',
  '/cgi-bin/externalcontact/remind_groupmsg_send',
  '/cgi-bin/externalcontact/cancel_groupmsg_send',
]);

const AddBody = z.object({
  chat_type: z._default(z.enum(['single', 'group']), 'single'),
  sender: z.optional(z.string()),
  chat_id_list: z.optional(z.array(z.string()).check(z.maxLength(2000))),
  allow_select: z.optional(z.boolean()),
  text: z.optional(z.object({ content: z.string().check(z.maxLength(4000)) })),
});
const TaskQuery = z.object({
  msgid: z.string().check(z.minLength(1)),
  limit: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 500),
  cursor: z.optional(z.string()),
});
const ResultQuery = z.extend(TaskQuery, { userid: z.string().check(z.minLength(1)) });
const RemindBody = z.object({ msgid: z.string().check(z.minLength(1)) });

const formatError = { errcode: 47001, errmsg: 'data format error' };
const unknownMsgid = { errcode: 41063, errmsg: 'invalid msgid' };

/** The month a send counts in at the platform (Asia/Shanghai, UTC+8). */
const monthOf = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 7);

export function massSendSimulator(options: MassSendSimulatorOptions) {
  const massSends: SimulatedMassSend[] = [];
  const byMsgid = new Map<string, SimulatedMassSend>();
  const received = new Map<string, number>();
  let calls = 0;

  const page = <T>(items: T[], limit: number, cursor: string | undefined) => {
    const start = cursor ? Number(cursor) : 0;
    const next = start + limit < items.length ? String(start + limit) : '';
    return { items: items.slice(start, start + limit), next_cursor: next };
  };

  const answer = (pathname: string, raw: unknown): unknown => {
    calls += 1;
    const at = options.now();
    if (pathname.endsWith('/add_msg_template')) {
      const body = AddBody.safeParse(raw);
      if (!body.success || !body.data.text?.content) return formatError;
      if (body.data.chat_type !== 'group')
        return { errcode: 40058, errmsg: 'only group mass-sends are simulated' };
      const sender = body.data.sender;
      if (!sender) return { errcode: 40058, errmsg: 'sender is required for a group mass-send' };
      const chats = body.data.chat_id_list ?? [];
      const own = chats.filter((c) => options.groupOwner(c) === sender);
      if (own.length === 0 && chats.length > 0)
        return { errcode: 60111, errmsg: 'invalid userid: owns none of the groups' };
      const task: SimulatedMassSend = {
        msgid: `msg${randomBytes(12).toString('base64url')}`,
        sender,
        text: body.data.text.content,
        createdAt: new Date(at).toISOString(),
        status: 'waiting',
        reminders: 0,
        remindedAt: [],
        groups: own.map((chatId) => ({ chatId, status: 'waiting' })),
      };
      massSends.push(task);
      byMsgid.set(task.msgid, task);
      return {
        errcode: 0,
        errmsg: 'ok',
        fail_list: chats.filter((c) => !own.includes(c)),
        msgid: task.msgid,
      };
    }
    if (pathname.endsWith('/get_groupmsg_task')) {
      const query = TaskQuery.safeParse(raw);
      if (!query.success) return formatError;
      const task = byMsgid.get(query.data.msgid);
      if (!task) return unknownMsgid;
      const sendTime = task.sentAt ? Math.floor(Date.parse(task.sentAt) / 1000) : undefined;
      const rows = [
        {
          userid: task.sender,
          status: task.status === 'sent' ? 2 : 0,
          ...(sendTime ? { send_time: sendTime } : {}),
        },
      ];
      const { items, next_cursor } = page(rows, query.data.limit, query.data.cursor);
      return { errcode: 0, errmsg: 'ok', next_cursor, task_list: items };
    }
    if (pathname.endsWith('/get_groupmsg_send_result')) {
      const query = ResultQuery.safeParse(raw);
      if (!query.success) return formatError;
      const task = byMsgid.get(query.data.msgid);
      if (!task) return unknownMsgid;
      const rows =
        task.sender !== query.data.userid
          ? []
          : task.groups.map((g) => ({
              chat_id: g.chatId,
              userid: task.sender,
              status: g.status === 'sent' ? 1 : g.status === 'limited' ? 3 : 0,
              ...(g.status === 'sent' && task.sentAt
                ? { send_time: Math.floor(Date.parse(task.sentAt) / 1000) }
                : {}),
            }));
      const { items, next_cursor } = page(rows, query.data.limit, query.data.cursor);
      return { errcode: 0, errmsg: 'ok', next_cursor, send_list: items };
    }
    const body = RemindBody.safeParse(raw);
    if (!body.success) return formatError;
    const task = byMsgid.get(body.data.msgid);
    if (!task) return unknownMsgid;
    const settled = { errcode: 41066, errmsg: 'the mass-send was sent or stopped already' };
    if (task.status !== 'waiting') return settled;
    if (pathname.endsWith('/cancel_groupmsg_send')) {
      task.status = 'cancelled';
      return { errcode: 0, errmsg: 'ok' };
    }
    // The platform: at most three reminders per mass-send within 24 hours.
    const recent = task.remindedAt.filter((r) => at - Date.parse(r) < DAY_MS);
    if (recent.length >= 3) return { errcode: 41065, errmsg: 'reminded three times within 24 hours' };
    task.reminders += 1;
    task.remindedAt.push(new Date(at).toISOString());
    return { errcode: 0, errmsg: 'ok' };
  };

  return {
    massSends: massSends as readonly SimulatedMassSend[],
    handles: (pathname: string) => PATHS.has(pathname),
    answer,
    /** Mass-send calls answered (for the bench). */
    calls: () => calls,
    /** The owner confirms the task in the app: each of its groups is sent, unless at its monthly limit. */
    confirm(msgid: string, userId: string): SimulatedMassSend {
      const task = byMsgid.get(msgid);
      if (!task) throw new RangeError(`no mass-send ${msgid}`);
      if (task.sender !== userId) throw new RangeError(`${userId} is not the sender of ${msgid}`);
      if (task.status === 'cancelled')
        throw new RangeError(`mass-send ${msgid} was stopped by the enterprise`);
      if (task.status === 'sent') return task;
      const at = options.now();
      for (const group of task.groups) {
        const key = `${group.chatId}#${monthOf(at)}`;
        const n = received.get(key) ?? 0;
        group.status = n >= PLATFORM_MONTHLY_LIMIT ? 'limited' : 'sent';
        if (group.status === 'sent') received.set(key, n + 1);
      }
      task.status = 'sent';
      task.sentAt = new Date(at).toISOString();
      return task;
    },
  };
}

export type MassSendSimulator = ReturnType<typeof massSendSimulator>;
