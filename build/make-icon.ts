// Generates the app icon, build/icons/512x512.png: a white tooth on a teal rounded square.
// Run with `npx tsx build/make-icon.ts` after changing the drawing; the PNG is committed so that
// packaging needs no image tools. Only node built-ins: the PNG is written by hand with zlib.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

export const ICON_SIZE = 512;
/** Samples per pixel along each axis: 4x4 supersampling smooths the edges. */
const SUPERSAMPLING = 4;

type Rgba = readonly [number, number, number, number];

const TRANSPARENT: Rgba = [0, 0, 0, 0];
const TOOTH_WHITE: Rgba = [255, 255, 255, 255];
const TEAL_TOP = [22, 168, 170] as const;
const TEAL_BOTTOM = [12, 110, 122] as const;

function insideRoundedSquare(x: number, y: number): boolean {
  const margin = 16;
  const radius = 104;
  const min = margin + radius;
  const max = ICON_SIZE - margin - radius;
  const dx = Math.max(min - x, 0, x - max);
  const dy = Math.max(min - y, 0, y - max);
  return dx * dx + dy * dy <= radius * radius;
}

function insideEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number) {
  const nx = (x - cx) / rx;
  const ny = (y - cy) / ry;
  return nx * nx + ny * ny <= 1;
}

/** A root: a capsule from (x0, y0) to (x1, y1) whose radius narrows from r0 to r1. */
function insideRoot(x: number, y: number, x0: number, y0: number, x1: number, y1: number) {
  const r0 = 46;
  const r1 = 26;
  const vx = x1 - x0;
  const vy = y1 - y0;
  const t = Math.min(1, Math.max(0, ((x - x0) * vx + (y - y0) * vy) / (vx * vx + vy * vy)));
  const px = x0 + t * vx - x;
  const py = y0 + t * vy - y;
  const radius = r0 + (r1 - r0) * t;
  return px * px + py * py <= radius * radius;
}

function insideTooth(x: number, y: number): boolean {
  // The notch between the two cusps on top of the crown.
  if (insideEllipse(x, y, 256, 100, 44, 26)) return false;
  // The gap between the roots.
  if (y > 300 && insideEllipse(x, y, 256, 430, 34, 130)) return false;
  const crown =
    insideEllipse(x, y, 196, 196, 96, 92) ||
    insideEllipse(x, y, 316, 196, 96, 92) ||
    insideEllipse(x, y, 256, 236, 134, 84);
  return crown || insideRoot(x, y, 196, 280, 178, 420) || insideRoot(x, y, 316, 280, 334, 420);
}

function colourAt(x: number, y: number): Rgba {
  if (!insideRoundedSquare(x, y)) return TRANSPARENT;
  if (insideTooth(x, y)) return TOOTH_WHITE;
  const t = y / ICON_SIZE;
  const mix = (top: number, bottom: number) => Math.round(top + (bottom - top) * t);
  return [
    mix(TEAL_TOP[0], TEAL_BOTTOM[0]),
    mix(TEAL_TOP[1], TEAL_BOTTOM[1]),
    mix(TEAL_TOP[2], TEAL_BOTTOM[2]),
    255,
  ];
}

/** Renders the icon as straight (non-premultiplied) RGBA rows. */
export function renderIcon(): Buffer {
  const pixels = Buffer.alloc(ICON_SIZE * ICON_SIZE * 4);
  const samples = SUPERSAMPLING * SUPERSAMPLING;
  for (let py = 0; py < ICON_SIZE; py++) {
    for (let px = 0; px < ICON_SIZE; px++) {
      // Average premultiplied colour so transparent samples do not darken the edges.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SUPERSAMPLING; sy++) {
        for (let sx = 0; sx < SUPERSAMPLING; sx++) {
          const [cr, cg, cb, ca] = colourAt(
            px + (sx + 0.5) / SUPERSAMPLING,
            py + (sy + 0.5) / SUPERSAMPLING,
          );
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const offset = (py * ICON_SIZE + px) * 4;
      pixels[offset] = a === 0 ? 0 : Math.round(r / a);
      pixels[offset + 1] = a === 0 ? 0 : Math.round(g / a);
      pixels[offset + 2] = a === 0 ? 0 : Math.round(b / a);
      pixels[offset + 3] = Math.round(a / samples);
    }
  }
  return pixels;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes straight RGBA pixels (8 bits per channel) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  if (rgba.length !== width * height * 4) {
    throw new Error(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // compression, filter and interlace methods stay 0
  const stride = width * 4;
  const scanlines = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    scanlines[y * (stride + 1)] = 0; // filter: none
    rgba.copy(scanlines, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(scanlines, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const ICON_PATH = join(dirname(fileURLToPath(import.meta.url)), 'icons', '512x512.png');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(dirname(ICON_PATH), { recursive: true });
  writeFileSync(ICON_PATH, encodePng(ICON_SIZE, ICON_SIZE, renderIcon()));
  console.log(`wrote ${ICON_PATH}`);
}
