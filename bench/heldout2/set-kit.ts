// What a generator of a near-duplicate set needs besides its edits: seeded randomness, the source
// photos (from pinned Debian packages, or the dev set's originals), the fixed mtime and the
// self-check that re-reads every file against truth.json.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import exifr from 'exifr';
import sharp from 'sharp';
import type { DebianPackage } from '../heldout/sources';
import { seededRandom } from '../../src-core/random';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEV_ORIGINALS = resolve(ROOT, '../shared/bench-data/originals');
/** The dev set as generated (bench/accuracy/devset.ts): its roles and hard negatives are reused. */
export const DEV_TRUTH = join(ROOT, '.bench/devset/truth.json');
/** Every file's mtime and atime: modification time must carry no information about which copy is the original. */
export const FIXED_MTIME = new Date('2024-01-01T12:00:00Z');
const MAX_LONG_SIDE = 2048;
const ORIGINAL_QUALITY = 92;

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

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with status ${result.status}`);
}

/** The package's files, downloaded with apt-get and unpacked with dpkg-deb once into `cache`. */
export function unpacked(pkg: DebianPackage, cache: string): string {
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
export async function prepareOriginal(file: string): Promise<{ buf: Buffer; processing: string; sourceSize: string }> {
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
export async function hasCameraExif(buf: Buffer): Promise<boolean> {
  const camera = (await exifr.parse(buf, { pick: ['Make', 'Model', 'DateTimeOriginal'] }).catch(() => undefined)) as Record<string, unknown> | undefined;
  return camera !== undefined && Object.keys(camera).length > 0;
}

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

/** Every file re-read from disk: bytes, hash and the fixed mtime as the truth says. */
export function selfCheck(outDir: string, files: Array<{ file: string; bytes: number; sha256: string }>): void {
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
