/**
 * The fraud-risk ranking (GET /api/outreach/risk): every community by fraud reports per 1,000
 * households, its trend and its campaigns, and where a campaign is due (with a shortcut to plan one)
 * and why, in the numbers the suggestion was judged on (the row's `reasons`).
 */
import type { RiskReasonDetail, RiskRow } from '../../../../domain/outreach/fraud-risk.ts';
import type { RiskRanking } from '../../../../services/campaigns/fraud-risk-ranking.ts';
import { api, communityName, failed, townshipName } from '../api.ts';
import { app, LANG, nextNav, P, T } from '../context.ts';
import { byId, clear, el, fill, inputById, lookup, number, show } from '../dom.ts';
import { isRecord } from '../guards.ts';
import { mayPlan, showView } from '../navigation.ts';
import { dateText, dayOf } from './planner.ts';

let riskData: RiskRanking | null = null;
const TREND_ARROWS: Record<RiskRow['trend'], string> = { rising: '↑', falling: '↓', steady: '→', new: '↑' };
const RISK_COLUMNS = [
  'rank',
  'community',
  'township',
  'households',
  'reports90',
  'rate',
  'trend',
  'lastCampaign',
  'nextCampaign',
  'due',
] as const;
const RISK_NUMERIC: ReadonlySet<string> = new Set(['rank', 'households', 'reports90', 'rate']);

const isRiskRanking = (data: unknown): data is RiskRanking =>
  isRecord(data) && Array.isArray(data.communities);

export function wireRisk(): void {
  byId('risk-due-only').addEventListener('change', () => {
    if (riskData) renderRisk(riskData);
  });
  byId('risk-refresh').addEventListener('click', () => showRisk());
}
export function clearRisk(): void {
  riskData = null;
  clear(byId('risk-body'));
}

export async function showRisk(): Promise<void> {
  const seq = nextNav();
  const riskBody = byId('risk-body');
  const riskAlert = byId('risk-alert');
  showView('risk', 'risk');
  document.title = `${P.riskHeading} · ${T.pageTitle}`;
  show(riskAlert, '');
  clear(riskBody);
  riskBody.appendChild(el('p', { className: 'empty', text: T.loading }));
  try {
    const r = await api('GET', '/api/outreach/risk');
    if (seq !== app.navSeq) return;
    if (r.status !== 200 || !isRiskRanking(r.data)) {
      clear(riskBody);
      show(riskAlert, r.status === 403 ? P.forbidden : T.loadFailed, 'alert');
      return;
    }
    riskData = r.data;
    renderRisk(r.data);
  } catch (e) {
    if (seq !== app.navSeq) return;
    clear(riskBody);
    failed(e, riskAlert);
  }
}
function renderRisk(data: RiskRanking): void {
  const riskBody = byId('risk-body');
  clear(riskBody);
  byId('risk-asof').textContent = fill(P.riskAsOf, { date: dateText(data.asOf), days: data.windowDays });
  const dueOnly = inputById('risk-due-only').checked;
  // The rank is the place in the whole county, also when only the due ones are shown.
  const rows = data.communities.map((row, i) => ({ row, rank: i + 1 })).filter((x) => !dueOnly || x.row.due);
  if (!rows.length) {
    riskBody.appendChild(el('p', { className: 'empty', text: P.noRiskRows }));
    return;
  }
  const table = el('table', { className: 'cases risk', id: 'risk-table' }, [
    el('thead', null, [
      el(
        'tr',
        null,
        RISK_COLUMNS.map((col) =>
          el('th', {
            scope: 'col',
            className: RISK_NUMERIC.has(col) ? 'num' : undefined,
            text: P.riskColumns[col],
          }),
        ),
      ),
    ]),
  ]);
  table.appendChild(
    el(
      'tbody',
      null,
      rows.map((x) => riskRow(x.row, x.rank)),
    ),
  );
  riskBody.appendChild(table);
}
function trendCell(row: RiskRow): HTMLSpanElement {
  const title =
    fill(P.trendDetail, { recent: row.recent30, earlier: row.earlier60 }) +
    (row.trendRatio === null || row.trendRatio === undefined
      ? ''
      : ` · ${fill(P.trendRatio, { n: row.trendRatio })}`);
  return el('span', { className: `trend trend-${row.trend}`, 'data-trend': row.trend, title }, [
    el('span', { className: 'arrow', 'aria-hidden': 'true', text: TREND_ARROWS[row.trend] || '' }),
    ' ',
    lookup(P.trends, row.trend) || row.trend,
  ]);
}
const rateText = (n: number): string => Number(n).toFixed(2);

