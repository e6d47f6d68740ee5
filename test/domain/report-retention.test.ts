import { describe, expect, it } from 'vitest';
import type { CaseReport, CaseState, Stage } from '../../shared/domain/case.ts';
import {
  ANONYMISED_DESCRIPTION,
  anonymisedReport,
  anonymisedStateFields,
  isDueForAnonymisation,
  retentionClockStart,
  retentionCutoff,
} from '../../shared/domain/report-retention.ts';

const CLOSED_AT = '2025-11-29T09:00:00.000Z';

const caseAt = (stage: Stage, extra: Partial<CaseState> = {}): CaseState => ({
  trackingCode: 'K7M2QX9PA',
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  stage,
  version: 7,
  category: 'road',
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  unitId: 'urban-management',
  routing: { kind: 'rule', ruleId: 'road-chengdong' },
  channel: 'web',
  submittedAt: '2025-11-20T08:00:00.000Z',
  updatedAt: CLOSED_AT,
  timeline: [
    { stage: 'received', at: '2025-11-20T08:00:00.000Z', by: 'channel:web' },
    {
      stage: 'in_progress',
      at: '2025-11-21T08:00:00.000Z',
      by: 'u-1',
      action: 'accept',
      note: '已联系王先生',
    },
    { stage: 'closed', at: CLOSED_AT, by: 'u-2', action: 'close' },
  ],
  ...extra,
});

const report: CaseReport = {
  trackingCode: 'K7M2QX9PA',
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  description: '我家门口的下水道堵了',
  contactPhone: '+8613800001111',
  address: '城东街道康宁社区3号楼',
  location: { lat: 37.195_49, lng: 112.181_51 },
  reporterTokenHash: 'a'.repeat(64),
};

describe('the retention clock', () => {
  it('runs from the last change of a done case', () => {
    for (const stage of ['closed', 'evaluated', 'merged'] as const)
      expect(retentionClockStart(caseAt(stage))).toBe(CLOSED_AT);
  });

  it('does not run while the case is open or awaits its return visit', () => {
    for (const stage of ['dispatched', 'in_progress', 'resolved', 'verified'] as const)
      expect(retentionClockStart(caseAt(stage))).toBeUndefined();
    const awaiting = caseAt('evaluated', { returnVisit: { status: 'pending', reason: 'low_rating' } });
    expect(retentionClockStart(awaiting)).toBeUndefined();
  });

  it('stops once the case is anonymised, and runs again if the case changed after that', () => {
    expect(
      retentionClockStart(caseAt('closed', { anonymisedAt: '2026-11-30T00:00:00.000Z' })),
    ).toBeUndefined();
    const reclosed = caseAt('closed', { anonymisedAt: CLOSED_AT, updatedAt: '2027-01-05T00:00:00.000Z' });
    expect(retentionClockStart(reclosed)).toBe('2027-01-05T00:00:00.000Z');
  });

  it('makes a case due once the retention period has run from the clock start', () => {
    const closed = caseAt('closed');
    expect(isDueForAnonymisation(closed, retentionCutoff(new Date('2026-11-29T08:59:59.000Z'), 365))).toBe(
      false,
    );
    expect(isDueForAnonymisation(closed, retentionCutoff(new Date('2026-11-29T09:00:00.000Z'), 365))).toBe(
      true,
    );
  });
});

describe('what is kept', () => {
  it('keeps only the identifiers, a marker and a coarse location of the report', () => {
    const anonymised = anonymisedReport({ ...report, ...{ nickname: '老王' } }, '2026-12-01T00:00:00.000Z');
    expect(anonymised).toEqual({
      trackingCode: report.trackingCode,
      submissionId: report.submissionId,
      description: ANONYMISED_DESCRIPTION,
      location: { lat: 37.195, lng: 112.182 },
      anonymisedAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('gives the same report when anonymised again', () => {
    const once = anonymisedReport(report, '2026-12-01T00:00:00.000Z');
    expect(anonymisedReport(once, '2027-03-01T00:00:00.000Z')).toEqual(once);
  });

  it('keeps every timeline event and the score, without notes or the rating comment', () => {
    const state = caseAt('evaluated', {
      rating: { score: 2, comment: '王先生说还是堵', at: CLOSED_AT },
      location: { lat: 37.195_49, lng: 112.181_51 },
    });
    const fields = anonymisedStateFields(state, '2026-12-01T00:00:00.000Z');
    expect(fields.timeline).toEqual(state.timeline.map(({ note: _note, ...event }) => event));
    expect(fields.timeline).toHaveLength(3);
    expect(fields).toMatchObject({
      rating: { score: 2, at: CLOSED_AT },
      location: { lat: 37.195, lng: 112.182 },
      anonymisedAt: '2026-12-01T00:00:00.000Z',
    });
    expect(JSON.stringify(fields)).not.toContain('王先生');
  });

  it('removes the classifier explanation, whose keywords and n-grams are pieces of the description', () => {
    const state = caseAt('closed', {
      classification: {
        method: 'both',
        category: 'road',
        keywords: [{ keyword: '路灯', category: 'road' }],
        model: {
          top: { category: 'road', confidence: 0.93 },
          threshold: 0.6,
          features: [{ feature: '灯坏了', weight: 2.1 }],
        },
      },
    });
    const fields = anonymisedStateFields(state, '2026-12-01T00:00:00.000Z');
    expect(fields.remove).toContain('classification');
    expect(JSON.stringify(fields)).not.toContain('灯坏了');
  });
});
