import { readFileSync } from 'node:fs';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, ICON_PATH, ICON_SIZE, renderIcon } from './make-icon';

interface PngChunk {
  type: string;
  data: Buffer;
}

/** Splits a PNG into its chunks, checking the signature and every chunk's CRC. */
function readPngChunks(png: Buffer): PngChunk[] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(typeAndData));
    chunks.push({
      type: typeAndData.subarray(0, 4).toString('ascii'),
      data: typeAndData.subarray(4),
    });
    offset += 12 + length;
  }
  return chunks;
}

/** Decodes an 8-bit RGBA, unfiltered PNG (the only kind encodePng writes) to its pixels. */
function decodeRgba(png: Buffer): { width: number; height: number; rgba: Buffer } {
  const chunks = readPngChunks(png);
  const header = chunks[0];
  expect(header?.type).toBe('IHDR');
  const width = header!.data.readUInt32BE(0);
  const height = header!.data.readUInt32BE(4);
  expect([...header!.data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
  expect(chunks.at(-1)?.type).toBe('IEND');
  const scanlines = inflateSync(
    Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)),
  );
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    expect(scanlines[y * (stride + 1)]).toBe(0);
    scanlines.copy(rgba, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
  }
  return { width, height, rgba };
}

describe('make-icon', () => {
  it('encodes pixels as a valid PNG that decodes to the same pixels', () => {
    const rgba = Buffer.from([
      255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 9, 8, 7, 6, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(decodeRgba(encodePng(3, 2, rgba))).toEqual({ width: 3, height: 2, rgba });
  });

  it('rejects a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, Buffer.alloc(15))).toThrow(/expected 16 RGBA bytes/);
  });

  it('committed icon is the current drawing, 512x512, opaque inside and transparent at the corners', () => {
    const committed = decodeRgba(readFileSync(ICON_PATH));
    expect(committed.width).toBe(ICON_SIZE);
    expect(committed.height).toBe(ICON_SIZE);
    // Pixels, not bytes: deflate output may differ between zlib versions.
    expect(committed.rgba.equals(renderIcon())).toBe(true);
    const alphaAt = (x: number, y: number) => committed.rgba[(y * ICON_SIZE + x) * 4 + 3];
    expect(alphaAt(0, 0)).toBe(0);
    expect(alphaAt(256, 256)).toBe(255);
    expect(alphaAt(256, 40)).toBe(255);
  });
});
