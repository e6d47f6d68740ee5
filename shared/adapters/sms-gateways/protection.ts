/**
 * Guards for the gateways that do not sign their callbacks (Aliyun, Tencent): a secret in the
 * callback URL's path, compared in constant time, and an optional allow-list of the provider's
 * published source addresses. Both fail closed on a misconfiguration that would open the door
 * (an empty secret), but an empty allow-list means "no IP restriction", because providers change
 * their ranges and the path secret alone is the baseline.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export function checkGatewaySecret(pathSecret: string | undefined, expected: string): boolean {
  if (!expected || pathSecret === undefined) return false;
  // Hashing first makes both sides the same length, so neither the content nor the length of
  // the expected secret leaks through timing.
  return timingSafeEqual(digest(pathSecret), digest(expected));
}

/** `::ffff:10.0.0.1` (an IPv4 client seen on a dual-stack socket) is the IPv4 address itself. */
const unmapped = (ip: string): string => {
  const match = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip.trim());
  return match?.[1] ?? ip.trim();
};

/** Exact IPv4/IPv6 addresses and IPv4 CIDRs (`203.0.113.0/24`); malformed entries match nothing. */
export function checkSourceAllowed(sourceIp: string, allowList: readonly string[]): boolean {
  if (allowList.length === 0) return true;
  const ip = unmapped(sourceIp);
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
  if (!family) return false;
  const allowed = new BlockList();
  for (const entry of allowList) {
    const [address = '', prefix, ...rest] = entry.trim().split('/');
    if (prefix === undefined) {
      const exact = unmapped(address);
      if (isIPv4(exact)) allowed.addAddress(exact, 'ipv4');
      else if (isIPv6(exact)) allowed.addAddress(exact, 'ipv6');
    } else if (rest.length === 0 && isIPv4(address) && /^\d{1,2}$/.test(prefix) && Number(prefix) <= 32) {
      allowed.addSubnet(address, Number(prefix), 'ipv4');
    }
  }
  return allowed.check(ip, family);
}

/** An allow-list from configuration: comma- or whitespace-separated, blanks ignored. */
export const parseAllowList = (raw: string | undefined): string[] =>
  (raw ?? '').split(/[\s,]+/).filter((entry) => entry.length > 0);
