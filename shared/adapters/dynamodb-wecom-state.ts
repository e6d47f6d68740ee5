/**
 * The WeChat Work channel's memory on DynamoDB, in the SMS channel's small table (`sms`, issue 16):
 * `WECOM#CALLBACK#<key>` per callback taken (a conditional put, expiring by TTL) and
 * `WECOM#TOKEN#<app>` holding the app's access token, its expiry (epoch ms) and, while one caller
 * fetches a new one, its lease (`leaseUntil`, epoch ms); `WECOM#WORKER#<userid>` holding the
 * worker's latest forwarded appeal (code, when, photos joined), expiring a day later. No scans;
 * one item per key.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PhotoPlacement } from '../domain/wecom/worker-photos.ts';
import { DependencyError } from '../errors.ts';
import type {
  AccessTokenStore,
  CachedAccessToken,
  WecomCallbackMemory,
  WorkerAppealTrail,
} from '../ports/wecom.ts';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';

const TokenItem = z.object({
  token: z.optional(z.string()),
  expiresAtMs: z.optional(z.number()),
  leaseUntil: z.optional(z.number()),
});

const LatestAppealItem = z.object({
  trackingCode: z.string(),
  atMs: z.number(),
  photos: z.int().check(z.nonnegative()),
});
/** The latest appeal is kept well past the photo window, then the table's TTL removes it. */
const LATEST_APPEAL_TTL_S = 24 * 3600;

const workerKey = (worker: string) => ({ pk: `WECOM#WORKER#${worker}`, sk: 'LATEST_APPEAL' });
const callbackKey = (key: string) => ({ pk: `WECOM#CALLBACK#${key}`, sk: 'CALLBACK' });
const tokenKey = (app: string) => ({ pk: `WECOM#TOKEN#${app}`, sk: 'TOKEN' });

export class DynamoDbWecomState implements WecomCallbackMemory, AccessTokenStore, WorkerAppealTrail {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  remember(key: string, until: Date): Promise<boolean> {
    return conditionalWrite('remembering the WeChat Work callback', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...callbackKey(key), expiresAt: Math.ceil(until.getTime() / 1000) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async forget(key: string): Promise<void> {
    await awsCall('forgetting the WeChat Work callback', () =>
      this.#db.send(new DeleteCommand({ TableName: this.#table, Key: callbackKey(key) })),
    );
  }

  async read(app: string): Promise<(CachedAccessToken & { leaseUntil?: number }) | undefined> {
    const out = await awsCall('reading the WeChat Work access token', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: tokenKey(app), ConsistentRead: true })),
    );
    if (!out.Item) return undefined;
    const item = TokenItem.parse(out.Item);
    if (item.token === undefined || item.expiresAtMs === undefined) {
      return item.leaseUntil === undefined
        ? undefined
        : { token: '', expiresAt: 0, leaseUntil: item.leaseUntil };
    }
    return {
      token: item.token,
      expiresAt: item.expiresAtMs,
      ...(item.leaseUntil === undefined ? {} : { leaseUntil: item.leaseUntil }),
    };
  }

  lease(app: string, now: number, until: number): Promise<boolean> {
    return conditionalWrite('leasing the WeChat Work token refresh', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: tokenKey(app),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil <= :now',
          ExpressionAttributeValues: { ':until': until, ':now': now },
        }),
      ),
    );
  }

  async store(app: string, token: CachedAccessToken): Promise<void> {
    await awsCall('storing the WeChat Work access token', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: tokenKey(app),
          UpdateExpression: 'SET #token = :token, expiresAtMs = :exp REMOVE leaseUntil',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': token.token, ':exp': token.expiresAt },
        }),
      ),
    );
  }

  async release(app: string): Promise<void> {
    await awsCall('releasing the WeChat Work token lease', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: tokenKey(app),
          UpdateExpression: 'REMOVE leaseUntil',
        }),
      ),
    );
  }

  async recordAppeal(worker: string, trackingCode: string, at: Date): Promise<void> {
    await awsCall("recording the worker's latest appeal", () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...workerKey(worker),
            trackingCode,
            atMs: at.getTime(),
            photos: 0,
            expiresAt: Math.ceil(at.getTime() / 1000) + LATEST_APPEAL_TTL_S,
          },
        }),
      ),
    );
  }

  async takePhotoPlace(worker: string, since: Date, max: number): Promise<PhotoPlacement> {
    try {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: workerKey(worker),
          UpdateExpression: 'ADD photos :one',
          ConditionExpression: 'attribute_exists(pk) AND atMs >= :since AND photos < :max',
          ExpressionAttributeValues: { ':one': 1, ':since': since.getTime(), ':max': max },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const taken = LatestAppealItem.parse(out.Attributes);
      return { kind: 'joins', trackingCode: taken.trackingCode, number: taken.photos };
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) {
        throw new DependencyError("taking a photo place on the worker's appeal failed", { cause: error });
      }
    }
    // Why not, as the condition had it: no appeal since `since`, or its places all taken.
    const out = await awsCall("reading the worker's latest appeal", () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: workerKey(worker), ConsistentRead: true })),
    );
    const item = out.Item === undefined ? undefined : LatestAppealItem.parse(out.Item);
    if (item === undefined || item.atMs < since.getTime()) return { kind: 'no_recent_appeal' };
    return { kind: 'full', trackingCode: item.trackingCode };
  }
}
