/**
 * What the system texts back, and in which language. Mainland SMS carry the sender's signature
 * in 【】, which counts towards the length and makes every reply UCS-2 (English ones too): 70
 * characters in one part. Every reply here fits one part with its code filled in, so a resident
 * on a basic phone gets one message, not a split one; a status whose unit's name would not fit
 * leaves the name out rather than split.
 */
import type { Stage } from '../case.ts';
import { formatTrackingCode } from '../tracking-code.ts';
import { smsParts } from './sms-parts.ts';

export const SMS_SIGNATURE = '【平遥综治】';

export type ReplyLanguage = 'zh' | 'en';

/**
 * Command words that say nothing about the resident's language: CX is the pinyin initials of
 * 查询 and R / T / TD the Chinese opt-out convention, so `cx K7M2QX9PA` or `ＣＸ Ｋ７Ｍ…` is a
 * Chinese speaker's message. Only with the tracking code that follows (itself Latin letters).
 * STATUS, RATE, HELP and STOP are English words and count as English.
 */
const NEUTRAL_COMMAND =
  /^(?:查询|评价|cx)[\s:：,，]*(?:(?:[0-9a-z][-_.·—\s]?){8}[0-9a-z](?![0-9a-z]))?|^(?:r|t|td|0000)$/iu;

/**
 * The language to answer a message in: the one it is written in. English when it has more
 * Latin words than half its Chinese characters ("Street light broken in 康宁社区" is English,
 * "路灯坏了 near 康宁" Chinese); Chinese otherwise, and for anything without words (emoji,
 * blanks, a lone "?") or with only neutral commands.
 */
export function replyLanguageFor(body: string): ReplyLanguage {
  const text = body.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  const rest = text.replace(NEUTRAL_COMMAND, '');
  const han = rest.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latinWords = rest.match(/[a-z]+/giu)?.length ?? 0;
  return latinWords * 2 > han ? 'en' : 'zh';
}

const stageZh: Record<Stage, string> = {
  received: '已收到',
  registered: '已登记',
  dispatched: '已交办',
  in_progress: '办理中',
  resolved: '已办结待核查',
  verified: '已核查',
  closed: '已结案',
  evaluated: '已评价',
  merged: '已合并办理',
};

const stageEn: Record<Stage, string> = {
  received: 'received',
  registered: 'registered',
  dispatched: 'passed to the unit',
  in_progress: 'being handled',
  resolved: 'resolved, being checked',
  verified: 'checked',
  closed: 'closed',
  evaluated: 'rated',
  merged: 'merged with the same problem',
};

export type SmsReply =
  | { kind: 'report_received'; code: string }
  | { kind: 'status'; code: string; stage: Stage; unitZh?: string; unitEn?: string }
  | { kind: 'not_found' }
  | { kind: 'rated'; score: number }
  | { kind: 'rate_refused' }
  | { kind: 'opted_out' }
  | { kind: 'help' }
  /** A report nothing could place: asks once where the resident lives (the answer places it). */
  | { kind: 'ask_place' }
  | { kind: 'too_long'; max: number }
  | { kind: 'bad_code' }
  | { kind: 'bad_score' }
  | { kind: 'rate_limited' }
  | {
      kind: 'case_update';
      code: string;
      stage: 'dispatched' | 'resolved' | 'closed';
      unitZh?: string;
      /** Ends with how to stop these texts (the first a phone gets each day). */
      stopHint?: boolean;
    };

/** How to stop case updates, as mainland transactional texts say it; TD is one of the opt-out words. */
const STOP_HINT_ZH = '回复TD退订';
const STOP_HINT_EN = 'Reply STOP to stop.';

export function renderSmsReply(reply: SmsReply, lang: ReplyLanguage): string {
  const zh = lang === 'zh';
  const body = ((): string => {
    switch (reply.kind) {
      case 'report_received':
        return zh
          ? `已收到您的反映，查询码${formatTrackingCode(reply.code)}。发"查询 ${reply.code}"查进度。`
          : `Received. Code ${formatTrackingCode(reply.code)}. Text STATUS ${reply.code} for news.`;
      case 'status':
        return status(reply, zh);
      case 'not_found':
        return zh ? '没有找到这个查询码，请核对后再发。' : 'No report has this code. Please check it.';
      case 'rated':
        return zh ? `感谢您的评价（${reply.score}分）。` : `Thank you for your rating (${reply.score}).`;
      case 'rate_refused':
        return zh
          ? '只能用反映时的手机评价已结案的案件，请核对查询码。'
          : 'Only the phone that reported a closed case can rate it.';
      case 'opted_out':
        return zh
          ? '已退订，不再给您发宣传短信和案件办理通知。发"查询 查询码"仍可查进度。'
          : 'Done: no more campaign texts or case updates to you.';
      case 'help':
        return zh
          ? '您好！发文字写明问题和所在社区或村即可反映；查进度发"查询 查询码"；退订回R。'
          : 'Hello! Text the problem and your community. STATUS code; STOP.';
      case 'ask_place':
        return zh
          ? '已收到。请回复您所在的社区或村，以便转交负责单位。'
          : 'Got it. Which community or village are you in?';
      case 'too_long':
        return zh
          ? `内容太长，请在${reply.max}字以内描述。`
          : `Too long: please keep it under ${reply.max} characters.`;
      case 'bad_code':
        return zh ? '查询码应为9位，例如K7M-2QX-9PA，请核对。' : 'A code has 9 characters, like K7M-2QX-9PA.';
      case 'bad_score':
        return zh ? '评分请用1到5的数字，例如"评价 查询码 5"。' : 'Rate from 1 to 5, e.g. RATE <code> 5.';
      case 'rate_limited':
        return zh
          ? '您本小时反映较多，已暂停受理，请稍后再发或联系网格员。'
          : 'Too many reports this hour; please try later.';
      case 'case_update': {
        const stop = reply.stopHint ? (zh ? STOP_HINT_ZH : ` ${STOP_HINT_EN}`) : '';
        return `${caseUpdate(reply, zh)}${stop}`;
      }
    }
  })();
  return `${SMS_SIGNATURE}${body}`;
}

/** The unit's name only if it fits one part: the stage is what was asked, the unit a courtesy. */
function status(reply: Extract<SmsReply, { kind: 'status' }>, zh: boolean): string {
  const code = formatTrackingCode(reply.code);
  const render = (unit: string | undefined) =>
    zh
      ? `${code}：${stageZh[reply.stage]}${unit ? `，${unit}办理` : ''}。`
      : `${code}: ${stageEn[reply.stage]}${unit ? `, ${unit}` : ''}.`;
  const full = render(zh ? reply.unitZh : reply.unitEn);
  return smsParts(`${SMS_SIGNATURE}${full}`).parts === 1 ? full : render(undefined);
}

function caseUpdate(reply: Extract<SmsReply, { kind: 'case_update' }>, zh: boolean): string {
  const code = formatTrackingCode(reply.code);
  if (reply.stage === 'dispatched') {
    return zh
      ? `您的反映${code}已交${reply.unitZh ?? '办理单位'}办理。`
      : `Your report ${code} is with the unit.`;
  }
  if (reply.stage === 'resolved')
    return zh ? `您的反映${code}已办结，待核查。` : `Your report ${code} is resolved.`;
  return zh
    ? `${code}已结案，请回复"评价 ${reply.code} 1-5"评价。`
    : `Report closed. Reply RATE ${reply.code} 1-5.`;
}
