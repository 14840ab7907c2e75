#!/usr/bin/env node
// Writes a small, deterministic logo.png into every pack folder of default-packs/ (a folder with
// a pack.json): a 64x64 rounded square in the pack's colour with a white glyph for its layer
// (os: disc, k8s: ring, cni: linked nodes, csi: stacked disks, addon/other: plus).
// Usage: node scripts/make-logos.mjs [--check]   (--check fails if a logo would change)
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'default-packs');
const SIZE = 64;

/** Brand-ish colours per pack name; anything else gets a colour derived from its name. */
const COLOURS = {
  ubuntu: [233, 84, 32],
  kubernetes: [50, 108, 229],
  'cni-calico': [251, 176, 59],
  'cni-cilium-oss': [141, 198, 63],
  'csi-aws-ebs': [255, 153, 0],
  'csi-longhorn': [95, 34, 77],
  'cert-manager': [34, 110, 180],
  'trust-manager': [20, 140, 130],
  'ingress-nginx': [0, 150, 57],
  'prometheus-operator': [230, 82, 44],
  metallb: [60, 70, 90],
};

function colourFor(name) {
  if (COLOURS[name]) return COLOURS[name];
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return [64 + (h & 127), 64 + ((h >> 8) & 127), 64 + ((h >> 16) & 127)];
}

const inRoundedSquare = (x, y) => {
  const r = 12, lo = 2, hi = SIZE - 3;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const cx = x < lo + r ? lo + r : x > hi - r ? hi - r : x;
  const cy = y < lo + r ? lo + r : y > hi - r ? hi - r : y;
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const dist = (x, y, cx, cy) => Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
const nearSegment = (x, y, ax, ay, bx, by, w) => {
  const px = x + 0.5, py = y + 0.5, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy)) <= w;
};

const GLYPHS = {
  os: (x, y) => dist(x, y, 32, 32) <= 14,
  k8s: (x, y) => { const d = dist(x, y, 32, 32); return d <= 17 && d >= 10; },
  cni: (x, y) =>
    dist(x, y, 20, 22) <= 6 || dist(x, y, 44, 22) <= 6 || dist(x, y, 32, 44) <= 6 ||
    nearSegment(x, y, 20, 22, 44, 22, 2) || nearSegment(x, y, 20, 22, 32, 44, 2) ||
    nearSegment(x, y, 44, 22, 32, 44, 2),
  csi: (x, y) => [18, 30, 42].some((top) => y >= top && y < top + 8 && x >= 16 && x < 48),
  addon: (x, y) => (x >= 28 && x < 36 && y >= 16 && y < 48) || (y >= 28 && y < 36 && x >= 16 && x < 48),
};

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(colour, glyph) {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) {
    const row = y * (SIZE * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) {
      const o = row + 1 + x * 4;
      if (!inRoundedSquare(x, y)) continue; // transparent
      const [r, g, b] = glyph(x, y) ? [255, 255, 255] : colour;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const check = process.argv.includes('--check');
let stale = 0;
for (const dir of readdirSync(root, { withFileTypes: true })) {
  if (!dir.isDirectory() || dir.name.startsWith('_')) continue;
  const packJson = join(root, dir.name, 'pack.json');
  if (!existsSync(packJson)) continue;
  const { name, layer } = JSON.parse(readFileSync(packJson, 'utf8'));
  const out = join(root, dir.name, 'logo.png');
  const bytes = png(colourFor(name), GLYPHS[layer] ?? GLYPHS.addon);
  if (check) {
    if (!existsSync(out) || !readFileSync(out).equals(bytes)) {
      console.error(`stale: default-packs/${dir.name}/logo.png (run node scripts/make-logos.mjs)`);
      stale++;
    }
  } else {
    writeFileSync(out, bytes);
    console.log(`wrote default-packs/${dir.name}/logo.png (${bytes.length} bytes)`);
  }
}
process.exitCode = stale ? 1 : 0;
