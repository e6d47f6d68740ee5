/**
 * Port: the keys submissions were made with, for 24 hours: one conditional write per keyed
 * submission records which body a key was first used with, so the same key with another body is
 * refused. It stores hashes only; the receipt itself is derived again from the key.
 */
export interface SubmissionLedger {
  /** `accepted` the first time and for a retry with the same body; `conflict` for another body. */
  record(keyHash: string, fingerprint: string, now: Date): Promise<'accepted' | 'conflict'>;
}
