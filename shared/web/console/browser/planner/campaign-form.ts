/**
 * The campaign form, new (#/new_campaign/<communityId>) or editing (#/campaign/<id>/edit): the
 * community picker, the recurrence, the channel (an SMS, or a lecture or screening with its
 * assignee), a live preview of the SMS and its cost (POST /api/campaign-previews) and saving
 * (POST /api/campaigns, PUT /api/campaigns/{id}), with the server's issues next to their fields.
 */
import type { Campaign } from '../../../../domain/outreach/campaign.ts';
import type { OutreachSmsPreview } from '../../../../domain/outreach/outreach-message.ts';
import type { CampaignView } from '../../../../services/campaigns/plan-campaigns.ts';
import type { previewCampaign } from '../../../../services/campaigns/preview-campaign.ts';
import type { CampaignField } from '../../../console-text.ts';
import { api, catalog, Expired, errorOf, failed, loadCatalog, NetworkDown } from '../api.ts';
import { app, LANG, type Notice, nextNav, P, T, type TabName } from '../context.ts';
import { buttonById, byId, byKind, clear, el, fill, focusHeading, inputById, number, show } from '../dom.ts';
import { isRecord } from '../guards.ts';
import { showView, viewHidden } from '../navigation.ts';
import { actionErrorText, isCampaignView, openCampaignView, showCampaignAfter } from './campaign-view.ts';
import {
  addDays,
  CAMPAIGN_FIELDS,
  communityList,
  estimateLines,
  estimateSourceText,
  isCampaignField,
  sortIssues,
  todayShanghai,
  warningText,
  weekdayOf,
  withWeekday,
} from './planner.ts';

/** POST /api/campaign-previews's answer; `message` only for an SMS. */
type Preview = Awaited<ReturnType<typeof previewCampaign>> & { message?: OutreachSmsPreview };
const isPreview = (data: unknown): data is Preview => isRecord(data) && typeof data.households === 'number';

type FieldIssues = Partial<Record<CampaignField, string[]>>;
const formState: {
  mode: 'new' | 'edit';
  view: CampaignView | null;
  touched: Partial<Record<string, boolean>>;
  showAll: boolean;
  previewIssues: FieldIssues;
  saveIssues: FieldIssues;
  timer: number | undefined;
  seq: number;
  busy: boolean;
} = {
  mode: 'new',
  view: null,
  touched: {},
  showAll: false,
  previewIssues: {},
  saveIssues: {},
  timer: undefined,
  seq: 0,
  busy: false,
};
let pickerBuilt = false;

const cform = (): HTMLFormElement => byKind('campaign-form', HTMLFormElement);
const picker = (): HTMLElement => byId('cf-communities');
const value = (id: string): string => {
  const control = document.getElementById(id);
  return control instanceof HTMLInputElement ||
    control instanceof HTMLTextAreaElement ||
    control instanceof HTMLSelectElement
    ? control.value
    : '';
};
function setValue(id: string, text: string): void {
  const control = document.getElementById(id);
  if (
    control instanceof HTMLInputElement ||
    control instanceof HTMLTextAreaElement ||
    control instanceof HTMLSelectElement
  )
    control.value = text;
}

const inputsNamed = (name: string, checked = false): HTMLInputElement[] => [
  ...cform().querySelectorAll<HTMLInputElement>(`input[name="${name}"]${checked ? ':checked' : ''}`),
];
const checkedValue = (name: string): string => inputsNamed(name, true)[0]?.value ?? '';
function setChecked(name: string, values: readonly string[]): void {
  for (const i of inputsNamed(name)) i.checked = values.indexOf(i.value) >= 0;
}
const checkedValues = (name: string): string[] => inputsNamed(name, true).map((i) => i.value);

