/**
 * ServiceRequestFeed on the cases table's county lanes (`byCounty`: `COUNTY#open` / `COUNTY#done`,
 * sorted by `submittedAt#code`, see case-table-layout.ts). A window is a key condition: the open
 * lane's range, the done lane's range, and the same range behind the done lane's return-visit
 * prefix (closed cases awaiting their visit sort there), read in that order, newest first within
 * each. A category filter is a FilterExpression over the window, so it reads the window's other
 * categories too, bounded by the window. The cursor names the segment and the position in it,
 * bound to the query it was given for (a hash of it, not a secret: the feed is public anyway).
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseState } from '../domain/case.ts';
import { ValidationError } from '../errors.ts';
import type { ServiceRequestFeed, SubmittedBetween } from '../ports/service-request-feed.ts';
import * as z from '../schema.ts';
import { awsCall } from './aws-call.ts';
import { caseIndexes, laneKey, VISIT_LANE_PREFIX } from './case-table-layout.ts';
import { caseStateOfItem } from './dynamodb-case-store.ts';

/** Queries one page may make at most, so a sparse filter cannot keep a request reading. */
const MAX_READS_PER_PAGE = 10;
/** Items read per query when a category filter thins them out. */
const FILTERED_READ = 500;

const [LANE_PK, LANE_SK] = caseIndexes.byCounty;

interface Segment {
  pk: string;
  prefix: string;
}

const segmentsOf = (lanes: SubmittedBetween['lanes']): Segment[] =>
  lanes.flatMap((lane) =>
    lane === 'open'
      ? [{ pk: laneKey.county(true), prefix: '' }]
      : [
          { pk: laneKey.county(false), prefix: '' },
          { pk: laneKey.county(false), prefix: VISIT_LANE_PREFIX },
        ],
  );

const Cursor = z.object({
  s: z.int().check(z.nonnegative()),
  k: z.optional(z.record(z.string(), z.string())),
  q: z.string(),
});
type Cursor = z.infer<typeof Cursor>;

const invalidCursor = (cause?: unknown) =>
  new ValidationError(
    'The cursor is not one this API gave out for this query; start again without it',
    [{ path: 'cursor', message: 'invalid cursor' }],
    { cause },
  );

const queryHash = ({ lanes, from, to, categories }: SubmittedBetween) =>
  createHash('sha256')
    .update(JSON.stringify([lanes, from, to, categories ?? []]))
    .digest('base64url')
    .slice(0, 16);

function openCursor(raw: string | undefined, hash: string): Cursor | undefined {
  if (raw === undefined) return undefined;
  let cursor: Cursor;
  try {
    cursor = Cursor.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch (error) {
    throw invalidCursor(error);
  }
  if (cursor.q !== hash) throw invalidCursor();
  return cursor;
}

const sealCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** The ExclusiveStartKey that resumes right after `item` on the county index. */
const positionOf = (item: Record<string, unknown>): Record<string, string> => ({
  pk: String(item.pk),
  sk: String(item.sk),
  [LANE_PK]: String(item[LANE_PK]),
  [LANE_SK]: String(item[LANE_SK]),
});

export class DynamoDbServiceRequestFeed implements ServiceRequestFeed {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async submittedBetween(query: SubmittedBetween): Promise<{ cases: CaseState[]; cursor?: string }> {
    const hash = queryHash(query);
    const segments = segmentsOf(query.lanes);
    const start = openCursor(query.cursor, hash);
    let segment = start?.s ?? 0;
    let startKey: Record<string, string> | undefined = start?.k;
    if (segment > segments.length) throw invalidCursor();
    const cases: CaseState[] = [];
    const filtered = query.categories !== undefined && query.categories.length > 0;
    for (let reads = 0; segment < segments.length && reads < MAX_READS_PER_PAGE; reads++) {
      const current = segments[segment];
      if (!current) break;
      const wanted = query.limit - cases.length;
      const values: Record<string, unknown> = {
        ':pk': current.pk,
        ':from': `${current.prefix}${query.from}`,
        ':to': `${current.prefix}${query.to}#~`,
      };
      const categoryNames = (query.categories ?? []).map((category, i) => {
        values[`:c${i}`] = category;
        return `:c${i}`;
      });
      const out = await awsCall('listing service requests', () =>
        this.#db.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: 'byCounty',
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
            ...(filtered ? { FilterExpression: `#category IN (${categoryNames.join(', ')})` } : {}),
            ExpressionAttributeNames: {
              '#pk': LANE_PK,
              '#sk': LANE_SK,
              ...(filtered ? { '#category': 'category' } : {}),
            },
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: filtered ? Math.max(wanted, FILTERED_READ) : wanted,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      const items = out.Items ?? [];
      const taken = items.slice(0, wanted);
      cases.push(...taken.map(caseStateOfItem));
      const last = taken.at(-1);
      if (items.length > wanted && last) {
        // The page filled inside this query's answer: resume right after the last item taken.
        return { cases, cursor: sealCursor({ s: segment, k: positionOf(last), q: hash }) };
      }
      if (out.LastEvaluatedKey) {
        startKey = positionOf(out.LastEvaluatedKey);
      } else {
        segment += 1;
        startKey = undefined;
      }
      if (cases.length >= query.limit) break;
    }
    const more = segment < segments.length;
    return more
      ? { cases, cursor: sealCursor({ s: segment, ...(startKey ? { k: startKey } : {}), q: hash }) }
      : { cases };
  }
}
