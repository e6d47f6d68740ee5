import { describe, expect, it } from 'vitest';
import {
  acceptedPhone,
  contactPhoneWithin,
  DEFAULT_PHONE_POLICY,
  describePolicy,
  normaliseTypedPhone,
  PhonePolicySetting,
} from '../../shared/domain/phone-number.ts';
import { PhoneNumber } from '../../shared/domain/report.ts';

const policy = (setting: string) => PhonePolicySetting.parse(setting);

describe('the phone policy (default: mainland mobiles)', () => {
  it.each([
    ['13812345678'],
    ['138 1234 5678'],
    ['138-1234-5678'],
    ['+86 138 1234 5678'],
    ['+86-138-1234-5678'],
    ['0086 13812345678'],
    ['8613812345678'],
    ['(+86) 138.1234.5678'],
    ['１３８１２３４５６７８'],
  ])('accepts %s as +8613812345678', (typed) => {
    expect(acceptedPhone(typed, DEFAULT_PHONE_POLICY)).toBe('+8613812345678');
  });

  it.each([
    ['a mobile starting with 12', '12812345678'],
    ['a Beijing landline', '+86 10 6512 3456'],
    ['ten digits', '1381234567'],
    ['twelve digits', '138123456789'],
    ['a US number', '+1 415 555 0100'],
    ['a premium-rate UK number', '+44 909 879 0000'],
    ['letters', '138-CALL-NOW'],
    ['nothing', ''],
  ])('refuses %s', (_what, typed) => {
    expect(acceptedPhone(typed, DEFAULT_PHONE_POLICY)).toBeUndefined();
  });

  it('says what to enter in plain words, never as a pattern', () => {
    expect(describePolicy(DEFAULT_PHONE_POLICY)).toBe(
      'enter a mobile number we can text: 11 digits starting with 13–19',
    );
    const refused = contactPhoneWithin(DEFAULT_PHONE_POLICY).safeParse('+1 415 555 0100');
    expect(refused.error?.issues.map((i) => i.message)).toEqual([describePolicy(DEFAULT_PHONE_POLICY)]);
    const notText = contactPhoneWithin(DEFAULT_PHONE_POLICY).safeParse(13812345678);
    expect(notText.error?.issues.map((i) => i.message)).toEqual([describePolicy(DEFAULT_PHONE_POLICY)]);
  });
});

describe('a configured policy', () => {
  const withHongKong = policy('+86 1[3-9]XXXXXXXXX, +852 [5679]XXXXXXX');

  it('accepts each shape; numbers abroad need their country code', () => {
    expect(acceptedPhone('+852 5123 4567', withHongKong)).toBe('+85251234567');
    expect(acceptedPhone('00852 91234567', withHongKong)).toBe('+85291234567');
    expect(acceptedPhone('13812345678', withHongKong)).toBe('+8613812345678');
    // Without a country code a number is read as a home (first shape's) number.
    expect(acceptedPhone('51234567', withHongKong)).toBeUndefined();
    expect(acceptedPhone('+852 4123 4567', withHongKong)).toBeUndefined();
  });

  it('describes every shape', () => {
    expect(describePolicy(withHongKong)).toBe(
      'enter a mobile number we can text: 11 digits starting with 13–19, or +852 and 8 digits starting with 5, 6, 7 or 9',
    );
    expect(describePolicy(policy('+86 1XXXXXXXXXX'))).toBe(
      'enter a mobile number we can text: 11 digits starting with 1',
    );
    expect(describePolicy(policy('+49 XXXXXXXXXX'))).toBe('enter a mobile number we can text: 10 digits');
  });

  it('is the default when the setting is unset', () => {
    expect(PhonePolicySetting.parse('')).toEqual(DEFAULT_PHONE_POLICY);
    expect(PhonePolicySetting.parse(undefined)).toEqual(DEFAULT_PHONE_POLICY);
  });

  it.each([
    ['no country code', '1[3-9]XXXXXXXXX'],
    ['a country code starting with 0', '+086 1XXXXXXXXXX'],
    ['a backwards range', '+86 1[9-3]XXXXXXXXX'],
    ['a regular expression', '+86 1[3-9]\\d{9}'],
    ['too short to be a phone', '+86 1XX'],
    ['longer than E.164 allows', '+86 1XXXXXXXXXXXXXX'],
    ['only commas', ' , '],
  ])('refuses a setting with %s, naming the shape', (_what, setting) => {
    const parsed = PhonePolicySetting.safeParse(setting);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/shape/);
  });
});

describe('PhoneNumber (any number in a typed form, for stored reports and SMS)', () => {
  it('normalises mainland mobiles in every typed form and keeps any E.164 number', () => {
    expect(normaliseTypedPhone('0086 138-1234-5678')).toBe('+8613812345678');
    expect(normaliseTypedPhone('+1 (415) 555-0100')).toBe('+14155550100');
    expect(PhoneNumber.parse('138 1234 5678')).toBe('+8613812345678');
  });

  it('refuses anything else with a sentence, not a regular expression', () => {
    for (const bad of ['12345', 'abc', '+0123456789', 13812345678]) {
      const messages = PhoneNumber.safeParse(bad).error?.issues.map((i) => i.message) ?? [];
      expect(messages).toEqual([
        'enter a mobile number: 11 digits starting with 1, or an international number starting with +',
      ]);
    }
  });
});
