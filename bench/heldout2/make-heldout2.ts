// npm run bench:heldout2-data -- [--seed N] [--out DIR]
// npm run bench:devextra2-data -- [--seed N] [--out DIR]        (= --photos dev)
// Makes the SECOND held-out near-duplicate set (README.md beside this file): photos neither the dev
// set nor held-out 1 uses, edits where the photo is only part of the other image (phone and desktop
// screenshots, crops, caption bars, collages) or two edits combine, in the dev set's truth.json
// schema plus `contains` for collages. Report it, never tune on it. With --photos dev the same edits
// go onto the dev set's originals (.bench/devextra2): the copy to tune on.
// Deterministic for a seed and a sharp/libvips version; the self-check at the end re-reads every file.
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { HARD_NEGATIVES, PHOTOS } from './sources';
import { addOriginal, between, devPhotos, fnv1a, gaussian, packagedPhotos, pick, rng, ROOT, setOptions, writeImages, writeTruth, type PhotoSet, type SetEntry } from '../heldout/set-kit';

const SOURCE_CACHE = join(ROOT, '.bench/heldout2-src');
const OUT_DIRS = { heldout: join(ROOT, '.bench/heldout2'), dev: join(ROOT, '.bench/devextra2') };
const COLLAGES = 6;
const TILES_PER_COLLAGE = 4;

type Params = Record<string, unknown>;
interface Made {
  buf: Buffer;
  ext: 'jpg' | 'png';
  params: Params;
}
/** A query photo as the edits see it: upright (EXIF orientation applied), lossless. */
interface Original {
  png: Buffer;
  w: number;
  h: number;
  random: () => number;
}
type Point = [number, number];

const jpeg = async (pipeline: Sharp, quality: number, params: Params = {}): Promise<Made> => ({
  buf: await pipeline.jpeg({ quality }).toBuffer(),
  ext: 'jpg',
  params: { quality, ...params },
});
const png = async (pipeline: Sharp, params: Params): Promise<Made> => ({ buf: await pipeline.png({ compressionLevel: 6 }).toBuffer(), ext: 'png', params });
const rgb = async (o: Original) => sharp(o.png).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
const fromRaw = (data: Buffer, width: number, height: number) => sharp(data, { raw: { width, height, channels: 3 } });
const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
const round1 = (v: number) => Math.round(v * 10) / 10;
const svg = (width: number, height: number, body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`);

// ------------------------------------------------------------------ text-like marks (no fonts needed)
/** Lines of word-shaped bars: what text looks like to a hash, without depending on installed fonts. */
function textMarks(random: () => number, x: number, y: number, width: number, lineHeight: number, lines: number, fill: string): string {
  let out = '';
  for (let line = 0; line < lines; line++) {
    const top = y + line * lineHeight * 1.6;
    const end = x + width * between(random, 0.5, 1);
    for (let left = x; left < end; ) {
      const word = lineHeight * between(random, 1.2, 5);
      out += `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.min(word, end - left).toFixed(1)}" height="${(lineHeight * 0.62).toFixed(1)}" rx="1.5" fill="${fill}"/>`;
      left += word + lineHeight * 0.45;
    }
  }
  return out;
}

// ------------------------------------------------------------------ projective warps
/** The homography taking `from[k]` to `to[k]` (8 unknowns, h22 = 1), by Gaussian elimination. */
function homography(from: Point[], to: Point[]): number[] {
  const rows: number[][] = [];
  from.forEach(([x, y], k) => {
    const [u, v] = to[k]!;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  });
  for (let col = 0; col < 8; col++) {
    const pivot = rows.slice(col).reduce((best, r, k) => (Math.abs(r[col]!) > Math.abs(rows[best]![col]!) ? col + k : best), col);
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = rows[r]![col]! / rows[col]![col]!;
      for (let c = col; c < 9; c++) rows[r]![c]! -= f * rows[col]![c]!;
    }
  }
  return [...rows.map((r, k) => r[8]! / r[k]!), 1];
}

/** Renders the photo onto a width×height canvas with its corners at `quad` (tl, tr, br, bl),
 *  bilinear; `paint(x, y)` gives the canvas outside the photo. */