function buildPicker(): void {
  const box = picker();
  if (pickerBuilt || !catalog.townships.length) return;
  clear(box);
  for (const t of catalog.townships) {
    if (!t.communities.length) continue;
    const items = t.communities.map((c) => {
      const search = [c.zh, c.en, c.id, t.zh, t.en].join(' ').toLowerCase();
      return el('label', { className: 'pick', 'data-search': search }, [
        el('input', { type: 'checkbox', name: 'communityIds', value: c.id }),
        el('span', { text: c[LANG] }),
      ]);
    });
    box.appendChild(
      el('fieldset', { className: 'pick-group', 'data-township': t.id }, [
        el('legend', null, [
          el('label', null, [
            el('input', {
              type: 'checkbox',
              className: 'pick-all',
              'data-township': t.id,
              'aria-label': `${P.selectAll} · ${t[LANG]}`,
            }),
            el('span', { text: t[LANG] }),
          ]),
        ]),
        el('div', { className: 'pick-items' }, items),
      ]),
    );
  }
  pickerBuilt = true;
}
function filterPicker(query: string): void {
  const q = String(query || '')
    .trim()
    .toLowerCase();
  for (const g of picker().querySelectorAll<HTMLElement>('.pick-group')) {
    let any = false;
    for (const l of g.querySelectorAll<HTMLElement>('label.pick')) {
      const hit = !q || (l.getAttribute('data-search') ?? '').indexOf(q) >= 0;
      l.hidden = !hit;
      any = any || hit;
    }
    g.hidden = !any;
  }
}
function syncPicker(): void {
  for (const g of picker().querySelectorAll('.pick-group')) {
    const boxes = g.querySelectorAll<HTMLInputElement>('input[name=communityIds]');
    let on = 0;
    for (const b of boxes) if (b.checked) on++;
    const all = g.querySelector('.pick-all');
    if (all instanceof HTMLInputElement) {
      all.checked = on > 0 && on === boxes.length;
      all.indeterminate = on > 0 && on < boxes.length;
    }
  }
  const ids = checkedValues('communityIds');
  byId('cf-communities-picked').textContent = ids.length
    ? fill(P.selectedSome, { n: ids.length, names: communityList(ids, 6) })
    : P.selectedNone;
}

function syncFormVisibility(): void {
  const freq = checkedValue('frequency') || 'once';
  const kind = checkedValue('kind') || 'sms';
  const end = checkedValue('end') || 'none';
  byId('cf-repeat').hidden = freq === 'once';
  byId('cf-weekdays-field').hidden = freq !== 'weekly';
  byId('cf-monthDay-field').hidden = freq !== 'monthly';
  byId('cf-interval-unit').textContent =
    freq === 'monthly' ? P.intervalUnits.monthly : P.intervalUnits.weekly;
  inputById('cf-interval').max = freq === 'monthly' ? '12' : '8';
  const count = inputById('cf-count');
  count.max = freq === 'monthly' ? '60' : '104';
  count.disabled = end !== 'count';
  inputById('cf-until').disabled = end !== 'until';
  byId('cf-count-field').hidden = end !== 'count';
  byId('cf-until-field').hidden = end !== 'until';
  byId('cf-sms').hidden = kind !== 'sms';
  byId('cf-group').hidden = kind !== 'wecom_group';
  byId('cf-task').hidden = kind === 'sms' || kind === 'wecom_group';
  inputById('cf-duration').placeholder = kind === 'video' ? '30' : '60';
}
function syncFormButtons(): void {
  const editing = formState.mode === 'edit';
  const allowed: readonly string[] = editing && formState.view ? formState.view.allowedActions || [] : [];
  byId('cf-save').hidden = !editing;
  byId('cf-draft').hidden = editing;
  byId('cf-schedule').hidden = editing && allowed.indexOf('schedule') < 0;
}

