/**
 * The S3 bridge's POST policy check (fauxqs skips it): conditions applied as S3 applies them.
 */
import { describe, expect, it } from 'vitest';
import { isLocalSiteOrigin, refusalOfPost } from '../../infra/local/s3-emulator-bridge.ts';

const now = new Date('2026-12-06T12:00:00Z');
const policy = (conditions: unknown[], expiration = '2026-12-06T12:10:00Z') =>
  Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
const photoPolicy = [
  { bucket: 'civicloop-photos' },
  { key: 'uploads/abc.jpg' },
  ['content-length-range', 1, 100],
  ['starts-with', '$Content-Type', 'image/jpeg'],
];
const fields = (
  overrides: Record<string, string> = {},
  conditions: unknown[] = photoPolicy,
  expiration?: string,
) =>
  new Map(
    Object.entries({
      policy: policy(conditions, expiration),
      key: 'uploads/abc.jpg',
      'content-type': 'image/jpeg',
      ...overrides,
    }),
  );

describe('the S3 bridge applies presigned POST policies', () => {
  it('takes a post that meets every condition', () => {
    expect(refusalOfPost(fields(), 'civicloop-photos', 50, now)).toBeUndefined();
  });

  it('refuses a file over the range (EntityTooLarge) or under it (EntityTooSmall)', () => {
    expect(refusalOfPost(fields(), 'civicloop-photos', 101, now)).toMatchObject({
      status: 400,
      code: 'EntityTooLarge',
    });
    expect(refusalOfPost(fields(), 'civicloop-photos', 0, now)).toMatchObject({
      status: 400,
      code: 'EntityTooSmall',
    });
  });

  it('refuses another content type, key or bucket, naming the condition', () => {
    expect(refusalOfPost(fields({ 'content-type': 'text/plain' }), 'civicloop-photos', 5, now)).toMatchObject(
      {
        status: 403,
        code: 'AccessDenied',
        message: expect.stringContaining('["starts-with", "$Content-Type", "image/jpeg"]'),
      },
    );
    expect(
      refusalOfPost(fields({ key: 'cases/X/resident-1.jpg' }), 'civicloop-photos', 5, now)?.message,
    ).toContain('$key');
    expect(refusalOfPost(fields(), 'another-bucket', 5, now)?.message).toContain('$bucket');
  });

  it('refuses an expired policy and a post without one', () => {
    expect(
      refusalOfPost(fields({}, photoPolicy, '2026-12-06T11:59:59Z'), 'civicloop-photos', 5, now)?.message,
    ).toContain('expired');
    expect(refusalOfPost(new Map(), 'civicloop-photos', 5, now)).toMatchObject({ status: 403 });
  });

  it('answers CORS for the loopback site only', () => {
    expect(isLocalSiteOrigin('http://127.0.0.1:3000')).toBe(true);
    expect(isLocalSiteOrigin('http://localhost:8080')).toBe(true);
    expect(isLocalSiteOrigin('https://evil.example')).toBe(false);
    expect(isLocalSiteOrigin(undefined)).toBe(false);
  });
});
