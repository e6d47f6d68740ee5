/**
 * What a resident submits, as the intake API accepts it (JSON or an HTML form), and the message
 * that carries it from intake to the router. Phone numbers are normalised to E.164 here so every
 * later comparison (ratings, the household registry) sees one form.
 */
import * as z from '../schema.ts';
import { CategoryCode } from './categories.ts';
import { EntityId, WecomUserId } from './organisation.ts';
import { normaliseTypedPhone } from './phone-number.ts';
import { ClassificationExplanation } from './sms/classification-explanation.ts';
import { TrackingCode } from './tracking-code.ts';

const MAX_DESCRIPTION = 2000;
const PHONE_MESSAGE =
  'enter a mobile number: 11 digits starting with 1, or an international number starting with +';

/** Form posts send empty strings for untouched optional fields; treat them as absent. */
const optionalText = <S extends z.core.$ZodType>(schema: S) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.optional(schema));

/** Community id for a report the system could not place: the router sends it to the county centre. */
export const UNPLACED_COMMUNITY = 'unplaced';

/**
 * A phone in any form residents type (13812345678, +86 138 1234 5678, 0086…) or any E.164 number,
 * normalised to E.164. What the public form may take is narrower (shared/domain/phone-number.ts).
 */
export const PhoneNumber = z.pipe(
  z.string({ error: PHONE_MESSAGE }),
  z.transform((raw: string, ctx) => {
    const e164 = normaliseTypedPhone(raw);
    if (e164 === undefined) {
      ctx.issues.push({ code: 'custom', message: PHONE_MESSAGE, input: raw });
      return z.NEVER;
    }
    return e164;
  }),
);
export type PhoneNumber = z.infer<typeof PhoneNumber>;

export const Location = z.object({
  lat: z.coerce.number().check(z.minimum(-90), z.maximum(90)),
  lng: z.coerce.number().check(z.minimum(-180), z.maximum(180)),
});

export const ReportSubmission = z.object({
  category: CategoryCode,
  communityId: EntityId,
  description: z.string({ error: 'describe the problem' }).check(
    z.trim(),
    z.minLength(1, 'describe the problem'),
    z.refine((s) => [...s].length <= MAX_DESCRIPTION, `at most ${MAX_DESCRIPTION} characters`),
  ),
  contactPhone: optionalText(PhoneNumber),
  location: z.optional(Location),
  address: optionalText(z.string().check(z.trim(), z.maxLength(200, 'at most 200 characters'))),
});
export type ReportSubmission = z.infer<typeof ReportSubmission>;

/**
 * A submission from the web form or the API, whose community must be one of `communityIds` (the
 * directory's, which GET /api/catalog offers): an unknown id is the client's mistake, named like
 * any other bad field. SMS has no list to pick from; the router places those reports instead.
 */
export const reportSubmissionAmong = (communityIds: ReadonlySet<string>) =>
  z.extend(ReportSubmission, {
    // Piped, so an id that is not even well-formed gets one issue, not two.
    communityId: z.pipe(
      ReportSubmission.shape.communityId,
      z.string().check(
        z.refine((id) => communityIds.has(id), {
          error: 'unknown community: choose one of the communities in GET /api/catalog',
        }),
      ),
    ),
  });

/** `wecom`: forwarded by a grid worker through the county's WeChat Work app (issue 16). */
export const Channel = z.enum(['web', 'sms', 'grid_worker', 'wecom']);
export type Channel = z.infer<typeof Channel>;

/** Intake → router. `submissionId` tells a redelivery (same id) from a code collision (different id). */
export const ReportSubmitted = z.object({
  kind: z.literal('report.submitted'),
  trackingCode: TrackingCode,
  submissionId: z.uuid(),
  submittedAt: z.iso.datetime(),
  channel: Channel,
  report: ReportSubmission,
  /** SHA-256 (hex) of the reporter's private token; the token itself is never stored. */
  reporterTokenHash: z.optional(
    z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hash: 64 lower-case hexadecimal digits')),
  ),
  /**
   * Why the classifier chose the category, for a text it classified (SMS); absent for a category
   * the resident chose, and on messages queued before it was sent. Kept on the case for staff.
   */
  classification: z.optional(ClassificationExplanation),
  /**
   * The grid worker who forwarded the appeal (channel `wecom`): their WeChat Work userid, a staff
   * id, so each later status change is relayed to them to post in the grid's group.
   */
  forwardedBy: z.optional(WecomUserId),
});
export type ReportSubmitted = z.infer<typeof ReportSubmitted>;
