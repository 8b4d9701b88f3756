// npm run bench:heldout-data -- [--seed N] [--out DIR]
// npm run bench:devextra-data -- [--seed N] [--out DIR]        (= --photos dev)
// Makes the HELD-OUT near-duplicate set (README.md beside this file): different photos from the dev
// set and realistic edits it lacks, in the dev set's truth.json schema. Report it, never tune on it.
// With --photos dev it applies the same edits to the dev set's 30 originals instead (.bench/devextra),
// so rules for those edits can be tuned without looking at the held-out photos.
// Deterministic for a seed and a sharp/libvips version; the self-check at the end re-reads every file.
import { join } from 'node:path';
import exifr from 'exifr';
import sharp, { type Sharp } from 'sharp';
import { HARD_NEGATIVES, PHOTOS } from './sources';
import { addOriginal, devPhotos, fnv1a, packagedPhotos, pick, rng, ROOT, setOptions, sha256, writeImages, writeTruth, type Level, type PhotoSet, type SetEntry } from './set-kit';

const SOURCE_CACHE = join(ROOT, '.bench/heldout-src');
const OUT_DIRS = { heldout: join(ROOT, '.bench/heldout'), dev: join(ROOT, '.bench/devextra') };

type Params = Record<string, unknown>;
interface Made {
  buf: Buffer;
  ext: 'jpg' | 'png' | 'webp';
  params: Params;
  level?: Level;
}
interface Original {
  group: string;
  buf: Buffer;
  w: number;
  h: number;
  channels: number;
  hasExif: boolean;
  hasIcc: boolean;
  /** EXIF DateTimeOriginal as written ("YYYY:MM:DD HH:MM:SS"), when the photo has one. */
  dateTaken?: string;
  random: () => number;
}

const rawHash = async (buf: Buffer) => sha256(await sharp(buf).raw().toBuffer());
/** A lossless intermediate, so two-step edits (sharp orders operations itself) are not re-encoded twice. */
const lossless = (pipeline: Sharp) => pipeline.png({ compressionLevel: 1 }).toBuffer();

// ------------------------------------------------------------------ the two photo sets
async function heldoutPhotos(): Promise<PhotoSet> {
  return { title: 'Doppel HELD-OUT near-duplicate set (report only, never tune on it)', photos: await packagedPhotos(PHOTOS, SOURCE_CACHE), hardNegatives: HARD_NEGATIVES, roles: 'bench/heldout/sources.ts' };
}

// ------------------------------------------------------------------ JPEG segment surgery (pixels untouched)
interface Segment {
  marker: number;
  data: Buffer;
}
function jpegSegments(buf: Buffer): Segment[] {
  if (buf[0] !== 0xff || buf[1] !== 0xd8) throw new Error('not a JPEG');
  const segments: Segment[] = [];
  let i = 2;
  while (i < buf.length) {
    if (buf[i] !== 0xff) throw new Error(`bad JPEG marker at ${i}`);
    const marker = buf[i + 1]!;
    if (marker === 0xda) {
      segments.push({ marker, data: buf.subarray(i) }); // scan data to the end, verbatim
      break;
    }
    const length = buf.readUInt16BE(i + 2);
    segments.push({ marker, data: buf.subarray(i, i + 2 + length) });
    i += 2 + length;
  }
  return segments;
}
const isExif = (s: Segment) => s.marker === 0xe1 && s.data.subarray(4, 10).toString('latin1') === 'Exif\0\0';
const assemble = (segments: Segment[]) => Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments.map((s) => s.data)]);

/** "YYYY:MM:DD HH:MM:SS" two years and a few days after the photo was taken (or a fixed date). */
function editDate(o: Original): string {
  const m = /^(\d{4}):(\d\d):(\d\d) (\d\d:\d\d:\d\d)$/.exec(o.dateTaken ?? '');
  if (!m) return '2024:03:15 10:20:30';
  const day = String(Math.min(28, Number(m[3]) + 3)).padStart(2, '0');
  return `${Number(m[1]) + 2}:${m[2]}:${day} ${m[4]}`;
}

