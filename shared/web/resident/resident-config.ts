/**
 * What the resident page's server hands its browser script (`start(config)` in browser/main.ts):
 * the page's language and the strings the script shows, plus the form's field list both sides
 * walk. Types and plain data only: the browser bundle imports this module too.
 */
import type { FormField, PageLanguage, PageText } from '../page-text.ts';
import type { PhotoStrings } from './photo-text.ts';

/** The report form's fields, in the order the form shows them. */
export const formFields: readonly FormField[] = [
  'category',
  'communityId',
  'description',
  'contactPhone',
  'address',
];

/** The page's words the script needs once the page is loaded. */
export type ResidentStrings = Pick<
  PageText,
  | 'counter'
  | 'submit'
  | 'sending'
  | 'fieldErrors'
  | 'networkError'
  | 'serverBusy'
  | 'tooLarge'
  | 'rejected'
  | 'copy'
  | 'copied'
  | 'checkSubmit'
  | 'checking'
  | 'checkInvalid'
  | 'checkNotFound'
  | 'checkFailed'
  | 'statusStage'
  | 'statusCategory'
  | 'statusUnit'
  | 'statusUnitPending'
  | 'statusTimeline'
  | 'statusResolution'
  | 'rateOffer'
  | 'rateSubmit'
  | 'rateSending'
  | 'rateThanks'
  | 'rateMissing'
  | 'rateRefused'
  | 'rateNotYet'
  | 'rateFailed'
> & {
  /** Stage names by stage; keyed by any string because the status answer is read as text. */
  stages: Readonly<Record<string, string>>;
};

export interface ResidentConfig {
  lang: PageLanguage;
  strings: ResidentStrings;
  /** The photo field's words, where the page offers photos (the resident page, not the status page). */
  photos?: PhotoStrings;
}
