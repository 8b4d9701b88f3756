// The synthetic library of `npm run bench:library`: N small JPEGs (200,000 by default) in N/100
// folders, cached in the git-ignored .bench/library-<N/1000>k/ (regenerated only when its
// manifest is missing or stale).
//
// Every distinct image is a 2×2 mosaic of four independent random crops (random source photo,
// offset, scale and colour gain) of the 30 bench originals, plus pixel noise: two mosaics would
// need all four tiles to line up to be near-duplicates, so the only groups are the planted ones.
// Planted: N/40 groups of 2–4 files (exact copies, copies resized ×2 or ×½, recompressed copies),
// each copy in another folder than its original. PDQ of images this small is sensitive to
// resampling: non-integer resizes (×0.75, ×1.25, ×1.5) put 10–30% of copies below similarity
// 0.8, integer ones about 1%. So after generating, `doppel scan --no-verify` (the same
// fingerprints and clustering, without the UI) counts the groups once, and that count is what
// the UI must show.
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { seededRandom } from '../../src-core/random';
import { BENCH_ORIGINALS, CLI, PROJECT_ROOT } from '../../test/helpers';

const execFileAsync = promisify(execFile);

/** Bump when the generator changes, so cached trees are rebuilt. */
const GENERATOR_VERSION = 4;
const WIDTH = 96;
const HEIGHT = 72;
const TILE_W = WIDTH / 2;
const TILE_H = HEIGHT / 2;
/** Source photos are decoded once at this width; crops take 1×–4× a tile from them. */
const SOURCE_WIDTH = 480;
const NOISE = 10;
const SEED = 20_000;

/** Where a library of `files` photos lives, and its shape: 100 photos a folder, a planted
 *  group per 40 photos. */
export interface LibrarySpec {
  files: number;
  folders: number;
  plantedGroups: number;
  dir: string;
  photosDir: string;
}

export function librarySpec(files: number): LibrarySpec {
  const dir = join(PROJECT_ROOT, `.bench/library-${Math.round(files / 1000)}k`);
  return { files, folders: Math.max(1, Math.round(files / 100)), plantedGroups: Math.max(1, Math.round(files / 40)), dir, photosDir: join(dir, 'photos') };
}

const manifestPath = (spec: LibrarySpec) => join(spec.dir, 'manifest.json');

export type CopyKind = 'exact' | 'resized' | 'recompressed';

export interface Manifest {
  version: number;
  files: number;
  folders: number;
  width: number;
  height: number;
  distinctImages: number;
  plantedGroups: number;
  /** Files per planted group, summed over groups: size → count. */
  groupSizes: Record<string, number>;
  copies: Record<CopyKind, number>;
  /** The groups `doppel scan` finds in the tree (see above): what the UI must show. */
  expectedGroups: number;
  /** Duplicates (files beyond the first of each group) `doppel scan` finds; planted: files − distinctImages. */
  expectedDuplicates: number;
  /** Planted copies `doppel scan` does not group with their original, by kind. */
  missedCopies: Partial<Record<CopyKind, number>>;
  /** Groups `doppel scan` finds that hold no planted copy (unrelated look-alikes): should be 0. */
  unplannedGroups: number;
  generatedSeconds: number;
  checkSeconds: number;
}

interface Source {
  data: Buffer;
  width: number;
  height: number;
}

/** The cached tree, generated first if it is missing or incomplete. */
export async function ensureLibrary(spec: LibrarySpec, log: (line: string) => void): Promise<Manifest> {
  const cached = await readManifest(spec);
  if (cached && (await countFiles(spec)) === cached.files) {
    log(`library: using the cached tree in ${spec.dir} (${cached.files.toLocaleString('en-US')} files)`);
    return cached;
  }
  log(`library: generating ${spec.files.toLocaleString('en-US')} images in ${spec.dir} …`);
  const started = performance.now();
  await rm(spec.dir, { recursive: true, force: true });
  const manifest = await generate(spec, log);
  manifest.generatedSeconds = (performance.now() - started) / 1000;
  log(`library: generated in ${manifest.generatedSeconds.toFixed(1)} s; counting its groups with \`doppel scan\` …`);
  const checked = performance.now();
  await checkWithCli(spec, manifest);
  manifest.checkSeconds = (performance.now() - checked) / 1000;
  const missed = Object.entries(manifest.missedCopies).map(([kind, n]) => `${n} ${kind}`).join(', ') || 'none';
  log(`library: doppel scan finds ${manifest.expectedGroups} groups (${manifest.plantedGroups} planted; copies not grouped: ${missed}; unplanned groups: ${manifest.unplannedGroups}) in ${manifest.checkSeconds.toFixed(1)} s`);
  await writeFile(manifestPath(spec), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function readManifest(spec: LibrarySpec): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(manifestPath(spec), 'utf8')) as Manifest;
    return manifest.version === GENERATOR_VERSION && manifest.files === spec.files ? manifest : undefined;
  } catch {
    return undefined;
  }
}