async function warp(o: Original, width: number, height: number, quad: Point[], paint: (x: number, y: number) => [number, number, number]): Promise<Buffer> {
  const { data: src, info } = await rgb(o);
  const corners: Point[] = [[0, 0], [info.width - 1, 0], [info.width - 1, info.height - 1], [0, info.height - 1]];
  const h = homography(quad, corners); // canvas → photo
  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const w = h[6]! * x + h[7]! * y + 1;
      const u = (h[0]! * x + h[1]! * y + h[2]!) / w;
      const v = (h[3]! * x + h[4]! * y + h[5]!) / w;
      const at = (y * width + x) * 3;
      if (u < 0 || v < 0 || u > info.width - 1 || v > info.height - 1) {
        const [r, g, b] = paint(x, y);
        out[at] = r;
        out[at + 1] = g;
        out[at + 2] = b;
        continue;
      }
      const x0 = Math.min(Math.floor(u), info.width - 2);
      const y0 = Math.min(Math.floor(v), info.height - 2);
      const fx = u - x0;
      const fy = v - y0;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => src[(yy * info.width + xx) * 3 + c]!;
        const top = p(y0, x0) * (1 - fx) + p(y0, x0 + 1) * fx;
        const bottom = p(y0 + 1, x0) * (1 - fx) + p(y0 + 1, x0 + 1) * fx;
        out[at + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}

/** A keystone: one edge of the photo shortened by `percent` (half on each end), on the same canvas. */
function keystone(w: number, h: number, edge: 'top' | 'bottom' | 'left' | 'right', percent: number): Point[] {
  const dx = ((w - 1) * percent) / 200;
  const dy = ((h - 1) * percent) / 200;
  const [r, b] = [w - 1, h - 1];
  const quads: Record<typeof edge, Point[]> = {
    top: [[dx, 0], [r - dx, 0], [r, b], [0, b]],
    bottom: [[0, 0], [r, 0], [r - dx, b], [dx, b]],
    left: [[0, dy], [r, 0], [r, b], [0, b - dy]],
    right: [[0, 0], [r, dy], [r, b - dy], [0, b]],
  };
  return quads[edge];
}

// ------------------------------------------------------------------ screenshots
/** A phone's photo viewer: tall canvas, status bar, app bar, the photo fitted in the middle, a tool bar and the navigation bar. */
async function phoneScreenshot(o: Original): Promise<Made> {
  const random = o.random;
  const [W, H] = pick(random, [[1080, 2400], [1170, 2532], [720, 1600]] as const);
  const dark = random() < 0.5;
  const [bg, fg, bar] = dark ? ['#000000', '#f2f2f2', '#121212'] : ['#ffffff', '#1c1c1c', '#f4f4f4'];
  const status = Math.round(H * 0.032);
  const appBar = Math.round(H * 0.06);
  const tools = Math.round(H * 0.075);
  const nav = Math.round(H * 0.03);
  const u = W / 100; // layout unit
  const middle = { top: status + appBar, height: H - status - appBar - tools - nav };
  const icons = [0, 1, 2, 3].map((k) => {
    const cx = (W / 4) * (k + 0.5);
    const cy = H - nav - tools / 2;
    return k % 2 === 0
      ? `<circle cx="${cx}" cy="${cy}" r="${2.6 * u}" fill="none" stroke="${fg}" stroke-width="${0.5 * u}"/>`
      : `<rect x="${cx - 2.4 * u}" y="${cy - 2.4 * u}" width="${4.8 * u}" height="${4.8 * u}" rx="${u}" fill="none" stroke="${fg}" stroke-width="${0.5 * u}"/>`;
  });
  const chrome = svg(
    W,
    H,
    `<rect width="${W}" height="${H}" fill="${bg}"/>` +
      `<rect width="${W}" height="${status + appBar}" fill="${bar}"/>` +
      textMarks(random, 5 * u, status * 0.3, 9 * u, status * 0.5, 1, fg) +
      [0, 1, 2, 3].map((k) => `<rect x="${W - 22 * u + k * 1.6 * u}" y="${status * (0.75 - 0.12 * k)}" width="${u}" height="${status * (0.12 * k + 0.12)}" fill="${fg}"/>`).join('') +
      `<rect x="${W - 14 * u}" y="${status * 0.3}" width="${8 * u}" height="${status * 0.45}" rx="${0.6 * u}" fill="none" stroke="${fg}" stroke-width="${0.35 * u}"/>` +
      `<rect x="${W - 13.4 * u}" y="${status * 0.38}" width="${5.5 * u}" height="${status * 0.29}" fill="${fg}"/>` +
      `<path d="M ${8 * u} ${status + appBar / 2} l ${3 * u} ${-3 * u} M ${8 * u} ${status + appBar / 2} l ${3 * u} ${3 * u}" stroke="${fg}" stroke-width="${0.6 * u}"/>` +
      textMarks(random, 18 * u, status + appBar * 0.38, 40 * u, appBar * 0.35, 1, fg) +
      [0, 1, 2].map((k) => `<circle cx="${W - 6 * u}" cy="${status + appBar / 2 + (k - 1) * 1.6 * u}" r="${0.55 * u}" fill="${fg}"/>`).join('') +
      `<rect y="${H - nav - tools}" width="${W}" height="${tools + nav}" fill="${bar}"/>` +
      icons.join('') +
      `<rect x="${W / 2 - 18 * u}" y="${H - nav / 2 - 0.5 * u}" width="${36 * u}" height="${u}" rx="${0.5 * u}" fill="${fg}"/>`,
  );
  const photo = await sharp(o.png).resize(W, middle.height, { fit: 'inside' }).toBuffer({ resolveWithObject: true });
  const left = Math.floor((W - photo.info.width) / 2);
  const top = middle.top + Math.floor((middle.height - photo.info.height) / 2);
  return png(sharp(chrome).composite([{ input: photo.data, left, top }]), {
    screen: [W, H],
    theme: dark ? 'dark' : 'light',
    photoRect: { left, top, width: photo.info.width, height: photo.info.height },
  });
}

/** A desktop photo editor: menu bar, tool bar, a tool strip on the left, a properties panel on the
 *  right, a film strip and a status bar, the photo zoomed to part of a grey canvas. */
async function appWindow(o: Original): Promise<Made> {
  const random = o.random;
  const [W, H] = pick(random, [[1920, 1080], [1600, 900], [1280, 1024]] as const);
  const [menu, toolbar, strip, panel, film, statusBar] = [26, 44, 44, 280, 110, 24];
  const canvas = { left: strip, top: menu + toolbar, width: W - strip - panel, height: H - menu - toolbar - film - statusBar };
  const zoom = between(random, 0.7, 0.95);
  const toolIcons = Array.from({ length: 10 }, (_, k) => `<rect x="${12 + k * 40}" y="${menu + 8}" width="28" height="28" rx="4" fill="${k % 3 === 0 ? '#4a7bd0' : '#8a8a8a'}"/>`).join('');
  const stripIcons = Array.from({ length: 9 }, (_, k) => `<rect x="10" y="${menu + toolbar + 12 + k * 40}" width="24" height="24" rx="3" fill="#9a9a9a"/>`).join('');
  const rows = Array.from({ length: 14 }, (_, k) => textMarks(random, W - panel + 16, menu + toolbar + 20 + k * 40, panel - 40, 11, 1, '#6b6b6b')).join('');
  const thumbs = Array.from({ length: 8 }, (_, k) => `<rect x="${strip + 16 + k * 130}" y="${H - statusBar - film + 12}" width="118" height="86" fill="${['#7c8a99', '#a39a83', '#6f8f72', '#9b7f86'][k % 4]}"/>`).join('');
  const chrome = svg(
    W,
    H,
    `<rect width="${W}" height="${H}" fill="#f3f3f3"/>` +
      textMarks(random, 12, 8, 420, 11, 1, '#333333') +
      `<rect y="${menu}" width="${W}" height="${toolbar}" fill="#e6e6e6"/>${toolIcons}` +
      `<rect y="${menu + toolbar}" width="${strip}" height="${H - menu - toolbar}" fill="#dcdcdc"/>${stripIcons}` +
      `<rect x="${canvas.left}" y="${canvas.top}" width="${canvas.width}" height="${canvas.height}" fill="#3c3c3c"/>` +
      `<rect x="${W - panel}" y="${menu + toolbar}" width="${panel}" height="${H - menu - toolbar}" fill="#fafafa"/>${rows}` +
      `<rect x="${strip}" y="${H - statusBar - film}" width="${W - strip - panel}" height="${film}" fill="#d0d0d0"/>${thumbs}` +
      `<rect y="${H - statusBar}" width="${W}" height="${statusBar}" fill="#2f5fae"/>` +
      textMarks(random, 10, H - statusBar + 7, 360, 10, 1, '#ffffff'),
  );
  const photo = await sharp(o.png)
    .resize(Math.round(canvas.width * zoom), Math.round(canvas.height * zoom), { fit: 'inside' })
    .toBuffer({ resolveWithObject: true });
  const left = canvas.left + Math.floor((canvas.width - photo.info.width) / 2);
  const top = canvas.top + Math.floor((canvas.height - photo.info.height) / 2);
  const pipeline = sharp(chrome).composite([{ input: photo.data, left, top }]);
  const params = { window: [W, H], zoom: round1(zoom * 100) / 100, photoRect: { left, top, width: photo.info.width, height: photo.info.height } };
  return random() < 0.5 ? png(pipeline, params) : jpeg(pipeline, 90, params);
}

// ------------------------------------------------------------------ crops and geometry
function cropRect(o: Original, keepW: number, keepH: number) {
  const width = Math.round(o.w * keepW);
  const height = Math.round(o.h * keepH);
  return { left: Math.floor(o.random() * (o.w - width + 1)), top: Math.floor(o.random() * (o.h - height + 1)), width, height };
}
const keep = (o: Original) => Math.round(between(o.random, 0.7, 0.8) * 100) / 100;

async function rotateFill(o: Original): Promise<Made> {
  const degrees = round1(between(o.random, 5, 10)) * pick(o.random, [1, -1]);
  const fill = pick(o.random, ['#ffffff', '#000000', '#7f7f7f']);
  const rotated = await sharp(o.png).rotate(degrees, { background: fill }).toBuffer({ resolveWithObject: true });
  const left = Math.floor((rotated.info.width - o.w) / 2);
  const top = Math.floor((rotated.info.height - o.h) / 2);
  return jpeg(sharp(rotated.data).extract({ left, top, width: o.w, height: o.h }), 90, { degrees, fill, canvas: 'same size' });
}

async function perspective(o: Original): Promise<Made> {
  const edge = pick(o.random, ['top', 'bottom', 'left', 'right'] as const);
  const percent = round1(between(o.random, 3, 6));
  const fill = pick(o.random, [[255, 255, 255], [0, 0, 0]] as const);
  const data = await warp(o, o.w, o.h, keystone(o.w, o.h, edge, percent), () => [...fill]);
  return jpeg(fromRaw(data, o.w, o.h), 90, { keystone: { edge, percent }, fill: fill[0] === 0 ? 'black' : 'white' });
}

/** The photo on a monitor, photographed: a dark bezel around it, a small perspective, the screen's
 *  moiré, a brighter or darker tone curve, sensor noise and a little defocus. */
async function rephotographed(o: Original): Promise<Made> {
  const random = o.random;
  const inset = between(random, 0.04, 0.08);
  const jitter = () => between(random, -0.025, 0.025);
  const quad: Point[] = [
    [(inset + jitter()) * o.w, (inset + jitter()) * o.h],
    [(1 - inset + jitter()) * o.w, (inset + jitter()) * o.h],
    [(1 - inset + jitter()) * o.w, (1 - inset + jitter()) * o.h],
    [(inset + jitter()) * o.w, (1 - inset + jitter()) * o.h],
  ];
  const data = await warp(o, o.w, o.h, quad, (x, y) => {
    const shade = 14 + Math.round((18 * y) / o.h + (6 * x) / o.w);
    return [shade, shade, shade + 2];
  });
  const period = between(random, 5, 11);
  const angle = between(random, 0, Math.PI);
  const [fx, fy] = [Math.cos(angle) / period, Math.sin(angle) / period];
  const gamma = pick(random, [0.8, 0.87, 1.15]);
  const sigma = 3;
  for (let y = 0, at = 0; y < o.h; y++) {
    for (let x = 0; x < o.w; x++, at += 3) {
      const moire = 1 + 0.045 * Math.sin(2 * Math.PI * (fx * x + fy * y));
      for (let c = 0; c < 3; c++) data[at + c] = clamp(Math.round(255 * Math.pow((data[at + c]! * moire) / 255, gamma) + sigma * gaussian(random)));
    }
  }
  const blur = round1(between(random, 0.8, 1.5));
  return jpeg(fromRaw(data, o.w, o.h).blur(blur), 88, { inset: round1(inset * 100), moirePeriod: round1(period), gamma, noiseSigma: sigma, blurSigma: blur, quad: quad.map(([x, y]) => [Math.round(x), Math.round(y)]) });
}

// ------------------------------------------------------------------ overlays and tone
async function captionBar(o: Original): Promise<Made> {
  const height = Math.round(o.h * between(o.random, 0.15, 0.25));
  const black = o.random() < 0.5;
  const [bg, fg] = black ? ['#000000', '#f0f0f0'] : ['#ffffff', '#202020'];
  const line = Math.max(8, height * 0.16);
  const marks = svg(o.w, height, textMarks(o.random, o.w * 0.05, height * 0.22, o.w * 0.9, line, 2, fg));
  const extended = await sharp(o.png).removeAlpha().extend({ bottom: height, background: bg }).png({ compressionLevel: 1 }).toBuffer();
  return jpeg(sharp(extended).composite([{ input: marks, left: 0, top: o.h }]), 90, { barHeight: height, bar: black ? 'black' : 'white' });
}

async function watermarkTiled(o: Original): Promise<Made> {
  const tile = Math.round(Math.max(o.w, o.h) / between(o.random, 3, 5));
  const white = o.random() < 0.5;
  const opacity = Math.round(between(o.random, 0.22, 0.35) * 100) / 100;
  const marks = textMarks(o.random, tile * 0.08, tile * 0.3, tile * 0.84, tile * 0.09, 2, white ? '#ffffff' : '#000000');
  const layer = svg(
    o.w,
    o.h,
    `<defs><pattern id="p" width="${tile}" height="${tile * 0.6}" patternUnits="userSpaceOnUse" patternTransform="rotate(-30)">${marks}</pattern></defs>` +
      `<rect width="${o.w}" height="${o.h}" fill="url(#p)" opacity="${opacity}"/>`,
  );
  return jpeg(sharp(o.png).composite([{ input: layer, left: 0, top: 0 }]), 90, { tile, colour: white ? 'white' : 'black', opacity, angle: -30 });
}

async function sepiaVignette(o: Original): Promise<Made> {
  const { data, info } = await rgb(o);
  const strength = Math.round(between(o.random, 0.5, 0.7) * 100) / 100;
  const [cx, cy] = [info.width / 2, info.height / 2];
  const reach = Math.hypot(cx, cy);
  for (let y = 0, at = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++, at += 3) {
      const luma = 0.299 * data[at]! + 0.587 * data[at + 1]! + 0.114 * data[at + 2]!;
      const r = Math.hypot(x - cx, y - cy) / reach;
      const shade = 1 - strength * Math.max(0, (r - 0.45) / 0.55) ** 2;
      data[at] = clamp(Math.round((luma * 1.07 + 20) * shade));
      data[at + 1] = clamp(Math.round((luma * 0.94 + 12) * shade));
      data[at + 2] = clamp(Math.round((luma * 0.72 + 4) * shade));
    }
  }
  return jpeg(fromRaw(data, info.width, info.height), 90, { tone: 'sepia from luma', vignette: strength });
}

