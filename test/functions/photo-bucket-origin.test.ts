import { describe, expect, it } from 'vitest';
import { statusPageCsp } from '../../functions/get-report-status.ts';
import { residentPageCsp } from '../../functions/resident-page.ts';
import { photoBucketOrigin } from '../../functions/wiring/photo-bucket-origin.ts';

describe('the photo bucket origin the pages allow', () => {
  it('is the bucket’s regional virtual-hosted origin in AWS, as presigned URLs name it', () => {
    expect(photoBucketOrigin({ PHOTOS_BUCKET: 'civicloop-photosbucket-abc', AWS_REGION: 'us-east-1' })).toBe(
      'https://civicloop-photosbucket-abc.s3.us-east-1.amazonaws.com',
    );
  });

  it('is the S3 endpoint’s origin where one is set (the local runtime’s bridge)', () => {
    expect(
      photoBucketOrigin({ PHOTOS_BUCKET: 'civicloop-photos', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4567' }),
    ).toBe('http://127.0.0.1:4567');
  });

  it('lets the resident page post to that origin, show blob previews and result photos from it, and nothing else new', () => {
    const csp = residentPageCsp('https://b.s3.us-east-1.amazonaws.com');
    expect(csp).toContain("connect-src 'self' https://b.s3.us-east-1.amazonaws.com;");
    expect(csp).toContain("img-src 'self' data: blob: https://b.s3.us-east-1.amazonaws.com;");
    expect(csp).toContain("default-src 'none'");
    expect(residentPageCsp(undefined)).toContain("connect-src 'self';");
    expect(residentPageCsp(undefined)).toContain("img-src 'self' data: blob:;");
  });

  it('lets the status page show result photos from that origin (images only)', () => {
    const csp = statusPageCsp('https://b.s3.us-east-1.amazonaws.com');
    expect(csp).toContain("img-src 'self' data: https://b.s3.us-east-1.amazonaws.com;");
    expect(csp).toContain("connect-src 'self';");
  });
});