/** The plan as the form holds it: what POST /api/campaigns validates (and names the fields of). */
interface FormPlan {
  title: string;
  communityIds: string[];
  firstRunAt: string;
  recurrence: {
    frequency: string;
    interval?: number | null;
    weekdays?: string[];
    monthDay?: string;
    count?: number | null;
    until?: string;
  };
  channel: {
    kind: string;
    signature?: string;
    body?: string;
    venue?: string;
    durationMinutes?: number | null;
    assignee?: { role: string; name: string; phone: string };
    purpose?: string;
    text?: string;
  };
}
/** The CampaignPlan the form holds. Empty or malformed numbers go as null, so the server names them. */
function readPlan(): FormPlan {
  const freq = checkedValue('frequency') || 'once';
  const kind = checkedValue('kind') || 'sms';
  const wholeNumber = (raw: string): number | null => {
    const text = String(raw).trim();
    return /^[0-9]+$/.test(text) ? Number(text) : null;
  };
  const recurrence: FormPlan['recurrence'] = { frequency: freq };
  if (freq !== 'once') {
    if (value('cf-interval').trim() !== '') recurrence.interval = wholeNumber(value('cf-interval'));
    if (freq === 'weekly') recurrence.weekdays = checkedValues('weekdays');
    else recurrence.monthDay = checkedValue('monthDay') || 'same_day';
    const end = checkedValue('end');
    if (end === 'count') recurrence.count = wholeNumber(value('cf-count'));
    if (end === 'until') recurrence.until = value('cf-until');
  }
  const channel: FormPlan['channel'] = { kind };
  if (kind === 'sms') {
    channel.signature = value('cf-signature');
    channel.body = value('cf-body');
  } else if (kind === 'wecom_group') {
    channel.purpose = value('cf-purpose');
    channel.text = value('cf-groupText');
  } else {
    channel.venue = value('cf-venue');
    if (value('cf-duration').trim() !== '') channel.durationMinutes = wholeNumber(value('cf-duration'));
    channel.assignee = {
      role: value('cf-assigneeRole'),
      name: value('cf-assigneeName'),
      phone: value('cf-assigneePhone'),
    };
  }
  return {
    title: value('cf-title'),
    communityIds: checkedValues('communityIds'),
    firstRunAt: value('cf-firstRunAt'),
    recurrence,
    channel,
  };
}
function fillForm(c: Campaign): void {
  const r = c.recurrence;
  const ch = c.channel;
  setValue('cf-title', c.title);
  setChecked('communityIds', c.communityIds);
  setValue('cf-firstRunAt', c.firstRunAt);
  setChecked('frequency', [r.frequency]);
  if (r.frequency === 'once') {
    setValue('cf-interval', '1');
    setChecked('weekdays', [weekdayOf(c.firstRunAt.slice(0, 10))]);
    setChecked('monthDay', ['same_day']);
    setChecked('end', ['none']);
    setValue('cf-count', '');
    setValue('cf-until', '');
  } else {
    const weekdays = r.frequency === 'weekly' ? r.weekdays : undefined;
    setValue('cf-interval', String(r.interval || 1));
    setChecked('weekdays', weekdays?.length ? weekdays : [weekdayOf(c.firstRunAt.slice(0, 10))]);
    setChecked('monthDay', [(r.frequency === 'monthly' && r.monthDay) || 'same_day']);
    setChecked('end', [r.count ? 'count' : r.until ? 'until' : 'none']);
    setValue('cf-count', r.count ? String(r.count) : '');
    setValue('cf-until', r.until || '');
  }
  setChecked('kind', [ch.kind]);
  if (ch.kind === 'sms') {
    setValue('cf-signature', ch.signature);
    setValue('cf-body', ch.body);
  } else if (ch.kind === 'wecom_group') {
    setValue('cf-purpose', ch.purpose);
    setValue('cf-groupText', ch.text);
  } else {
    setValue('cf-venue', ch.venue);
    setValue('cf-duration', String(ch.durationMinutes));
    setValue('cf-assigneeRole', ch.assignee.role);
    setValue('cf-assigneeName', ch.assignee.name);
    setValue('cf-assigneePhone', ch.assignee.phone);
  }
}
function resetForm(): void {
  cform().reset();
  formState.touched = {};
  formState.showAll = false;
  formState.previewIssues = {};
  formState.saveIssues = {};
  filterPicker('');
  syncPicker();
  syncFormVisibility();
  renderFieldErrors();
  show(byId('cf-alert'), '');
  show(byId('cf-form-error'), '');
  byId('pv-result').hidden = true;
  show(byId('pv-status'), P.previewIdle);
}
/** Nothing typed stays in the form after sign-out. */
export function clearCampaignForm(): void {
  window.clearTimeout(formState.timer);
  formState.seq++;
  resetForm();
}
function renderFieldErrors(): void {
  for (const f of CAMPAIGN_FIELDS()) {
    const texts = (formState.saveIssues[f] || []).slice();
    for (const t of formState.previewIssues[f] || []) if (texts.indexOf(t) < 0) texts.push(t);
    // A field's error shows once it has been worked on (or after a save), not while the form is
    // still blank; the first run and the weekdays depend on each other and on the recurrence, so
    // theirs show as soon as anything has been changed.
    const linked = (f === 'firstRunAt' || f === 'weekdays') && Object.keys(formState.touched).length > 0;
    const visible =
      texts.length > 0 &&
      (formState.showAll || linked || !!formState.touched[f] || !!formState.saveIssues[f]);
    const wrap = document.getElementById(`cf-${f}-field`);
    const err = document.getElementById(`cf-${f}-error`);
    const control = document.getElementById(`cf-${f}`);
    if (!wrap || !err) continue;
    show(err, visible ? texts.join(' ') : '');
    wrap.classList.toggle('has-error', visible);
    if (control) {
      if (visible) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }
}
function onFormEdit(e: Event): void {
  const target = e.target;
  if (!(target instanceof HTMLElement) || target.hasAttribute('data-no-preview')) return;
  if (e.type === 'change' && target instanceof HTMLInputElement && target.classList.contains('pick-all')) {
    const group = target.closest('.pick-group');
    if (group)
      for (const l of group.querySelectorAll<HTMLElement>('label.pick')) {
        const box = l.querySelector('input');
        if (!l.hidden && box) box.checked = target.checked;
      }
  }
  if (
    e.type === 'change' &&
    target instanceof HTMLInputElement &&
    target.name === 'frequency' &&
    target.value === 'weekly' &&
    !checkedValues('weekdays').length
  ) {
    // Weekly starts on the weekday of the first run, which the series must include.
    const first = value('cf-firstRunAt');
    if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(first)) setChecked('weekdays', [weekdayOf(first.slice(0, 10))]);
  }
  const wrap = target.closest('[data-field]');
  const field = wrap ? wrap.getAttribute('data-field') : '';
  if (field) {
    formState.touched[field] = true;
    if (isCampaignField(field)) delete formState.saveIssues[field];
  }
  syncFormVisibility();
  syncPicker();
  renderFieldErrors();
  schedulePreview();
}

