// npm run bench:heldout-data -- [--seed N] [--out DIR]
// npm run bench:devextra-data -- [--seed N] [--out DIR]        (= --photos dev)
// Makes the HELD-OUT near-duplicate set (README.md beside this file): different photos from the dev
// set and realistic edits it lacks, in the dev set's truth.json schema. Report it, never tune on it.
// With --photos dev it applies the same edits to the dev set's 30 originals instead (.bench/devextra),
// so rules for those edits can be tuned without looking at the held-out photos.
// Deterministic for a seed and a sharp/libvips version; the self-check at the end re-reads every file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import exifr from 'exifr';
import sharp, { type Sharp } from 'sharp';
import { HARD_NEGATIVES, PHOTOS, type DebianPackage, type PhotoSource } from './sources';
import { seededRandom } from '../../src-core/random';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_CACHE = join(ROOT, '.bench/heldout-src');
const OUT_DIRS = { heldout: join(ROOT, '.bench/heldout'), dev: join(ROOT, '.bench/devextra') };
const DEV_ORIGINALS = resolve(ROOT, '../shared/bench-data/originals');
/** The dev set as generated (bench/accuracy/devset.ts): its roles and hard negatives are reused. */
const DEV_TRUTH = join(ROOT, '.bench/devset/truth.json');
/** Every file's mtime and atime: modification time must carry no information about which copy is the original. */
const FIXED_MTIME = new Date('2024-01-01T12:00:00Z');
const MAX_LONG_SIDE = 2048;
const ORIGINAL_QUALITY = 92;

type Level = 'original' | 'exact' | 'pixel' | 'near';
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

// ------------------------------------------------------------------ deterministic helpers
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
/** Uniform in [0, 1) from src-core's mulberry32. */
function rng(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() / 4294967296;
}
const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const rawHash = async (buf: Buffer) => sha256(await sharp(buf).raw().toBuffer());
/** A lossless intermediate, so two-step edits (sharp orders operations itself) are not re-encoded twice. */
const lossless = (pipeline: Sharp) => pipeline.png({ compressionLevel: 1 }).toBuffer();

