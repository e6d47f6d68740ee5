/**
 * A lecture's or screening's attendance: the form that records it per community (POST
 * /api/campaigns/{id}/runs/{runId}/attendance), used in a campaign's runs and a grid worker's
 * tasks, and its summary.
 */
import { api, communityName, failed } from '../api.ts';
import { P, T } from '../context.ts';
import { el, fill, number, show, sum, when } from '../dom.ts';

/** What the form needs of a run (a campaign's run or a task's). */
export interface AttendanceRun {
  runId: string;
  occurrenceAt: string;
  attendance?: Record<string, number>;
}

export function attendanceText(run: AttendanceRun): string {
  const attendance = run.attendance;
  if (!attendance) return '—';
  const ids = Object.keys(attendance);
  const total = sum(ids.map((id) => attendance[id]));
  const each =
    ids.length > 1
      ? fill(T.parenthesised, {
          text: ids.map((id) => `${communityName(id)} ${number(attendance[id])}`).join(T.listSeparator),
        })
      : '';
  return fill(P.attendanceTotal, { n: number(total) }) + each;
}

export interface AttendanceFormOptions {
  id: string;
  campaignId: string;
  run: AttendanceRun;
  /** The communities to ask for, one whole number each. */
  communityIds: readonly string[];
  hint: string;
  invalid: string;
  forbidden: string;
  /** Gets the server's answer and the counts sent. */
  saved: (answer: unknown, counts: Record<string, number>) => void;
  /** The run moved on meanwhile (409, 404). */
  stale: () => void;
}

/**
 * A run's attendance form: a whole number per community (o.communityIds), posted to the run's
 * attendance route; o.saved gets the answer, o.stale is called when the run moved on meanwhile.
 */
export function attendanceForm(o: AttendanceFormOptions): HTMLFormElement {
  const run = o.run;
  const form = el(
    'form',
    {
      className: 'action-form attendance',
      id: o.id,
      'data-campaign': o.campaignId,
      'data-run': run.runId,
      novalidate: true,
    },
    [el('h3', { text: fill(P.attendanceHeading, { when: when(run.occurrenceAt) }) })],
  );
  if (Date.parse(run.occurrenceAt) > Date.now()) {
    form.appendChild(el('p', { className: 'hint', text: P.attendanceLater }));
    return form;
  }
  form.appendChild(el('p', { className: 'hint', text: o.hint }));
  const inputs = o.communityIds.map((id, i) => {
    const inputId = `${o.id}-${i}`;
    const recorded = run.attendance?.[id];
    const input = el('input', {
      id: inputId,
      name: id,
      type: 'number',
      min: 0,
      max: 100000,
      step: 1,
      inputmode: 'numeric',
      value: recorded !== undefined ? String(recorded) : undefined,
    });
    form.appendChild(
      el('div', { className: 'inline-field' }, [
        el('label', { for: inputId, text: communityName(id) }),
        input,
        el('span', { className: 'muted', text: P.peopleUnit }),
      ]),
    );
    return input;
  });
  const error = el('p', { className: 'alert', id: `${o.id}-error`, role: 'alert', hidden: true });
  const submit = el('button', {
    type: 'submit',
    className: 'primary',
    id: `${o.id}-submit`,
    text: P.recordAttendance,
  });
  form.appendChild(error);
  form.appendChild(el('div', { className: 'form-buttons' }, [submit]));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    show(error, '');
    const counts: Record<string, number> = {};
    let bad = false;
    for (const input of inputs) {
      const raw = input.value.trim();
      if (raw === '') continue;
      if (!/^[0-9]+$/.test(raw) || Number(raw) > 100000) bad = true;
      counts[input.name] = Number(raw);
    }
    if (bad || !Object.keys(counts).length) {
      show(error, o.invalid, 'alert');
      return;
    }
    submit.disabled = true;
    submit.textContent = T.sending;
    try {
      const r = await api(
        'POST',
        `/api/campaigns/${encodeURIComponent(o.campaignId)}/runs/${encodeURIComponent(run.runId)}/attendance`,
        { counts },
      );
      if (r.status === 200 && r.data) {
        o.saved(r.data, counts);
        return;
      }
      if (r.status === 409 || r.status === 404) {
        o.stale();
        return;
      }
      show(error, r.status === 400 ? o.invalid : r.status === 403 ? o.forbidden : T.serverError, 'alert');
    } catch (err) {
      failed(err, error);
    } finally {
      submit.disabled = false;
      submit.textContent = P.recordAttendance;
    }
  });
  return form;
}