/** One fact behind a suggestion, in words with its numbers. */
export function reasonText(r: RiskReasonDetail): string {
  const w = P.reasonTexts;
  switch (r.code) {
    case 'above_threshold':
    case 'below_threshold':
      return fill(w[r.code], { rate: rateText(r.ratePer1000), bar: rateText(r.thresholdPer1000) });
    case 'rising':
      return r.trendRatio === null
        ? fill(w.rising_from_none, { recent: r.recent30 })
        : fill(w.rising, { recent: r.recent30, earlier: r.earlier60, ratio: r.trendRatio });
    case 'not_rising':
      return fill(w.not_rising, { recent: r.recent30, factor: r.factor });
    case 'too_few_reports':
      return fill(w.too_few_reports, { recent: r.recent30, minimum: r.minimum });
    case 'no_reports':
      return fill(w.no_reports, { days: r.windowDays });
    case 'no_household_count':
      return fill(w.no_household_count, { reports: r.reports90 });
    case 'recent_campaign':
      return fill(w.recent_campaign, { date: dayOf(r.lastCampaignAt), days: r.withinDays });
    case 'already_scheduled':
      return fill(w.already_scheduled, { date: dayOf(r.nextCampaignAt), days: r.withinDays });
  }
}
function reasonList(row: RiskRow): HTMLUListElement | null {
  const reasons = Array.isArray(row.reasons) ? row.reasons : [];
  if (!reasons.length) return null;
  return el(
    'ul',
    { className: 'risk-reasons' },
    reasons.map((r) => el('li', { 'data-code': r.code, text: reasonText(r) })),
  );
}

function riskRow(row: RiskRow, rank: number): HTMLTableRowElement {
  const L = P.riskColumns;
  const reason = lookup(P.reasons, row.reason) || row.reason;
  const advice = row.due
    ? [
        el('span', { className: 'badge danger', text: P.dueBadge }),
        el('span', { className: 'muted reason', text: reason }),
        mayPlan()
          ? el('button', {
              type: 'button',
              className: 'secondary small plan-here',
              'data-community': row.communityId,
              text: P.planHere,
              onclick: () => {
                location.hash = `#/new_campaign/${encodeURIComponent(row.communityId)}`;
              },
            })
          : null,
      ]
    : [el('span', { className: 'muted reason', text: reason })];
  return el(
    'tr',
    {
      className: `risk-row${row.due ? ' is-due' : ''}`,
      'data-community': row.communityId,
      'data-due': String(!!row.due),
    },
    [
      el('td', { className: 'num', 'data-label': L.rank, text: String(rank) }),
      el('td', {
        className: 'community',
        'data-label': L.community,
        text: row[LANG] || communityName(row.communityId),
      }),
      el('td', { 'data-label': L.township, text: townshipName(row.townshipId) }),
      el('td', { className: 'num', 'data-label': L.households, text: number(row.households) }),
      el('td', { className: 'num', 'data-label': L.reports90, text: number(row.reports90) }),
      el('td', { className: 'num rate', 'data-label': L.rate, text: Number(row.ratePer1000).toFixed(2) }),
      el('td', { 'data-label': L.trend }, [trendCell(row)]),
      el('td', { className: 'nowrap', 'data-label': L.lastCampaign, text: dayOf(row.lastCampaignAt) }),
      el('td', { className: 'nowrap', 'data-label': L.nextCampaign, text: dayOf(row.nextCampaignAt) }),
      el('td', { 'data-label': L.due }, [el('div', { className: 'advice' }, advice), reasonList(row)]),
    ],
  );
}
