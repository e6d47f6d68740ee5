/**
 * Staff notifications where staff are (issue 16 item 4): a case put on the return-visit list, a
 * case overdue and escalated, a lecture or screening tomorrow, told to the grid workers or the
 * unit's handlers as a WeChat Work app message with a link into the console, besides the
 * console's own lists. Pure: the message on the notifier's queue (ids and codes, never a
 * recipient, so whoever holds the grid or the unit's list when it is sent gets it), who receives
 * it as the directory stands, and the card they see: a category, a community, the tracking code
 * and the link, never a resident's name or phone.
 */
import * as z from '../schema.ts';
import { CategoryCode, categories } from './categories.ts';
import { EntityId, type Organisation } from './organisation.ts';
import { shanghaiLocal } from './outreach/shanghai-time.ts';
import { formatTrackingCode, TrackingCode } from './tracking-code.ts';

/** One notification key, once: a repeated sweep or a redelivered message sends nothing more. */
const NotificationKey = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(200),
    z.regex(/^[A-Za-z0-9#:_.-]+$/, 'must be a notification key: letters, digits, # : _ . -'),
  );

export const StaffNotification = z.discriminatedUnion('about', [
  /** A closed case went on the return-visit list (回访): its community's grid workers visit. */
  z.object({
    kind: z.literal('staff.notify'),
    about: z.literal('return_visit'),
    key: NotificationKey,
    trackingCode: TrackingCode,
    category: CategoryCode,
    communityId: EntityId,
    reason: z.enum(['low_rating', 'no_rating']),
  }),
  /** A deadline passed and the case was escalated: its unit's handlers and the county centre. */
  z.object({
    kind: z.literal('staff.notify'),
    about: z.literal('overdue'),
    key: NotificationKey,
    trackingCode: TrackingCode,
    category: CategoryCode,
    communityId: EntityId,
    unitId: EntityId,
    reason: z.enum(['accept_overdue', 'resolve_overdue']),
  }),
  /** A lecture or screening is held tomorrow in these communities: their grid workers take part. */
  z.object({
    kind: z.literal('staff.notify'),
    about: z.literal('outreach_task'),
    key: NotificationKey,
    campaignId: z.string().check(z.minLength(1), z.maxLength(80)),
    task: z.enum(['lecture', 'video']),
    occurrenceAt: z.iso.datetime(),
    venue: z.string().check(z.minLength(1), z.maxLength(80)),
    communityIds: z.array(EntityId).check(z.minLength(1), z.maxLength(250)),
  }),
]);
export type StaffNotification = z.infer<typeof StaffNotification>;

/** The keys: one notification per case version (a transition happens once) or per run. */
export const returnVisitKey = (trackingCode: string, version: number) => `rv#${trackingCode}#v${version}`;
export const overdueKey = (trackingCode: string, version: number) => `od#${trackingCode}#v${version}`;
export const outreachTaskKey = (campaignId: string, runId: string) => `task#${campaignId}#${runId}`;

const gridWorkersOf = (org: Organisation, communityIds: readonly string[]): string[] => {
  const wanted = new Set(communityIds);
  return org.grids.flatMap((g) => (wanted.has(g.communityId) && g.wecomUserId ? [g.wecomUserId] : []));
};

const handlersOf = (org: Organisation, unitId: string): string[] =>
  org.units.find((u) => u.id === unitId)?.wecomUserIds ?? [];

/**
 * Who gets it, read from the directory as it is now (each once, in a stable order): a worker who
 * left the grid, or a handler taken off the unit's list, is no longer among them.
 */
export function recipientsOf(notification: StaffNotification, org: Organisation): string[] {
  switch (notification.about) {
    case 'return_visit':
      return [...new Set(gridWorkersOf(org, [notification.communityId]))];
    case 'overdue':
      return [
        ...new Set([
          ...handlersOf(org, notification.unitId),
          // The sweeper escalates to the county centre: its duty staff hear of it too.
          ...handlersOf(org, org.countyCentreUnitId),
        ]),
      ];
    case 'outreach_task':
      return [...new Set(gridWorkersOf(org, notification.communityIds))];
  }
}

/** WeChat Work's text card (textcard): title ≤ 128 bytes, description ≤ 512 bytes, a link. */
export interface StaffCard {
  title: string;
  description: string;
  /** The console page it opens; absent when no console URL is configured. */
  url?: string;
  /** The button's text (≤ 4 characters shows whole). */
  button: string;
}

const categoryZh = (code: string) => categories.find((c) => c.code === code)?.zh ?? code;
const communityZh = (org: Organisation, id: string) => org.communities.find((c) => c.id === id)?.zh ?? id;
const unitZh = (org: Organisation, id: string) => org.units.find((u) => u.id === id)?.zh ?? id;

/** Joins the console's address and a hash route, e.g. https://…/console + #/case/K7M2QX9PA. */
export function consoleLink(consoleUrl: string | undefined, route: string): string | undefined {
  if (!consoleUrl) return undefined;
  return `${consoleUrl.replace(/#.*$/, '')}${route}`;
}

/** `text` cut to at most `bytes` of UTF-8, whole characters only, with an ellipsis when cut. */
export function clipUtf8(text: string, bytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= bytes) return text;
  let out = '';
  let used = encoder.encode('…').length;
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return `${out}…`;
}

