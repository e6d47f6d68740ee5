/**
 * Building the page: elements made with their text as text (never markup), the lookups of the
 * shell's elements by id and kind, and the formatting of times, dates, numbers and codes.
 */
import { FMT_LOCALE } from './context.ts';
import { hasKey } from './guards.ts';

type AttrValue = string | number | boolean | null | undefined;
export interface Attrs {
  /** The element's text content. */
  text?: string;
  className?: string;
  onclick?: (event: MouseEvent) => void;
  [attribute: string]: AttrValue | ((event: MouseEvent) => void);
}
export type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  children?: readonly Child[],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const element: HTMLElement = node;
  if (attrs?.onclick) element.addEventListener('click', attrs.onclick);
  if (attrs)
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false || typeof v === 'function') continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'className') node.className = String(v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
  for (const c of children ?? []) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Shows `text` in `node` (with class `cls`), or hides it when there is no text. */
export function show(node: HTMLElement | null, text?: string, cls?: string): void {
  if (!node) return;
  node.textContent = text || '';
  if (cls) node.className = cls;
  node.hidden = !text;
}

/** `{name}` placeholders filled from `values`; unknown ones stay as they are. */
export function fill(template: string, values: Record<string, string | number>): string {
  return String(template).replace(/[{](\w+)[}]/g, (m, k: string) => {
    const value = values[k];
    return value === undefined ? m : String(value);
  });
}

/** One of the shell's elements. */
export function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`console: no element #${id}`);
  return node;
}
/** One of the shell's elements, of the kind the code relies on. */
export function byKind<E extends HTMLElement>(id: string, kind: { new (): E; prototype: E }): E {
  const node = document.getElementById(id);
  if (node instanceof kind) return node;
  throw new Error(`console: no element #${id} of the expected kind`);
}
export const inputById = (id: string): HTMLInputElement => byKind(id, HTMLInputElement);
export const selectById = (id: string): HTMLSelectElement => byKind(id, HTMLSelectElement);
export const buttonById = (id: string): HTMLButtonElement => byKind(id, HTMLButtonElement);

/** The element `node` or the nearest one above it that matches, for events on anything inside. */
export const closest = (target: EventTarget | null, selector: string): Element | null =>
  target instanceof Element ? target.closest(selector) : null;

export function focusHeading(id: string): void {
  const h = document.getElementById(id);
  if (h) h.focus({ preventScroll: false });
}

export function when(at: string | undefined | null): string {
  if (!at) return '—';
  try {
    return new Date(at).toLocaleString(FMT_LOCALE, {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
  } catch {
    return at;
  }
}
export function timeEl(at: string | undefined): HTMLTimeElement {
  const t = el('time', { text: when(at) });
  if (at) t.setAttribute('datetime', at);
  return t;
}
/** K7M2QX9PA → K7M-2QX-9PA. */
export function formatCode(code: string | undefined): string {
  const c = String(code || '');
  return c.length === 9 ? `${c.slice(0, 3)}-${c.slice(3, 6)}-${c.slice(6)}` : c;
}
export const number = (n: number | undefined | null): string => Number(n || 0).toLocaleString(FMT_LOCALE);

/** +8613700002222 → +86 137 0000 2222, the way it is read out on the phone; others as stored. */
export function readablePhone(phone: string): string {
  const m = /^[+]86(1[0-9]{2})([0-9]{4})([0-9]{4})$/.exec(phone);
  return m ? `+86 ${m[1]} ${m[2]} ${m[3]}` : phone;
}

/** A definition list's entry; nothing when there is no value. */
export function fact(dl: HTMLElement, label: string, value: string | Node | null | undefined): void {
  if (value === null || value === undefined || value === '') return;
  dl.appendChild(el('dt', { text: label }));
  dl.appendChild(typeof value === 'string' ? el('dd', { text: value }) : el('dd', null, [value]));
}

export const sum = (values: readonly (number | undefined)[]): number =>
  values.reduce<number>((a, b) => a + (Number(b) || 0), 0);

/** A wording for `key` from one of the dictionaries, when it has one (server values may be new). */
export const lookup = (
  dict: Readonly<Record<string, string>>,
  key: string | undefined,
): string | undefined => (key !== undefined && hasKey(dict, key) ? dict[key] : undefined);

/** The file name the server gave (Content-Disposition), or `fallback`. */
export const fileNameOf = (disposition: string | null, fallback: string): string =>
  (disposition ? /filename="([^"]+)"/.exec(disposition)?.[1] : undefined) ?? fallback;

/**
 * A download from bytes already in the page: a blob URL and a click on a link with `download`
 * (a navigation, which the page's CSP allows).
 */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: fileName });
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
