/**
 * Deterministic demo pictures: flat-colour PNGs (banded gradient background, simple geometric product
 * silhouettes in a per-category palette, no text). Few colours and no anti-aliasing keep each file small.
 */
import { crc32, deflateSync } from 'zlib';
import { imageSpecs, prng, type ImageSpec, type Shape } from './demo-data';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type RGB = [number, number, number];

interface Palette {
  top: RGB;
  bottom: RGB;
  accents: RGB[];
}

const hex = (h: string): RGB => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

const PALETTES: Record<string, Palette> = {
  c01: { top: hex('#fdf0ec'), bottom: hex('#f6d5cb'), accents: ['#e4572e', '#2e4057', '#f2a541', '#8d6a9f', '#f7f7f7'].map(hex) },
  c02: { top: hex('#eef3fb'), bottom: hex('#cddcf2'), accents: ['#1f2937', '#3b82f6', '#94a3b8', '#0ea5e9', '#f8fafc'].map(hex) },
  c03: { top: hex('#fcf0f4'), bottom: hex('#f3cfdc'), accents: ['#d6336c', '#f783ac', '#ae3ec9', '#ffd8a8', '#fff5f7'].map(hex) },
  c04: { top: hex('#fff8e6'), bottom: hex('#fde3a7'), accents: ['#e67700', '#a0522d', '#74b816', '#f59f00', '#fffdf5'].map(hex) },
  c05: { top: hex('#eef7f1'), bottom: hex('#cfe8d8'), accents: ['#2f9e44', '#5c7cfa', '#c2a383', '#868e96', '#f8f9fa'].map(hex) },
  c06: { top: hex('#f0f7ff'), bottom: hex('#fde2e4'), accents: ['#ffa94d', '#74c0fc', '#ff8787', '#ffd43b', '#ffffff'].map(hex) },
};

/** A tiny RGB raster with flat fills. */
class Canvas {
  readonly data: Buffer;
  constructor(readonly width: number, readonly height: number) {
    this.data = Buffer.alloc(width * height * 3);
  }

  private span(y: number, x0: number, x1: number, c: RGB): void {
    if (y < 0 || y >= this.height) return;
    const a = Math.max(0, Math.ceil(x0));
    const b = Math.min(this.width - 1, Math.floor(x1));
    if (b < a) return;
    const row = y * this.width * 3;
    for (let x = a; x <= b; x++) {
      const o = row + x * 3;
      this.data[o] = c[0];
      this.data[o + 1] = c[1];
      this.data[o + 2] = c[2];
    }
  }

  /** Vertical gradient quantised into `bands` flat bands (compresses to almost nothing). */
  gradient(top: RGB, bottom: RGB, bands = 10): void {
    for (let y = 0; y < this.height; y++) {
      const t = Math.floor((y / this.height) * bands) / (bands - 1);
      const c: RGB = [0, 1, 2].map((k) => Math.round(top[k] + (bottom[k] - top[k]) * t)) as RGB;
      this.span(y, 0, this.width - 1, c);
    }
  }

  rect(x: number, y: number, w: number, h: number, c: RGB): void {
    for (let yy = Math.max(0, Math.round(y)); yy < Math.min(this.height, Math.round(y + h)); yy++) this.span(yy, x, x + w - 1, c);
  }

  circle(cx: number, cy: number, r: number, c: RGB): void {
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
      const dy = y - cy;
      if (dy * dy > r * r) continue;
      const dx = Math.sqrt(r * r - dy * dy);
      this.span(y, cx - dx, cx + dx, c);
    }
  }

  ring(cx: number, cy: number, r: number, width: number, c: RGB, upperOnly = false): void {
    const inner = r - width;
    for (let y = Math.floor(cy - r); y <= Math.ceil(upperOnly ? cy : cy + r); y++) {
      const dy = y - cy;
      if (dy * dy > r * r) continue;
      const dx = Math.sqrt(r * r - dy * dy);
      if (dy * dy >= inner * inner) {
        this.span(y, cx - dx, cx + dx, c);
      } else {
        const ix = Math.sqrt(inner * inner - dy * dy);
        this.span(y, cx - dx, cx - ix, c);
        this.span(y, cx + ix, cx + dx, c);
      }
    }
  }

  roundRect(x: number, y: number, w: number, h: number, r: number, c: RGB): void {
    r = Math.min(r, w / 2, h / 2);
    for (let yy = Math.floor(y); yy < Math.ceil(y + h); yy++) {
      let inset = 0;
      const dyTop = y + r - yy;
      const dyBottom = yy - (y + h - r);
      const dy = dyTop > 0 ? dyTop : dyBottom > 0 ? dyBottom : 0;
      if (dy > 0) inset = r - Math.sqrt(Math.max(0, r * r - dy * dy));
      this.span(yy, x + inset, x + w - 1 - inset, c);
    }
  }

  /** Even-odd scanline polygon fill. */
  polygon(points: [number, number][], c: RGB): void {
    const ys = points.map((p) => p[1]);
    for (let y = Math.floor(Math.min(...ys)); y <= Math.ceil(Math.max(...ys)); y++) {
      const yc = y + 0.5;
      const xs: number[] = [];
      for (let i = 0; i < points.length; i++) {
        const [x1, y1] = points[i];
        const [x2, y2] = points[(i + 1) % points.length];
        if ((y1 <= yc && y2 > yc) || (y2 <= yc && y1 > yc)) xs.push(x1 + ((yc - y1) / (y2 - y1)) * (x2 - x1));
      }
      xs.sort((a, b) => a - b);
      for (let i = 0; i + 1 < xs.length; i += 2) this.span(y, xs[i], xs[i + 1], c);
    }
  }

  png(): Buffer {
    return encodePng(this.width, this.height, this.data);
  }
}