function schedulePreview(delay = 350): void {
  window.clearTimeout(formState.timer);
  formState.timer = window.setTimeout(runPreview, delay);
}
async function runPreview(): Promise<void> {
  if (viewHidden('campaignForm') || !app.session) return;
  const seq = ++formState.seq;
  const preview = byId('cf-preview');
  const status = byId('pv-status');
  show(status, P.previewUpdating);
  preview.setAttribute('aria-busy', 'true');
  try {
    const r = await api('POST', '/api/campaign-previews', readPlan());
    if (seq !== formState.seq || viewHidden('campaignForm')) return;
    preview.removeAttribute('aria-busy');
    if (r.status === 200 && isPreview(r.data)) {
      formState.previewIssues = {};
      renderFieldErrors();
      renderPreview(r.data);
      return;
    }
    byId('pv-result').hidden = true;
    if (r.status === 400) {
      const sorted = sortIssues(errorOf(r.data).issues);
      formState.previewIssues = sorted.byField;
      renderFieldErrors();
      show(
        status,
        sorted.fields.length
          ? fill(P.previewInvalid, { fields: sorted.fields.map((f) => P.fields[f]).join(T.listSeparator) })
          : P.previewFailed,
      );
      return;
    }
    show(status, r.status === 403 ? P.forbidden : P.previewFailed);
  } catch (e) {
    if (seq !== formState.seq || e instanceof Expired) return;
    preview.removeAttribute('aria-busy');
    byId('pv-result').hidden = true;
    show(status, e instanceof NetworkDown ? T.networkError : P.previewFailed);
  }
}
function renderPreview(d: Preview): void {
  const m = d.message;
  show(byId('pv-status'), '');
  byId('pv-result').hidden = false;
  byId('pv-sms').hidden = !m;
  for (const n of document.querySelectorAll<HTMLElement>('#cf-preview .sms-only')) n.hidden = !m;
  byId('pv-households').textContent = fill(P.householdsValue, { n: number(d.households) });
  renderEstimate(d);
  renderGroupPreview(d);
  if (m) {
    byId('pv-text').textContent = m.text;
    byId('pv-characters').textContent = fill(P.charactersValue, { n: number(m.characters) });
    byId('pv-encoding').textContent = m.encoding;
    byId('pv-parts').textContent = fill(P.partsValue, { n: number(m.parts) });
    byId('pv-messages').textContent = fill(P.messagesValue, { n: number(m.estimatedMessages) });
    byId('pv-estimated-parts').textContent = fill(P.partsValue, { n: number(m.estimatedParts) });
  }
  const upcoming = byId('pv-upcoming');
  clear(upcoming);
  for (const at of d.upcoming || [])
    upcoming.appendChild(el('li', null, [el('time', { datetime: at, text: withWeekday(at) })]));
  if (!d.upcoming?.length) upcoming.appendChild(el('li', { className: 'muted', text: P.noUpcoming }));
  byId('pv-rrule').textContent = d.rrule || '';
  const warnings = (d.warnings || []).map(warningText);
  const list = byId('pv-warning-list');
  clear(list);
  for (const w of warnings) list.appendChild(el('li', { text: w }));
  byId('pv-warnings').hidden = !warnings.length;
}

