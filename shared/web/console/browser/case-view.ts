/**
 * One case (GET /api/cases/{id}): the report with the reporter's phone (shown here only), the
 * facts, the timeline (staff by name and their own unit or community) and failed effects, possible
 * duplicates, and the actions the server allows, each with a form of exactly the fields its
 * transition validates (POST …/transitions), the category correction among them.
 */
import type { Stage, TimelineEvent } from '../../../domain/case.ts';
import type { CaseDetail } from '../../../services/case-queries.ts';
import type { ActionField, ConsoleAction } from '../../console-text.ts';
import type { ActionFieldSpec } from '../console-config.ts';
import {
  api,
  catalog,
  categoryName,
  communityName,
  errorOf,
  failed,
  loadOne,
  names,
  sessionStaff,
  townshipName,
  unitName,
} from './api.ts';
import { caseHref, dueBadge, listReturn, stageBadge, stageName } from './case-lists.ts';
import { casePhotosPanel } from './case-photos.ts';
import { classificationPanel } from './classification-panel.ts';
import { C, LANG, type Notice, nextNav, T } from './context.ts';
import {
  byId,
  clear,
  el,
  fact,
  fill,
  focusHeading,
  formatCode,
  lookup,
  readablePhone,
  show,
  timeEl,
  when,
} from './dom.ts';
import { evidencePicker } from './evidence-photos.ts';
import { hasKey, isRecord } from './guards.ts';
import { showView } from './navigation.ts';

const isCaseDetail = (data: unknown): data is CaseDetail =>
  isRecord(data) && typeof data.trackingCode === 'string' && typeof data.stage === 'string';

const caseView = (): HTMLElement => byId('case-view');

export async function showCase(id: string, notice?: Notice): Promise<void> {
  const seq = nextNav();
  const view = caseView();
  showView('case', listReturn.tab);
  document.title = `${fill(T.caseHeading, { code: formatCode(id) })} · ${T.pageTitle}`;
  if (!notice) {
    clear(view);
    view.appendChild(el('p', { className: 'empty', text: T.loading }));
  }
  await loadOne({
    seq,
    path: `/api/cases/${encodeURIComponent(id)}`,
    isData: isCaseDetail,
    render: (d) => renderCase(d, notice),
    fail: renderCaseError,
    notFound: T.notFound,
    forbidden: T.forbidden,
  });
}
const backLink = (): HTMLAnchorElement =>
  el('a', { className: 'back', href: listReturn.href, text: `← ${T.back}` });
function renderCaseError(message: string): void {
  const view = caseView();
  clear(view);
  view.appendChild(backLink());
  view.appendChild(el('p', { className: 'alert', role: 'alert', text: message }));
}
const LOOP_INDEX: Partial<Record<Stage, number>> = {
  received: 0,
  registered: 1,
  dispatched: 2,
  in_progress: 3,
  resolved: 4,
  verified: 4,
  closed: 5,
  evaluated: 6,
};
function loopSteps(stage: Stage): HTMLOListElement {
  const at = LOOP_INDEX[stage];
  return el(
    'ol',
    { className: 'loop', 'aria-label': T.timelineHeading },
    T.loop.map((name, i) => {
      const state = at === undefined ? '' : i < at ? 'done' : i === at ? 'current' : '';
      return el('li', {
        className: state,
        'aria-current': state === 'current' ? 'step' : undefined,
        text: name,
      });
    }),
  );
}
function codeLinks(codes: readonly string[]): HTMLSpanElement {
  const span = el('span');
  codes.forEach((code, i) => {
    if (i) span.appendChild(document.createTextNode(T.listSeparator));
    span.appendChild(el('a', { className: 'code', href: caseHref(code), text: formatCode(code) }));
  });
  return span;
}
/**
 * Who made a change, as staff read it: a member of staff by the name and own unit (or community)
 * the event recorded then; the reporter, a channel or the system by what they are. Events from
 * before staff were recorded by name carry only an id, which is never shown: the signed-in
 * person's own name when it is theirs, else the word for staff.
 */
