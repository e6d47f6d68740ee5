/**
 * The organisation and routing rules on DynamoDB (table `directory`). All entities share the
 * partition `ORG` (`sk = UNIT#id`, `COMMUNITY#id`, `RULE#id` ...), so the whole directory — a few
 * hundred small items — is one Query, never a scan.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Community, Grid, type Organisation, RoutingRule, Township, Unit } from '../domain/organisation.ts';
import { DependencyError } from '../errors.ts';
import type { DirectoryReader, DirectoryWriter } from '../ports/directory.ts';
import * as z from '../schema.ts';
import { awsCall, batchWriteAll, partitionItems } from './aws-call.ts';

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
    for await (const item of partitionItems(this.#db, this.#table, PK, 'reading the directory')) {
      addEntry(org, Entry.parse(item));
    }
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
    await batchWriteAll(
      this.#db,
      this.#table,
      ordered.map((entry) => ({ PutRequest: { Item: { pk: PK, sk: sortKeyOf(entry), ...entry } } })),
      'writing the directory',
    );
  }

  async replaceRoutingRules(rules: RoutingRule[]): Promise<void> {
    const current = (await this.load()).routingRules;
    const keep = new Set(rules.map((r) => r.id));
    const entries = rules.map((data): Entry => ({ type: 'RULE', data }));
    await batchWriteAll(
      this.#db,
      this.#table,
      [
        ...entries.map((entry) => ({ PutRequest: { Item: { pk: PK, sk: sortKeyOf(entry), ...entry } } })),
        ...current
          .filter((r) => !keep.has(r.id))
          .map((r) => ({ DeleteRequest: { Key: { pk: PK, sk: `RULE#${r.id}` } } })),
      ],
      'replacing the routing rules',
    );
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
