/**
 * Finding the server-rendered page's elements, of the kind the markup gives them, and making the
 * few the script adds. A missing or different element is a page/script mismatch: it throws.
 */

/** An element class such as HTMLInputElement, as `instanceof` takes it. */
type ElementKind<T extends Element> = { new (): T; prototype: T };

/** The element with this id, which must exist and be of this kind. */
export function byId<T extends HTMLElement>(id: string, kind: ElementKind<T>): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`resident page: no ${kind.name} #${id}`);
  return element;
}

/** The element with this id if the page has it (e.g. the error summary after a rejected post). */
export function maybeById<T extends HTMLElement>(id: string, kind: ElementKind<T>): T | undefined {
  const element = document.getElementById(id);
  return element instanceof kind ? element : undefined;
}

export type FormControl = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A form's control by name. */
export function control(form: HTMLFormElement, name: string): FormControl {
  const element = form.elements.namedItem(name);
  if (
    element instanceof HTMLInputElement ||
    element instanceof HTMLSelectElement ||
    element instanceof HTMLTextAreaElement
  ) {
    return element;
  }
  throw new Error(`resident page: form #${form.id} has no control ${name}`);
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/**
 * A tracking code as typed, in its canonical form: full-width characters folded (NFKC), upper
 * case, separators and spaces dropped. The server checks the rest.
 */
export function typedTrackingCode(raw: string): string {
  const folded = typeof raw.normalize === 'function' ? raw.normalize('NFKC') : raw;
  return folded.toUpperCase().replace(/[^0-9A-Z]/g, '');
}
