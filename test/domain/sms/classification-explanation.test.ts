import { describe, expect, it } from 'vitest';
import { categoryCodes } from '../../../shared/domain/categories.ts';
import {
  ClassificationExplanation,
  MAX_EXPLAINED_FEATURES,
  MAX_EXPLAINED_KEYWORDS,
} from '../../../shared/domain/sms/classification-explanation.ts';
import { KeywordTable } from '../../../shared/domain/sms/classify-report.ts';
import { classifyWithModel } from '../../../shared/domain/sms/report-classifier.ts';
import {
  featureContributions,
  type LabelledText,
  predictCategory,
  textFeatures,
  trainTextModel,
} from '../../../shared/domain/sms/text-model.ts';
import { defaultKeywordTable } from '../../../shared/reference/report-keywords.ts';
import { labelledReports } from './labelled-reports.ts';

const examples: LabelledText[] = labelledReports.map((r) => ({ text: r.text, label: r.expected }));
const model = trainTextModel(examples);
const FRAUD = '有人冒充公安让我转钱到安全账户';

describe('the classifier explains its decision', () => {
  it('names the keywords with their category and no model when the county has none', () => {
    const { explanation } = classifyWithModel(FRAUD, defaultKeywordTable, undefined);
    expect(explanation.method).toBe('keywords');
    expect(explanation.category).toBe('fraud');
    expect(explanation.keywords).toContainEqual({ keyword: '安全账户', category: 'fraud' });
    expect(explanation.keywords.every((k) => FRAUD.includes(k.keyword))).toBe(true);
    expect(explanation.model).toBeUndefined();
  });

  it('says it abstained when the keywords are not sure and there is no model', () => {
    const { explanation } = classifyWithModel('你们好，想问个事', defaultKeywordTable, undefined);
    expect(explanation).toEqual({ method: 'abstained', category: 'other', keywords: [] });
  });

  it('gives the model version, the confidence of its top category and the runner-up, and the n-grams that pushed towards it', () => {
    const result = classifyWithModel(FRAUD, defaultKeywordTable, { version: 7, model });
    const { explanation } = result;
    expect(explanation.method).toBe('both');
    expect(explanation.category).toBe('fraud');
    const explained = explanation.model;
    expect(explained?.version).toBe(7);
    expect(explained?.threshold).toBe(model.threshold);
    expect(explained?.top.category).toBe('fraud');
    expect(explained?.top.confidence).toBeCloseTo(predictCategory(model, FRAUD).confidence, 3);
    const runnerUp = explained?.runnerUp;
    expect(runnerUp).toBeDefined();
    expect(runnerUp?.category).not.toBe('fraud');
    expect(runnerUp?.confidence).toBeLessThanOrEqual(explained?.top.confidence ?? 0);

    const features = explained?.features ?? [];
    expect(features.length).toBeGreaterThan(0);
    expect(features.length).toBeLessThanOrEqual(MAX_EXPLAINED_FEATURES);
    // Every one is an n-gram of the text, and they come largest log-likelihood ratio first.
    const own = textFeatures(FRAUD);
    for (const f of features) expect(own).toContain(f.feature);
    const weights = features.map((f) => f.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(features).toEqual(
      featureContributions(model, FRAUD, 'fraud', runnerUp?.category ?? 'other', MAX_EXPLAINED_FEATURES),
    );
  });

  it('weighs each feature by its log-likelihood ratio between the top category and the runner-up', () => {
    const text = '路灯坏了好几天';
    const [first] = featureContributions(model, text, 'road', 'fraud', 1);
    expect(first).toBeDefined();
    const feature = first?.feature ?? '';
    expect(textFeatures(text)).toContain(feature);
    expect(first?.weight).toBeGreaterThan(0);
    // The same pair the other way round favours the other category: this feature is not among them.
    expect(featureContributions(model, text, 'fraud', 'road', 5).map((c) => c.feature)).not.toContain(
      feature,
    );
  });

  it('explains a decision by the model alone, and one where it abstained, with the model still shown', () => {
    const text = '晚上有人在小区门口吵闹，不知道找谁';
    const confidence = predictCategory(model, text).confidence;
    const alone = classifyWithModel(text, defaultKeywordTable, { ...model, threshold: 0 });
    expect(['model', 'both']).toContain(alone.explanation.method);
    expect(alone.explanation.category).toBe(alone.category);
    expect(alone.explanation.model?.top.category).toBe(alone.category);
    expect(alone.explanation.model?.version).toBeUndefined();

    const doubtful = classifyWithModel(text, defaultKeywordTable, {
      ...model,
      threshold: confidence + 0.001,
    });
    expect(doubtful.explanation).toMatchObject({ method: 'abstained', category: 'other' });
    expect(doubtful.explanation.model?.top.category).toBe(predictCategory(model, text).category);
    expect(doubtful.explanation.model?.features.length).toBeGreaterThan(0);
  });

  it('leaves place names out of the features, as the model never read them', () => {
    const text = '朱坑村村口的路灯坏了好几天';
    const { explanation } = classifyWithModel(text, defaultKeywordTable, model, { ignore: ['朱坑村'] });
    for (const f of explanation.model?.features ?? []) expect(f.feature).not.toMatch(/朱|坑/u);
  });

  it('shows English words without the model’s prefix', () => {
    const english = trainTextModel([
      { text: 'the street light is broken on the road', label: 'road' },
      { text: 'pothole on the road near the bridge', label: 'road' },
      { text: 'someone called me pretending to be police asking for money transfer', label: 'fraud' },
      { text: 'scam call asked me to transfer money to a safe account', label: 'fraud' },
    ]);
    const { explanation } = classifyWithModel('big pothole on the road', defaultKeywordTable, english);
    const features = explanation.model?.features.map((f) => f.feature) ?? [];
    expect(features).toContain('pothole');
    expect(features.some((f) => f.startsWith('w:'))).toBe(false);
  });

  it('is the same for the same text, and survives JSON as the stored schema', () => {
    const a = classifyWithModel(FRAUD, defaultKeywordTable, { version: 2, model }).explanation;
    const b = classifyWithModel(FRAUD, defaultKeywordTable, { version: 2, model }).explanation;
    expect(b).toEqual(a);
    expect(ClassificationExplanation.parse(JSON.parse(JSON.stringify(a)))).toEqual(a);
  });

  it('caps the keywords it keeps, and their length, whatever the table holds', () => {
    const long = '很长的关键词'.repeat(10);
    const many = Array.from({ length: 15 }, (_, i) => `词${String.fromCharCode(0x4e00 + i)}`);
    const table = KeywordTable.parse(
      Object.fromEntries(categoryCodes.map((c) => [c, { zh: c === 'road' ? [...many, long] : [], en: [] }])),
    );
    const text = `${many.join('，')}，${long}`;
    const { explanation } = classifyWithModel(text, table, undefined);
    expect(explanation.keywords).toHaveLength(MAX_EXPLAINED_KEYWORDS);
    expect(explanation.keywords.every((k) => [...k.keyword].length <= 40)).toBe(true);
    expect(() => ClassificationExplanation.parse(explanation)).not.toThrow();
  });
});
