/**
 * What a write costs in the global secondary indexes, which dynalite leaves out. dynalite answers
 * `ReturnConsumedCapacity: TOTAL` with the table's write units only (1 per KB of the larger of the
 * item before and after); DynamoDB's TOTAL adds every index the write touches, each at 1 unit per
 * KB of the index entry (with `ALL` projection, as our tables have, the whole item):
 * - the item enters an index (it now has the index's keys): one write, the new entry;
 * - it leaves one (a key removed): one write, deleting the old entry;
 * - an index key changes value: two writes, a delete of the old entry and a put of the new;
 * - it stays with the same keys but any attribute changed (all are projected): one write;
 * - it is in the index neither before nor after, or nothing changed: nothing.
 * `installIndexWriteCapacity` wraps dynalite's capacity function in this process (the emulator is
 * embedded) so that the capacity a write returns includes those units, and tallies table and index
 * units by table, index and kind of write for the bench's breakdown.
 */
import { createRequire } from 'node:module';

type Item = Record<string, unknown>;

export interface IndexKeys {
  name: string;
  keys: readonly string[];
}

export type WriteKind = 'table' | 'index put' | 'index delete' | 'index update' | 'index key change';
/** What the tally holds: writes of every kind, and (as `read`) the read units of GetItem. */
export type TallyKind = WriteKind | 'read';

export interface WriteUnits {
  table: string;
  /** What the write was for (see the constructor's `purposeOf`); '' when not told. */
  purpose: string;
  /** The index, or `(table)` for the table's own write. */
  target: string;
  kind: TallyKind;
  /** Requests (for the table's own row and reads) or index entries written. */
  writes: number;
  units: number;
}

const isItem = (value: unknown): value is Item => typeof value === 'object' && value !== null;

/**
 * Equal DynamoDB JSON values. Not `isDeepStrictEqual`: dynalite's UpdateItem works on a clone with
 * a null prototype, which a strict comparison would always call different.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
    );
  }
  if (!isItem(a) || !isItem(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]))
  );
}

/** Index writes for one item write, in DynamoDB's accounting (see the module comment). */
export function indexWrites(
  indexes: readonly IndexKeys[],
  before: Item | undefined,
  after: Item | undefined,
  unitsOf: (item: Item) => number,
): { index: string; kind: WriteKind; units: number }[] {
  const writes: { index: string; kind: WriteKind; units: number }[] = [];
  const changed = !sameValue(before, after);
  for (const index of indexes) {
    const inBefore = before !== undefined && index.keys.every((k) => before[k] != null);
    const inAfter = after !== undefined && index.keys.every((k) => after[k] != null);
    if (inBefore && before && inAfter && after) {
      const keyChanged = index.keys.some((k) => !sameValue(before[k], after[k]));
      if (keyChanged)
        writes.push({ index: index.name, kind: 'index key change', units: unitsOf(before) + unitsOf(after) });
      else if (changed)
        writes.push({
          index: index.name,
          kind: 'index update',
          units: Math.max(unitsOf(before), unitsOf(after)),
        });
    } else if (inBefore && before) {
      writes.push({ index: index.name, kind: 'index delete', units: unitsOf(before) });
    } else if (inAfter && after) {
      writes.push({ index: index.name, kind: 'index put', units: unitsOf(after) });
    }
  }
  return writes;
}

/** The write operation a request to dynalite's capacity function came from. */
const operationOf = (data: Item): string =>
  data.Item !== undefined
    ? 'PutItem'
    : data.UpdateExpression !== undefined || data.AttributeUpdates !== undefined
      ? 'UpdateItem'
      : 'DeleteItem';

export class IndexWriteCapacity {
  readonly #indexes: Map<string, readonly IndexKeys[]>;
  readonly #purposeOf: (operation: string, request: unknown) => string;
  readonly #tally = new Map<string, WriteUnits>();

  /**
   * `indexes`: physical table name → its global secondary indexes' key attributes; `purposeOf`
   * names what a write request (its operation and DynamoDB JSON body) was for.
   */
  constructor(
    indexes: Map<string, readonly IndexKeys[]>,
    purposeOf: (operation: string, request: unknown) => string = () => '',
  ) {
    this.#indexes = indexes;
    this.#purposeOf = purposeOf;
  }

  #add(table: string, purpose: string, target: string, kind: TallyKind, units: number): void {
    const key = [table, purpose, target, kind].join('\u0000');
    const entry = this.#tally.get(key);
    if (entry) {
      entry.writes += 1;
      entry.units += units;
    } else this.#tally.set(key, { table, purpose, target, kind, writes: 1, units });
  }

  reset(): void {
    this.#tally.clear();
  }

  snapshot(): WriteUnits[] {
    return [...this.#tally.values()].map((x) => ({ ...x }));
  }

  /**
   * Wraps dynalite's `addConsumedCapacity` (db/index.js): its write actions call it as
   * `(data, false, itemBefore, itemAfter)` (DeleteItem without the after), GetItem as
   * `(data, true, item)` — tallied as read units, unchanged (Query and Scan compute their own).
   * Only requests that ask for consumed capacity are touched.
   */
  install(): () => void {
    const require = createRequire(import.meta.url);
    const db: unknown = require('dynalite/db');
    if (!isItem(db)) throw new Error('dynalite/db did not load');
    const original: unknown = db.addConsumedCapacity;
    const itemSize: unknown = db.itemSize;
    if (typeof original !== 'function' || typeof itemSize !== 'function') {
      throw new Error('dynalite has changed: no addConsumedCapacity/itemSize in db/index.js');
    }
    const unitsOf = (item: Item): number => {
      const size: unknown = Reflect.apply(itemSize, db, [item]);
      return typeof size === 'number' ? Math.max(1, Math.ceil(size / 1024)) : 1;
    };
    const wrapped = (...args: unknown[]): unknown => {
      const result: unknown = Reflect.apply(original, db, args);
      const [data, isRead, before, after] = args;
      if (
        !isItem(result) ||
        typeof isRead !== 'boolean' ||
        !isItem(data) ||
        typeof data.TableName !== 'string'
      )
        return result;
      const table = data.TableName;
      // dynalite's request objects have null prototypes; the purpose is read from a plain copy.
      const { Item, Key, UpdateExpression } = data;
      const request: unknown = JSON.parse(JSON.stringify({ TableName: table, Item, Key, UpdateExpression }));
      const purpose = this.#purposeOf(isRead ? 'GetItem' : operationOf(data), request);
      if (isRead) {
        this.#add(
          table,
          purpose,
          '(table)',
          'read',
          typeof result.CapacityUnits === 'number' ? result.CapacityUnits : 0,
        );
        return result;
      }
      const tableUnits = typeof result.CapacityUnits === 'number' ? result.CapacityUnits : 0;
      this.#add(table, purpose, '(table)', 'table', tableUnits);
      const writes = indexWrites(
        this.#indexes.get(table) ?? [],
        isItem(before) ? before : undefined,
        isItem(after) ? after : undefined,
        unitsOf,
      );
      let indexUnits = 0;
      for (const w of writes) {
        this.#add(table, purpose, w.index, w.kind, w.units);
        indexUnits += w.units;
      }
      return { ...result, CapacityUnits: tableUnits + indexUnits };
    };
    db.addConsumedCapacity = wrapped;
    return () => {
      db.addConsumedCapacity = original;
    };
  }
}