const TRANSFORMS: Record<string, (o: Original) => Promise<Made>> = {
  'resize-60': (o) => jpeg(sharp(o.png).resize(Math.round(o.w * 0.6)), 85, { scale: 0.6 }),
  'reencode-q80': (o) => jpeg(sharp(o.png), 80),
  'phone-screenshot': phoneScreenshot,
  'app-window': appWindow,
  'crop-70-80': async (o) => {
    const rect = cropRect(o, keep(o), keep(o));
    return jpeg(sharp(o.png).extract(rect), 90, { rect });
  },
  'crop-mirror': async (o) => {
    const rect = cropRect(o, keep(o), keep(o));
    const cropped = await sharp(o.png).extract(rect).png({ compressionLevel: 1 }).toBuffer();
    return jpeg(sharp(cropped).flop(), 90, { rect, mirror: 'horizontal' });
  },
  'crop-center-65': async (o) => {
    const width = Math.round(o.w * 0.65);
    const height = Math.round(o.h * 0.65);
    const rect = { left: Math.floor((o.w - width) / 2), top: Math.floor((o.h - height) / 2), width, height };
    return jpeg(sharp(o.png).extract(rect), 90, { rect });
  },
  'rotate-5-10-fill': rotateFill,
  perspective,
  rephotographed,
  'caption-bar': captionBar,
  'watermark-tiled': watermarkTiled,
  'jpeg-q10': (o) => jpeg(sharp(o.png), 10),
  'chroma-loss': (o) => jpeg(sharp(o.png).modulate({ saturation: 0.45 }), 80, { saturation: 0.45, chromaSubsampling: '4:2:0' }),
  'upscale-2x': (o) => jpeg(sharp(o.png).resize(o.w * 2, o.h * 2, { kernel: 'lanczos3' }), 90, { scale: 2 }),
  'sepia-vignette': sepiaVignette,
};

