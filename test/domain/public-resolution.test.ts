/**
 * The resolution a resident reads: the resolve action's note, only while that resolution stands,
 * never another action's note, and never a phone number.
 */
import { describe, expect, it } from 'vitest';
import type { Stage, TimelineEvent } from '../../shared/domain/case.ts';
import { maskPhoneNumbers, publicResolutionOf } from '../../shared/domain/public-resolution.ts';

const step = (
  stage: Stage,
  action: string,
  note?: string,
  at = '2026-12-01T08:00:00.000Z',
): TimelineEvent => ({
  stage,
  at,
  by: 'u-staff-1',
  action,
  ...(note === undefined ? {} : { note }),
});

const handled: TimelineEvent[] = [
  step('dispatched', 'dispatch'),
  step('in_progress', 'accept', '收到，明天上门'),
  step('resolved', 'resolve', '已更换路灯灯泡，恢复照明。', '2026-12-02T09:30:00.000Z'),
  step('verified', 'verify', '张科长现场核查通过'),
  step('closed', 'close', '结案'),
];

describe('publicResolutionOf', () => {
  it('is the resolve note with its time once the case is resolved, verified, closed or rated', () => {
    for (const stage of ['resolved', 'verified', 'closed', 'evaluated'] as const) {
      expect(publicResolutionOf({ stage, timeline: handled })).toEqual({
        note: '已更换路灯灯泡，恢复照明。',
        at: '2026-12-02T09:30:00.000Z',
      });
    }
  });

  it('never shows the notes of other actions, such as the verifier’s', () => {
    const resolution = publicResolutionOf({ stage: 'closed', timeline: handled });
    expect(JSON.stringify(resolution)).not.toContain('张科长');
    expect(publicResolutionOf({ stage: 'in_progress', timeline: handled.slice(0, 2) })).toBeUndefined();
  });

  it('withdraws the answer when a verifier rejects it or the case is reopened, and shows the newer one after', () => {
    const rejected = [...handled.slice(0, 3), step('in_progress', 'reject_resolution', '灯还是不亮')];
    expect(publicResolutionOf({ stage: 'in_progress', timeline: rejected })).toBeUndefined();
    const again = [...rejected, step('resolved', 'resolve', '更换了整套灯具。', '2026-12-03T10:00:00.000Z')];
    expect(publicResolutionOf({ stage: 'resolved', timeline: again })?.note).toBe('更换了整套灯具。');
    const reopened = [...handled, step('in_progress', 'reopen', '群众反映又坏了')];
    expect(publicResolutionOf({ stage: 'in_progress', timeline: reopened })).toBeUndefined();
  });

  it('masks a phone number staff typed into the note', () => {
    const timeline = [
      ...handled.slice(0, 2),
      step('resolved', 'resolve', '已联系业主（电话 138-1234-5678）协商解决'),
    ];
    expect(publicResolutionOf({ stage: 'resolved', timeline })?.note).toBe(
      '已联系业主（电话 ***-****-****）协商解决',
    );
  });
});

describe('maskPhoneNumbers', () => {
  it('masks mobiles and landlines in any common spelling, full-width digits too', () => {
    expect(maskPhoneNumbers('13812345678')).toBe('***********');
    expect(maskPhoneNumbers('+86 138 1234 5678')).toBe('+** *** **** ****');
    expect(maskPhoneNumbers('0354-5621234')).toBe('****-*******');
    expect(maskPhoneNumbers('５６２１２３４')).toBe('*******');
  });

  it('leaves dates, amounts and short numbers alone', () => {
    expect(maskPhoneNumbers('2026-12-06 已修复 3 盏路灯，花费 12000 元')).toBe(
      '2026-12-06 已修复 3 盏路灯，花费 12000 元',
    );
  });
});