/** A WeChat-group plan's groups, owners and households, and the groups at their monthly limit. */
function renderGroupPreview(d: Preview): void {
  const g = d.groups;
  byId('pv-groups').hidden = !g;
  if (!g) return;
  const G = P.groups;
  byId('pv-groups-summary').textContent = fill(G.previewGroups, {
    groups: number(g.groups),
    owners: number(g.owners),
    households: number(g.households),
  });
  byId('pv-at-limit').hidden = !g.atLimit.length;
  byId('pv-at-limit-title').textContent =
    `${fill(G.atLimitHeading, { month: g.month })} · ${number(g.atLimit.length)}`;
  const list = byId('pv-at-limit-list');
  clear(list);
  // A grid's name carries its community's (康宁社区第1网格).
  for (const group of g.atLimit) list.appendChild(el('li', { text: group.zh }));
}

/** Where an SMS preview's estimate comes from, in total and per community (registry or directory). */
function renderEstimate(d: Preview): void {
  byId('pv-estimate-source').textContent = estimateSourceText(d.estimateSource);
  const list = byId('pv-estimate-list');
  clear(list);
  const lines = estimateLines(d.estimate);
  byId('pv-estimate').hidden = !d.message || !lines.length;
  for (const line of lines) list.appendChild(line);
}

async function prepareForm(heading: string, tab: TabName): Promise<void> {
  showView('campaignForm', tab);
  byId('cf-heading').textContent = heading;
  document.title = `${heading} · ${T.pageTitle}`;
  window.clearTimeout(formState.timer);
  formState.seq++;
  await loadCatalog();
  buildPicker();
  resetForm();
}
export async function showCampaignForm(communityId: string): Promise<void> {
  const seq = nextNav();
  formState.mode = 'new';
  formState.view = null;
  await prepareForm(P.newHeading, 'new_campaign');
  if (seq !== app.navSeq) return;
  // Tomorrow at 10:00 Beijing time: a daytime start that is always in the future.
  setValue('cf-firstRunAt', `${addDays(todayShanghai(), 1)}T10:00`);
  if (communityId) {
    setChecked('communityIds', [communityId]);
    formState.touched.communities = true;
  }
  syncFormButtons();
  syncFormVisibility();
  syncPicker();
  focusHeading('cf-heading');
  schedulePreview(0);
}
export async function showCampaignEdit(id: string): Promise<void> {
  const seq = nextNav();
  formState.mode = 'edit';
  formState.view = null;
  await prepareForm(P.editHeading, 'calendar');
  if (seq !== app.navSeq) return;
  syncFormButtons();
  byId('cf-save').hidden = true;
  byId('cf-schedule').hidden = true;
  const cfAlert = byId('cf-alert');
  try {
    const r = await api('GET', `/api/campaigns/${encodeURIComponent(id)}`);
    if (seq !== app.navSeq) return;
    if (r.status !== 200 || !isCampaignView(r.data)) {
      show(cfAlert, r.status === 404 ? P.notFound : r.status === 403 ? P.forbidden : T.loadFailed, 'alert');
      return;
    }
    if ((r.data.allowedActions || []).indexOf('edit') < 0) {
      openCampaignView(r.data, { error: P.notAllowed });
      return;
    }
    formState.view = r.data;
    fillForm(r.data.campaign);
    // Everything in it was entered before: its problems may show at once.
    formState.showAll = true;
    syncFormButtons();
    syncFormVisibility();
    syncPicker();
    focusHeading('cf-heading');
    schedulePreview(0);
  } catch (e) {
    if (seq === app.navSeq) failed(e, cfAlert);
  }
}

