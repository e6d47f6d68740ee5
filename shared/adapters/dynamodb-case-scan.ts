/**
 * CaseScan on DynamoDB: every case state item of the `cases` table (`sk = STATE`), page by page,
 * through a Scan. For the offline statistics rebuild only — a Scan reads the whole table, which no
 * request path may do. Items are read as the case store reads them (caseStateOfItem); one that is
 * not a valid case is skipped and named by its key, never by its content.
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseState } from '../domain/case.ts';
import type { CaseScan, CaseScanPage } from '../ports/statistics-rebuild.ts';
import * as z from '../schema.ts';
import { awsCall } from './aws-call.ts';
import { caseStateOfItem } from './dynamodb-case-store.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

export class DynamoDbCaseScan implements CaseScan {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async page(limit: number, cursor?: string): Promise<CaseScanPage> {
    const out = await awsCall('reading cases', () =>
      this.#db.send(
        new ScanCommand({
          TableName: this.#table,
          // Limit counts the items read before the filter: a page may hold fewer cases, or none.
          FilterExpression: 'sk = :state',
          ExpressionAttributeValues: { ':state': 'STATE' },
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor),
          // A case changed a moment ago is read as it is now; live effects count the rest anyway.
          ConsistentRead: true,
        }),
      ),
    );
    const cases: CaseState[] = [];
    const unreadable: string[] = [];
    for (const item of out.Items ?? []) {
      try {
        cases.push(caseStateOfItem(item));
      } catch (error) {
        if (!(error instanceof z.core.$ZodError)) throw error;
        unreadable.push(String(item.pk));
      }
    }
    const next = encodeCursor(out.LastEvaluatedKey);
    return { cases, unreadable, ...(next ? { cursor: next } : {}) };
  }
}