/** Each transform in 2 of 3 query groups, staggered so groups get different mixes. */
const planFor = (queryIndex: number) => Object.keys(TRANSFORMS).filter((_, k) => (queryIndex + k) % 3 !== 0);

/** A 2×2 collage: each photo cropped to fill its tile, thin seams between and around. */
async function collage(tiles: Array<{ group: string; png: Buffer }>, random: () => number): Promise<Made> {
  const [tileW, tileH] = pick(random, [[640, 480], [600, 600], [720, 540]] as const);
  const seam = pick(random, [4, 6, 8]);
  const background = pick(random, ['#ffffff', '#000000', '#f0ebe1']);
  const placed = tiles.map((t, k) => ({ group: t.group, left: seam + (k % 2) * (tileW + seam), top: seam + Math.floor(k / 2) * (tileH + seam), width: tileW, height: tileH }));
  const inputs = await Promise.all(tiles.map(async (t, k) => ({ input: await sharp(t.png).resize(tileW, tileH, { fit: 'cover' }).toBuffer(), left: placed[k]!.left, top: placed[k]!.top })));
  const base = sharp({ create: { width: 2 * tileW + 3 * seam, height: 2 * tileH + 3 * seam, channels: 3, background } });
  return jpeg(base.composite(inputs), 90, { tiles: placed, fit: 'cover', seam, background });
}

