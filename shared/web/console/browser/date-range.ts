/**
 * The date range the statistics and the unit assessment read (`from`/`to`, YYYY-MM-DD, Asia/Shanghai
 * days as the API counts them): the presets (this month, last month, last 30 days, this year), the
 * range form both views share, and the range in the hash route (`#/stats/from=…&to=…`), so a copied
 * link and the back button show the same period.
 */
import { T } from './context.ts';
import { byId, inputById, show } from './dom.ts';

export interface DateRange {
  from: string;
  to: string;
}
export const PRESETS = ['thisMonth', 'lastMonth', 'last30', 'thisYear'] as const;
export type Preset = (typeof PRESETS)[number];

/** The API's longest range, in calendar months touched (MAX_RANGE_MONTHS in unit-assessment.ts). */
const MAX_MONTHS = 24;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));
/** A UTC date's calendar day as YYYY-MM-DD. */
const dayText = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Today in Asia/Shanghai (no daylight saving there), whatever the browser's own zone. */
export const shanghaiToday = (now: number = Date.now()): string =>
  dayText(new Date(now + SHANGHAI_OFFSET_MS));

/** The preset's range on the Shanghai calendar, ending today (last month ends on its last day). */
export function presetRange(preset: Preset, today: string = shanghaiToday()): DateRange {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  switch (preset) {
    case 'thisMonth':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'lastMonth': {
      // Day 0 of this month is the last day of the one before.
      const last = new Date(Date.UTC(y, m - 1, 0));
      return { from: `${dayText(last).slice(0, 7)}-01`, to: dayText(last) };
    }
    case 'last30':
      return { from: dayText(new Date(Date.parse(`${today}T00:00:00Z`) - 29 * DAY_MS)), to: today };
    case 'thisYear':
      return { from: `${y}-01-01`, to: today };
  }
}

/** The preset a range equals (for the form's buttons), if any. */
export function presetOf(range: DateRange | null, today: string = shanghaiToday()): Preset | undefined {
  if (!range) return undefined;
  for (const p of PRESETS) {
    const r = presetRange(p, today);
    if (r.from === range.from && r.to === range.to) return p;
  }
  return undefined;
}

const isDay = (s: string | null): s is string =>
  s !== null && /^\d{4}-\d{2}-\d{2}$/.test(s) && dayText(new Date(`${s}T00:00:00Z`)) === s;

/** Whether the API takes the range: real days, from ≤ to, at most 24 calendar months. */
export function validRange(from: string | null, to: string | null): DateRange | null {
  if (!isDay(from) || !isDay(to) || from > to) return null;
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7)) +
    1;
  return months <= MAX_MONTHS ? { from, to } : null;
}

/** The parameters after the view's name in the hash: `#/stats/from=…&to=…` → from, to. */
export function hashParams(): URLSearchParams {
  const h = location.hash.replace(/^#\/?/, '');
  const cut = h.indexOf('/');
  return new URLSearchParams(cut < 0 ? '' : h.slice(cut + 1));
}
export const rangeOfParams = (p: URLSearchParams): DateRange | null => validRange(p.get('from'), p.get('to'));

/** The hash of a view with its parameters (those without a value left out). */
export function viewHash(view: string, params: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const q = p.toString();
  return q ? `#/${view}/${q}` : `#/${view}`;
}

/**
 * Wires a range form of the shell (`<prefix>-range`: `<prefix>-from`, `<prefix>-to`, buttons with
 * `data-preset`): a preset or a submitted pair of dates calls `go` with the range (null for the
 * "all time" preset), which sets the hash; a bad pair is named in `<prefix>-range-error`.
 */
export function wireRangeForm(prefix: string, go: (range: DateRange | null) => void): void {
  const form = byId(`${prefix}-range`);
  const error = byId(`${prefix}-range-error`);
  form.addEventListener('click', (e) => {
    const target = e.target;
    if (!(target instanceof HTMLElement)) return;
    const button = target.closest('button[data-preset]');
    const preset = button?.getAttribute('data-preset');
    if (!preset) return;
    e.preventDefault();
    show(error, '');
    const known = PRESETS.find((p) => p === preset);
    go(known ? presetRange(known) : null);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const range = validRange(inputById(`${prefix}-from`).value, inputById(`${prefix}-to`).value);
    if (!range) {
      show(error, T.range.invalid, 'error');
      return;
    }
    show(error, '');
    go(range);
  });
}

/** The form shows the range on screen: the dates, and which preset (if any) is pressed. */
export function showRangeForm(prefix: string, range: DateRange | null): void {
  inputById(`${prefix}-from`).value = range ? range.from : '';
  inputById(`${prefix}-to`).value = range ? range.to : '';
  const pressed = range ? presetOf(range) : 'all';
  for (const b of Array.from(byId(`${prefix}-range`).querySelectorAll('button[data-preset]')))
    b.setAttribute('aria-pressed', String(b.getAttribute('data-preset') === pressed));
  show(byId(`${prefix}-range-error`), '');
}