/**
 * Minimal PNG encoder: 8-bit RGB, "Up" filter on every row, zlib level 6 (level 9 is 4× slower for
 * 20% less). pngjs's writer is ~50× slower under jest's sandbox; the tests still decode with pngjs.
 */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const out = y * (stride + 1);
    const cur = y * stride;
    const prev = cur - stride;
    raw[out] = 2; // filter "Up": rows repeat a lot (banded background), so this compresses well
    if (y === 0) {
      rgb.copy(raw, out + 1, 0, stride);
      continue;
    }
    for (let x = 0; x < stride; x++) raw[out + 1 + x] = (rgb[cur + x] - rgb[prev + x]) & 0xff;
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typeAndData) >>> 0);
    return Buffer.concat([len, typeAndData, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', Buffer.alloc(0))]);
}

const mix = (a: RGB, b: RGB, t: number): RGB => [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * t)) as RGB;

/**
 * Draw `shape` centred at (cx, cy) inside a box of size s. `main` is the body colour, `second` the detail.
 */
function drawShape(cv: Canvas, shape: Shape, cx: number, cy: number, s: number, main: RGB, second: RGB): void {
  const u = s / 100; // one unit = 1% of the box
  const X = (v: number) => cx + v * u;
  const Y = (v: number) => cy + v * u;
  const poly = (pts: [number, number][], c: RGB) => cv.polygon(pts.map(([x, y]) => [X(x), Y(y)]), c);
  switch (shape) {
    case 'tshirt':
      poly([[-18, -40], [-8, -34], [8, -34], [18, -40], [46, -24], [36, -6], [26, -12], [26, 42], [-26, 42], [-26, -12], [-36, -6], [-46, -24]], main);
      poly([[-8, -34], [8, -34], [0, -26]], second);
      break;
    case 'coat':
      poly([[-18, -42], [18, -42], [44, -26], [44, 44], [30, 44], [28, -6], [26, 44], [-26, 44], [-28, -6], [-30, 44], [-44, 44], [-44, -26]], main);
      cv.rect(X(-2), Y(-36), 4 * u, 80 * u, second);
      for (let i = 0; i < 4; i++) cv.circle(X(-8), Y(-20 + i * 16), 2.5 * u, second);
      break;
    case 'pants':
      poly([[-24, -44], [24, -44], [28, 46], [8, 46], [0, -14], [-8, 46], [-28, 46]], main);
      cv.rect(X(-24), Y(-44), 48 * u, 7 * u, second);
      break;
    case 'dress':
      poly([[-12, -44], [12, -44], [16, -14], [40, 44], [-40, 44], [-16, -14]], main);
      cv.rect(X(-16), Y(-16), 32 * u, 5 * u, second);
      for (let i = 0; i < 5; i++) cv.circle(X(-24 + i * 12), Y(18 + (i % 2) * 10), 3 * u, second);
      break;
    case 'earbuds':
      for (const side of [-1, 1]) {
        cv.circle(X(side * 20), Y(-14), 16 * u, main);
        cv.circle(X(side * 20), Y(-14), 7 * u, second);
        cv.roundRect(X(side * 20 - 5), Y(-4), 10 * u, 40 * u, 5 * u, main);
      }
      cv.roundRect(X(-40), Y(34), 80 * u, 12 * u, 6 * u, second);
      break;
    case 'headphones':
      cv.ring(X(0), Y(4), 40 * u, 8 * u, main, true);
      cv.roundRect(X(-48), Y(-4), 18 * u, 40 * u, 8 * u, main);
      cv.roundRect(X(30), Y(-4), 18 * u, 40 * u, 8 * u, main);
      cv.roundRect(X(-44), Y(4), 8 * u, 24 * u, 4 * u, second);
      cv.roundRect(X(36), Y(4), 8 * u, 24 * u, 4 * u, second);
      break;
    case 'charger':
      cv.roundRect(X(-26), Y(-30), 52 * u, 60 * u, 10 * u, main);
      cv.rect(X(-12), Y(-44), 6 * u, 14 * u, second);
      cv.rect(X(6), Y(-44), 6 * u, 14 * u, second);
      for (let i = 0; i < 3; i++) cv.roundRect(X(-16 + i * 12), Y(14), 8 * u, 4 * u, 2 * u, second);
      break;
    case 'cable':
      cv.ring(X(0), Y(0), 34 * u, 6 * u, main);
      cv.ring(X(0), Y(0), 22 * u, 6 * u, main);
      cv.roundRect(X(28), Y(-6), 22 * u, 12 * u, 4 * u, second);
      break;
    case 'bottle':
      cv.roundRect(X(-22), Y(-20), 44 * u, 66 * u, 10 * u, main);
      cv.rect(X(-8), Y(-32), 16 * u, 12 * u, second);
      cv.roundRect(X(-12), Y(-46), 24 * u, 16 * u, 4 * u, main);
      cv.rect(X(-14), Y(2), 28 * u, 20 * u, second);
      break;
    case 'tube':
      poly([[-20, -40], [20, -40], [14, 30], [-14, 30]], main);
      cv.roundRect(X(-12), Y(30), 24 * u, 16 * u, 3 * u, second);
      cv.rect(X(-20), Y(-40), 40 * u, 5 * u, second);
      break;
    case 'lipstick':
      cv.roundRect(X(-14), Y(0), 28 * u, 46 * u, 3 * u, second);
      cv.rect(X(-10), Y(-14), 20 * u, 14 * u, mix(second, main, 0.5));
      poly([[-10, -14], [10, -14], [10, -38], [-10, -26]], main);
      break;
    case 'palette':
      cv.roundRect(X(-46), Y(-34), 92 * u, 68 * u, 8 * u, second);
      for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) cv.circle(X(-26 + c * 26), Y(-18 + r * 18), 8 * u, mix(main, second, (r * 3 + c) / 12));
      break;
    case 'pouch':
      poly([[-30, -44], [30, -44], [34, 44], [-34, 44]], main);
      cv.rect(X(-30), Y(-44), 60 * u, 8 * u, second);
      cv.circle(X(0), Y(8), 14 * u, second);
      break;
    case 'box':
      cv.roundRect(X(-40), Y(-26), 80 * u, 60 * u, 4 * u, main);
      poly([[-40, -26], [-28, -40], [52, -40], [40, -26]], mix(main, [255, 255, 255], 0.3));
      cv.rect(X(-40), Y(-4), 80 * u, 10 * u, second);
      break;
    case 'jar':
      cv.roundRect(X(-30), Y(-24), 60 * u, 68 * u, 12 * u, main);
      cv.roundRect(X(-34), Y(-40), 68 * u, 18 * u, 4 * u, second);
      cv.roundRect(X(-18), Y(0), 36 * u, 24 * u, 4 * u, second);
      break;
    case 'cup':
      cv.roundRect(X(-22), Y(-34), 44 * u, 80 * u, 8 * u, main);
      cv.roundRect(X(-24), Y(-46), 48 * u, 14 * u, 4 * u, second);
      cv.rect(X(-22), Y(0), 44 * u, 6 * u, second);
      break;
    case 'bed':
      cv.roundRect(X(-48), Y(-10), 96 * u, 40 * u, 6 * u, main);
      cv.roundRect(X(-44), Y(-26), 38 * u, 18 * u, 8 * u, second);
      cv.roundRect(X(6), Y(-26), 38 * u, 18 * u, 8 * u, second);
      cv.rect(X(-48), Y(30), 8 * u, 12 * u, mix(main, [0, 0, 0], 0.25));
      cv.rect(X(40), Y(30), 8 * u, 12 * u, mix(main, [0, 0, 0], 0.25));
      break;
    case 'pillow':
      cv.roundRect(X(-44), Y(-26), 88 * u, 52 * u, 22 * u, main);
      cv.roundRect(X(-30), Y(-14), 60 * u, 6 * u, 3 * u, second);
      cv.roundRect(X(-30), Y(8), 60 * u, 6 * u, 3 * u, second);
      break;
    case 'pan':
      cv.circle(X(-10), Y(0), 34 * u, main);
      cv.circle(X(-10), Y(0), 26 * u, mix(main, [0, 0, 0], 0.2));
      cv.roundRect(X(22), Y(-5), 28 * u, 10 * u, 5 * u, second);
      break;
    case 'bowl':
      poly([[-44, -6], [44, -6], [32, 24], [18, 32], [-18, 32], [-32, 24]], main);
      cv.rect(X(-44), Y(-10), 88 * u, 6 * u, second);
      cv.rect(X(-14), Y(32), 28 * u, 6 * u, second);
      break;
    case 'diaper':
      poly([[-40, -30], [40, -30], [30, 6], [14, 34], [-14, 34], [-30, 6]], main);
      cv.rect(X(-40), Y(-30), 80 * u, 8 * u, second);
      cv.circle(X(0), Y(6), 8 * u, second);
      break;
    case 'bear':
      cv.circle(X(-26), Y(-28), 14 * u, main);
      cv.circle(X(26), Y(-28), 14 * u, main);
      cv.circle(X(0), Y(4), 38 * u, main);
      cv.circle(X(0), Y(16), 14 * u, second);
      cv.circle(X(-13), Y(-4), 4 * u, [60, 60, 60]);
      cv.circle(X(13), Y(-4), 4 * u, [60, 60, 60]);
      cv.circle(X(0), Y(12), 4 * u, [60, 60, 60]);
      break;
  }
}