function placeIssues(issues: Parameters<typeof sortIssues>[0]): void {
  const cfFormError = byId('cf-form-error');
  const sorted = sortIssues(issues);
  formState.saveIssues = sorted.byField;
  formState.showAll = true;
  renderFieldErrors();
  if (sorted.unplaced.length || !sorted.fields.length) {
    show(cfFormError, T.invalid, 'alert');
    if (sorted.unplaced.length)
      cfFormError.appendChild(el('span', { className: 'alert-detail', text: sorted.unplaced.join('; ') }));
  }
  const first = sorted.fields[0] ? document.getElementById(`cf-${sorted.fields[0]}`) : null;
  const focus =
    first && (first.matches('input,select,textarea') ? first : first.querySelector('input,select,textarea'));
  if (
    (focus instanceof HTMLInputElement ||
      focus instanceof HTMLSelectElement ||
      focus instanceof HTMLTextAreaElement) &&
    !focus.disabled
  )
    focus.focus();
}
async function saveCampaign(schedule: boolean, button: HTMLButtonElement): Promise<void> {
  if (formState.busy) return;
  const editing = formState.mode === 'edit' ? formState.view : null;
  const buttons = [buttonById('cf-schedule'), buttonById('cf-draft'), buttonById('cf-save')];
  const label = button.textContent;
  const cfFormError = byId('cf-form-error');
  show(cfFormError, '');
  show(byId('cf-alert'), '');
  formState.busy = true;
  for (const b of buttons) b.disabled = true;
  button.textContent = P.saving;
  try {
    const plan = readPlan();
    let r: Awaited<ReturnType<typeof api>>;
    if (editing) {
      const current = editing.campaign;
      r = await api('PUT', `/api/campaigns/${encodeURIComponent(current.campaignId)}`, {
        ...plan,
        expectedVersion: current.version,
      });
    } else {
      r = await api('POST', '/api/campaigns', { ...plan, schedule: !!schedule });
    }
    const error = errorOf(r.data);
    if ((r.status === 200 || r.status === 201) && isCampaignView(r.data)) {
      let view = r.data;
      let notice: Notice = {
        ok: editing ? P.changesSaved : schedule ? P.scheduled : P.draftSaved,
      };
      if (editing && schedule) {
        const s = await api(
          'POST',
          `/api/campaigns/${encodeURIComponent(view.campaign.campaignId)}/actions`,
          {
            action: 'schedule',
            expectedVersion: view.campaign.version,
          },
        );
        if (s.status === 200 && isCampaignView(s.data)) {
          view = s.data;
          notice = { ok: P.scheduled };
        } else notice = { ok: P.changesSaved, error: actionErrorText(s) };
      }
      openCampaignView(view, notice);
      return;
    }
    if (r.status === 400) {
      placeIssues(error.issues);
      return;
    }
    if (r.status === 409 && editing) {
      showCampaignAfter(editing.campaign.campaignId, {
        error: error.code === 'version_conflict' ? P.versionConflict : P.notAllowed,
      });
      return;
    }
    show(
      cfFormError,
      r.status === 404 ? P.notFound : r.status === 403 ? P.forbidden : T.serverError,
      'alert',
    );
  } catch (e) {
    failed(e, cfFormError);
  } finally {
    formState.busy = false;
    for (const b of buttons) b.disabled = false;
    button.textContent = label;
  }
}

export function wireCampaignForm(): void {
  const search = inputById('cf-community-search');
  search.addEventListener('input', () => filterPicker(search.value));
  byId('cf-community-clear').addEventListener('click', () => {
    setChecked('communityIds', []);
    formState.touched.communities = true;
    syncPicker();
    schedulePreview();
  });
  const form = cform();
  form.addEventListener('input', onFormEdit);
  form.addEventListener('change', onFormEdit);
  form.addEventListener('submit', (e) => e.preventDefault());
  const schedule = buttonById('cf-schedule');
  const draft = buttonById('cf-draft');
  const save = buttonById('cf-save');
  schedule.addEventListener('click', () => saveCampaign(true, schedule));
  draft.addEventListener('click', () => saveCampaign(false, draft));
  save.addEventListener('click', () => saveCampaign(false, save));
}