/** The card as the recipients see it, in Chinese (the county's staff work in Chinese). */
export function renderStaffCard(
  notification: StaffNotification,
  org: Organisation,
  consoleUrl: string | undefined,
): StaffCard {
  const card = cardOf(notification, org, consoleUrl);
  // The platform's limits: a title of 128 bytes, a description of 512.
  return { ...card, title: clipUtf8(card.title, 128), description: clipUtf8(card.description, 512) };
}

function cardOf(
  notification: StaffNotification,
  org: Organisation,
  consoleUrl: string | undefined,
): StaffCard {
  switch (notification.about) {
    case 'return_visit': {
      const code = formatTrackingCode(notification.trackingCode);
      const why = notification.reason === 'low_rating' ? '群众评价不满意' : '群众未在期限内评价';
      return {
        title: `回访任务：${categoryZh(notification.category)}`,
        description: `${communityZh(org, notification.communityId)}的案件${code}已结案，${why}，请上门或电话回访并在系统登记结果。`,
        url: consoleLink(consoleUrl, `#/case/${notification.trackingCode}`),
        button: '去回访',
      };
    }
    case 'overdue': {
      const code = formatTrackingCode(notification.trackingCode);
      const late = notification.reason === 'accept_overdue' ? '超期未受理' : '超期未办结';
      return {
        title: `案件超期督办：${categoryZh(notification.category)}`,
        description: `${communityZh(org, notification.communityId)}的案件${code}在${unitZh(org, notification.unitId)}${late}，已升级至县综治中心督办，请尽快处理。`,
        url: consoleLink(consoleUrl, `#/case/${notification.trackingCode}`),
        button: '去办理',
      };
    }
    case 'outreach_task': {
      const at = shanghaiLocal(new Date(notification.occurrenceAt));
      const [, month, day] = at.date.split('-').map(Number);
      const names = notification.communityIds.map((id) => communityZh(org, id));
      const where = names.length > 3 ? `${names.slice(0, 3).join('、')}等` : names.join('、');
      const what = notification.task === 'lecture' ? '反诈以案说法讲座' : '反诈短视频放映';
      return {
        title: `明日任务：${what}`,
        description: `${month}月${day}日${at.time}在${notification.venue}有${what}（${where}），请组织群众参加，结束后在系统登记到场人数。`,
        url: consoleLink(consoleUrl, '#/tasks'),
        button: '查看任务',
      };
    }
  }
}

/** message/send takes at most 1,000 userids joined by `|` per call. */
export const MAX_USERS_PER_MESSAGE = 1000;

/** The recipients in groups message/send takes at once. */
export function recipientBatches(userIds: readonly string[]): string[][] {
  const batches: string[][] = [];
  for (let i = 0; i < userIds.length; i += MAX_USERS_PER_MESSAGE)
    batches.push(userIds.slice(i, i + MAX_USERS_PER_MESSAGE));
  return batches;
}
