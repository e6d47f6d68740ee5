/**
 * Ports of the WeChat Work channel (企业微信 / 政务微信, issue 16): the app's outbound messages,
 * the memory that refuses a replayed callback, and the app's one shared access token.
 */
import type { PhotoPlacement, WecomPhotoJob } from '../domain/wecom/worker-photos.ts';
import type { WorkerRelay } from '../domain/wecom/worker-relays.ts';

/** Sends the civicloop app's messages to WeChat Work users (message/send). */
export interface WecomMessenger {
  /** A text app message to one user (a grid worker's userid). Throws when the platform refused it. */
  sendText(toUser: string, content: string, options?: SendTextOptions): Promise<void>;
}

export interface SendTextOptions {
  /**
   * The platform refuses an identical message to the same user within this many seconds
   * (message/send's duplicate check, at most 4 hours): a repeated send reaches them once.
   */
  duplicateCheckSeconds?: number;
}

/** Temporary media a user sent the app (media/get: kept by the platform for three days). */
export interface WecomMediaReader {
  /** The media's bytes, or its size when over `maxBytes` (not read further). */
  downloadMedia(mediaId: string, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: number }>;
}

/**
 * Each grid worker's latest forwarded appeal, for the photos that follow it
 * (shared/domain/wecom/worker-photos.ts): one item per worker.
 */
export interface WorkerAppealTrail {
  /** The worker's appeal `trackingCode` received at `at` is now their latest, with no photos. */
  recordAppeal(worker: string, trackingCode: string, at: Date): Promise<void>;
  /**
   * Takes the next photo place on the worker's latest appeal if it was made after `since` and has
   * fewer than `max` photos (one conditional write); otherwise says why not.
   */
  takePhotoPlace(worker: string, since: Date, max: number): Promise<PhotoPlacement>;
}

/** Hands a case's change to relay-to-workers, which tells the worker who forwarded it. */
export interface WorkerRelayQueue {
  enqueue(relay: WorkerRelay): Promise<void>;
}

/** Hands a forwarded photo to the fetcher (off the callback's five seconds). */
export interface WecomPhotoQueue {
  enqueue(job: WecomPhotoJob): Promise<void>;
}

/** A text card (textcard) as the app sends it: a title, a short description, the page it opens. */
export interface AppCard {
  title: string;
  description: string;
  /** Without one the message goes as plain text (a card needs a link). */
  url?: string;
  /** The card's button text. */
  button?: string;
}

/** Sends one app message to many users at once (message/send's `touser`, up to 1,000 ids). */
export interface WecomCardMessenger {
  /** Sent to every valid recipient; answers the userids the platform did not know (invaliduser). */
  sendCard(toUsers: readonly string[], card: AppCard): Promise<{ invalidUsers: string[] }>;
}

/**
 * Callbacks already taken, by key (the corp and MsgId, or the nonce and timestamp of a message
 * without one), each remembered until `until`: one conditional write decides which delivery
 * does the work.
 */
export interface WecomCallbackMemory {
  /** True for the first delivery of `key`; false when it was taken before and not forgotten. */
  remember(key: string, until: Date): Promise<boolean>;
  /** A delivery that could not finish forgets its key, so the platform's retry does the work. */
  forget(key: string): Promise<void>;
}

/** The app's access token as cached for everyone, with its expiry (epoch ms). */
export interface CachedAccessToken {
  token: string;
  expiresAt: number;
}

/**
 * Where the app's access token is shared by every function: read it, and let one caller at a
 * time fetch a new one (a lease, taken with a conditional write).
 */
export interface AccessTokenStore {
  read(app: string): Promise<(CachedAccessToken & { leaseUntil?: number }) | undefined>;
  /** Takes the refresh lease until `until` if nobody holds a live one; true when taken. */
  lease(app: string, now: number, until: number): Promise<boolean>;
  /** Stores a fresh token and gives the lease back. */
  store(app: string, token: CachedAccessToken): Promise<void>;
  /** Gives the lease back without a token (the fetch failed). */
  release(app: string): Promise<void>;
}

/** A grid's customer group chat as the platform reports it (externalcontact/groupchat/get). */
export interface GroupChatSummary {
  chatId: string;
  ownerUserId: string;
  adminUserIds: string[];
  /** Every member the platform lists: the owner, staff and the residents (external contacts). */
  memberCount: number;
}

/** Reads customer group chats. Throws a WecomApiError when the platform refuses (an unknown chat). */
export interface WecomGroupChats {
  groupChat(chatId: string): Promise<GroupChatSummary>;
}
