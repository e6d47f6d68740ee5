/**
 * Micro-grids and grid groups on the directory table: each grid is one item (`pk = ORG`,
 * `sk = GRID#<id>`, the grid under `data`, as shared/adapters/dynamodb-directory.ts writes it).
 * An import replaces the item while it exists; a member count is set inside `data.group` only
 * while the group's chat id is the one that was read, so a refresh racing an import that changed
 * the group never writes the old group's count onto the new one.
 */
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Grid } from '../domain/organisation.ts';
import type { GridRegistryWriter } from '../ports/grid-registry.ts';
import { conditionalWrite } from './aws-call.ts';

const PK = 'ORG';
const gridKey = (gridId: string) => ({ pk: PK, sk: `GRID#${gridId}` });

export class DynamoDbGridRegistry implements GridRegistryWriter {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  replaceGrid(grid: Grid): Promise<boolean> {
    return conditionalWrite('writing a grid', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...gridKey(grid.id), type: 'GRID', data: grid },
          ConditionExpression: 'attribute_exists(sk)',
        }),
      ),
    );
  }

  recordMemberCount(gridId: string, chatId: string, memberCount: number, at: Date): Promise<boolean> {
    return conditionalWrite("recording a group's member count", () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: gridKey(gridId),
          UpdateExpression: 'SET #d.#g.memberCount = :n, #d.#g.memberCountAt = :at',
          ConditionExpression: '#d.#g.chatId = :chat',
          ExpressionAttributeNames: { '#d': 'data', '#g': 'group' },
          ExpressionAttributeValues: { ':n': memberCount, ':at': at.toISOString(), ':chat': chatId },
        }),
      ),
    );
  }
}
