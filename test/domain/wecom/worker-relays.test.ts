/**
 * What a grid worker is told when a forwarded appeal's case moves (shared/domain/wecom/worker-relays.ts):
 * the code, the change and the unit, in one line to paste into the group.
 */
import { describe, expect, it } from 'vitest';
import { relayText } from '../../../shared/domain/wecom/worker-relays.ts';

const relay = (stage: Parameters<typeof relayText>[0]['stage'], action: string, unitZh?: string) =>
  relayText({ code: 'K7M2QX9PA', stage, action, ...(unitZh ? { unitZh } : {}) });

describe('a relay to the worker', () => {
  it('names the code and the unit a case was sent to', () => {
    expect(relay('dispatched', 'dispatch', '交通局')).toBe(
      '【进展】查询码K7M-2QX-9PA：已交交通局办理。请转告群里的居民。',
    );
  });

  it('tells a case sent elsewhere and a reopened one apart from the first dispatch', () => {
    expect(relay('dispatched', 'reassign', '住建局')).toContain('已改交住建局办理');
    expect(relay('dispatched', 'reopen', '住建局')).toContain('已重新交住建局办理');
  });

  it('tells an acceptance from a resolution sent back', () => {
    expect(relay('in_progress', 'accept', '交通局')).toContain('交通局已受理，正在办理');
    expect(relay('in_progress', 'reject_resolution', '交通局')).toContain('未通过核查');
  });

  it('says how the resident rates a closed case', () => {
    expect(relay('closed', 'close')).toContain('评价 查询码 1-5');
  });

  it('falls back to "the unit" when the directory has no name', () => {
    expect(relay('resolved', 'resolve')).toContain('办理单位已办结，待核查');
  });
});