function whoDid(ev: Pick<TimelineEvent, 'by' | 'actor'>): string {
  const by = ev.by;
  if (by === 'reporter') return T.byReporter;
  if (by.indexOf('channel:') === 0) return lookup(T.byChannel, by.slice(8)) || T.byReporter;
  if (by.indexOf('system:') === 0) return T.bySystem;
  const actor = ev.actor;
  if (actor) {
    const place = actor.unitId
      ? unitName(actor.unitId)
      : actor.communityId
        ? communityName(actor.communityId)
        : lookup(T.roles, actor.role);
    const name = actor.name || lookup(T.roles, actor.role) || T.byStaff;
    return place && place !== name ? name + fill(T.parenthesised, { text: place }) : name;
  }
  const me = sessionStaff();
  if (me.userId === by && me.name) return me.name;
  return T.byStaff;
}

export function renderCase(d: CaseDetail, notice?: Notice): void {
  const view = caseView();
  clear(view);
  view.appendChild(backLink());
  const title = el('h1', { id: 'case-title', tabindex: '-1' }, [
    `${fill(T.caseHeading, { code: '' }).trim()} `,
    el('span', { className: 'code', id: 'case-code', text: d.trackingCode }),
  ]);
  view.appendChild(
    el('div', { className: 'case-head' }, [
      title,
      stageBadge(d.stage),
      d.dueAt || d.overdue ? dueBadge(d) : null,
    ]),
  );
  view.appendChild(loopSteps(d.stage));

  const report = el('section', { className: 'card area-report', 'aria-labelledby': 'report-title' }, [
    el('h2', { id: 'report-title', text: T.reportHeading }),
  ]);
  if (d.report) {
    report.appendChild(
      el('p', { className: 'description', id: 'case-description', text: d.report.description }),
    );
    const rdl = el('dl', { className: 'facts' });
    fact(rdl, T.address, d.report.address);
    if (d.report.location) fact(rdl, T.location, `${d.report.location.lat}, ${d.report.location.lng}`);
    // The phone number appears here only: never in lists, titles or anything the page logs.
    fact(
      rdl,
      T.contactPhone,
      d.report.contactPhone
        ? el('span', null, [
            el('a', {
              className: 'phone',
              id: 'case-phone',
              href: `tel:${d.report.contactPhone}`,
              text: readablePhone(d.report.contactPhone),
            }),
            el('span', { className: 'phone-note', text: T.phoneNote }),
          ])
        : el('span', { className: 'muted', text: T.noPhone }),
    );
    report.appendChild(rdl);
    report.appendChild(casePhotosPanel(d));
  } else {
    report.appendChild(el('p', { className: 'muted', text: T.noReport }));
  }

  const info = el('section', { className: 'card area-info', 'aria-labelledby': 'info-title' }, [
    el('h2', { id: 'info-title', text: T.detailsHeading }),
  ]);
  const idl = el('dl', { className: 'facts' });
  fact(idl, T.category, categoryName(d.category));
  fact(
    idl,
    T.community,
    communityName(d.communityId) + (d.townshipId ? ` · ${townshipName(d.townshipId)}` : ''),
  );
  fact(idl, T.unit, unitName(d.unitId));
  const resolution = d.resolvedBy ? lastResolution(d) : undefined;
  if (resolution) fact(idl, T.resolvedBy, el('span', { id: 'case-resolved-by', text: whoDid(resolution) }));
  if (d.routing)
    fact(
      idl,
      T.routing,
      (lookup(T.routingKinds, d.routing.kind) || d.routing.kind) +
        (d.routing.reason ? fill(T.parenthesised, { text: d.routing.reason }) : ''),
    );
  fact(idl, T.submitted, timeEl(d.submittedAt));
  if (d.dueAt) fact(idl, T.due, timeEl(d.dueAt));
  if (d.escalation)
    fact(
      idl,
      T.escalation,
      `${lookup(T.escalationReasons, d.escalation.reason) || d.escalation.reason} · ${when(d.escalation.at)}`,
    );
  if (d.transfers) fact(idl, T.transfers, fill(T.times, { n: d.transfers }));
  if (d.ratingDetail)
    fact(
      idl,
      T.rating,
      fill(T.score, { n: d.ratingDetail.score }) +
        (d.ratingDetail.comment ? ` · ${d.ratingDetail.comment}` : ''),
    );
  if (d.returnVisit)
    fact(
      idl,
      T.returnVisit,
      [
        T.returnVisitStatus[d.returnVisit.status],
        T.returnVisitReason[d.returnVisit.reason],
        d.returnVisit.outcome ? lookup(T.outcomes, d.returnVisit.outcome) || d.returnVisit.outcome : '',
      ]
        .filter(Boolean)
        .join(' · '),
    );
  if (d.mergedInto) fact(idl, T.mergedInto, codeLinks([d.mergedInto]));
  if (d.duplicates?.length) fact(idl, T.duplicates, codeLinks(d.duplicates));
  info.appendChild(idl);
  const why = classificationPanel(d);
  if (why) info.appendChild(why);

  const timeline = el('section', { className: 'card area-timeline', 'aria-labelledby': 'timeline-title' }, [
    el('h2', { id: 'timeline-title', text: T.timelineHeading }),
  ]);
  timeline.appendChild(
    el(
      'ol',
      { className: 'timeline', id: 'case-timeline' },
      (d.timeline || []).map((ev, i, events) => {
        const label =
          (ev.action && (lookup(T.actions, ev.action) || lookup(T.systemActions, ev.action))) ||
          stageName(ev.stage);
        // The case's unit where it changed (dispatch, reassignment, return): who acted is named
        // with their own unit, which is another thing.
        const previous = i > 0 ? events[i - 1]?.unitId : undefined;
        const moved =
          ev.unitId && ev.unitId !== previous ? fill(T.timelineUnit, { unit: unitName(ev.unitId) }) : '';
        return el('li', { 'data-action': ev.action || '', 'data-stage': ev.stage }, [
          // An action names what was done and the badge where it led; intake events are just the stage.
          el('div', { className: 'tl-head' }, [
            el('strong', { text: label }),
            ev.action ? stageBadge(ev.stage) : null,
          ]),
          el('p', { className: 'tl-meta' }, [
            when(ev.at),
            ' · ',
            el('span', { className: 'tl-actor', text: whoDid(ev) }),
            moved ? el('span', { className: 'tl-unit', text: ` · ${moved}` }) : null,
          ]),
          ev.category
            ? el('p', {
                className: 'tl-category',
                text: fill(T.timelineCategory, { category: categoryName(ev.category) }),
              })
            : null,
          ev.note ? el('p', { className: 'tl-note', text: ev.note }) : null,
        ]);
      }),
    ),
  );
  // Effects that failed for good stay visible here: a text the reporter never got, a parked delivery.
  if (d.notices?.length) {
    timeline.appendChild(el('h3', { text: T.noticeHeading }));
    timeline.appendChild(
      el(
        'ul',
        { className: 'notices', id: 'case-notices' },
        d.notices.map((n) => {
          const what =
            (lookup(T.noticeEffects, n.effect) || n.effect) +
            T.noticeJoin +
            (lookup(T.noticeOutcomes, n.outcome) || n.outcome);
          return el('li', { 'data-outcome': n.outcome }, [
            el('strong', { text: what }),
            el('p', { className: 'tl-meta', text: when(n.at) }),
          ]);
        }),
      ),
    );
  }

  const dups = el('section', { className: 'card area-dups', 'aria-labelledby': 'dups-title' }, [
    el('h2', { id: 'dups-title', text: T.duplicatesHeading }),
  ]);
  const possible = d.possibleDuplicates || [];
  if (possible.length) {
    dups.appendChild(el('p', { className: 'muted', text: T.duplicatesHint }));
    dups.appendChild(
      el(
        'ul',
        { className: 'dups', id: 'case-duplicates' },
        possible.map((code) =>
          el('li', null, [el('a', { className: 'code', href: caseHref(code), text: formatCode(code) })]),
        ),
      ),
    );
  } else {
    dups.appendChild(el('p', { className: 'muted', text: T.noDuplicates }));
  }

  view.appendChild(
    el('div', { className: 'case-grid' }, [report, info, timeline, actionsCard(d, notice), dups]),
  );
  focusHeading('case-title');
}

