/**
 * Real, small PNG images made in code (node:zlib only), so output URLs of seeded and created runs
 * point at something an <img> can actually display.
 */
import { deflateSync } from 'node:zlib';
import { hashString } from './prng';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes 8-bit RGB pixels (row-major, 3 bytes per pixel) as a PNG. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PALETTES: Array<[[number, number, number], [number, number, number]]> = [
  [[255, 94, 58], [255, 200, 55]],
  [[58, 123, 213], [0, 210, 255]],
  [[17, 153, 142], [56, 239, 125]],
  [[142, 45, 226], [74, 0, 224]],
  [[252, 70, 107], [63, 94, 251]],
  [[30, 30, 30], [200, 200, 200]],
];

/** A diagonal two-colour gradient whose palette and angle derive from `name`. */
export function gradientPng(name: string, size = 128): Buffer {
  const h = hashString(name);
  const [from, to] = PALETTES[h % PALETTES.length];
  const flip = (h >>> 8) & 1;
  const rgb = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = ((flip ? size - 1 - x : x) + y) / (2 * (size - 1));
      const o = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) rgb[o + c] = Math.round(from[c] + (to[c] - from[c]) * t);
    }
  }
  return encodePng(size, size, rgb);
}

const cache = new Map<string, Buffer>();

/** Cached gradientPng: the same few names are requested over and over by views. */
export function imageFor(name: string): Buffer {
  let png = cache.get(name);
  if (!png) {
    png = gradientPng(name);
    if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
    cache.set(name, png);
  }
  return png;
}
