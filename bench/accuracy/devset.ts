// A near-duplicate set with its ground truth indexed for scoring, and its fingerprints as the built
// CLI computes them (product mode), cached as JSONL. Five sets, all generated into the git-ignored
// .bench: 'dev' (../shared/bench-data, the one thresholds are tuned on), 'heldout' and 'heldout2'
// (bench/heldout, bench/heldout2: reported beside it and never tuned on) and 'devextra', 'devextra2'
// (their edits on the dev photos, for tuning); any other folder with a truth.json works too.
import { spawnSync, type StdioOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Fingerprint } from '../../src-core/fingerprint';
import { ORIGINAL, transformsPresent, type TransformSpec } from './transforms';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface SetLocation {
  name: string;
  dir: string;
  fingerprintCache: string;
  verdictCache: string;
  /** Makes the set when its truth.json is missing. */
  generate?: () => void;
}

/** Sets made by this repository's generators, into .bench/<name>. */
const GENERATED_SETS: Record<string, { generator: string; devPhotos: boolean }> = {
  heldout: { generator: 'bench/heldout/make-heldout.ts', devPhotos: false },
  devextra: { generator: 'bench/heldout/make-heldout.ts', devPhotos: true },
  heldout2: { generator: 'bench/heldout2/make-heldout2.ts', devPhotos: false },
  devextra2: { generator: 'bench/heldout2/make-heldout2.ts', devPhotos: true },
};

// Generators print their summary to stderr: stdout is for the tables.
function locate(set: string): SetLocation {
  if (set === 'dev') {
    const dir = join(ROOT, '.bench/devset');
    const generator = resolve(ROOT, '../shared/bench-data/make-dataset.mjs');
    // SHARP_DIR: the generator uses the repository's sharp.
    return { ...caches('dev', dir), generate: () => run(process.execPath, [generator, dir], { ...process.env, SHARP_DIR: ROOT }, ['ignore', process.stderr, 'inherit']) };
  }
  const generated = GENERATED_SETS[set];
  if (generated) {
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const dir = join(ROOT, '.bench', set);
    const args = [join(ROOT, generated.generator), ...(generated.devPhotos ? ['--photos', 'dev'] : []), '--out', dir];
    const generate = () => {
      // The dev set first: the dev-photo sets take their roles and hard negatives from the dev truth.json.
      const dev = locate('dev');
      if (generated.devPhotos && !existsSync(join(dev.dir, 'truth.json'))) dev.generate!();
      run(tsx, args, process.env, ['ignore', process.stderr, 'inherit']);
    };
    return { ...caches(set, dir), generate };
  }
  const dir = resolve(set);
  return caches(basename(dir), dir);
}

/** Caches beside the set's folder: .bench/devset-fingerprints.jsonl, .bench/heldout-verdicts.jsonl, … */
function caches(name: string, dir: string): SetLocation {
  return { name, dir, fingerprintCache: `${dir}-fingerprints.jsonl`, verdictCache: `${dir}-verdicts.jsonl` };
}

interface TruthJson {
  /** `contains`: a collage's file lists the groups of the photos inside it. */
  files: Array<{ file: string; group: string; transform: string; contains?: string[] }>;
  groups: Record<string, { role: string }>;
  hardNegativePairs: Array<{ a: string; b: string }>;
}

export interface DevSet {
  /** 'dev', 'heldout', 'devextra', 'heldout2', 'devextra2' or the folder's name. */
  name: string;
  /** The set's folder (truth.json, images/). */
  dir: string;
  fingerprintCache: string;
  /** The verifier's verdicts on this set's candidate pairs (bench/accuracy/verification.ts). */
  verdictCache: string;
  /** Per file, in truth.json order: its path relative to the dev set, group index and transform. */
  files: Array<{ file: string; group: number; transform: string }>;
  groupNames: string[];
  /** Per group: the file index of its untouched original. */
  originalOf: Int32Array;
  isDistractor: boolean[];
  /** Pairs of group indices that are different photos of a similar scene. */
  hardNegatives: Array<[number, number]>;
  /** Per group: a collage (its own group, not a duplicate of the photos inside it). */
  isCollage: boolean[];
  /** (collage file index, group index of a photo inside it): the "contains" relation. */
  contains: Array<[number, number]>;
  transforms: TransformSpec[];
  /** Unordered file pairs in the same group (the positives). */
  positivePairs: number;
  /** Per file: its fingerprint, or undefined when the CLI could not hash it. */
  fingerprints: Array<Fingerprint | undefined>;
  /** The CLI's error lines, verbatim. */
  hashErrors: string[];
}

/** `set`: 'dev', 'heldout', 'devextra', 'heldout2', 'devextra2' (all made on first use) or a folder holding a truth.json
 *  in the dev set's schema. `copies`: with that many byte-different copies of every file
 *  (withCopies). */
