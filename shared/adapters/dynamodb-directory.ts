/**
 * The organisation and routing rules on DynamoDB (table `directory`). All entities share the
 * partition `ORG` (`sk = UNIT#id`, `COMMUNITY#id`, `RULE#id` ...), so the whole directory — a few
 * hundred small items — is one Query, never a scan.
 */
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { Community, Grid, type Organisation, RoutingRule, Township, Unit } from '../domain/organisation.ts';
import { DependencyError } from '../errors.ts';
import type { DirectoryReader, DirectoryWriter } from '../ports/directory.ts';
import { awsCall } from './aws-call.ts';

const PK = 'ORG';
const META_SK = 'META#county';

const Entry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('META'), data: z.object({ countyCentreUnitId: z.string() }) }),
  z.object({ type: z.literal('UNIT'), data: Unit }),
  z.object({ type: z.literal('TOWNSHIP'), data: Township }),
  z.object({ type: z.literal('COMMUNITY'), data: Community }),
  z.object({ type: z.literal('GRID'), data: Grid }),
  z.object({ type: z.literal('RULE'), data: RoutingRule }),
]);
type Entry = z.infer<typeof Entry>;

const entriesOf = (org: Organisation): Entry[] => [
  { type: 'META', data: { countyCentreUnitId: org.countyCentreUnitId } },
  ...org.units.map((data): Entry => ({ type: 'UNIT', data })),
  ...org.townships.map((data): Entry => ({ type: 'TOWNSHIP', data })),
  ...org.communities.map((data): Entry => ({ type: 'COMMUNITY', data })),
  ...org.grids.map((data): Entry => ({ type: 'GRID', data })),
  ...org.routingRules.map((data): Entry => ({ type: 'RULE', data })),
];

const sortKeyOf = (entry: Entry): string =>
  entry.type === 'META' ? META_SK : `${entry.type}#${entry.data.id}`;

export class DynamoDbDirectory implements DirectoryReader, DirectoryWriter {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async load(): Promise<Organisation> {
    const org: Organisation = {
      countyCentreUnitId: '',
      units: [],
      townships: [],
      communities: [],
      grids: [],
      routingRules: [],
    };
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await awsCall('reading the directory', () =>
        this.#db.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': PK },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) addEntry(org, Entry.parse(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    if (!org.countyCentreUnitId) throw new DependencyError('the directory has not been seeded');
    return org;
  }

  async isSeeded(): Promise<boolean> {
    const { Item } = await awsCall('reading the directory', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: { pk: PK, sk: META_SK } })),
    );
    return Item !== undefined;
  }

  async write(org: Organisation): Promise<void> {
    const entries = entriesOf(org);
    // META last: isSeeded() only answers yes once everything else is in.
    const ordered = [
      ...entries.filter((e) => e.type !== 'META'),
      ...entries.filter((e) => e.type === 'META'),
    ];
    for (let i = 0; i < ordered.length; i += 25) {
      let requests: { PutRequest: { Item: Record<string, unknown> } }[] = ordered
        .slice(i, i + 25)
        .map((entry) => ({ PutRequest: { Item: { pk: PK, sk: sortKeyOf(entry), ...entry } } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt === 8) throw new DependencyError('writing the directory kept being throttled');
        const out = await awsCall('writing the directory', () =>
          this.#db.send(new BatchWriteCommand({ RequestItems: { [this.#table]: requests } })),
        );
        requests = (out.UnprocessedItems?.[this.#table] ?? []).flatMap((r) =>
          r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
        );
        if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }
}

function addEntry(org: Organisation, entry: Entry): void {
  switch (entry.type) {
    case 'META':
      org.countyCentreUnitId = entry.data.countyCentreUnitId;
      break;
    case 'UNIT':
      org.units.push(entry.data);
      break;
    case 'TOWNSHIP':
      org.townships.push(entry.data);
      break;
    case 'COMMUNITY':
      org.communities.push(entry.data);
      break;
    case 'GRID':
      org.grids.push(entry.data);
      break;
    case 'RULE':
      org.routingRules.push(entry.data);
      break;
  }
}