// ------------------------------------------------------------------ sources: Debian packages
function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with status ${result.status}`);
}

/** The package's files, downloaded with apt-get and unpacked with dpkg-deb once (cached). */
function unpacked(pkg: DebianPackage): string {
  const dir = join(SOURCE_CACHE, `${pkg.name}_${pkg.version.replace(':', '%3a')}`);
  const done = join(dir, '.unpacked');
  if (!existsSync(done)) {
    mkdirSync(dir, { recursive: true });
    console.error(`Downloading ${pkg.name}=${pkg.version} …`);
    run('apt-get', ['download', `${pkg.name}=${pkg.version}`], dir);
    const deb = readdirSync(dir).find((f) => f.startsWith(`${pkg.name}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg.name} left no .deb in ${dir}`);
    run('dpkg-deb', ['-x', deb, 'root'], dir);
    rmSync(join(dir, deb));
    writeFileSync(done, '');
  }
  const root = join(dir, 'root');
  const copyright = readFileSync(join(root, 'usr/share/doc', pkg.name, 'copyright'), 'utf8');
  if (!copyright.includes(pkg.licenseText)) throw new Error(`${pkg.name}: its copyright file no longer says ${JSON.stringify(pkg.licenseText)}`);
  return root;
}

/** The original as the set stores it: JPEG files ≤ 2048 px are taken byte-exact; larger ones are
 *  downscaled once (EXIF and ICC kept), PNGs become JPEGs, both at q92. */
async function prepareOriginal(source: PhotoSource): Promise<{ buf: Buffer; processing: string; sourceSize: string }> {
  const file = join(unpacked(source.package), source.path);
  const bytes = readFileSync(file);
  const meta = await sharp(bytes).metadata();
  const sourceSize = `${meta.width}x${meta.height}`;
  const tooBig = Math.max(meta.width, meta.height) > MAX_LONG_SIDE;
  if (meta.format === 'jpeg' && !tooBig) return { buf: bytes, processing: 'copied byte-for-byte', sourceSize };
  // Kept only where present: libvips would otherwise write an EXIF block of its own.
  let pipeline = sharp(bytes);
  if (meta.exif) pipeline = pipeline.keepExif();
  if (meta.icc) pipeline = pipeline.keepIccProfile();
  if (tooBig) pipeline = pipeline.resize(MAX_LONG_SIDE, MAX_LONG_SIDE, { fit: 'inside' });
  const buf = await pipeline.jpeg({ quality: ORIGINAL_QUALITY }).toBuffer();
  const what = [tooBig ? `downscaled to ≤ ${MAX_LONG_SIDE} px long side (lanczos3)${meta.exif ? ', EXIF kept' : ''}${meta.icc ? ', ICC kept' : ''}` : '', meta.format !== 'jpeg' ? `${meta.format?.toUpperCase()} → JPEG` : '']
    .filter(Boolean)
    .join(', ');
  return { buf, processing: `${what}, q${ORIGINAL_QUALITY}`, sourceSize };
}

// ------------------------------------------------------------------ the two photo sets
interface Photo {
  group: string;
  role: 'query' | 'distractor';
  buf: Buffer;
  processing: string;
  /** Provenance written into the truth's group entry. */
  provenance: Record<string, unknown>;
}
interface PhotoSet {
  title: string;
  photos: Photo[];
  hardNegatives: Array<[string, string, string]>;
  /** Where the roles and hard negatives come from. */
  roles: string;
}

async function heldoutPhotos(): Promise<PhotoSet> {
  const photos: Photo[] = [];
  for (const source of PHOTOS) {
    const { buf, processing, sourceSize } = await prepareOriginal(source);
    photos.push({
      group: source.group,
      role: source.role,
      buf,
      processing,
      provenance: {
        cameraExif: source.cameraExif,
        description: source.description,
        source: `${source.package.name} ${source.package.version}`,
        sourcePath: source.path,
        sourceSize,
        processing,
        license: source.package.license,
        licenseNote: source.licenseNote,
        author: source.author,
      },
    });
  }
  return { title: 'Doppel HELD-OUT near-duplicate set (report only, never tune on it)', photos, hardNegatives: HARD_NEGATIVES, roles: 'bench/heldout/sources.ts' };
}

interface DevSource {
  file: string;
  package: string;
  packageVersion: string;
  author: string;
  license: string;
  licenseNote: string;
  description: string;
  sourcePath: string;
  sourceSize: string;
  sha256_16: string;
  processing: string;
}

/** The dev set's originals, byte for byte (all ≤ 2048 px), with SOURCES.json's provenance. */
async function devPhotos(): Promise<PhotoSet> {
  const sources = JSON.parse(readFileSync(join(DEV_ORIGINALS, 'SOURCES.json'), 'utf8')) as DevSource[];
  const devTruth = existsSync(DEV_TRUTH)
    ? (JSON.parse(readFileSync(DEV_TRUTH, 'utf8')) as { groups: Record<string, { role: Photo['role'] }>; hardNegativePairs: Array<{ a: string; b: string; why: string }> })
    : undefined;
  if (!devTruth) console.error(`warning: no ${DEV_TRUTH} (npm run bench:accuracy makes it): every photo is a query and there are no hard negatives`);
  const photos: Photo[] = [];
  for (const source of [...sources].sort((a, b) => a.file.localeCompare(b.file))) {
    const group = source.file.replace(/\.jpg$/, '');
    const buf = readFileSync(join(DEV_ORIGINALS, source.file));
    if (sha256(buf).slice(0, 16) !== source.sha256_16) throw new Error(`${source.file} is not the file SOURCES.json describes`);
    const role = devTruth ? devTruth.groups[group]?.role : 'query';
    if (!role) throw new Error(`${group} is not a group of ${DEV_TRUTH}`);
    const camera = (await exifr.parse(buf, { pick: ['Make', 'Model', 'DateTimeOriginal'] }).catch(() => undefined)) as Record<string, unknown> | undefined;
    const processing = `the dev set's original, byte for byte (from the package: ${source.processing})`;
    photos.push({
      group,
      role,
      buf,
      processing,
      provenance: {
        cameraExif: camera !== undefined && Object.keys(camera).length > 0,
        description: source.description,
        source: `${source.package} ${source.packageVersion}`,
        sourcePath: source.sourcePath,
        sourceSize: source.sourceSize,
        processing,
        license: source.license,
        licenseNote: source.licenseNote,
        author: source.author,
      },
    });
  }
  return {
    title: 'Doppel DEVEXTRA near-duplicate set: the held-out edits on the dev photos (for tuning)',
    photos,
    hardNegatives: devTruth ? devTruth.hardNegativePairs.map(({ a, b, why }) => [a, b, why]) : [],
    roles: devTruth ? relative(ROOT, DEV_TRUTH) : 'none (every photo a query)',
  };
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
interface Entry {
  group: string;
  transform: string;
  level: Level;
  buf: Buffer;
  ext: string;
  params: Params;
}
interface TruthFile {
  file: string;
  group: string;
  transform: string;
  level: Level;
  params: Params;
  format: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, photos: { type: 'string', default: 'heldout' }, out: { type: 'string' } } });
  const which = values.photos;
  if (which !== 'heldout' && which !== 'dev') throw new Error(`--photos ${which}: expected heldout or dev`);
  const seed = Number(values.seed);
  const outDir = resolve(values.out ?? OUT_DIRS[which]);
  sharp.cache(false);
  sharp.concurrency(1); // determinism and a small footprint on 2 cores

  const photoSet = which === 'dev' ? await devPhotos() : await heldoutPhotos();
  const entries: Entry[] = [];
  const groups: Record<string, Record<string, unknown>> = {};
  let queryIndex = 0;
  for (const source of photoSet.photos) {
    const { buf, processing } = source;
    const meta = await sharp(buf).metadata();
    const exif = (await exifr.parse(buf, { pick: ['DateTimeOriginal'], reviveValues: false }).catch(() => undefined)) as { DateTimeOriginal?: string } | undefined;
    groups[source.group] = {
      original: '', // filled in once the file names are drawn
      role: source.role,
      width: meta.width,
      height: meta.height,
      ...source.provenance,
      hardNegatives: [],
    };
    entries.push({ group: source.group, transform: 'original', level: 'original', buf, ext: 'jpg', params: { processing } });
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
  for (const [a, b] of photoSet.hardNegatives) {
    (groups[a]!.hardNegatives as string[]).push(b);
    (groups[b]!.hardNegatives as string[]).push(a);
  }

  // Shuffled, opaque names: neither the name nor the order says which file is the original.
  const shuffle = rng(fnv1a(`shuffle|${seed}`));
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const imagesDir = join(outDir, 'images');
  rmSync(imagesDir, { recursive: true, force: true });
  mkdirSync(imagesDir, { recursive: true });
  const files: TruthFile[] = [];
  for (const [i, e] of entries.entries()) {
    const file = `images/img_${String(i + 1).padStart(4, '0')}.${e.ext}`;
    writeFileSync(join(outDir, file), e.buf);
    utimesSync(join(outDir, file), FIXED_MTIME, FIXED_MTIME);
    const m = await sharp(e.buf).metadata();
    files.push({ file, group: e.group, transform: e.transform, level: e.level, params: e.params, format: m.format, width: m.width, height: m.height, bytes: e.buf.length, sha256: sha256(e.buf) });
    if (e.transform === 'original') groups[e.group]!.original = file;
  }
  files.sort((a, b) => a.file.localeCompare(b.file));

  const byTransform: Record<string, number> = {};
  const groupsPerTransform: Record<string, Set<string>> = {};
  for (const f of files) {
    byTransform[f.transform] = (byTransform[f.transform] ?? 0) + 1;
    (groupsPerTransform[f.transform] ??= new Set()).add(f.group);
  }
  const sizes = Object.keys(groups).map((g) => files.filter((f) => f.group === g).length);
  const truth = {
    schema: 1,
    name: photoSet.title,
    semantics:
      'Two files are duplicates of each other iff they have the same `group`. Files of different groups must NOT be matched. ' +
      'level: original = the untouched source file; exact = byte-identical copy; pixel = identical decoded pixels but different bytes; near = the same photo after an edit. ' +
      `Every file's modification time is ${FIXED_MTIME.toISOString()}: it carries no information.`,
    generator: { script: 'bench/heldout/make-heldout.ts', photos: which, roles: photoSet.roles, seed, sharp: sharp.versions.sharp, libvips: sharp.versions.vips, node: process.version, mtime: FIXED_MTIME.toISOString() },
    stats: {
      files: files.length,
      groups: Object.keys(groups).length,
      queryGroups: photoSet.photos.filter((p) => p.role === 'query').length,
      distractorGroups: photoSet.photos.filter((p) => p.role === 'distractor').length,
      positivePairs: sizes.reduce((sum, k) => sum + (k * (k - 1)) / 2, 0),
      hardNegativePairs: photoSet.hardNegatives.length,
      byTransform,
    },
    groups,
    hardNegativePairs: photoSet.hardNegatives.map(([a, b, why]) => ({ a, b, why })),
    files,
  };
  writeFileSync(join(outDir, 'truth.json'), JSON.stringify(truth, null, 1) + '\n');

  selfCheck(outDir, files);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  console.error(`wrote ${files.length} files (${(total / 1e6).toFixed(1)} MB) in ${Object.keys(groups).length} groups, ${truth.stats.positivePairs} duplicate pairs -> ${outDir}`);
  for (const [t, n] of Object.entries(byTransform).sort(([a], [b]) => a.localeCompare(b))) console.error(`  ${t.padEnd(20)} ${String(n).padStart(3)} files in ${groupsPerTransform[t]!.size} groups`);
  const thin = Object.entries(groupsPerTransform).filter(([t, g]) => t !== 'original' && g.size < 8);
  if (thin.length > 0) throw new Error(`transforms in fewer than 8 groups: ${thin.map(([t, g]) => `${t} (${g.size})`).join(', ')}`);
}

/** Every file re-read from disk: bytes, hash and the fixed mtime as the truth says. */
function selfCheck(outDir: string, files: TruthFile[]): void {
  const onDisk = readdirSync(join(outDir, 'images')).length;
  if (onDisk !== files.length) throw new Error(`self-check: ${onDisk} files on disk, ${files.length} in truth.json`);
  for (const f of files) {
    const path = join(outDir, f.file);
    const buf = readFileSync(path);
    if (buf.length !== f.bytes || sha256(buf) !== f.sha256) throw new Error(`self-check: ${f.file} does not match truth.json`);
    if (statSync(path).mtimeMs !== FIXED_MTIME.getTime()) throw new Error(`self-check: ${f.file} has another mtime`);
  }
  console.error(`self-check: ${files.length} files match truth.json (size, sha256, mtime)`);
}

await main();
