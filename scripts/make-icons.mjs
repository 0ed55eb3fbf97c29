#!/usr/bin/env node
/**
 * Draws the app's icons into public/: a tumour split into four habitats
 * (the viewer's Hab1–Hab4 colours) on the app's background. One geometry,
 * written as SVG and rasterised to PNG here (4×4 supersampling, PNG encoded
 * with node:zlib), so nothing is downloaded. Run after changing the design:
 *   node scripts/make-icons.mjs
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');

const BACKGROUND = [15, 18, 22];
const RIM = [63, 167, 214];
// Hab1–Hab4 as in src/ui/study/habitat-overlay.ts, clockwise from the top right.
const HABITATS = [
  [230, 40, 40],
  [40, 200, 60],
  [240, 220, 40],
  [50, 90, 240],
];
/** Geometry in units of the icon's side: the tumour's centre and radius, the rim's width, the corner radius. */
const CX = 0.5;
const CY = 0.5;
const R = 0.34;
const RIM_W = 0.035;

const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** Colour of the point (x, y) of the unit icon, or null outside it (transparent). */
function colourAt(x, y, corner) {
  // Rounded square (corner = 0 gives a full square, as a maskable icon needs).
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - corner), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - corner), 0);
  if (corner > 0 && Math.hypot(qx, qy) > corner) return null;
  const d = Math.hypot(x - CX, y - CY);
  if (d > R + RIM_W) return BACKGROUND;
  if (d > R) return RIM;
  // Quadrants: 0 top right, 1 bottom right, 2 bottom left, 3 top left.
  const right = x >= CX;
  const below = y >= CY;
  const q = right ? (below ? 1 : 0) : below ? 2 : 3;
  return HABITATS[q];
}

function svg(corner) {
  const s = 512;
  const cx = CX * s;
  const cy = CY * s;
  const r = R * s;
  const quarter = (q) => {
    const a0 = (-Math.PI / 2) + (q * Math.PI) / 2;
    const a1 = a0 + Math.PI / 2;
    const p = (a) => `${(cx + r * Math.cos(a)).toFixed(2)} ${(cy + r * Math.sin(a)).toFixed(2)}`;
    return `<path d="M${cx} ${cy}L${p(a0)}A${r} ${r} 0 0 1 ${p(a1)}Z" fill="${hex(HABITATS[q])}"/>`;
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${s} ${s}" width="${s}" height="${s}">`,
    `<rect width="${s}" height="${s}" rx="${corner * s}" fill="${hex(BACKGROUND)}"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${r + (RIM_W * s) / 2}" fill="none" stroke="${hex(RIM)}" stroke-width="${RIM_W * s}"/>`,
    ...[0, 1, 2, 3].map(quarter),
    '</svg>',
    '',
  ].join('\n');
}

function rasterise(size, corner) {
  const SS = 4;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = colourAt((px + (sx + 0.5) / SS) / size, (py + (sy + 0.5) / SS) / size, corner);
          if (!c) continue;
          acc[0] += c[0];
          acc[1] += c[1];
          acc[2] += c[2];
          acc[3] += 1;
        }
      }
      const o = (py * size + px) * 4;
      if (acc[3] > 0) for (let k = 0; k < 3; k++) rgba[o + k] = Math.round(acc[k] / acc[3]);
      rgba[o + 3] = Math.round((255 * acc[3]) / (SS * SS));
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An 8-bit RGBA PNG (colour type 6), every scanline with filter 0. */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const ROUNDED = 0.18;
writeFileSync(path.join(OUT, 'icon.svg'), svg(ROUNDED));
for (const [name, size, corner] of [
  ['icon-192.png', 192, ROUNDED],
  ['icon-512.png', 512, ROUNDED],
  // Maskable: full-bleed background, the tumour inside the central safe circle (radius 0.4).
  ['icon-maskable-512.png', 512, 0],
  ['apple-touch-icon.png', 180, 0],
]) {
  writeFileSync(path.join(OUT, name), encodePng(size, rasterise(size, corner)));
}
console.error(`icons: written to ${OUT}`);