export function loadDevSet(set: string, rehash: boolean, copies = 0): DevSet {
  const location = copies > 0 ? locate(withCopies(set, copies)) : locate(set);
  const truthPath = ensureTruth(location);
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as TruthJson;
  const groupNames = Object.keys(truth.groups);
  const groupIndex = new Map(groupNames.map((name, g) => [name, g]));
  const files = truth.files.map((f) => ({ file: f.file, group: groupIndex.get(f.group)!, transform: f.transform }));
  const originalOf = new Int32Array(groupNames.length).fill(-1);
  const groupSizes = new Int32Array(groupNames.length);
  files.forEach((f, i) => {
    groupSizes[f.group]!++;
    // The first: copies of the original come after it.
    if (f.transform === ORIGINAL && originalOf[f.group]! < 0) originalOf[f.group] = i;
  });
  const { fingerprints, hashErrors } = fingerprintsFor(location, truthPath, files, rehash);
  return {
    name: location.name,
    dir: location.dir,
    fingerprintCache: location.fingerprintCache,
    verdictCache: location.verdictCache,
    files,
    groupNames,
    originalOf,
    isDistractor: groupNames.map((name) => truth.groups[name]!.role === 'distractor'),
    hardNegatives: truth.hardNegativePairs.map(({ a, b }) => [groupIndex.get(a)!, groupIndex.get(b)!]),
    isCollage: groupNames.map((name) => truth.groups[name]!.role === 'collage'),
    contains: truth.files.flatMap((f, i) => (f.contains ?? []).map((group): [number, number] => [i, groupIndex.get(group)!])),
    transforms: transformsPresent(files.map((f) => f.transform)),
    positivePairs: groupSizes.reduce((sum, k) => sum + (k * (k - 1)) / 2, 0),
    fingerprints,
    hashErrors,
  };
}

function ensureTruth(location: SetLocation): string {
  const truthPath = join(location.dir, 'truth.json');
  if (!existsSync(truthPath)) {
    if (!location.generate) throw new Error(`no truth.json in ${location.dir}`);
    console.error(`Generating the ${location.name} set into ${location.dir} …`);
    location.generate();
  }
  return truthPath;
}

/**
 * The set with `copies` byte-different copies of every file (what backups and re-downloads
 * leave: a few bytes appended, the same pixels), made once into `<set folder>-copies-N`: the
 * set's files as they are, then the copies (`x.copy1.jpg`, …) in its truth.json after every
 * original file, each in its source's group with its source's transform. Hashed and verified
 * on its own (its own caches beside it).
 */
function withCopies(set: string, copies: number): string {
  const source = locate(set);
  const sourceTruth = ensureTruth(source);
  const dir = `${source.dir}-copies-${copies}`;
  const truthPath = join(dir, 'truth.json');
  if (existsSync(truthPath) && statSync(truthPath).mtimeMs >= statSync(sourceTruth).mtimeMs) return dir;
  console.error(`Making ${copies} byte-different copies of every file of the ${source.name} set into ${dir} …`);
  rmSync(dir, { recursive: true, force: true });
  const truth = JSON.parse(readFileSync(sourceTruth, 'utf8')) as TruthJson;
  const copied = truth.files.flatMap((f) =>
    Array.from({ length: copies }, (_, k) => {
      const file = f.file.replace(/(\.[^./]+)?$/, (ext) => `.copy${k + 1}${ext}`);
      const bytes = Buffer.concat([readFileSync(join(source.dir, f.file)), Buffer.from(`\0copy ${k + 1}`)]);
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), bytes);
      return { ...f, file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
  for (const f of truth.files) copyFileSync(join(source.dir, f.file), join(dir, f.file));
  writeFileSync(truthPath, JSON.stringify({ ...truth, files: [...truth.files, ...copied] }, null, 1));
  return dir;
}

/** Fingerprints aligned with `files` (with embedding codes and local features, as `doppel scan` hashes),
 *  from the cache unless it is missing, older than truth.json (a regenerated set), without
 *  embeddings, or `rehash` is asked for (hashing code changed). */
function fingerprintsFor(location: SetLocation, truthPath: string, files: DevSet['files'], rehash: boolean): Pick<DevSet, 'fingerprints' | 'hashErrors'> {
  const cache = location.fingerprintCache;
  const stale = rehash || !existsSync(cache) || statSync(cache).mtimeMs < statSync(truthPath).mtimeMs || !readFileSync(cache, 'utf8').includes('"embedding"');
  if (stale) hashSet(location);
  const byFile = new Map<string, Fingerprint>();
  const hashErrors: string[] = [];
  for (const line of readFileSync(cache, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as Fingerprint | { path: string; error: unknown };
    if ('error' in record) hashErrors.push(line);
    else byFile.set(relative(location.dir, record.path), record);
  }
  return { fingerprints: files.map((f) => byFile.get(f.file)), hashErrors };
}

function hashSet(location: SetLocation): void {
  console.error(`Hashing the ${location.name} set with the built hash worker …`);
  const result = run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bench/accuracy/hash-set.ts'), join(location.dir, 'images')], process.env, ['ignore', 'pipe', 'inherit']);
  writeFileSync(location.fingerprintCache, result);
}

/** Runs a command to completion; exit status 3 ("some files could not be hashed") is data,
 *  anything else non-zero is a failure. Returns its stdout when piped. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions): string {
  const result = spawnSync(command, args, { env, stdio, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (result.error) throw result.error;
  if (result.status !== 0 && result.status !== 3) throw new Error(`${args.join(' ')} exited with status ${result.status}`);
  return result.stdout ?? '';
}
