/**
 * Who an outreach SMS may go to — the one rule the sender applies at send time and the campaign
 * preview's estimate counts by, so the two cannot drift apart: a registered household is texted
 * on its outreach phone (the first it lists) unless it has opted out (the registry's mark, or that
 * phone on the opt-out list) or the frequency cap holds it (an outreach SMS reserved for it within
 * the cap window before the send). Pure: the opt-out list is the caller's lookup.
 */
import type { Household } from '../household.ts';

/** The phone outreach texts: the household's first (the registry lists the main one first). */
export const outreachPhoneOf = (household: Household): string | undefined => household.phones[0];

/** Whether the sender skips this household as opted out. */
export async function isOptedOutOfOutreach(
  household: Household,
  isPhoneOptedOut: (phone: string) => Promise<boolean>,
): Promise<boolean> {
  if (household.optedOut === true) return true;
  const phone = outreachPhoneOf(household);
  return phone !== undefined && (await isPhoneOptedOut(phone));
}

/**
 * The start of the cap window for a send at `at`: a household whose last outreach SMS was
 * reserved after this instant is capped; at or before it, it may be texted again.
 */
export const capWindowStart = (at: Date, windowMs: number): Date => new Date(at.getTime() - windowMs);
