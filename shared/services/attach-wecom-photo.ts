/**
 * A photo a grid worker forwarded in WeChat Work, made the case's photo (issue 16 item 3), from
 * the photo queue: downloaded from the platform's temporary media (media/get, kept three days),
 * bounded in size (MAX_PHOTO_BYTES, read no further), checked to be a JPEG by its bytes and
 * stripped of its metadata exactly as a web upload is (shared/domain/photos.ts: checkPhoto), then
 * stored as the case's resident photo `number` under `cases/<code>/`, where the case view and
 * the retention rule find it.
 *
 * Safe to repeat: a redelivered job writes the same key again. A photo that can never be kept
 * (too large, not a JPEG, damaged, gone from the platform) is not retried: the worker is told
 * in a short app message, so the resident can be asked for it again; a failure of ours or of the
 * platform throws, and the queue retries it.
 */
import { checkPhoto, MAX_PHOTO_BYTES, residentPhotoKey } from '../domain/photos.ts';
import { formatTrackingCode } from '../domain/tracking-code.ts';
import type { WecomPhotoJob } from '../domain/wecom/worker-photos.ts';
import { RELAY_DUPLICATE_CHECK_SECONDS } from '../domain/wecom/worker-relays.ts';
import { UndeliverableError } from '../errors.ts';
import type { PhotoStore } from '../ports/photo-store.ts';
import type { WecomMediaReader, WecomMessenger } from '../ports/wecom.ts';

export interface AttachWecomPhotoDeps {
  media: WecomMediaReader;
  photos: PhotoStore;
  messenger: WecomMessenger;
}

export type AttachWecomPhotoOutcome =
  | { outcome: 'stored'; bytes: number }
  | { outcome: 'refused'; reason: 'too_large' | 'not_jpeg' | 'malformed' | 'expired' };

/** What the worker is told when a photo cannot be kept; nothing of the resident's. */
export const photoRefusedText = (code: string, number: number, why: string): string =>
  `查询码${formatTrackingCode(code)}的第${number}张照片未能保存（${why}）。请让居民重新发一张照片，再转发给我。`;

const WHY_ZH = {
  too_large: `照片超过${MAX_PHOTO_BYTES / 1024 / 1024}MB`,
  not_jpeg: '不是JPEG照片',
  malformed: '照片已损坏',
  expired: '照片已过期',
} as const;

export async function attachWecomPhoto(
  job: WecomPhotoJob,
  deps: AttachWecomPhotoDeps,
): Promise<AttachWecomPhotoOutcome> {
  const refused = async (reason: keyof typeof WHY_ZH): Promise<AttachWecomPhotoOutcome> => {
    await deps.messenger.sendText(
      job.worker,
      photoRefusedText(job.trackingCode, job.number, WHY_ZH[reason]),
      {
        // A redelivered job tells the worker once.
        duplicateCheckSeconds: RELAY_DUPLICATE_CHECK_SECONDS,
      },
    );
    return { outcome: 'refused', reason };
  };
  let downloaded: Awaited<ReturnType<WecomMediaReader['downloadMedia']>>;
  try {
    downloaded = await deps.media.downloadMedia(job.mediaId, MAX_PHOTO_BYTES);
  } catch (error) {
    if (error instanceof UndeliverableError) return refused('expired');
    throw error;
  }
  if ('tooLarge' in downloaded) return refused('too_large');
  const checked = checkPhoto(downloaded.bytes);
  if (!checked.ok) {
    const { kind } = checked.problem;
    return refused(kind === 'not_jpeg' || kind === 'too_large' ? kind : 'malformed');
  }
  await deps.photos.put(residentPhotoKey(job.trackingCode, job.number - 1), checked.bytes);
  return { outcome: 'stored', bytes: checked.bytes.length };
}
