import { describe, expect, it } from 'vitest';
import { ReportSubmission, ReportSubmitted } from '../../shared/domain/report.ts';

const valid = { category: 'road', communityId: 'chengdong-kangning', description: '路灯坏了三天' };

const pathsOf = (input: unknown) => {
  const result = ReportSubmission.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

describe('a report submission', () => {
  it('accepts the minimal report', () => {
    expect(ReportSubmission.parse(valid)).toEqual(valid);
  });

  it('normalises mainland mobile numbers to E.164, however they are written', () => {
    for (const phone of [
      '13812345678',
      '138 1234 5678',
      '+86 138-1234-5678',
      '8613812345678',
      '１３８１２３４５６７８',
    ]) {
      expect(ReportSubmission.parse({ ...valid, contactPhone: phone }).contactPhone).toBe('+8613812345678');
    }
  });

  it('keeps international E.164 numbers', () => {
    expect(ReportSubmission.parse({ ...valid, contactPhone: '+44 20 7946 0958' }).contactPhone).toBe(
      '+442079460958',
    );
  });

  it('rejects numbers that are neither', () => {
    expect(pathsOf({ ...valid, contactPhone: '12345' })).toEqual(['contactPhone']);
    expect(pathsOf({ ...valid, contactPhone: '23812345678' })).toEqual(['contactPhone']);
  });

  it('treats empty optional form fields as absent', () => {
    const parsed = ReportSubmission.parse({ ...valid, contactPhone: '', address: '  ' });
    expect(parsed.contactPhone).toBeUndefined();
    expect(parsed.address).toBeUndefined();
  });

  it('counts the description in characters, not bytes or UTF-16 units: 2,000 Chinese characters pass, 2,001 fail', () => {
    expect(pathsOf({ ...valid, description: '坏'.repeat(2000) })).toEqual([]);
    expect(pathsOf({ ...valid, description: '坏'.repeat(2001) })).toEqual(['description']);
    expect(pathsOf({ ...valid, description: '😀'.repeat(2000) })).toEqual([]);
  });

  it('names every bad field at once', () => {
    expect(
      pathsOf({
        category: 'potholes',
        communityId: 'Bad Id',
        description: '   ',
        location: { lat: 91, lng: 0 },
      }).sort(),
    ).toEqual(['category', 'communityId', 'description', 'location.lat'].sort());
  });

  it('takes coordinates as numbers or numeric strings', () => {
    expect(ReportSubmission.parse({ ...valid, location: { lat: '37.2', lng: '112.17' } }).location).toEqual({
      lat: 37.2,
      lng: 112.17,
    });
  });
});

describe('an intake message', () => {
  const message = {
    kind: 'report.submitted',
    trackingCode: 'K7M2QX9PA',
    submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
    submittedAt: '2026-12-06T08:00:00.000Z',
    channel: 'sms',
    report: valid,
  };

  it('parses without a classifier explanation, as messages queued before it did', () => {
    expect(ReportSubmitted.parse(message)).toEqual(message);
  });

  it('carries the explanation of a texted report, and refuses an unbounded one naming the field', () => {
    const classification = {
      method: 'keywords',
      category: 'road',
      keywords: [{ keyword: '路灯', category: 'road' }],
    };
    expect(ReportSubmitted.parse({ ...message, classification })).toEqual({ ...message, classification });
    const tooMany = {
      ...classification,
      keywords: Array.from({ length: 11 }, () => classification.keywords[0]),
    };
    const result = ReportSubmitted.safeParse({ ...message, classification: tooMany });
    expect(result.success ? [] : result.error.issues.map((i) => i.path.join('.'))).toEqual([
      'classification.keywords',
    ]);
  });
});