/** The event of the resolution standing now (the last resolve by the one who resolved it). */
function lastResolution(d: CaseDetail): TimelineEvent | undefined {
  for (let i = d.timeline.length - 1; i >= 0; i--) {
    const ev = d.timeline[i];
    if (ev?.action === 'resolve' && ev.by === d.resolvedBy) return ev;
  }
  return undefined;
}

// ─── actions ───
const POSITIVE: ReadonlySet<string> = new Set([
  'accept',
  'resolve',
  'verify',
  'close',
  'record_return_visit',
]);
const CAUTION: ReadonlySet<string> = new Set(['return', 'reject_resolution', 'reopen']);

const isConsoleAction = (action: string): action is ConsoleAction => hasKey(C.actionFields, action);

function actionsCard(d: CaseDetail, notice: Notice | undefined): HTMLElement {
  const card = el(
    'section',
    { className: 'card area-actions', id: 'case-actions', 'aria-labelledby': 'actions-title' },
    [el('h2', { id: 'actions-title', text: T.actionsHeading })],
  );
  const alertBox = el('p', { className: 'alert', id: 'case-alert', role: 'alert', hidden: true });
  const noticeBox = el('p', { className: 'notice', id: 'case-notice', role: 'status', hidden: true });
  if (notice?.error) show(alertBox, notice.error, 'alert');
  if (notice?.ok) show(noticeBox, notice.ok, 'notice');
  card.appendChild(alertBox);
  card.appendChild(noticeBox);
  const allowed = (d.allowedActions || []).filter(isConsoleAction);
  if (!allowed.length) {
    card.appendChild(el('p', { className: 'muted', id: 'no-actions', text: T.noActions }));
    return card;
  }
  const formSlot = el('div');
  const buttons = el('div', { className: 'action-buttons' });
  for (const a of allowed) {
    const button = el('button', {
      type: 'button',
      className: POSITIVE.has(a) ? 'primary' : CAUTION.has(a) ? 'caution' : 'secondary',
      'data-action': a,
      'aria-expanded': 'false',
      'aria-controls': 'action-form',
      text: T.actions[a],
      onclick: () => {
        for (const b of buttons.children) b.setAttribute('aria-expanded', String(b === button));
        show(alertBox, '');
        show(noticeBox, '');
        clear(formSlot);
        formSlot.appendChild(
          actionForm(d, a, () => {
            clear(formSlot);
            for (const b of buttons.children) b.setAttribute('aria-expanded', 'false');
          }),
        );
        const first = formSlot.querySelector<HTMLElement>('textarea,select,input');
        if (first) first.focus();
      },
    });
    buttons.appendChild(button);
  }
  card.appendChild(buttons);
  card.appendChild(formSlot);
  return card;
}