/** Render one image (uncached). */
export function renderOne(spec: ImageSpec): Buffer {
  const pal = PALETTES[spec.palette] ?? PALETTES.c01;
  const { width: w, height: h } = spec;
  const cv = new Canvas(w, h);
  const rand = prng(spec.variant * 7919 + spec.path.length * 31 + spec.kind.length);
  const main = pal.accents[spec.variant % 3];
  const second = pal.accents[3 + (spec.variant % 2)];
  const flip = spec.variant % 2 === 1;
  cv.gradient(flip ? pal.bottom : pal.top, flip ? pal.top : pal.bottom, 10);

  switch (spec.kind) {
    case 'product': {
      // soft decorative discs, then the product silhouette on a pedestal
      for (let i = 0; i < 3; i++) cv.circle(rand() * w, rand() * h, 40 + rand() * 90, mix(pal.top, pal.bottom, 0.5 + i * 0.1));
      cv.roundRect(w * 0.18, h * 0.8, w * 0.64, h * 0.05, h * 0.025, mix(pal.bottom, [0, 0, 0], 0.08));
      drawShape(cv, spec.shape, w / 2, h * 0.48, w * 0.62 * (flip ? 0.85 : 1), main, second);
      break;
    }
    case 'detail': {
      // a hero band and three "feature" tiles
      cv.rect(0, 0, w, h * 0.5, mix(pal.top, main, 0.12));
      drawShape(cv, spec.shape, w / 2, h * 0.25, h * 0.38, main, second);
      for (let i = 0; i < 3; i++) {
        const x = w * 0.06 + i * w * 0.31;
        cv.roundRect(x, h * 0.56, w * 0.26, h * 0.36, 18, [255, 255, 255]);
        drawShape(cv, spec.shape, x + w * 0.13, h * 0.7, w * 0.16, mix(main, second, i * 0.3), second);
        cv.roundRect(x + w * 0.04, h * 0.84, w * 0.18, 10, 5, mix(pal.bottom, [0, 0, 0], 0.1));
      }
      break;
    }
    case 'banner': {
      const bannerMain = pal.accents[spec.variant % 2];
      cv.gradient(mix(pal.bottom, bannerMain, 0.25), mix(pal.top, bannerMain, 0.05), 8);
      for (let i = 0; i < 5; i++) cv.circle(rand() * w * 0.55, rand() * h, 20 + rand() * 60, mix(pal.top, [255, 255, 255], 0.3 + 0.1 * i));
      cv.roundRect(w * 0.06, h * 0.3, w * 0.36, h * 0.12, h * 0.06, [255, 255, 255]);
      cv.roundRect(w * 0.06, h * 0.5, w * 0.24, h * 0.1, h * 0.05, bannerMain);
      cv.circle(w * 0.74, h * 0.5, h * 0.44, [255, 255, 255]);
      drawShape(cv, spec.shape, w * 0.74, h * 0.5, h * 0.7, bannerMain, pal.accents[3]);
      break;
    }
    case 'category':
    case 'avatar': {
      cv.circle(w / 2, h / 2, w * 0.46, [255, 255, 255]);
      drawShape(cv, spec.shape, w / 2, h / 2, w * 0.62, main, second);
      break;
    }
  }
  return cv.png();
}

let cache: Map<string, Buffer> | null = null;

/** Every image the demo shop references, keyed by storage path ('products/p001-1.png', 'banners/b1.png', …). */
export function renderImages(): Map<string, Buffer> {
  if (!cache) {
    cache = new Map();
    for (const spec of imageSpecs()) cache.set(spec.path, renderOne(spec));
  }
  return new Map(cache);
}
