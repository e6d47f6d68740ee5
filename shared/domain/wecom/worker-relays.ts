/**
 * What the grid worker who forwarded an appeal in WeChat Work is told when its case moves (issue
 * 16 item 3): one short Chinese line per change, made to be pasted into the grid's group as it
 * is — the tracking code, what happened, the unit's name where it helps; never anything of the
 * resident's (no phone, no words of the appeal). Pure. The case's outbox queues a WorkerRelay
 * (shared/services/case-effects.ts, `relay_to_worker`), and relay-to-workers sends it: the
 * functions that change cases hold no WeChat Work secret.
 */
import * as z from '../../schema.ts';
import { Stage } from '../case.ts';
import { WecomUserId } from '../organisation.ts';
import { formatTrackingCode, TrackingCode } from '../tracking-code.ts';

/**
 * How long WeChat Work refuses a second identical app message to the same user (message/send's
 * `duplicate_check_interval`, at most 4 hours): a relay repeated by the outbox after a lost answer
 * reaches the worker once. The text names the code and the change, so two real changes differ.
 */
export const RELAY_DUPLICATE_CHECK_SECONDS = 4 * 3600;

export interface RelayChange {
  code: string;
  stage: Stage;
  action: string;
  /** The unit's Chinese name, when the directory has it. */
  unitZh?: string;
}

/**
 * Case outbox → relay-to-workers: one change of a forwarded appeal's case for its worker. Codes,
 * a stage, an action and a unit's name; nothing of the resident's.
 */
export const WorkerRelay = z.object({
  kind: z.literal('wecom.relay'),
  worker: WecomUserId,
  trackingCode: TrackingCode,
  version: z.int().check(z.positive()),
  stage: Stage,
  action: z.string().check(z.minLength(1), z.maxLength(40)),
  unitZh: z.optional(z.string().check(z.maxLength(80))),
});
export type WorkerRelay = z.infer<typeof WorkerRelay>;

function what(change: RelayChange): string {
  const unit = change.unitZh ?? '办理单位';
  switch (change.stage) {
    case 'dispatched':
      if (change.action === 'reopen' || change.action === 'record_return_visit') return `已重新交${unit}办理`;
      if (change.action === 'return' || change.action === 'reassign' || change.action === 'recategorise')
        return `已改交${unit}办理`;
      return `已交${unit}办理`;
    case 'in_progress':
      return change.action === 'reject_resolution'
        ? `办理结果未通过核查，${unit}继续办理`
        : `${unit}已受理，正在办理`;
    case 'resolved':
      return `${unit}已办结，待核查`;
    case 'verified':
      return '办理结果已核查';
    case 'closed':
      return '已结案，居民可发"评价 查询码 1-5"评价';
    case 'evaluated':
      return '居民已评价，本件办结';
    case 'merged':
      return '与同一问题的其他反映合并办理，进展随原件通知';
    case 'received':
    case 'registered':
      return '已登记';
  }
}

/** The app message for one change: `【进展】查询码 ABCD-EFGH：已交某单位办理。请转告居民。` */
export const relayText = (change: RelayChange): string =>
  `【进展】查询码${formatTrackingCode(change.code)}：${what(change)}。请转告群里的居民。`;
