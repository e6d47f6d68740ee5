/**
 * The photo bucket, as the services see it: presigned upload forms for the browser, the uploads
 * as they arrived, a case's photos (written checked, listed, shown through short-lived URLs,
 * deleted with the case's personal data).
 */

/** A presigned POST form: the browser posts `fields` and then the file to `url`. */
export interface PhotoUploadForm {
  url: string;
  fields: Record<string, string>;
}

/** An object of the bucket as read. */
export interface StoredPhoto {
  bytes: Uint8Array;
}

export interface PhotoStore {
  /** A form that lets one JPEG of 1 B–MAX_PHOTO_BYTES be posted to `key`, for a limited time. */
  presignUpload(key: string): Promise<PhotoUploadForm>;
  /**
   * The object's bytes, undefined when there is none; `tooLarge` (with its size) without reading
   * it when it is over `maxBytes`.
   */
  read(key: string, maxBytes: number): Promise<StoredPhoto | { tooLarge: number } | undefined>;
  exists(key: string): Promise<boolean>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys under `prefix`, in key order. */
  list(prefix: string): Promise<string[]>;
  /** A GET URL good for `ttlSeconds`. */
  presignView(key: string, ttlSeconds: number): Promise<string>;
  /** Deletes every object under `prefix`; how many went. */
  deleteAll(prefix: string): Promise<number>;
}
