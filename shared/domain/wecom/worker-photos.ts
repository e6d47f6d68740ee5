/**
 * How a photo a grid worker forwards in WeChat Work joins an appeal (issue 16 item 3), and the
 * job that fetches it off the callback's request path. Pure policy and the queue message.
 *
 * The rule, as a worker forwarding from a group of 300 households works: they forward the
 * resident's words first (the text gets the tracking code back), then the resident's photos.
 * A photo joins the worker's latest appeal if that appeal was made within the last
 * PHOTO_JOIN_WINDOW_MS, up to MAX_REPORT_PHOTOS photos per case, as the web form allows, and the
 * worker is told which code it joined ("第 2 张，已附到 …"), so a photo that joined the wrong
 * appeal is seen at once. A photo with no appeal that recent is not guessed at: the worker is
 * asked to send the words first and the photo again. A photo after the third is refused with
 * the limit named. The case keeps it as the resident's photo (`cases/<code>/resident-<n>.jpg`),
 * stripped of its metadata like a web upload, because it is the resident's evidence.
 */
import * as z from '../../schema.ts';
import { WecomUserId } from '../organisation.ts';
import { MAX_REPORT_PHOTOS } from '../photos.ts';
import { TrackingCode } from '../tracking-code.ts';

/** How long after an appeal a photo from the same worker still joins it. */
export const PHOTO_JOIN_WINDOW_MS = 15 * 60_000;

/** Photos one forwarded appeal may have: as many as the web form takes. */
export const MAX_FORWARDED_PHOTOS = MAX_REPORT_PHOTOS;

/** Where a photo goes: the next place on the latest appeal, or why it goes nowhere. */
export type PhotoPlacement =
  | { kind: 'joins'; trackingCode: string; number: number }
  | { kind: 'no_recent_appeal' }
  | { kind: 'full'; trackingCode: string };

/**
 * Callback → the photo fetcher: download the temporary media (valid three days), check and strip
 * it, store it as the case's photo `number`. Safe to repeat: the same key is written again.
 */
export const WecomPhotoJob = z.object({
  kind: z.literal('wecom.photo'),
  trackingCode: TrackingCode,
  /** WeChat Work's temporary media id (media/get). */
  mediaId: z.string().check(z.regex(/^[A-Za-z0-9_\-=+/.@]{1,256}$/, 'must be a WeChat Work media id')),
  number: z.int().check(z.minimum(1), z.maximum(MAX_FORWARDED_PHOTOS)),
  /** The worker who forwarded it, told when the photo cannot be kept. */
  worker: WecomUserId,
});
export type WecomPhotoJob = z.infer<typeof WecomPhotoJob>;
