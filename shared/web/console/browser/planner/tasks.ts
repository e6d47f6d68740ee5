/**
 * A grid worker's outreach tasks (GET /api/outreach/tasks): the lectures and screenings in their
 * community that wait for attendance (with the form to record it), the upcoming ones, and those
 * already recorded.
 */
import type {
  OutreachTask,
  OutreachTasks,
  TaskRunView,
} from '../../../../services/campaigns/outreach-tasks.ts';
import type { TaskColumn } from '../../../console-text.ts';
import { api, failed } from '../api.ts';
import { app, type Notice, nextNav, P, T } from '../context.ts';
import { byId, clear, el, fact, fill, focusHeading, lookup, number, show, sum, timeEl } from '../dom.ts';
import { isRecord } from '../guards.ts';
import { showView } from '../navigation.ts';
import { attendanceForm, attendanceText } from './attendance.ts';
import { kindName, withWeekday } from './planner.ts';

let tasksData: OutreachTasks | null = null;

const isTasks = (data: unknown): data is OutreachTasks => isRecord(data) && Array.isArray(data.tasks);
const isTask = (data: unknown): data is OutreachTask =>
  isRecord(data) && typeof data.campaignId === 'string' && Array.isArray(data.runs);

export function wireTasks(): void {
  byId('tasks-refresh').addEventListener('click', () => showTasks());
}
export function clearTasks(): void {
  clear(byId('tasks-body'));
  tasksData = null;
}

export async function showTasks(notice?: Notice): Promise<void> {
  const seq = nextNav();
  const tasksBody = byId('tasks-body');
  const tasksAlert = byId('tasks-alert');
  showView('tasks', 'tasks');
  document.title = `${T.tasks.heading} · ${T.pageTitle}`;
  show(tasksAlert, notice?.error ? notice.error : '', 'alert');
  show(byId('tasks-notice'), '');
  if (!notice) {
    clear(tasksBody);
    tasksBody.appendChild(el('p', { className: 'empty', text: T.loading }));
  }
  try {
    const r = await api('GET', '/api/outreach/tasks');
    if (seq !== app.navSeq) return;
    if (r.status !== 200 || !isTasks(r.data)) {
      clear(tasksBody);
      show(tasksAlert, r.status === 403 ? T.tasks.forbidden : T.loadFailed, 'alert');
      return;
    }
    renderTasks(r.data);
  } catch (e) {
    if (seq !== app.navSeq) return;
    clear(tasksBody);
    failed(e, tasksAlert);
  }
}

/** A task at one time: an upcoming occurrence, or a run. */
interface TaskAt {
  task: OutreachTask;
  at: string;
  run?: TaskRunView;
}
interface TaskRunAt extends TaskAt {
  run: TaskRunView;
}
const byAt = (a: TaskAt, b: TaskAt): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

