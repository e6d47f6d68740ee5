import ExifReader from 'exifreader';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  checkPhoto,
  describePhotoProblem,
  MAX_PHOTO_BYTES,
  ReportPhotoIds,
  residentPhotoKey,
  sniffImageType,
  stripJpegMetadata,
  uploadKey,
} from '../../shared/domain/photos.ts';
import { jpegWithGps, photoPosition, plainJpeg, tinyPng } from '../support/photo-fixtures.ts';

const gpsOf = (bytes: Uint8Array) => ExifReader.load(Buffer.from(bytes), { expanded: true }).gps;

describe('photo content sniffing', () => {
  it('tells JPEG, PNG and WebP by their first bytes', () => {
    expect(sniffImageType(plainJpeg())).toBe('image/jpeg');
    expect(sniffImageType(tinyPng)).toBe('image/png');
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
    expect(sniffImageType(webp)).toBe('image/webp');
    expect(sniffImageType(Buffer.from('just some text, named photo.jpg'))).toBeUndefined();
  });

  it('refuses a PNG declared as a JPEG, naming what it is', () => {
    const result = checkPhoto(tinyPng);
    expect(result).toEqual({ ok: false, problem: { kind: 'not_jpeg', detected: 'image/png' } });
    if (!result.ok) expect(describePhotoProblem(result.problem)).toMatch(/PNG image, not a JPEG/);
  });

  it('refuses a text file as not an image', () => {
    const result = checkPhoto(Buffer.from('hello'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(describePhotoProblem(result.problem)).toMatch(/not an image/);
  });

  it('refuses more than the upload limit', () => {
    const big = Buffer.concat([plainJpeg(), Buffer.alloc(MAX_PHOTO_BYTES)]);
    expect(checkPhoto(big)).toMatchObject({ ok: false, problem: { kind: 'too_large' } });
  });

  it('refuses a JPEG cut short before its image data', () => {
    expect(checkPhoto(plainJpeg().subarray(0, 40))).toEqual({ ok: false, problem: { kind: 'malformed' } });
  });
});

describe('photo metadata stripping', () => {
  it('the test photo really carries GPS coordinates before stripping', () => {
    const gps = gpsOf(jpegWithGps());
    expect(gps?.Latitude).toBeCloseTo(photoPosition.latitude, 3);
    expect(gps?.Longitude).toBeCloseTo(photoPosition.longitude, 3);
  });

  it('removes EXIF (GPS, camera), XMP and comments and keeps the image pixel for pixel', () => {
    const original = jpegWithGps(40, 30);
    const stripped = stripJpegMetadata(original);
    expect(stripped).toBeDefined();
    if (stripped === undefined) return;
    const tags = ExifReader.load(Buffer.from(stripped), { expanded: true });
    expect(tags.gps).toBeUndefined();
    expect(tags.exif).toBeUndefined();
    expect(tags.xmp).toBeUndefined();
    const text = Buffer.from(stripped).toString('latin1');
    expect(text).not.toContain('Civicam');
    expect(text).not.toContain('Nanda Street');
    expect(text).not.toContain('GPSLatitude');
    const before = jpeg.decode(original, { useTArray: true });
    const after = jpeg.decode(stripped, { useTArray: true });
    expect([after.width, after.height]).toEqual([40, 30]);
    expect(Buffer.from(after.data).equals(Buffer.from(before.data))).toBe(true);
  });

  it('keeps the JFIF header a viewer needs', () => {
    const stripped = stripJpegMetadata(jpegWithGps());
    expect(
      Buffer.from(stripped ?? [])
        .subarray(6, 10)
        .toString('latin1'),
    ).toBe('JFIF');
  });

  it('leaves a JPEG without metadata as it was', () => {
    const plain = plainJpeg();
    expect(Buffer.from(stripJpegMetadata(plain) ?? []).equals(Buffer.from(plain))).toBe(true);
  });
});

describe('report photo ids', () => {
  const id = (n: number) => `${'a'.repeat(21)}${n}`;

  it('takes up to three distinct upload ids', () => {
    expect(ReportPhotoIds.safeParse([id(1), id(2), id(3)]).success).toBe(true);
    expect(ReportPhotoIds.safeParse([id(1), id(2), id(3), id(4)]).error?.issues[0]?.message).toBe(
      'at most 3 photos',
    );
    expect(ReportPhotoIds.safeParse([id(1), id(1)]).error?.issues[0]?.message).toBe('the same photo twice');
    expect(ReportPhotoIds.safeParse(['../cases/x']).success).toBe(false);
  });

  it('keeps uploads and case photos under their own prefixes', () => {
    expect(uploadKey(id(1))).toBe(`uploads/${id(1)}.jpg`);
    expect(residentPhotoKey('K7M2QX9PA', 0)).toBe('cases/K7M2QX9PA/resident-1.jpg');
  });
});
