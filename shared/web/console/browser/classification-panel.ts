/**
 * "分类依据 / Why this category" in the case view (issue 14 item 6): for a case the SMS classifier
 * put in its category, the category and how it was decided (keywords, model, both, or neither:
 * triage), the keywords that counted with the category each counted for, the model's confidence in
 * its top category and the runner-up against its threshold, and the words of the text that pushed
 * hardest; where the reader may correct the category, one button opens the correction form. The
 * API gives the explanation only to those who may correct it and to the unit holding the case, so
 * a case without one (a web report, an older case, another reader) shows nothing here.
 */
import type { ClassificationExplanation } from '../../../domain/sms/classification-explanation.ts';
import type { CaseDetail } from '../../../services/case-queries.ts';
import { categoryName } from './api.ts';
import { T } from './context.ts';
import { el, fact, fill, lookup } from './dom.ts';
import { isRecord } from './guards.ts';

// Read through a guard: the case detail is the server's JSON, which may come from an older server.
const isExplanation = (value: unknown): value is ClassificationExplanation =>
  isRecord(value) &&
  typeof value.method === 'string' &&
  typeof value.category === 'string' &&
  Array.isArray(value.keywords);

const percent = (p: number): number => Math.round(p * 100);

/** The panel, or null when this case has no explanation for this reader. */
export function classificationPanel(d: CaseDetail): HTMLElement | null {
  const x: unknown = isRecord(d) ? d.classification : undefined;
  if (!isExplanation(x)) return null;
  const K = T.classification;
  const dl = el('dl', { className: 'facts' });
  fact(
    dl,
    K.decided,
    el('span', {
      id: 'case-classified',
      'data-method': x.method,
      text: `${categoryName(x.category)} · ${lookup(K.methods, x.method) || x.method}`,
    }),
  );
  if (x.keywords.length)
    fact(
      dl,
      K.keywords,
      el('span', {
        id: 'case-keywords',
        text: x.keywords
          .map((k) => fill(K.keyword, { keyword: k.keyword, category: categoryName(k.category) }))
          .join(T.listSeparator),
      }),
    );
  const m = x.model;
  if (m) {
    const parts = [
      fill(K.modelTop, { category: categoryName(m.top.category), n: percent(m.top.confidence) }),
    ];
    if (m.runnerUp)
      parts.push(
        fill(K.runnerUp, { category: categoryName(m.runnerUp.category), n: percent(m.runnerUp.confidence) }),
      );
    // Above 100%: the model alone never decides, only when the keywords agree.
    parts.push(fill(K.threshold, { n: percent(Math.min(m.threshold, 1)) }));
    fact(dl, K.model, el('span', { id: 'case-model', text: parts.join(T.listSeparator) }));
    if (m.features.length)
      fact(
        dl,
        K.features,
        el('span', { id: 'case-features', text: m.features.map((f) => f.feature).join(T.listSeparator) }),
      );
  }
  const mayCorrect = (d.allowedActions || []).indexOf('recategorise') >= 0;
  return el(
    'section',
    { className: 'classification', id: 'case-classification', 'aria-labelledby': 'classification-title' },
    [
      el('h3', { id: 'classification-title', text: K.heading }),
      el('p', { className: 'hint', text: K.intro }),
      dl,
      mayCorrect
        ? el('button', {
            type: 'button',
            className: 'secondary small',
            id: 'classification-correct',
            text: K.correct,
            onclick: openCorrection,
          })
        : null,
    ],
  );
}

/** The actions card's own category correction: its form opens with the category select focused. */
function openCorrection(): void {
  const open = document.querySelector<HTMLButtonElement>('#case-actions button[data-action="recategorise"]');
  if (!open) return;
  open.click();
  const form = document.getElementById('action-form');
  if (form) form.scrollIntoView({ block: 'nearest' });
}
