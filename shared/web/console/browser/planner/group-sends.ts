/**
 * A WeChat-group campaign's latest run on its page (GET /api/campaigns/{id} `groupSends`): each
 * township's groups by status — sent, awaiting their owner's confirmation, not sent, at their
 * monthly limit — and, opened, each grid's group with its status; and the campaign's reach.
 */
import type { CampaignReach, GroupSendStatus } from '../../../../domain/outreach/group-mass-send.ts';
import type { CampaignView } from '../../../../services/campaigns/plan-campaigns.ts';
import { P } from '../context.ts';
import { el, fill, number } from '../dom.ts';

const STATUS_COLUMNS: readonly GroupSendStatus[] = [
  'sent',
  'created',
  'not_sent',
  'limited',
  'failed',
  'unknown',
];

export function groupSendsCard(sends: NonNullable<CampaignView['groupSends']>): HTMLElement {
  const G = P.groups;
  const C = G.columns;
  const head = el('tr', null, [
    el('th', { scope: 'col', text: C.township }),
    el('th', { scope: 'col', className: 'num', text: C.groups }),
    ...STATUS_COLUMNS.map((s) => el('th', { scope: 'col', className: 'num', text: C[s] })),
    el('th', { scope: 'col', className: 'num', text: C.households }),
  ]);
  const rows = sends.townships.map((t) => {
    const total = STATUS_COLUMNS.reduce((sum, s) => sum + t.counts[s], 0);
    return el('tr', { 'data-township': t.townshipId }, [
      el('th', { scope: 'row', 'data-label': C.township }, [
        el('details', null, [
          el('summary', { text: t.zh }),
          el('p', { className: 'muted', text: fill(G.gridsOf, { name: t.zh, n: number(t.grids.length) }) }),
          el(
            'ul',
            { className: 'group-grids' },
            t.grids.map((g) =>
              el('li', { 'data-grid': g.gridId, 'data-status': g.status }, [
                `${g.zh} · `,
                el('span', { className: `badge gs-${g.status}`, text: G.statuses[g.status] }),
              ]),
            ),
          ),
        ]),
      ]),
      el('td', { className: 'num', 'data-label': C.groups, text: number(total) }),
      ...STATUS_COLUMNS.map((s) =>
        el('td', { className: 'num', 'data-label': C[s], 'data-count': s, text: number(t.counts[s]) }),
      ),
      el('td', { className: 'num', 'data-label': C.households, text: number(t.householdsReached) }),
    ]);
  });
  return el('section', { className: 'card', id: 'campaign-groups', 'aria-labelledby': 'groups-title' }, [
    el('h2', { id: 'groups-title', text: G.heading }),
    el('p', { className: 'muted', text: G.intro }),
    el('div', { className: 'table-scroll' }, [
      el('table', { className: 'cases group-sends', id: 'group-sends-table' }, [
        el('thead', null, [head]),
        el('tbody', null, rows),
      ]),
    ]),
  ]);
}

/** The campaign's reach, SMS beside WeChat groups (the effect's `reach`). */
export function reachLine(reach: CampaignReach): HTMLElement {
  return el('p', {
    className: 'muted',
    id: 'effect-reach',
    text: fill(P.groups.reach, {
      sms: number(reach.smsHouseholds),
      groups: number(reach.groups),
      households: number(reach.groupHouseholds),
    }),
  });
}