function fieldControl(d: CaseDetail, f: ActionFieldSpec): HTMLElement {
  const id = `action-${f.name}`;
  if (f.name === 'note')
    return el('textarea', { id, name: 'note', rows: 4, maxlength: 1000, 'aria-describedby': `${id}-error` });
  if (f.name === 'unitId') {
    const select = el('select', { id, name: 'unitId', 'aria-describedby': `${id}-error` }, [
      el('option', { value: '', text: T.chooseUnit }),
    ]);
    for (const u of catalog.units)
      if (u.id !== d.unitId) select.appendChild(el('option', { value: u.id, text: u[LANG] }));
    return select;
  }
  if (f.name === 'category') {
    const select = el('select', { id, name: 'category', 'aria-describedby': `${id}-error` }, [
      el('option', { value: '', text: T.chooseCategory }),
    ]);
    // The catalogue's categories in its order, the case's own left out (the server refuses it).
    for (const code of Object.keys(names.category))
      if (code !== d.category) select.appendChild(el('option', { value: code, text: categoryName(code) }));
    return select;
  }
  if (f.name === 'into') {
    const input = el('input', {
      id,
      name: 'into',
      type: 'text',
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: 20,
      list: 'action-into-options',
      'aria-describedby': `${id}-hint ${id}-error`,
    });
    const options = el(
      'datalist',
      { id: 'action-into-options' },
      (d.possibleDuplicates || []).map((code) => el('option', { value: formatCode(code) })),
    );
    return el('div', null, [
      el('p', { className: 'hint', id: `${id}-hint`, text: T.intoHint }),
      input,
      options,
    ]);
  }
  // outcome
  return el(
    'div',
    { className: 'radio-row', id, role: 'radiogroup', 'aria-describedby': `${id}-error` },
    (['satisfied', 'unresolved'] as const).map((o) =>
      el('label', null, [el('input', { type: 'radio', name: 'outcome', value: o }), T.outcomes[o]]),
    ),
  );
}