async function countFiles(spec: LibrarySpec): Promise<number> {
  try {
    const folders = await readdir(spec.photosDir);
    const counts = await Promise.all(folders.map(async (f) => (await readdir(join(spec.photosDir, f))).length));
    return counts.reduce((a, b) => a + b, 0);
  } catch {
    return -1;
  }
}

async function loadSources(): Promise<Source[]> {
  const names = (await readdir(BENCH_ORIGINALS)).filter((n) => /\.jpe?g$/i.test(n)).sort();
  if (names.length === 0) throw new Error(`no JPEGs in ${BENCH_ORIGINALS}`);
  return Promise.all(
    names.map(async (name) => {
      const { data, info } = await sharp(join(BENCH_ORIGINALS, name)).rotate().resize({ width: SOURCE_WIDTH }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      if (info.channels !== 3) throw new Error(`${name}: expected 3 channels, got ${info.channels}`);
      return { data, width: info.width, height: info.height };
    }),
  );
}

/** Raw RGB pixels of one mosaic, drawn from `random`. */
function mosaic(sources: Source[], random: () => number): Buffer {
  const unit = () => random() / 0x1_0000_0000;
  const out = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let tile = 0; tile < 4; tile++) {
    const src = sources[random() % sources.length]!;
    const maxScale = Math.min(4, src.width / TILE_W, src.height / TILE_H);
    const scale = 1 + unit() * (maxScale - 1);
    const ox = unit() * (src.width - TILE_W * scale);
    const oy = unit() * (src.height - TILE_H * scale);
    const gain = [0.75 + unit() * 0.5, 0.75 + unit() * 0.5, 0.75 + unit() * 0.5];
    const tx = (tile % 2) * TILE_W;
    const ty = Math.floor(tile / 2) * TILE_H;
    for (let y = 0; y < TILE_H; y++) {
      for (let x = 0; x < TILE_W; x++) {
        // Average of 2×2 samples inside the destination pixel's footprint.
        const o = ((ty + y) * WIDTH + tx + x) * 3;
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let sy = 0; sy < 2; sy++) {
            const py = Math.min(src.height - 1, Math.floor(oy + (y + 0.25 + sy * 0.5) * scale));
            for (let sx = 0; sx < 2; sx++) {
              const px = Math.min(src.width - 1, Math.floor(ox + (x + 0.25 + sx * 0.5) * scale));
              sum += src.data[(py * src.width + px) * 3 + c]!;
            }
          }
          const noise = (random() % (2 * NOISE + 1)) - NOISE;
          out[o + c] = Math.max(0, Math.min(255, Math.round((sum / 4) * gain[c]!) + noise));
        }
      }
    }
  }
  return out;
}