// ------------------------------------------------------------------ transforms
const jpeg = async (pipeline: Sharp, quality: number, params: Params = {}): Promise<Made> => ({
  buf: await pipeline.jpeg({ quality }).toBuffer(),
  ext: 'jpg',
  params: { quality, ...params },
});

/** The long side a photo app's export would use, or undefined when the photo is already smaller. */
function exportSide(o: Original): number | undefined {
  const sides = [1600, 1080].filter((side) => side < Math.max(o.w, o.h));
  return sides.length > 0 ? pick(o.random, sides) : undefined;
}

function quarterRect(o: Original) {
  const width = Math.round(o.w / 2);
  const height = Math.round(o.h / 2);
  return { left: Math.floor(o.random() * (o.w - width + 1)), top: Math.floor(o.random() * (o.h - height + 1)), width, height };
}

/** A plain app window: title bar with three buttons, a side panel of list rows, the photo fitted in a dark viewer. */
async function screenshot(o: Original): Promise<Made> {
  const [W, H] = pick(o.random, [
    [1280, 800],
    [1440, 900],
    [1366, 768],
  ] as const);
  const title = 30;
  const panel = 220;
  const pad = 24;
  const rows = Array.from({ length: 12 }, (_, k) => `<rect x="16" y="${title + 20 + k * 34}" width="${120 + ((k * 37) % 70)}" height="12" rx="3" fill="#b8b8b8"/>`).join('');
  const chrome = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">` +
      `<rect width="${W}" height="${H}" fill="#1e1e1e"/>` +
      `<rect width="${W}" height="${title}" fill="#323232"/>` +
      [0, 1, 2].map((k) => `<circle cx="${18 + k * 20}" cy="15" r="6" fill="${['#ff5f57', '#febc2e', '#28c840'][k]}"/>`).join('') +
      `<rect y="${title}" width="${panel}" height="${H - title}" fill="#ececec"/>${rows}</svg>`,
  );
  const photo = await sharp(o.buf)
    .resize(W - panel - 2 * pad, H - title - 2 * pad, { fit: 'inside' })
    .toBuffer({ resolveWithObject: true });
  const left = panel + pad + Math.floor((W - panel - 2 * pad - photo.info.width) / 2);
  const top = title + pad + Math.floor((H - title - 2 * pad - photo.info.height) / 2);
  const buf = await sharp(chrome)
    .composite([{ input: photo.data, left, top }])
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { buf, ext: 'png', params: { window: [W, H], photoRect: { left, top, width: photo.info.width, height: photo.info.height } } };
}

async function noise(o: Original, sigma: number): Promise<Made> {
  const { data, info } = await sharp(o.buf).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < data.length; i += 2) {
    // Box–Muller: two independent normal samples per pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - o.random()));
    const phi = 2 * Math.PI * o.random();
    data[i] = Math.max(0, Math.min(255, Math.round(data[i]! + sigma * r * Math.cos(phi))));
    if (i + 1 < data.length) data[i + 1] = Math.max(0, Math.min(255, Math.round(data[i + 1]! + sigma * r * Math.sin(phi))));
  }
  return jpeg(sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }), 90, { sigma });
}

async function vignetteFilter(o: Original): Promise<Made> {
  const toned = o.channels >= 3 ? sharp(o.buf).recomb([
    [0.9, 0.15, 0.05],
    [0.08, 0.85, 0.07],
    [0.05, 0.12, 0.7],
  ]) : sharp(o.buf);
  const faded = await lossless(toned.linear(0.85, 22)); // lifted blacks, like a film preset
  const vignette = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.w}" height="${o.h}"><defs><radialGradient id="v" cx="50%" cy="50%" r="75%">` +
      '<stop offset="45%" stop-color="#000" stop-opacity="0"/><stop offset="100%" stop-color="#000" stop-opacity="0.65"/></radialGradient></defs>' +
      `<rect width="${o.w}" height="${o.h}" fill="url(#v)"/></svg>`,
  );
  return jpeg(sharp(faded).composite([{ input: vignette, left: 0, top: 0 }]), 90, { tint: 'warm recomb (colour photos)', fade: 'linear 0.85, +22', vignette: 'radial to 65 % black' });
}