function actionForm(d: CaseDetail, action: ConsoleAction, close: () => void): HTMLFormElement {
  const fields = C.actionFields[action] || [];
  const form = el(
    'form',
    { className: 'action-form', id: 'action-form', novalidate: true, 'data-action': action },
    [el('h3', { text: T.actions[action] }), el('p', { className: 'hint', text: T.actionHints[action] })],
  );
  for (const f of fields) {
    const id = `action-${f.name}`;
    // The resolve note is shown to the resident on the public status page, and its label says so.
    const labelText = (f.name === 'note' && lookup(T.publicNoteLabels, action)) || T.labels[f.name];
    const labelEl =
      f.name === 'outcome'
        ? el('p', { className: 'label', id: `${id}-label` }, [el('strong', { text: labelText })])
        : el('label', { for: id, text: labelText });
    labelEl.appendChild(
      el('span', {
        className: f.required ? 'required' : 'optional',
        text: f.required ? T.required : T.optional,
      }),
    );
    form.appendChild(
      el('div', { className: 'field', id: `${id}-field` }, [
        labelEl,
        fieldControl(d, f),
        el('p', { className: 'error', id: `${id}-error`, hidden: true }),
      ]),
    );
  }
  // Evidence photos: of the result on resolve (optionally public), of the problem on accept.
  const picker =
    action === 'resolve'
      ? evidencePicker('after')
      : action === 'accept'
        ? evidencePicker('before')
        : undefined;
  if (picker) form.appendChild(picker.element);
  const formError = el('p', { className: 'alert', id: 'action-form-error', role: 'alert', hidden: true });
  form.appendChild(formError);
  const submit = el('button', {
    type: 'submit',
    className: CAUTION.has(action) ? 'caution' : 'primary',
    id: 'action-submit',
    text: fill(T.confirmAction, { action: T.actions[action] }),
  });
  form.appendChild(
    el('div', { className: 'form-buttons' }, [
      submit,
      el('button', { type: 'button', className: 'secondary', text: T.cancel, onclick: close }),
    ]),
  );

  function setFieldError(name: ActionField, message: string): boolean {
    const wrap = document.getElementById(`action-${name}-field`);
    const err = document.getElementById(`action-${name}-error`);
    if (!wrap || !err) return false;
    show(err, message);
    wrap.classList.toggle('has-error', !!message);
    const control = document.getElementById(`action-${name}`);
    if (control) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    return true;
  }
  const fieldValue = (name: ActionField): string => {
    if (name === 'outcome')
      return form.querySelector<HTMLInputElement>('input[name=outcome]:checked')?.value ?? '';
    const control = form.elements.namedItem(name);
    return control instanceof HTMLInputElement ||
      control instanceof HTMLTextAreaElement ||
      control instanceof HTMLSelectElement
      ? control.value
      : '';
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const f of fields) setFieldError(f.name, '');
    show(formError, '');
    const body: Record<string, string | number> = { action, expectedVersion: d.version };
    for (const f of fields) {
      const value = fieldValue(f.name);
      // Empty optional fields are left out; an empty required one goes to the server, whose
      // answer (400, path = field) marks the field like any other mistake.
      if (value.trim() !== '') body[f.name] = value;
    }
    submit.disabled = true;
    submit.textContent = T.sending;
    try {
      // The photos first: the case moves only with the evidence the unit chose.
      if (picker && !(await picker.attach(d.id))) return;
      const r = await api('POST', `/api/cases/${encodeURIComponent(d.id)}/transitions`, body);
      const error = errorOf(r.data);
      if (r.status === 200 && isCaseDetail(r.data)) {
        renderCase(r.data, { ok: fill(T.done, { action: T.actions[action] }) });
        return;
      }
      if (r.status === 409) {
        // Someone moved the case first (or it moved on): show why, then the case as it is now.
        showCase(d.id, { error: error.code === 'version_conflict' ? T.versionConflict : T.notAllowed });
        return;
      }
      if (r.status === 404) {
        renderCaseError(T.notFound);
        return;
      }
      if (r.status === 400) {
        const unplaced: string[] = [];
        let first: ActionField | null = null;
        for (const issue of error.issues) {
          const name = issue.path.split('.')[0];
          const field = fields.find((f) => f.name === name);
          if (field && setFieldError(field.name, T.fieldErrors[field.name])) first = first || field.name;
          else unplaced.push(issue.message);
        }
        if (unplaced.length || !first) {
          show(formError, T.invalid, 'alert');
          if (unplaced.length)
            formError.appendChild(el('span', { className: 'alert-detail', text: unplaced.join('; ') }));
        }
        const focus = first ? document.getElementById(`action-${first}`) : null;
        if (focus) (focus.querySelector('input') || focus).focus();
        return;
      }
      show(formError, T.serverError, 'alert');
    } catch (err) {
      failed(err, formError);
    } finally {
      submit.disabled = false;
      submit.textContent = fill(T.confirmAction, { action: T.actions[action] });
    }
  });
  return form;
}
