/**
 * Why the classifier chose a category travels with an SMS report to its case (issue 14 item 6),
 * on the local runtime with a trained model in use: the township's dispatcher and the unit holding
 * the case read the method, the keywords with their categories, the model's version, confidence
 * and top n-grams on GET /api/cases/{id}; an admin (who may not correct it) and the public status
 * do not; once the case is closed and anonymised the explanation is gone from the case item.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import { ClassificationExplanation } from '../../shared/domain/sms/classification-explanation.ts';
import { anonymiseReports } from '../../shared/services/anonymise-reports.ts';
import { activateTrainedModel } from '../support/classifier-model.ts';
import { textReport } from '../support/sms-report.ts';
import { eventually, type StaffApi, staffApi } from '../support/staff-api.ts';

let rt: LocalRuntime;
let api: StaffApi;
let version: number;

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  // Before the first text: the SMS function reads the model pointer then.
  version = await activateTrainedModel(rt);
  api = staffApi(rt);
  await api.signIn(['dispatcher.dongquan', 'handler.transport', 'supervisor', 'admin']);
}, 60_000);
afterAll(async () => {
  await rt?.stop();
});

const WithClassification = z.object({ classification: z.optional(ClassificationExplanation) });
const PHONE = '+8613900001414';
const TEXT = '魏家庄村村口的路灯坏了好几天了，晚上黑乎乎的';

const classificationAs = async (user: string, id: string) => {
  const answer = await api.request(`/api/cases/${id}`, { user });
  expect(answer.status).toBe(200);
  return WithClassification.parse(answer.body).classification;
};

describe('the classifier explanation of an SMS report', () => {
  it('is shown to the township dispatcher and the unit holding the case, never to an admin or the public, and goes when the case is anonymised', async () => {
    const code = await textReport(rt, PHONE, TEXT);
    const id = code.replaceAll('-', '');
    await eventually('the case', async () =>
      (await api.request(`/api/cases/${id}`, { user: 'supervisor' })).status === 200 ? true : undefined,
    );

    const explanation = await classificationAs('dispatcher.dongquan', id);
    expect(explanation).toBeDefined();
    expect(explanation?.category).toBe('road');
    expect(explanation?.method).toBe('both');
    expect(explanation?.keywords).toContainEqual({ keyword: '路灯', category: 'road' });
    expect(explanation?.model?.version).toBe(version);
    expect(explanation?.model?.top.category).toBe('road');
    expect(explanation?.model?.top.confidence).toBeGreaterThan(explanation?.model?.runnerUp?.confidence ?? 1);
    const features = explanation?.model?.features ?? [];
    expect(features.length).toBeGreaterThan(0);
    // n-grams of the resident's text, never of the village's name (the model never reads it).
    for (const f of features) {
      expect(TEXT).toContain(f.feature);
      expect('魏家庄村').not.toContain(f.feature);
    }

    const current = await api.current(id);
    expect(current.unitId).toBe('transport');
    expect(await classificationAs('handler.transport', id)).toEqual(explanation);
    // The admin sees every case but may not correct a category: no explanation.
    expect(await classificationAs('admin', id)).toBeUndefined();

    const status = await fetch(`${rt.url}/api/reports/${code}`);
    expect(status.status).toBe(200);
    const publicBody = await status.text();
    expect(publicBody).not.toContain('classification');
    for (const f of features) expect(publicBody).not.toContain(f.feature);

    await api.walk(id, [
      ['handler.transport', { action: 'accept' }],
      ['handler.transport', { action: 'resolve', note: '已修好' }],
      ['supervisor', { action: 'verify' }],
      ['supervisor', { action: 'close' }],
    ]);
    const db = createDocumentClient(rt.dynamoClient);
    const table = rt.resources.tables.cases ?? '';
    const run = await anonymiseReports({
      retention: new DynamoDbReportRetention(db, table),
      retentionDays: 365,
      now: () => new Date(Date.now() + 400 * 86_400_000),
    });
    expect(run.anonymised).toContain(id);
    expect(await classificationAs('supervisor', id)).toBeUndefined();
    const item = await db.send(new GetCommand({ TableName: table, Key: { pk: `CASE#${id}`, sk: 'STATE' } }));
    expect(item.Item).toBeDefined();
    expect(item.Item?.classification).toBeUndefined();
    expect(JSON.stringify(item.Item)).not.toContain(features[0]?.feature ?? '路灯');
  }, 60_000);
});
