/** The guards for unsigned gateway callbacks: the path secret and the source allow-list. */
import { describe, expect, it } from 'vitest';
import {
  checkGatewaySecret,
  checkSourceAllowed,
  parseAllowList,
} from '../../../shared/adapters/sms-gateways/protection.ts';

describe('checkGatewaySecret', () => {
  const secret = 'k3yJ9x-long-random-path-secret';

  it('accepts only the exact secret', () => {
    expect(checkGatewaySecret(secret, secret)).toBe(true);
    expect(checkGatewaySecret(`${secret}x`, secret)).toBe(false);
    expect(checkGatewaySecret(secret.slice(0, -1), secret)).toBe(false);
    expect(checkGatewaySecret(secret.toUpperCase(), secret)).toBe(false);
    expect(checkGatewaySecret('', secret)).toBe(false);
    expect(checkGatewaySecret(undefined, secret)).toBe(false);
  });

  it('fails closed when no secret is configured', () => {
    expect(checkGatewaySecret('', '')).toBe(false);
    expect(checkGatewaySecret(undefined, '')).toBe(false);
  });
});

describe('checkSourceAllowed', () => {
  const list = ['203.0.113.7', '198.51.100.0/24', '10.0.0.0/8', '2001:db8::1'];

  it('allows everyone with an empty list', () => {
    expect(checkSourceAllowed('192.0.2.1', [])).toBe(true);
  });

  it.each([
    ['203.0.113.7', true],
    ['203.0.113.8', false],
    ['198.51.100.0', true],
    ['198.51.100.255', true],
    ['198.51.101.1', false],
    ['10.200.3.4', true],
    ['11.0.0.1', false],
    ['::ffff:198.51.100.9', true],
    ['2001:db8::1', true],
    ['2001:db8::2', false],
    ['not-an-ip', false],
    ['', false],
  ])('%s → %s', (ip, allowed) => {
    expect(checkSourceAllowed(ip, list)).toBe(allowed);
  });

  it('ignores malformed entries instead of opening up', () => {
    expect(checkSourceAllowed('192.0.2.1', ['192.0.2.0/33', '192.0.2.0/x', 'garbage'])).toBe(false);
    expect(checkSourceAllowed('192.0.2.1', ['0.0.0.0/0'])).toBe(true);
  });

  it('parses an allow-list from configuration', () => {
    expect(parseAllowList(' 203.0.113.7, 198.51.100.0/24\n10.0.0.0/8,, ')).toEqual([
      '203.0.113.7',
      '198.51.100.0/24',
      '10.0.0.0/8',
    ]);
    expect(parseAllowList(undefined)).toEqual([]);
  });
});