const TRANSFORMS: Record<string, (o: Original) => Promise<Made | undefined>> = {
  'exact-copy': async (o) => ({ buf: o.buf, ext: 'jpg', level: 'exact', params: {} }),
  'meta-only': async (o) => {
    // libvips re-serialises the original's EXIF with the new tags; only that APP1 segment is spliced in.
    const tags = { Artist: 'Jane Example', Copyright: '(C) 2024 Jane Example', Software: 'Photo Manager 5.2' };
    const donor = await sharp(o.buf).withExifMerge({ IFD0: tags }).jpeg().toBuffer();
    const app1 = jpegSegments(donor).find(isExif)!;
    const segments = jpegSegments(o.buf);
    const had = segments.some(isExif);
    const rest = segments.filter((s) => !isExif(s));
    rest.splice(rest[0]!.marker === 0xe0 ? 1 : 0, 0, app1);
    return { buf: assemble(rest), ext: 'jpg', level: 'pixel', params: { exif: had ? 'changed' : 'added', ...tags } };
  },
  'export-small': async (o) => {
    const side = exportSide(o);
    if (side === undefined) return undefined;
    let pipeline = sharp(o.buf).resize(side, side, { fit: 'inside' });
    if (o.hasExif) pipeline = pipeline.keepExif();
    if (o.hasIcc) pipeline = pipeline.keepIccProfile();
    return jpeg(pipeline, 85, { longSide: side, exif: o.hasExif ? 'kept' : 'none' });
  },
  social: async (o) =>
    jpeg(sharp(o.buf).resize(1080, 1080, { fit: 'inside', withoutEnlargement: true }), 70, { longSide: Math.min(1080, Math.max(o.w, o.h)), exif: 'stripped' }),
  'edit-keep-exif': async (o) => {
    const modifyDate = editDate(o);
    const warm = o.channels >= 3 ? [1.06, 1.0, 0.9] : 1.03;
    const pipeline = sharp(o.buf)
      .modulate({ brightness: 1.08 })
      .linear(warm, o.channels >= 3 ? [0, 0, 0] : 0)
      .withExifMerge({ IFD0: { Software: 'Photo Editor 2.1', DateTime: modifyDate } });
    return jpeg(pipeline, 95, { brightness: 1.08, warmth: warm, exif: o.hasExif ? 'kept' : 'added', Software: 'Photo Editor 2.1', ModifyDate: modifyDate });
  },
  'reencode-higher': async (o) => jpeg(sharp(o.buf), 95, { exif: 'stripped' }),
  'png-export': async (o) => ({ buf: await sharp(o.buf).png({ compressionLevel: 6 }).toBuffer(), ext: 'png', level: 'pixel', params: {} }),
  'webp-export': async (o) => ({ buf: await sharp(o.buf).webp({ quality: 90 }).toBuffer(), ext: 'webp', params: { quality: 90 } }),
  screenshot,
  'crop-quarter': async (o) => {
    const rect = quarterRect(o);
    return jpeg(sharp(o.buf).extract(rect), 90, { rect });
  },
  'crop-quarter-mirror': async (o) => {
    const rect = quarterRect(o);
    return jpeg(sharp(await lossless(sharp(o.buf).extract(rect))).flop(), 90, { rect, mirror: 'horizontal' });
  },
  'rotate-7-fill': async (o) => {
    const degrees = pick(o.random, [7, -7]);
    const fill = pick(o.random, ['#ffffff', '#000000']);
    const rotated = await sharp(o.buf).rotate(degrees, { background: fill }).toBuffer({ resolveWithObject: true });
    const left = Math.floor((rotated.info.width - o.w) / 2);
    const top = Math.floor((rotated.info.height - o.h) / 2);
    return jpeg(sharp(await lossless(sharp(rotated.data).extract({ left, top, width: o.w, height: o.h }))), 90, { degrees, fill, canvas: 'same size' });
  },
  noise: async (o) => noise(o, 8),
  blur: async (o) => jpeg(sharp(o.buf).blur(2), 90, { sigma: 2 }),
  'border-resize': async (o) => {
    const px = Math.round(Math.min(o.w, o.h) * 0.05);
    const colour = pick(o.random, ['#c0392b', '#2e86c1', '#f4d03f', '#1e8449', '#7d3c98', '#f5f5dc']);
    const bordered = await lossless(sharp(o.buf).extend({ top: px, bottom: px, left: px, right: px, background: colour }));
    const width = Math.round((o.w + 2 * px) * 0.8);
    return jpeg(sharp(bordered).resize(width), 90, { borderPx: px, colour, scale: 0.8 });
  },
  'vignette-filter': vignetteFilter,
};

