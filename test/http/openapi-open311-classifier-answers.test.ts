/**
 * Open311 items and the classifier status as the OpenAPI document describes them, with the values
 * the local runtime's conformance test does not reach: a service definition listing the county's
 * communities, requests with every optional field (unit, deadline, notes, rounded place, media_url)
 * and a merged one, and a classifier status with a model in use and its stored versions.
 */
import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import { open311RequestOf, serviceDefinition, servicesList } from '../../shared/domain/open311/georeport.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import type { ModelSummary } from '../../shared/ports/classifier-models.ts';
import { classifierStatus } from '../../shared/services/administer-classifier.ts';
import { closedWebCase } from '../support/closed-case.ts';
import { expectResponseMatchesOpenApi } from '../support/openapi-conformance.ts';

/** Fails unless `answer`, sent as JSON with status 200, is one the document describes for `routeKey`. */
function expectDocumented(routeKey: string, answer: unknown): void {
  const body: unknown = JSON.parse(JSON.stringify(answer));
  expectResponseMatchesOpenApi(routeKey, { status: 200, contentType: 'application/json', body });
}

const resolvedAt = '2026-12-02T08:00:00.000Z';
/** A road case resolved with a public result photo, at a place, still before its deadline. */
const resolved: CaseState = {
  ...closedWebCase('K7M2QX9PA', [
    { stage: 'resolved', at: resolvedAt, by: 'u-handler', action: 'resolve', note: '路灯已更换' },
  ]),
  stage: 'resolved',
  updatedAt: resolvedAt,
  location: { lat: 37.2021456, lng: 112.1745321 },
  publicPhotos: ['cases/K7M2QX9PA/public-after-u1.jpg'],
  timer: { kind: 'resolve_due', at: '2026-12-05T09:30:00.000Z' },
};
const merged: CaseState = { ...closedWebCase('F9T3K6P4N'), stage: 'merged', mergedInto: 'K7M2QX9PA' };

describe('the Open311 items as the OpenAPI document describes them', () => {
  it('describes the services and a service definition with every community', () => {
    expectDocumented('GET /open311/v2/services.json', servicesList('en'));
    const definition = serviceDefinition('road', demoOrganisation, 'zh');
    expect(definition.attributes[0]?.values.length).toBe(demoOrganisation.communities.length);
    expectDocumented('GET /open311/v2/services/{file}', definition);
  });

  it('describes requests with every optional field, media_url among them, and a merged one', () => {
    const unit = { zh: '县交通运输局', en: 'Transport bureau' };
    const requests = [
      open311RequestOf(resolved, unit, 'en', 'https://civicloop.example'),
      open311RequestOf(merged, undefined, 'zh'),
    ];
    expect(requests[0]).toMatchObject({
      media_url: 'https://civicloop.example/photos/K7M-2QX-9PA/1',
      expected_datetime: '2026-12-05T09:30:00Z',
      lat: 37.202,
    });
    expect(requests[1]?.status_notes).toContain('K7M-2QX-9PA');
    expectDocumented('GET /open311/v2/requests.json', requests);
    expectDocumented('GET /open311/v2/requests/{file}', requests.slice(0, 1));
    // A field the document does not describe is refused: the items are closed.
    expect(() =>
      expectDocumented('GET /open311/v2/requests.json', [{ ...requests[0], address_string: '东大街' }]),
    ).toThrow();
  });
});

describe('the classifier status as the OpenAPI document describes it', () => {
  const summary = (version: number): ModelSummary => ({
    version,
    trainedAt: `2026-12-0${version}T18:00:00.000Z`,
    examples: 133,
    perCategory: { road: 12, fraud: 40 },
    measured: { precision: 0.95, coverage: 0.72, folds: 5 },
    keywordsOnly: { precision: 0.9, coverage: 0.6 },
    threshold: 0.8,
    features: 400,
    storedBytes: 20_480,
    examplesDigest: `digest-${version}`,
  });
  const admin: Staff = { role: 'admin', userId: 'u-admin', name: '管理员' };
  const modelsWith = (active: number | undefined) => ({
    active: async () => ({ version: active, changedAt: '2026-12-06T18:00:01.000Z', changedBy: 'u-admin' }),
    list: async () => [summary(2), summary(1)],
    load: async () => undefined,
    save: async () => summary(3),
    activate: async () => true,
  });

  it('describes a model in use with its stored versions, and keywords only', async () => {
    const now = () => new Date('2026-12-07T09:00:00.000Z');
    const inUse = await classifierStatus(admin, { classifierModels: modelsWith(2), now });
    expect(inUse.active).toMatchObject({ version: 2, by: 'u-admin' });
    expectDocumented('GET /api/admin/classifier', inUse);
    const keywords = await classifierStatus(admin, { classifierModels: modelsWith(undefined), now });
    expect(keywords.active).toBeNull();
    expectDocumented('POST /api/admin/classifier/rollback', keywords);
  });
});
