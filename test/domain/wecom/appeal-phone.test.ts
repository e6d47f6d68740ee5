/**
 * The resident's phone in a forwarded appeal (shared/domain/wecom/appeal-phone.ts): labelled or
 * bare, as people type it, taken under the county's phone policy and always out of the words.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PHONE_POLICY, PhonePolicySetting } from '../../../shared/domain/phone-number.ts';
import { takeAppealPhone } from '../../../shared/domain/wecom/appeal-phone.ts';

const take = (text: string) => takeAppealPhone(text, DEFAULT_PHONE_POLICY);

describe('the phone in an appeal', () => {
  it.each([
    ['3号楼路灯坏了，电话 13812345678', '3号楼路灯坏了'],
    ['联系方式：138-1234-5678，王阿姨家门口积水', '王阿姨家门口积水'],
    ['手机号码13812345678 楼道漏水', '楼道漏水'],
    ['楼道漏水 +86 138 1234 5678', '楼道漏水'],
    ['路灯坏了 13812345678', '路灯坏了'],
  ])('takes it from %s', (text, description) => {
    expect(take(text)).toEqual({ description, contactPhone: '+8613812345678', refused: false });
  });

  it('leaves a text without a phone as it is', () => {
    expect(take('  5号楼电梯坏了  ')).toEqual({ description: '  5号楼电梯坏了  ', refused: false });
  });

  it('does not take eleven digits out of a longer number (an order or account number)', () => {
    expect(take('缴费单号 213812345678999 有误')).toEqual({
      description: '缴费单号 213812345678999 有误',
      refused: false,
    });
  });

  it('takes the first number and removes every one', () => {
    expect(take('电话13812345678，13987654321，下水道堵了')).toEqual({
      description: '下水道堵了',
      contactPhone: '+8613812345678',
      refused: false,
    });
  });

  it('removes a number the policy does not text, and says it was refused', () => {
    const only139 = PhonePolicySetting.parse('+86 139XXXXXXXX');
    expect(takeAppealPhone('电话 13812345678 垃圾没人收', only139)).toEqual({
      description: '垃圾没人收',
      refused: true,
    });
  });

  it('leaves nothing of a text that was only a phone', () => {
    expect(take('电话：13812345678').description).toBe('');
  });
});
