/**
 * The photo bucket on S3. Uploads never pass through a function: the browser posts to S3 with a
 * presigned POST whose policy bounds the size (content-length-range) and the declared type
 * (Content-Type starts with image/jpeg) and names the one key it may write. Views are presigned
 * GETs. Locally the endpoint is the emulator's bridge (infra/local/s3-emulator-bridge.ts), which
 * applies the POST policy as S3 does.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { MAX_PHOTO_BYTES, PHOTO_CONTENT_TYPE, PHOTO_UPLOAD_TTL_SECONDS } from '../domain/photos.ts';
import { DependencyError } from '../errors.ts';
import type { PhotoStore, PhotoUploadForm, StoredPhoto } from '../ports/photo-store.ts';
import { awsCall } from './aws-call.ts';
import type { S3Sdk } from './s3-sdk.ts';

export const createS3Client = (sdk: S3Sdk): S3Client => new sdk.S3Client({ maxAttempts: 3 });

/**
 * A key that is not there. Without s3:ListBucket on its prefix S3 answers a missing key with 403,
 * not 404 (it will not say whether the key exists); the functions that look keys up hold GetObject
 * on that prefix, so a 403 on their HeadObject means the key is missing, and the least privilege
 * needs no ListBucket for it.
 */
const isMissing = (sdk: S3Sdk, error: unknown) =>
  error instanceof sdk.NoSuchKey ||
  error instanceof sdk.NotFound ||
  (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey')) ||
  (error instanceof sdk.S3ServiceException && error.$metadata.httpStatusCode === 403);

export class S3PhotoStore implements PhotoStore {
  private readonly sdk: S3Sdk;
  private readonly s3: S3Client;
  private readonly bucket: string;

  /** `sdk` is the S3 SDK module (./s3-sdk.ts), given rather than imported so it can load late. */
  constructor(sdk: S3Sdk, s3: S3Client, bucket: string) {
    this.sdk = sdk;
    this.s3 = s3;
    this.bucket = bucket;
  }

  async presignUpload(key: string): Promise<PhotoUploadForm> {
    const { url, fields } = await awsCall('presigning a photo upload', () =>
      this.sdk.createPresignedPost(this.s3, {
        Bucket: this.bucket,
        Key: key,
        Conditions: [
          ['content-length-range', 1, MAX_PHOTO_BYTES],
          ['starts-with', '$Content-Type', PHOTO_CONTENT_TYPE],
        ],
        Fields: { 'Content-Type': PHOTO_CONTENT_TYPE },
        Expires: PHOTO_UPLOAD_TTL_SECONDS,
      }),
    );
    return { url, fields };
  }

  async read(key: string, maxBytes: number): Promise<StoredPhoto | { tooLarge: number } | undefined> {
    try {
      const head = await this.s3.send(new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      if ((head.ContentLength ?? 0) > maxBytes) return { tooLarge: head.ContentLength ?? 0 };
      const object = await this.s3.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = await object.Body?.transformToByteArray();
      return bytes === undefined ? undefined : { bytes };
    } catch (error) {
      if (isMissing(this.sdk, error)) return undefined;
      throw new DependencyError(`reading ${key} failed`, { cause: error });
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(this.sdk, error)) return false;
      throw new DependencyError(`looking up ${key} failed`, { cause: error });
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await awsCall(`writing ${key}`, () =>
      this.s3.send(
        new this.sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: PHOTO_CONTENT_TYPE,
        }),
      ),
    );
  }

  async delete(key: string): Promise<void> {
    await awsCall(`deleting ${key}`, () =>
      this.s3.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key })),
    );
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await awsCall(`listing ${prefix}`, () =>
        this.s3.send(
          new this.sdk.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ContinuationToken: token,
          }),
        ),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  presignView(key: string, ttlSeconds: number): Promise<string> {
    return awsCall(`presigning a view of ${key}`, () =>
      this.sdk.getSignedUrl(this.s3, new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }), {
        expiresIn: ttlSeconds,
      }),
    );
  }

  async deleteAll(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    for (let at = 0; at < keys.length; at += 1000) {
      const batch = keys.slice(at, at + 1000);
      await awsCall(`deleting ${prefix}`, () =>
        this.s3.send(
          new this.sdk.DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        ),
      );
    }
    return keys.length;
  }
}
