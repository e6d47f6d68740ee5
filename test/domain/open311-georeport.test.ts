import { describe, expect, it } from 'vitest';
import { Stage } from '../../shared/domain/case.ts';
import { open311StatusOf, requestWindowOf } from '../../shared/domain/open311/georeport.ts';
import { georeportXml } from '../../shared/domain/open311/georeport-xml.ts';
import {
  newPartnerKey,
  partnerIdOfKey,
  partnerKeyHash,
  partnerKeyMatches,
} from '../../shared/domain/open311/partner-key.ts';

const NOW = new Date('2026-12-06T08:00:00.000Z');

describe('the GET requests window', () => {
  it('is the most recent 90 days when no date is given', () => {
    expect(requestWindowOf({}, NOW)).toEqual({
      window: { from: '2026-09-07T08:00:00.000Z', to: '2026-12-06T08:00:00.000Z' },
    });
  });

  it('runs 90 days from the one end given, and takes offsets into account', () => {
    expect(requestWindowOf({ start_date: '2026-10-01T08:00:00+08:00' }, NOW)).toEqual({
      window: { from: '2026-10-01T00:00:00.000Z', to: '2026-12-30T00:00:00.000Z' },
    });
    expect(requestWindowOf({ end_date: '2026-10-01T00:00:00Z' }, NOW)).toEqual({
      window: { from: '2026-07-03T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' },
    });
  });

  it('refuses more than 90 days and a reversed range, and takes exactly 90', () => {
    expect(
      requestWindowOf({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:01Z' }, NOW),
    ).toEqual({
      error: 'too_long',
    });
    expect(
      requestWindowOf({ start_date: '2026-02-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' }, NOW),
    ).toEqual({
      error: 'reversed',
    });
    expect(
      requestWindowOf({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:00Z' }, NOW),
    ).toHaveProperty('window');
  });
});

describe('open and closed', () => {
  it('are open while someone still works on the case, closed once it is closed, evaluated or merged', () => {
    const closed = Stage.options.filter((stage) => open311StatusOf({ stage }) === 'closed');
    expect(closed).toEqual(['closed', 'evaluated', 'merged']);
  });
});

describe('GeoReport XML', () => {
  it('nests lists under the spec’s singular names, escapes markup and drops what XML cannot carry', () => {
    const xml = georeportXml('service_requests', [
      {
        service_request_id: 'K7M-2QX-9PA',
        status_notes: 'a < b & c > d\u0007',
        lat: 37.2,
        skipped: undefined,
      },
    ]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request><service_request_id>K7M-2QX-9PA</service_request_id><status_notes>a &lt; b &amp; c &gt; d</status_notes><lat>37.2</lat></request></service_requests>',
    );
  });
});

describe('partner keys', () => {
  const pepper = 'a-pepper-of-at-least-thirty-two-characters';
  it('name their partner and match only their own hash under the same pepper', () => {
    let byte = 0;
    const { partnerId, apiKey } = newPartnerKey((n) => Uint8Array.from({ length: n }, () => byte++));
    expect(partnerIdOfKey(apiKey)).toBe(partnerId);
    const stored = partnerKeyHash(pepper, apiKey);
    expect(stored).not.toContain(apiKey.slice(18));
    expect(partnerKeyMatches(pepper, apiKey, stored)).toBe(true);
    expect(partnerKeyMatches(`${pepper}x`, apiKey, stored)).toBe(false);
    expect(partnerKeyMatches(pepper, `${apiKey.slice(0, -1)}A`, stored)).toBe(false);
    expect(partnerIdOfKey('o311_short_key')).toBeUndefined();
  });
});
