/**
 * Ports of the WeChat Work channel (企业微信 / 政务微信, issue 16): the app's outbound messages,
 * the memory that refuses a replayed callback, and the app's one shared access token.
 */

/** Sends the civicloop app's messages to WeChat Work users (message/send). */
export interface WecomMessenger {
  /** A text app message to one user (a grid worker's userid). Throws when the platform refused it. */
  sendText(toUser: string, content: string): Promise<void>;
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
