/**
 * The day-before reminder a lecture (以案说法) or short-video screening sends to the police
 * officer or grid worker it is assigned to: what, when, where, and that attendance is recorded
 * afterwards. Staff messages are transactional, signed like every county message.
 */
import { SMS_SIGNATURE } from '../sms/sms-replies.ts';
import { type CampaignRun, isSendingChannel } from './campaign.ts';
import { shanghaiLocal } from './shanghai-time.ts';

const WHAT = { lecture: '反诈以案说法讲座', video: '反诈短视频放映' } as const;

export function renderTaskReminder(run: CampaignRun, communityNames: string[]): string {
  if (isSendingChannel(run.channel)) throw new RangeError('Sending runs have no assignee to remind');
  const at = shanghaiLocal(new Date(run.occurrenceAt));
  const [, month, day] = at.date.split('-').map(Number);
  const where =
    communityNames.length > 3 ? `${communityNames.slice(0, 3).join('、')}等` : communityNames.join('、');
  return (
    `${SMS_SIGNATURE}${run.channel.assignee.name}您好：${month}月${day}日${at.time}在${run.channel.venue}` +
    `有${WHAT[run.channel.kind]}（${where}），约${run.channel.durationMinutes}分钟。结束后请在系统登记到场人数。`
  );
}