function taskCard(id: string, heading: string, content: Node | null, empty: string): HTMLElement {
  return el('section', { className: 'card', id, 'aria-labelledby': `${id}-title` }, [
    el('h2', { id: `${id}-title`, text: heading }),
    content || el('p', { className: 'muted', id: `${id}-empty`, text: empty }),
  ]);
}
function taskTable(id: string, cols: readonly TaskColumn[], rows: readonly TaskAt[]): HTMLElement | null {
  const K = T.tasks;
  if (!rows.length) return null;
  return el('div', { className: 'table-scroll' }, [
    el('table', { className: 'cases', id }, [
      el('thead', null, [
        el(
          'tr',
          null,
          cols.map((col) => el('th', { scope: 'col', text: K.columns[col] })),
        ),
      ]),
      el(
        'tbody',
        null,
        rows.map((x) =>
          el(
            'tr',
            { 'data-campaign': x.task.campaignId, 'data-at': x.at },
            cols.map((col) => {
              const td = el('td', { 'data-label': K.columns[col] });
              const content = taskCell(col, x);
              if (typeof content === 'string') td.textContent = content;
              else td.appendChild(content);
              return td;
            }),
          ),
        ),
      ),
    ]),
  ]);
}
function taskCell(col: TaskColumn, x: TaskAt): string | Node {
  const task = x.task;
  if (col === 'when') return el('time', { datetime: x.at, text: withWeekday(x.at) });
  if (col === 'kind') return kindName(task.kind);
  if (col === 'title') return task.title;
  if (col === 'venue') return task.venue;
  if (col === 'duration') return fill(P.durationValue, { n: task.durationMinutes });
  if (col === 'assignee')
    return `${lookup(P.assigneeRoles, task.assignee.role) || task.assignee.role} ${task.assignee.name}`;
  const run = x.run;
  if (!run) return '—';
  if (col === 'attendance') return el('span', { 'data-attendance': '', text: attendanceText(run) });
  // A run whose figure here is in but another community's is not: nothing left to do here.
  const othersPending = run.status === 'awaiting_attendance' && !run.awaitingAttendance.length;
  return el('span', {
    className: `badge rs-${othersPending ? 'completed' : run.status}`,
    'data-status': run.status,
    text: othersPending ? T.tasks.othersPending : P.runStatuses[run.status] || run.status,
  });
}
function renderTasks(data: OutreachTasks, notice?: Notice): void {
  const K = T.tasks;
  const tasksBody = byId('tasks-body');
  tasksData = data;
  clear(tasksBody);
  show(byId('tasks-notice'), notice?.ok ? notice.ok : '', 'notice');
  const awaiting: TaskRunAt[] = [];
  const upcoming: TaskAt[] = [];
  const recorded: TaskRunAt[] = [];
  for (const task of data.tasks) {
    for (const at of task.upcoming) upcoming.push({ task, at });
    for (const run of task.runs) {
      const x = { task, run, at: run.occurrenceAt };
      if (run.awaitingAttendance.length) awaiting.push(x);
      else if (Object.keys(run.attendance).length) recorded.push(x);
    }
  }
  awaiting.sort(byAt);
  upcoming.sort(byAt);
  recorded.sort((a, b) => byAt(b, a));
  tasksBody.appendChild(
    taskCard(
      'tasks-awaiting',
      K.awaitingHeading,
      awaiting.length ? el('div', null, awaiting.map(awaitingTask)) : null,
      K.noAwaiting,
    ),
  );
  tasksBody.appendChild(
    taskCard(
      'tasks-upcoming',
      K.upcomingHeading,
      taskTable('tasks-upcoming-table', ['when', 'kind', 'title', 'venue', 'duration', 'assignee'], upcoming),
      K.noUpcoming,
    ),
  );
  tasksBody.appendChild(
    taskCard(
      'tasks-recorded',
      K.recordedHeading,
      taskTable('tasks-recorded-table', ['when', 'kind', 'title', 'attendance', 'status'], recorded),
      K.noRecorded,
    ),
  );
  focusHeading('tasks-title');
}
function awaitingTask(x: TaskRunAt): HTMLElement {
  const K = T.tasks;
  const task = x.task;
  const run = x.run;
  const dl = el('dl', { className: 'facts compact' });
  fact(dl, K.columns.when, timeEl(run.occurrenceAt));
  fact(dl, K.columns.venue, task.venue);
  fact(dl, K.columns.duration, fill(P.durationValue, { n: task.durationMinutes }));
  fact(dl, K.columns.assignee, taskCell('assignee', x));
  return el('article', { className: 'task', 'data-campaign': task.campaignId, 'data-run': run.runId }, [
    el('div', { className: 'case-head' }, [
      el('h3', { text: task.title }),
      el('span', { className: 'badge plain', text: kindName(task.kind) }),
      taskCell('status', x),
    ]),
    dl,
    attendanceForm({
      id: `task-attendance-${task.campaignId}-${run.runId}`,
      campaignId: task.campaignId,
      run,
      communityIds: run.awaitingAttendance,
      hint: K.attendanceHint,
      invalid: K.attendanceError,
      forbidden: K.forbidden,
      saved: (updated, counts) => {
        if (!tasksData || !isTask(updated)) return;
        const tasks = tasksData.tasks.map((t) => (t.campaignId === updated.campaignId ? updated : t));
        const n = sum(Object.values(counts));
        renderTasks({ ...tasksData, tasks }, { ok: fill(K.saved, { n: number(n) }) });
      },
      stale: () => showTasks({ error: P.notAllowed }),
    }),
  ]);
}
