/**
 * The local grid worker page's script: plays one demo grid worker in WeChat Work. It forwards an
 * appeal (text, location, photo) through the runtime's simulator, polls what that worker sent and
 * received, and confirms enterprise mass-sends as the group owner does in the app. Every value
 * from the server goes into the page as text, never as markup. Built by shared/web/page-assets.ts.
 */
import type { GridWorkerState, GridWorkerTexts } from '../grid-worker-config.ts';

const byId = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing`);
  return element;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The state answer, looked at where the page branches on it; the rest follows the server's type. */
const isState = (value: unknown): value is GridWorkerState =>
  isRecord(value) &&
  Array.isArray(value.appeals) &&
  Array.isArray(value.messages) &&
  Array.isArray(value.massSends);

/** Why a request was refused, in the simulator's words (zod issues, the callback's reason). */
function explain(data: unknown, texts: GridWorkerTexts): string {
  if (!isRecord(data)) return texts.failed;
  if (Array.isArray(data.issues))
    return data.issues
      .map((i: unknown) => (isRecord(i) ? `${String(i.path ?? 'body')}: ${String(i.message ?? '')}` : ''))
      .join('; ');
  if (typeof data.reason === 'string') return `${texts.refused} ${String(data.status)} ${data.reason}`;
  return typeof data.message === 'string' ? data.message : texts.failed;
}

export function start(texts: GridWorkerTexts): void {
  const worker = byId('worker', HTMLSelectElement);
  const status = byId('status', HTMLDivElement);
  let lastRendered = '';

  const say = (text: string, isError: boolean) => {
    status.textContent = text;
    status.className = isError ? 'status error' : 'status';
  };
  const item = (text: string, meta: string, className = '') => {
    const li = document.createElement('li');
    if (className) li.className = className;
    li.appendChild(document.createTextNode(text));
    const m = document.createElement('span');
    m.className = 'meta';
    m.textContent = meta;
    li.appendChild(m);
    return li;
  };
  const fillList = (id: string, items: HTMLLIElement[]) => {
    const ul = byId(id, HTMLUListElement);
    ul.textContent = '';
    if (items.length === 0) {
      const li = document.createElement('li');
      li.textContent = texts.none;
      ul.appendChild(li);
      return;
    }
    for (const li of items) ul.appendChild(li);
  };
  const time = (at: string) => new Date(at).toLocaleString();
  const massSendStatus = (t: GridWorkerState['massSends'][number]) => {
    if (t.status === 'waiting') return texts.waiting;
    const groups = ` (${t.groups.map((g) => `${g.chatId}: ${g.status}`).join(', ')})`;
    return (t.status === 'cancelled' ? texts.cancelledStatus : texts.sentStatus) + groups;
  };

  const render = (state: GridWorkerState) => {
    const key = JSON.stringify(state);
    if (key === lastRendered) return;
    lastRendered = key;
    fillList(
      'sent',
      state.appeals
        .slice()
        .reverse()
        .map((a) =>
          item(
            a.summary,
            `${time(a.at)} · ${a.status === 200 ? texts.accepted : `${texts.refused} ${a.status}`}`,
            a.status === 200 ? '' : 'refused',
          ),
        ),
    );
    fillList(
      'inbox',
      state.messages
        .slice()
        .reverse()
        .map((m) => {
          const li = item(m.content, time(m.sentAt));
          if (m.card && /^https?:/.test(m.card.url)) {
            const a = document.createElement('a');
            a.href = m.card.url;
            a.textContent = m.card.btntxt || texts.open;
            a.target = '_blank';
            a.rel = 'noopener';
            li.appendChild(a);
          }
          return li;
        }),
    );
    fillList(
      'mass-sends',
      state.massSends
        .slice()
        .reverse()
        .map((t) => {
          const li = item(
            t.text,
            `${time(t.createdAt)} · ${t.groups.length} ${texts.groups} · ${massSendStatus(t)}`,
          );
          li.setAttribute('data-msgid', t.msgid);
          if (t.status === 'waiting') {
            const b = document.createElement('button');
            b.type = 'button';
            b.className = 'confirm';
            b.textContent = texts.confirm;
            b.addEventListener('click', () => confirmSend(t.msgid, b));
            li.appendChild(b);
          }
          return li;
        }),
    );
  };

  const refresh = () =>
    fetch(`/_local/wecom/state?user=${encodeURIComponent(worker.value)}`, { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : undefined))
      .then((data: unknown) => {
        if (isState(data)) render(data);
      })
      .catch(() => undefined);

  const post = (path: string, body: Record<string, unknown>) =>
    fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json().then((data: unknown) => ({ ok: r.ok, data })));

  const send = (body: Record<string, unknown>, form: HTMLFormElement) => {
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    say(texts.sending, false);
    return post('/_local/wecom/send', { ...body, userId: worker.value })
      .then((res) => {
        if (res.ok) {
          form.reset();
          say(texts.delivered, false);
        } else say(explain(res.data, texts), true);
        return refresh();
      })
      .catch(() => say(texts.failed, true))
      .then(() => {
        if (button) button.disabled = false;
      });
  };

  const confirmSend = (msgid: string, button: HTMLButtonElement) => {
    button.disabled = true;
    post('/_local/wecom/confirm', { userId: worker.value, msgid })
      .then((res) => {
        say(res.ok ? texts.confirmed : explain(res.data, texts), !res.ok);
        return refresh();
      })
      .catch(() => {
        say(texts.failed, true);
        button.disabled = false;
      });
  };

  const textForm = byId('text-form', HTMLFormElement);
  textForm.addEventListener('submit', (e) => {
    e.preventDefault();
    send({ kind: 'text', content: byId('content', HTMLTextAreaElement).value }, textForm);
  });
  const locationForm = byId('location-form', HTMLFormElement);
  locationForm.addEventListener('submit', (e) => {
    e.preventDefault();
    send(
      {
        kind: 'location',
        lat: byId('lat', HTMLInputElement).value,
        lng: byId('lng', HTMLInputElement).value,
        label: byId('label', HTMLInputElement).value,
      },
      locationForm,
    );
  });
  const photoForm = byId('photo-form', HTMLFormElement);
  photoForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const file = byId('photo', HTMLInputElement).files?.[0];
    if (!file) {
      say(texts.choosePhoto, true);
      return;
    }
    const reader = new FileReader();
    reader.onload = () =>
      send(
        { kind: 'image', contentType: file.type, photo: String(reader.result).replace(/^data:[^,]*,/, '') },
        photoForm,
      );
    reader.onerror = () => say(texts.failed, true);
    reader.readAsDataURL(file);
  });
  worker.addEventListener('change', () => {
    lastRendered = '';
    say('', false);
    refresh();
  });
  refresh();
  setInterval(refresh, 1500);
}
