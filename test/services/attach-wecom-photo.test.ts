/**
 * A forwarded photo made the case's photo (shared/services/attach-wecom-photo.ts), over in-memory
 * ports: stored stripped under the case, and each photo that can never be kept (too large, not a
 * JPEG, gone from the platform) stored nowhere and told to the worker with the code; a platform
 * failure thrown for the queue to retry.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, stripJpegMetadata } from '../../shared/domain/photos.ts';
import type { WecomPhotoJob } from '../../shared/domain/wecom/worker-photos.ts';
import { DependencyError, UndeliverableError } from '../../shared/errors.ts';
import type { PhotoStore } from '../../shared/ports/photo-store.ts';
import { attachWecomPhoto } from '../../shared/services/attach-wecom-photo.ts';
import { jpegWithGps, tinyPng } from '../support/photo-fixtures.ts';

const job: WecomPhotoJob = {
  kind: 'wecom.photo',
  trackingCode: 'K7M2QX9PA',
  mediaId: '3media',
  number: 2,
  worker: 'gw-chengdong-kangning-g1',
};

function harness(download: () => Promise<{ bytes: Uint8Array } | { tooLarge: number }>) {
  const stored = new Map<string, Uint8Array>();
  const sent: { to: string; content: string; duplicateCheckSeconds?: number }[] = [];
  const unused = async (): Promise<never> => {
    throw new Error('not used');
  };
  const photos: PhotoStore = {
    presignUpload: unused,
    read: unused,
    exists: unused,
    put: async (key, bytes) => {
      stored.set(key, bytes);
    },
    delete: unused,
    list: unused,
    presignView: unused,
    deleteAll: unused,
  };
  const deps = {
    media: { downloadMedia: download },
    photos,
    messenger: {
      async sendText(to: string, content: string, options?: { duplicateCheckSeconds?: number }) {
        sent.push({ to, content, ...options });
      },
    },
  };
  return { run: () => attachWecomPhoto(job, deps), stored, sent };
}

describe('a forwarded photo', () => {
  it("is stored as the case's photo of its number, without its GPS and camera data", async () => {
    const original = jpegWithGps();
    const h = harness(async () => ({ bytes: original }));
    expect(await h.run()).toMatchObject({ outcome: 'stored' });
    expect([...h.stored.keys()]).toEqual(['cases/K7M2QX9PA/resident-2.jpg']);
    expect(Buffer.from(h.stored.get('cases/K7M2QX9PA/resident-2.jpg') ?? [])).toEqual(
      Buffer.from(stripJpegMetadata(original) ?? []),
    );
    expect(h.sent).toEqual([]);
  });

  it.each([
    ['too large', async () => ({ tooLarge: MAX_PHOTO_BYTES + 1 }), 'too_large', /超过4MB/],
    ['a PNG', async () => ({ bytes: new Uint8Array(tinyPng) }), 'not_jpeg', /不是JPEG照片/],
    [
      'gone from the platform',
      async () => {
        throw new UndeliverableError('media expired');
      },
      'expired',
      /已过期/,
    ],
  ] as const)('is not kept when %s, and the worker is told once', async (_what, download, reason, words) => {
    const h = harness(download);
    expect(await h.run()).toEqual({ outcome: 'refused', reason });
    expect(h.stored.size).toBe(0);
    expect(h.sent).toEqual([
      {
        to: 'gw-chengdong-kangning-g1',
        content: expect.stringMatching(words),
        duplicateCheckSeconds: 4 * 3600,
      },
    ]);
    expect(h.sent[0]?.content).toContain('查询码K7M-2QX-9PA的第2张照片');
  });

  it('throws when the platform cannot be reached, so the queue retries it', async () => {
    const h = harness(async () => {
      throw new DependencyError('WeChat Work media/get could not be reached');
    });
    await expect(h.run()).rejects.toThrow(DependencyError);
    expect([h.stored.size, h.sent.length]).toEqual([0, 0]);
  });
});
