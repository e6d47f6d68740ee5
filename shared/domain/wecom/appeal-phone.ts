/**
 * The resident's phone in an appeal a grid worker forwards (issue 16 item 3): workers paste the
 * resident's words and often add "电话 13812345678", "联系方式：138-1234-5678" or just the bare
 * mobile number. The first number the county's phone policy accepts (the web form's, so
 * shared/domain/phone-number.ts) becomes the report's contact phone, and the resident then gets
 * the same case texts as a web reporter. Every phone-like number is taken out of the description,
 * accepted or not: the description travels to units, into search postings and training examples,
 * where a phone has no business being. Pure; the number is never logged (only `found` is).
 */
import { contactPhoneWithin, type PhonePolicy } from '../phone-number.ts';

/** A label before the number, optional: 电话 / 手机(号) / 联系电话 / 联系方式 / Tel / Phone. */
const LABEL = String.raw`(?:联系(?:人)?(?:电话|手机|方式)|电话|手机号?码?|tel|phone|mobile)\s*[:：]?\s*`;
/** A number as people type it: +86 / 0086 / 86, then 11 digits, spaces or hyphens between. */
const NUMBER = String.raw`(?:(?:\+|＋|00)?86[\s\-－]?)?1[3-9]\d(?:[\s\-－]?\d){8}`;
/** A labelled number, or a bare mobile not inside a longer run of digits. */
const PHONE = new RegExp(String.raw`(?:${LABEL})?(?<![\d+＋])(${NUMBER})(?!\d)`, 'giu');

export interface AppealPhone {
  /** The appeal's words without any phone number. */
  description: string;
  /** The first number the policy accepts, in E.164. */
  contactPhone?: string;
  /** Phone-like numbers were in the text but none is one the county texts. */
  refused: boolean;
}

const tidy = (text: string): string =>
  text
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/([，,;；。])\s*[，,;；]+/g, '$1')
    .replace(/^[\s，,;；:：]+|[\s，,;；:：]+$/g, '')
    .trim();

/** Takes the resident's phone out of `text`, as the policy allows it. */
export function takeAppealPhone(text: string, policy: PhonePolicy): AppealPhone {
  const accepts = contactPhoneWithin(policy);
  let contactPhone: string | undefined;
  let found = false;
  const description = text.replace(PHONE, (_whole, number: string) => {
    found = true;
    if (contactPhone === undefined) {
      const parsed = accepts.safeParse(number.replaceAll('－', '-').replace('＋', '+'));
      if (parsed.success) contactPhone = parsed.data;
    }
    return ' ';
  });
  return {
    description: found ? tidy(description) : text,
    ...(contactPhone === undefined ? {} : { contactPhone }),
    refused: found && contactPhone === undefined,
  };
}
