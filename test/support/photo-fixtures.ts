/**
 * Real JPEGs for the photo tests: one encoded by jpeg-js (a maintained encoder), and the same
 * carrying what a phone camera writes — an EXIF block with GPS coordinates and the camera's make,
 * an XMP packet and a comment — built byte by byte after the EXIF/TIFF layout, so a reader
 * (exifreader) finds the position in it.
 */
import jpeg from 'jpeg-js';

/** A small photo-like picture (gradient with grain), `width` × `height`, baseline JPEG. */
export function plainJpeg(width = 32, height = 24): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  // A gradient with grain (a fixed pseudo-random sequence), so it compresses like a photo of a
  // street rather than like a flat drawing.
  let seed = 12345;
  const grain = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed % 48) - 24;
  };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 4;
      data[at] = Math.max(0, Math.min(255, (x * 255) / width + grain()));
      data[at + 1] = Math.max(0, Math.min(255, (y * 255) / height + grain()));
      data[at + 2] = Math.max(0, Math.min(255, 128 + grain()));
      data[at + 3] = 255;
    }
  }
  return new Uint8Array(jpeg.encode({ width, height, data }, 80).data);
}

/** Pingyao's old town, where the test photo "was taken": 37°12′N 112°10′E. */
export const photoPosition = { latitude: 37.2, longitude: 112 + 10 / 60 };

function exifSegment(): Uint8Array {
  const tiff = Buffer.alloc(148);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  const entry = (at: number, tag: number, type: number, count: number, value: number) => {
    tiff.writeUInt16LE(tag, at);
    tiff.writeUInt16LE(type, at + 2);
    tiff.writeUInt32LE(count, at + 4);
    tiff.writeUInt32LE(value, at + 8);
  };
  // IFD0 at 8: Make (ASCII at 38) and the pointer to the GPS IFD (at 46).
  tiff.writeUInt16LE(2, 8);
  entry(10, 0x010f, 2, 8, 38);
  entry(22, 0x8825, 4, 1, 46);
  tiff.writeUInt32LE(0, 34);
  tiff.write('Civicam\0', 38, 'latin1');
  // GPS IFD at 46: N, latitude (3 rationals at 100), E, longitude (3 rationals at 124).
  tiff.writeUInt16LE(4, 46);
  entry(48, 0x0001, 2, 2, 0);
  tiff.write('N\0', 56, 'latin1');
  entry(60, 0x0002, 5, 3, 100);
  entry(72, 0x0003, 2, 2, 0);
  tiff.write('E\0', 80, 'latin1');
  entry(84, 0x0004, 5, 3, 124);
  tiff.writeUInt32LE(0, 96);
  [37, 1, 12, 1, 0, 1, 112, 1, 10, 1, 0, 1].forEach((n, i) => {
    tiff.writeUInt32LE(n, 100 + i * 4);
  });
  return segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
}

function segment(marker: number, payload: Buffer): Uint8Array {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** A JPEG as a phone camera leaves it: EXIF with GPS and make, XMP, a comment, then the image. */
export function jpegWithGps(width = 32, height = 24): Uint8Array {
  const image = plainJpeg(width, height);
  const xmp = segment(
    0xe1,
    Buffer.from(
      'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>37,12N</exif:GPSLatitude></x:xmpmeta>',
      'latin1',
    ),
  );
  const comment = segment(0xfe, Buffer.from('taken at home, 12 Nanda Street', 'latin1'));
  return Buffer.concat([image.subarray(0, 2), exifSegment(), xmp, comment, image.subarray(2)]);
}

/** A real PNG (1×1), for a PNG declared as a JPEG. */
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
