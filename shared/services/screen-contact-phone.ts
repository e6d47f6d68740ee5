/**
 * The county's phone policy at the public intake: a web report's `contactPhone` must be a number
 * the county is prepared to text (shared/domain/phone-number.ts), because every report with a
 * phone is texted on dispatch, resolution and closure. Runs before intake, so a refused number
 * leaves no trace; a refusal still names every other bad field, as intake's own check would.
 */
import { contactPhoneWithin, describePolicy, type PhonePolicy } from '../domain/phone-number.ts';
import { reportSubmissionAmong } from '../domain/report.ts';
import { type FieldIssue, ValidationError } from '../errors.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import { issuesOf } from '../validation.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isBlank = (value: unknown): boolean =>
  value === undefined || (typeof value === 'string' && value.trim() === '');

/**
 * The submission with its contact phone in E.164 when the policy accepts it (or there is none);
 * a ValidationError naming `contactPhone` (and any other bad field) when it does not.
 */
export async function screenContactPhone(
  input: unknown,
  policy: PhonePolicy,
  directory: DirectoryReader,
): Promise<unknown> {
  if (!isRecord(input) || isBlank(input.contactPhone)) return input;
  const phone = contactPhoneWithin(policy).safeParse(input.contactPhone);
  if (phone.success) return { ...input, contactPhone: phone.data };

  const { communities } = await directory.load();
  const rest = reportSubmissionAmong(new Set(communities.map((c) => c.id))).safeParse({
    ...input,
    contactPhone: undefined,
  });
  const issues: FieldIssue[] = [
    { path: 'contactPhone', message: describePolicy(policy) },
    ...(rest.success ? [] : issuesOf(rest.error)),
  ];
  const fields = [...new Set(issues.map((i) => i.path || '(body)'))].join(', ');
  throw new ValidationError(`The report is invalid: ${fields}`, issues, { cause: phone.error });
}
