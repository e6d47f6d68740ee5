/**
 * CaseStore on DynamoDB. Layout (table `cases`): `pk = CASE#<code>`, `sk = STATE` for the small
 * state item every transition rewrites, `sk = REPORT` for the write-once text and contact details.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CaseReport, CaseState } from '../domain/case.ts';
import { CaseConflictError } from '../errors.ts';
import type { CaseStore, CreateCaseResult, StageChange } from '../ports/case-store.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';

const casePk = (code: string) => `CASE#${code}`;

export class DynamoDbCaseStore implements CaseStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async saveReport(report: CaseReport): Promise<void> {
    const saved = await conditionalWrite('saving the report', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: casePk(report.trackingCode), sk: 'REPORT', ...report },
          // A redelivered message rewrites the same content; another submission may not.
          ConditionExpression: 'attribute_not_exists(pk) OR submissionId = :sid',
          ExpressionAttributeValues: { ':sid': report.submissionId },
        }),
      ),
    );
    if (!saved) {
      throw new CaseConflictError(
        `tracking code ${report.trackingCode} already belongs to another submission`,
      );
    }
  }

  async createCase(state: CaseState): Promise<CreateCaseResult> {
    const created = await conditionalWrite('creating the case', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: casePk(state.trackingCode), sk: 'STATE', ...state },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (created) return { created: true };
    const existing = await this.getCase(state.trackingCode);
    if (!existing) throw new CaseConflictError(`case ${state.trackingCode} vanished while being created`);
    return { created: false, existing };
  }

  async getCase(trackingCode: string): Promise<CaseState | undefined> {
    const { Item } = await awsCall('reading the case', () =>
      this.#db.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: casePk(trackingCode), sk: 'STATE' },
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? CaseState.parse(Item) : undefined;
  }

  async getReport(trackingCode: string): Promise<CaseReport | undefined> {
    const { Item } = await awsCall('reading the report', () =>
      this.#db.send(
        new GetCommand({ TableName: this.#table, Key: { pk: casePk(trackingCode), sk: 'REPORT' } }),
      ),
    );
    return Item ? CaseReport.parse(Item) : undefined;
  }

  async changeStage(change: StageChange): Promise<CaseState | undefined> {
    const names: Record<string, string> = {
      '#stage': 'stage',
      '#version': 'version',
      '#timeline': 'timeline',
    };
    const values: Record<string, unknown> = {
      ':from': change.from.stage,
      ':expected': change.from.version,
      ':to': change.to,
      ':next': change.from.version + 1,
      ':event': [change.event],
      ':at': change.event.at,
    };
    const sets = [
      '#stage = :to',
      '#version = :next',
      '#timeline = list_append(#timeline, :event)',
      'updatedAt = :at',
    ];
    for (const [key, value] of Object.entries(change.set ?? {})) {
      names[`#${key}`] = key;
      values[`:${key}`] = value;
      sets.push(`#${key} = :${key}`);
    }
    let updated: Record<string, unknown> | undefined;
    const applied = await conditionalWrite('changing the case stage', async () => {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(change.trackingCode), sk: 'STATE' },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#stage = :from AND #version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      updated = out.Attributes;
    });
    return applied && updated ? CaseState.parse(updated) : undefined;
  }
}
