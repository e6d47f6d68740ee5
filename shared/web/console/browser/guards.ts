/**
 * Narrowing the staff API's JSON answers: the page trusts only what a guard has looked at. Each
 * guard checks the parts the code branches on, as the page always has (`data.cases`,
 * `data.campaign`); the rest follows the server's own types, imported as types only.
 */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object with `key` holding an object (a campaign view's `campaign`). */
export const hasRecord = <K extends string>(
  value: unknown,
  key: K,
): value is Record<K, Record<string, unknown>> => isRecord(value) && isRecord(value[key]);

/** Whether `key` is one of `record`'s own keys (Object.hasOwn is younger than the browsers served). */
export const hasKey = <T extends object>(record: T, key: string): key is Extract<keyof T, string> =>
  Object.keys(record).indexOf(key) >= 0;
