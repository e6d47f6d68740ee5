/**
 * WeChat Work's (企业微信, and the government edition 政务微信) callback message crypto, as its
 * published WXBizMsgCrypt samples do it, byte for byte:
 * - `msg_signature` = SHA-1 (hex) of token, timestamp, nonce and the encrypted text, sorted as
 *   strings and joined without a separator;
 * - AES-256-CBC, key = Base64(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padding
 *   to 32-byte blocks (WeChat's own block size, not AES's 16);
 * - plaintext = 16 random bytes, the message's byte length (4 bytes, big-endian), the message,
 *   then the receiver id (the corp id for an app's callbacks).
 * Decrypting checks the padding, the length and the receiver id; a failure says which check
 * failed and never carries any of the plaintext. Pure: node:crypto only.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** WeChat's padding block: PKCS#7 to a multiple of 32 bytes. */
const BLOCK = 32;
const RANDOM_BYTES = 16;

/** Why a callback was refused; the codes are WXBizMsgCrypt's own (-40001 …), for the logs. */
export type CallbackCryptoFailure =
  | { reason: 'bad_signature'; code: -40001 }
  | { reason: 'bad_aes_key'; code: -40004 }
  | { reason: 'wrong_receiver'; code: -40005 }
  | { reason: 'undecryptable'; code: -40007 }
  | { reason: 'bad_plaintext'; code: -40008 };

export class CallbackCryptoError extends Error {
  readonly failure: CallbackCryptoFailure;
  constructor(failure: CallbackCryptoFailure) {
    super(`WeChat Work callback refused: ${failure.reason} (${failure.code})`);
    this.name = 'CallbackCryptoError';
    this.failure = failure;
  }
}

export interface CallbackKeys {
  /** The callback Token set in the app's "receive messages" settings. */
  token: string;
  /** The 43-character EncodingAESKey set beside it. */
  encodingAesKey: string;
  /** The receiver id the plaintext must end with: the corp id. */
  receiverId: string;
}

/** The 32-byte AES key behind an EncodingAESKey; throws when it is not one. */
export function aesKeyOf(encodingAesKey: string): Buffer {
  const key = /^[A-Za-z0-9+/_-]{43}$/.test(encodingAesKey)
    ? Buffer.from(`${encodingAesKey}=`, 'base64')
    : Buffer.alloc(0);
  if (key.length !== 32) throw new CallbackCryptoError({ reason: 'bad_aes_key', code: -40004 });
  return key;
}

/** msg_signature over the four values, as the platform computes it. */
export function callbackSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
): string {
  return createHash('sha1')
    .update([token, timestamp, nonce, encrypted].sort().join(''), 'utf8')
    .digest('hex');
}

/** Whether `signature` is the message's msg_signature (compared in constant time). */
export function signatureMatches(
  token: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
  signature: string,
): boolean {
  const expected = Buffer.from(callbackSignature(token, timestamp, nonce, encrypted), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Encrypts `message` for `receiverId` (Base64). `random` is the 16 leading bytes; fresh random
 * bytes unless given (a test reproduces the platform's sample with the sample's own).
 */
export function encryptCallbackMessage(
  message: string,
  keys: Pick<CallbackKeys, 'encodingAesKey' | 'receiverId'>,
  random: Uint8Array = randomBytes(RANDOM_BYTES),
): string {
  if (random.length !== RANDOM_BYTES) throw new RangeError('the random prefix must be 16 bytes');
  const key = aesKeyOf(keys.encodingAesKey);
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, length, body, Buffer.from(keys.receiverId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString('base64');
}

export interface DecryptedCallback {
  message: string;
  /** The 16 random bytes the sender put first (kept so a test can encrypt the same text again). */
  random: Buffer;
}

/** Decrypts a callback's Encrypt (or echostr) and checks that it was meant for `receiverId`. */
export function decryptCallbackMessage(
  encrypted: string,
  keys: Pick<CallbackKeys, 'encodingAesKey' | 'receiverId'>,
): DecryptedCallback {
  const key = aesKeyOf(keys.encodingAesKey);
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) {
    throw new CallbackCryptoError({ reason: 'undecryptable', code: -40007 });
  }
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new CallbackCryptoError({ reason: 'undecryptable', code: -40007 });
  }
  const pad = plain[plain.length - 1] ?? 0;
  if (
    pad < 1 ||
    pad > BLOCK ||
    pad > plain.length ||
    !plain.subarray(plain.length - pad).every((b) => b === pad)
  ) {
    throw new CallbackCryptoError({ reason: 'bad_plaintext', code: -40008 });
  }
  const content = plain.subarray(0, plain.length - pad);
  if (content.length < RANDOM_BYTES + 4)
    throw new CallbackCryptoError({ reason: 'bad_plaintext', code: -40008 });
  const length = content.readUInt32BE(RANDOM_BYTES);
  const start = RANDOM_BYTES + 4;
  if (start + length > content.length)
    throw new CallbackCryptoError({ reason: 'bad_plaintext', code: -40008 });
  const receiver = content.subarray(start + length);
  if (!receiver.equals(Buffer.from(keys.receiverId, 'utf8'))) {
    throw new CallbackCryptoError({ reason: 'wrong_receiver', code: -40005 });
  }
  return {
    message: content.subarray(start, start + length).toString('utf8'),
    random: Buffer.from(content.subarray(0, RANDOM_BYTES)),
  };
}

/** Verifies and decrypts one signed encrypted value (a callback's Encrypt, or the GET's echostr). */
export function openCallback(
  query: { signature: string; timestamp: string; nonce: string },
  encrypted: string,
  keys: CallbackKeys,
): DecryptedCallback {
  if (!signatureMatches(keys.token, query.timestamp, query.nonce, encrypted, query.signature)) {
    throw new CallbackCryptoError({ reason: 'bad_signature', code: -40001 });
  }
  return decryptCallbackMessage(encrypted, keys);
}