/** Runs `task(i)` for i in [0, count) with at most `limit` in flight. */
async function pool(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

interface ScanJson {
  groups: Array<{ members: Array<{ path: string }> }>;
  stats: { groups: number; duplicates: number; unreadable: number };
}

/** Runs the built `doppel scan --json` on the tree and records what it groups. */
async function checkWithCli(spec: LibrarySpec, manifest: Manifest): Promise<void> {
  // --no-verify: the planted copies (exact, resized, recompressed) are the hash search's to
  // find; verifying the edited-copy candidates of 200,000 random mosaics would take hours.
  const { stdout } = await execFileAsync(process.execPath, [CLI, 'scan', '--json', '--no-verify', spec.photosDir], { cwd: PROJECT_ROOT, maxBuffer: 1 << 30 });
  const scan = JSON.parse(stdout) as ScanJson;
  if (scan.stats.unreadable > 0) throw new Error(`doppel scan could not read ${scan.stats.unreadable} generated files`);
  const grouped = new Set(scan.groups.flatMap((g) => g.members.map((m) => basename(m.path))));
  for (const folder of await readdir(spec.photosDir)) {
    for (const name of await readdir(join(spec.photosDir, folder))) {
      const kind = /^COPY_\d+_(\w+)\.jpg$/.exec(name)?.[1] as CopyKind | undefined;
      if (kind && !grouped.has(name)) manifest.missedCopies[kind] = (manifest.missedCopies[kind] ?? 0) + 1;
    }
  }
  manifest.expectedGroups = scan.stats.groups;
  manifest.expectedDuplicates = scan.stats.duplicates;
  manifest.unplannedGroups = scan.groups.filter((g) => !g.members.some((m) => basename(m.path).startsWith('COPY_'))).length;
}

async function generate(spec: LibrarySpec, log: (line: string) => void): Promise<Manifest> {
  const { folders, plantedGroups } = spec;
  const folderOf = (i: number) => `d${String(i % folders).padStart(4, '0')}`;
  const sources = await loadSources();
  const random = seededRandom(SEED);

  // Planted groups: half of size 2, 30% of size 3, 20% of size 4; copy kinds cycle.
  const sizes = Array.from({ length: plantedGroups }, (_, g) => (g < plantedGroups * 0.5 ? 2 : g < plantedGroups * 0.8 ? 3 : 4));
  const extra = sizes.reduce((n, s) => n + s - 1, 0);
  const distinct = spec.files - extra;
  const kinds: CopyKind[] = ['exact', 'resized', 'recompressed'];
  const copies: Record<CopyKind, number> = { exact: 0, resized: 0, recompressed: 0 };
  // Group g's original is distinct image g * stride (spread over all folders).
  const stride = Math.floor(distinct / plantedGroups);

  for (let f = 0; f < folders; f++) await mkdir(join(spec.photosDir, folderOf(f)), { recursive: true });
  const pathOf = (i: number) => join(spec.photosDir, folderOf(i), `IMG_${String(i).padStart(6, '0')}.jpg`);

  // Pixels are drawn in order from the seeded generator (deterministic); encoding runs in sharp's
  // thread pool, several files at a time.
  let written = 0;
  await pool(distinct, 8, async (i) => {
    const pixels = mosaic(sources, random);
    const quality = 75 + (i % 16);
    await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality }).toFile(pathOf(i));
    if (++written % 5000 === 0) log(`library: ${written.toLocaleString('en-US')}/${distinct.toLocaleString('en-US')} distinct images`);
  });

  let copyIndex = 0;
  const jobs: Array<() => Promise<void>> = [];
  sizes.forEach((size, g) => {
    const original = pathOf(g * stride);
    for (let k = 1; k < size; k++) {
      const kind = kinds[(g + k) % kinds.length]!;
      copies[kind]++;
      // Another folder than the original's: shift by a group-dependent number of folders.
      const folder = folderOf(g * stride + 1 + ((g * 7 + k * 31) % Math.max(1, folders - 1)));
      const target = join(spec.photosDir, folder, `COPY_${String(copyIndex++).padStart(5, '0')}_${kind}.jpg`);
      jobs.push(async () => {
        if (kind === 'exact') await copyFile(original, target);
        else if (kind === 'resized') await sharp(original).resize(k % 2 ? { width: 192, height: 144 } : { width: 48, height: 36 }).jpeg({ quality: 85 }).toFile(target);
        else await sharp(original).jpeg({ quality: 45 }).toFile(target);
      });
    }
  });
  await pool(jobs.length, 8, (i) => jobs[i]!());

  const groupSizes: Record<string, number> = {};
  for (const s of sizes) groupSizes[s] = (groupSizes[s] ?? 0) + 1;
  return {
    version: GENERATOR_VERSION,
    files: distinct + jobs.length,
    folders,
    width: WIDTH,
    height: HEIGHT,
    distinctImages: distinct,
    plantedGroups,
    groupSizes,
    copies,
    expectedGroups: plantedGroups,
    expectedDuplicates: jobs.length,
    missedCopies: {},
    unplannedGroups: 0,
    generatedSeconds: 0,
    checkSeconds: 0,
  };
}