/** Which query groups (by their index among query groups) get which transform: exact copies in
 *  every 3rd, metadata-only edits in every 2nd, the exports wherever the photo is large enough,
 *  every other transform in 2 of 3 groups, staggered so groups get different mixes. */
function planFor(queryIndex: number): string[] {
  const staggered = ['social', 'edit-keep-exif', 'reencode-higher', 'png-export', 'webp-export', 'screenshot', 'crop-quarter', 'crop-quarter-mirror', 'rotate-7-fill', 'noise', 'blur', 'border-resize', 'vignette-filter'];
  return [
    ...(queryIndex % 3 === 0 ? ['exact-copy'] : []),
    ...(queryIndex % 2 === 1 ? ['meta-only'] : []),
    'export-small',
    ...staggered.filter((_, k) => (queryIndex + k) % 3 !== 0),
  ];
}

// ------------------------------------------------------------------ main
async function main(): Promise<void> {
  const { which, seed, outDir } = setOptions(OUT_DIRS);
  const photoSet = which === 'dev' ? await devPhotos('Doppel DEVEXTRA near-duplicate set: the held-out edits on the dev photos (for tuning)') : await heldoutPhotos();
  const entries: SetEntry[] = [];
  const groups: Record<string, Record<string, unknown>> = {};
  let queryIndex = 0;
  for (const source of photoSet.photos) {
    const { buf } = source;
    const meta = await sharp(buf).metadata();
    const exif = (await exifr.parse(buf, { pick: ['DateTimeOriginal'], reviveValues: false }).catch(() => undefined)) as { DateTimeOriginal?: string } | undefined;
    addOriginal(source, meta, groups, entries);
    if (source.role !== 'query') continue;
    const original: Original = { group: source.group, buf, w: meta.width, h: meta.height, channels: meta.channels, hasExif: meta.exif !== undefined, hasIcc: meta.icc !== undefined, dateTaken: exif?.DateTimeOriginal, random: () => 0 };
    const pixels = await rawHash(buf);
    for (const transform of planFor(queryIndex)) {
      original.random = rng(fnv1a(`${source.group}|${transform}|${seed}`));
      const made = await TRANSFORMS[transform]!(original);
      if (!made) continue;
      let level = made.level ?? 'near';
      if (level === 'pixel' && (await rawHash(made.buf)) !== pixels) {
        console.error(`warning: ${source.group} ${transform}: decoded pixels differ, marking as near`);
        level = 'near';
      }
      entries.push({ group: source.group, transform, level, buf: made.buf, ext: made.ext, params: made.params });
    }
    queryIndex++;
  }

  const files = await writeImages(outDir, entries, seed, groups);
  writeTruth(outDir, files, {
    photoSet,
    photos: which,
    seed,
    script: 'bench/heldout/make-heldout.ts',
    levels: 'level: original = the untouched source file; exact = byte-identical copy; pixel = identical decoded pixels but different bytes; near = the same photo after an edit. ',
    groups,
  });
}

await main();
