/**
 * The resolution a resident reads on the public status: the note of the `resolve` action, which
 * staff write as the answer to the report (what was done). It is the only note that is public —
 * accept, return, verify, close, reopen and return-visit notes are staff talking to staff — and it
 * is shown only while the resolution stands (resolved, verified, closed, evaluated): once a
 * verifier rejects it or the case is reopened, the old answer is no longer the answer.
 *
 * Staff are told in the console that this note is published. As a net under that, anything in it
 * that looks like a phone number (7 or more digits, spaces and dashes allowed between them) is
 * masked: the public status must never carry a phone, whoever typed it. Who resolved the case is
 * never part of it. The result photos the unit marked public follow the same rule: shown while the
 * resolution stands, by number (1–3) behind the status route's redirect, never by bucket key.
 */
import type { CaseState, Stage } from './case.ts';
import { formatTrackingCode } from './tracking-code.ts';

export interface PublicResolution {
  note: string;
  at: string;
}

const standingStages: readonly Stage[] = ['resolved', 'verified', 'closed', 'evaluated'];

/** Runs of 7+ digits, ASCII or full-width, optionally split by spaces or dashes (138-1234-5678). */
const PHONE_LIKE = /\+?(?:[0-9０-９][\s\-－]?){6,}[0-9０-９]/g;
/** A date written with dashes (2026-12-06) has eight digits too, and is not a phone. */
const DATE = /^(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}$/;

export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE_LIKE, (run) =>
    DATE.test(run.normalize('NFKC')) ? run : run.replace(/[0-9０-９]/g, '*'),
  );
}

export function publicResolutionOf(
  state: Pick<CaseState, 'stage' | 'timeline'>,
): PublicResolution | undefined {
  if (!standingStages.includes(state.stage)) return undefined;
  const resolution = state.timeline.findLast((event) => event.action === 'resolve');
  const note = resolution?.note?.trim();
  if (!resolution || !note) return undefined;
  return { note: maskPhoneNumbers(note), at: resolution.at };
}

/**
 * The public result photos' keys, in the order attached, while the resolution stands (the
 * resolve's note need not be written for them); none otherwise.
 */
export function publicResultPhotoKeysOf(state: Pick<CaseState, 'stage' | 'publicPhotos'>): string[] {
  if (!standingStages.includes(state.stage)) return [];
  return state.publicPhotos ?? [];
}

/** Where the public status and Open311 link a case's `n`th public result photo (1-based). */
export const publicPhotoPath = (trackingCode: string, n: number): string =>
  `/photos/${formatTrackingCode(trackingCode)}/${n}`;
