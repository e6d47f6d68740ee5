/** A web report's case that staff have closed, waiting for its reporter's rating: a test fixture. */
import type { CaseState, TimelineEvent } from '../../shared/domain/case.ts';

const closedAt = '2026-12-03T00:00:00.000Z';

export function closedWebCase(
  trackingCode: string,
  timeline: TimelineEvent[] = [{ stage: 'closed', at: closedAt, by: 'u-supervisor', action: 'close' }],
): CaseState {
  return {
    trackingCode,
    submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
    stage: 'closed',
    version: 6,
    category: 'road',
    communityId: 'chengdong-kangning',
    unitId: 'transport',
    routing: { kind: 'rule' },
    channel: 'web',
    submittedAt: '2026-12-01T00:00:00.000Z',
    updatedAt: closedAt,
    timeline,
  };
}