// ------------------------------------------------------------------ the photo sets
async function heldoutPhotos(): Promise<PhotoSet> {
  return { title: 'Doppel HELD-OUT 2 near-duplicate set (report only, never tune on it)', photos: await packagedPhotos(PHOTOS, SOURCE_CACHE), hardNegatives: HARD_NEGATIVES, roles: 'bench/heldout2/sources.ts' };
}

// ------------------------------------------------------------------ main
async function main(): Promise<void> {
  const { which, seed, outDir } = setOptions(OUT_DIRS);
  const photoSet = which === 'dev' ? await devPhotos('Doppel DEVEXTRA2 near-duplicate set: the held-out 2 edits on the dev photos (for tuning)') : await heldoutPhotos();
  const entries: SetEntry[] = [];
  const groups: Record<string, Record<string, unknown>> = {};
  const queries: Array<{ group: string; png: Buffer }> = [];
  for (const source of photoSet.photos) {
    const meta = await sharp(source.buf).metadata();
    addOriginal(source, meta, groups, entries);
    if (source.role !== 'query') continue;
    const upright = await sharp(source.buf).rotate().png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
    const original: Original = { png: upright.data, w: upright.info.width, h: upright.info.height, random: () => 0 };
    for (const transform of planFor(queries.length)) {
      original.random = rng(fnv1a(`${source.group}|${transform}|${seed}`));
      const made = await TRANSFORMS[transform]!(original);
      entries.push({ group: source.group, transform, level: 'near', buf: made.buf, ext: made.ext, params: made.params });
    }
    queries.push({ group: source.group, png: upright.data });
  }

  // Collages: their own groups; the photos inside are named in `contains`, never duplicates of them.
  const order = rng(fnv1a(`collages|${seed}`));
  const drawn = queries.map((q) => ({ q, key: order() })).sort((a, b) => a.key - b.key).map(({ q }) => q);
  for (let k = 0; k < COLLAGES; k++) {
    const tiles = Array.from({ length: TILES_PER_COLLAGE }, (_, t) => drawn[(k * TILES_PER_COLLAGE + t) % drawn.length]!);
    const group = `collage-${k + 1}`;
    const contains = tiles.map((t) => t.group);
    const made = await collage(tiles, rng(fnv1a(`${group}|${seed}`)));
    const meta = await sharp(made.buf).metadata();
    groups[group] = {
      original: '',
      role: 'collage',
      width: meta.width,
      height: meta.height,
      cameraExif: false,
      description: `2×2 collage of ${contains.join(', ')}`,
      source: 'made by bench/heldout2/make-heldout2.ts from the photos of its tiles',
      contains,
      hardNegatives: [],
    };
    entries.push({ group, transform: 'original', level: 'original', buf: made.buf, ext: made.ext, params: { collage: true, ...made.params }, contains });
  }

  const files = await writeImages(outDir, entries, seed, groups);
  writeTruth(outDir, files, {
    photoSet,
    photos: which,
    seed,
    script: 'bench/heldout2/make-heldout2.ts',
    levels: 'level: original = the untouched source file; near = the same photo after an edit. ',
    groups,
    collages: { count: COLLAGES, containsPairs: COLLAGES * TILES_PER_COLLAGE },
  });
}

await main();
