import { describe, expect, it } from 'vitest';
import { classifyReport } from '../../../shared/domain/sms/classify-report.ts';
import {
  AGREEMENT_ONLY,
  calibrateThreshold,
  crossValidate,
  precisionCoverage,
  trainCalibratedModel,
} from '../../../shared/domain/sms/model-quality.ts';
import { classifyWithModel } from '../../../shared/domain/sms/report-classifier.ts';
import {
  type LabelledText,
  modelSizeBytes,
  predictCategory,
  TextModel,
  textFeatures,
  trainTextModel,
} from '../../../shared/domain/sms/text-model.ts';
import { defaultKeywordTable } from '../../../shared/reference/report-keywords.ts';
import { labelledReports } from './labelled-reports.ts';

const examples: LabelledText[] = labelledReports.map((r) => ({ text: r.text, label: r.expected }));

describe('textFeatures', () => {
  it('takes character 1–3-grams inside Chinese runs and stemmed words and word pairs in Latin script', () => {
    const features = textFeatures('路灯坏了 Street lights broken');
    expect(features).toEqual(
      expect.arrayContaining(['路', '路灯', '路灯坏', '灯坏了', 'w:street', 'w:light', 'w:street light']),
    );
    expect(features).not.toContain('了 ');
  });

  it('counts a feature once however often it is repeated, and drops numbers', () => {
    const features = textFeatures('骗骗骗 paid 800 paid 300');
    expect(features.filter((f) => f === '骗')).toHaveLength(1);
    // Amounts say nothing about the department: no feature carries a number.
    expect(features.some((f) => /\d/u.test(f))).toBe(false);
  });
});

describe('trainTextModel', () => {
  it('is deterministic: the same examples give the same model, byte for byte', () => {
    expect(JSON.stringify(trainTextModel(examples))).toBe(JSON.stringify(trainTextModel([...examples])));
  });

  it('keeps at most maxFeatures and parses as a stored TextModel', () => {
    const model = trainTextModel(examples, { maxFeatures: 500 });
    expect(model.features).toHaveLength(500);
    expect(TextModel.parse(JSON.parse(JSON.stringify(model)))).toEqual(model);
    expect(modelSizeBytes(model)).toBeLessThan(30_000);
  });

  it('learns the examples it was given', () => {
    const model = trainTextModel(examples);
    const right = examples.filter((e) => predictCategory(model, e.text).category === e.label).length;
    expect(right / examples.length).toBeGreaterThan(0.9);
  });

  it('refuses a training set with fewer than two categories', () => {
    expect(() => trainTextModel([{ text: '路灯坏了', label: 'road' }])).toThrow(RangeError);
  });
});

describe('predictCategory', () => {
  const model = trainTextModel(examples);

  it('answers the same for the same text, with a confidence between 0 and 1 and the features behind it', () => {
    const a = predictCategory(model, '有人冒充公安让我转钱到安全账户');
    expect(predictCategory(model, '有人冒充公安让我转钱到安全账户')).toEqual(a);
    expect(a.category).toBe('fraud');
    expect(a.confidence).toBeGreaterThan(0);
    expect(a.confidence).toBeLessThanOrEqual(1);
    expect(a.topFeatures.length).toBeGreaterThan(0);
  });
});

describe('classifyWithModel', () => {
  const model = trainTextModel(examples);

  it('without a model is exactly the keyword classifier (a fresh county behaves as before)', () => {
    for (const { text } of examples) {
      const keywords = classifyReport(text, defaultKeywordTable);
      const combined = classifyWithModel(text, defaultKeywordTable, undefined);
      expect({ category: combined.category, confident: combined.confident }).toEqual({
        category: keywords.category,
        confident: keywords.confident,
      });
      expect(combined.model).toBeUndefined();
    }
  });

  it('abstains below the threshold when the keywords do not agree', () => {
    const text = '晚上有人在小区门口吵闹，不知道找谁';
    const confidence = predictCategory(model, text).confidence;
    const above = classifyWithModel(text, defaultKeywordTable, { ...model, threshold: 0 });
    const below = classifyWithModel(text, defaultKeywordTable, { ...model, threshold: confidence + 0.001 });
    expect(below).toMatchObject({ category: 'other', confident: false, decidedBy: 'none' });
    expect(above.decidedBy === 'model' || above.decidedBy === 'keywords_and_model').toBe(true);
  });

  it('routes what keywords and model agree on whatever the threshold', () => {
    const result = classifyWithModel('有人冒充公安让我转钱到安全账户', defaultKeywordTable, {
      version: 3,
      model: { ...model, threshold: AGREEMENT_ONLY },
    });
    expect(result).toMatchObject({ category: 'fraud', confident: true, decidedBy: 'keywords_and_model' });
    expect(result.model?.version).toBe(3);
  });
});

describe('precision and coverage', () => {
  it('count a routed `other` as a wrong department and leave `other` labels out of coverage', () => {
    const q = precisionCoverage([
      { label: 'road', predicted: 'road' },
      { label: 'road', predicted: 'other' },
      { label: 'other', predicted: 'market' },
      { label: 'other', predicted: 'other' },
    ]);
    expect(q).toMatchObject({ routed: 2, correct: 1, precision: 0.5, coverage: 0.5 });
  });

  it('calibrates the lowest threshold reaching the target, or agreement only when none does', () => {
    const { scored } = crossValidate(examples, defaultKeywordTable, 5);
    const point = calibrateThreshold(scored, 0.9);
    expect(point.precision).toBeGreaterThanOrEqual(0.9);
    expect(calibrateThreshold(scored, 1.5).threshold).toBe(AGREEMENT_ONLY);
  });

  it('stores the calibrated threshold and what cross-validation measured with the model', () => {
    const { model, measured } = trainCalibratedModel(examples, defaultKeywordTable, { targetPrecision: 0.9 });
    expect(measured).toMatchObject({ folds: 5, examples: examples.length });
    expect(measured.precision).toBeGreaterThanOrEqual(0.9);
    expect(model.threshold).toBeGreaterThan(0);
  });
});
