// The dev set (generated into the git-ignored .bench/devset) with its ground truth indexed for
// scoring, and its fingerprints as the built CLI computes them (product mode), cached as JSONL.
import { spawnSync, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Fingerprint } from '../../src-core/fingerprint';
import { ORIGINAL, transformsPresent, type TransformSpec } from './transforms';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GENERATOR = resolve(ROOT, '../shared/bench-data/make-dataset.mjs');
const DEVSET_DIR = join(ROOT, '.bench/devset');
const TRUTH = join(DEVSET_DIR, 'truth.json');
export const FINGERPRINT_CACHE = join(ROOT, '.bench/devset-fingerprints.jsonl');

interface TruthJson {
  files: Array<{ file: string; group: string; transform: string }>;
  groups: Record<string, { role: string }>;
  hardNegativePairs: Array<{ a: string; b: string }>;
}

export interface DevSet {
  /** Per file, in truth.json order: its path relative to the dev set, group index and transform. */
  files: Array<{ file: string; group: number; transform: string }>;
  groupNames: string[];
  /** Per group: the file index of its untouched original. */
  originalOf: Int32Array;
  isDistractor: boolean[];
  /** Pairs of group indices that are different photos of a similar scene. */
  hardNegatives: Array<[number, number]>;
  transforms: TransformSpec[];
  /** Unordered file pairs in the same group (the positives). */
  positivePairs: number;
  /** Per file: its fingerprint, or undefined when the CLI could not hash it. */
  fingerprints: Array<Fingerprint | undefined>;
  /** The CLI's error lines, verbatim. */
  hashErrors: string[];
}

export function loadDevSet(rehash: boolean): DevSet {
  if (!existsSync(TRUTH)) generate();
  const truth = JSON.parse(readFileSync(TRUTH, 'utf8')) as TruthJson;
  const groupNames = Object.keys(truth.groups);
  const groupIndex = new Map(groupNames.map((name, g) => [name, g]));
  const files = truth.files.map((f) => ({ file: f.file, group: groupIndex.get(f.group)!, transform: f.transform }));
  const originalOf = new Int32Array(groupNames.length).fill(-1);
  const groupSizes = new Int32Array(groupNames.length);
  files.forEach((f, i) => {
    groupSizes[f.group]!++;
    if (f.transform === ORIGINAL) originalOf[f.group] = i;
  });
  const { fingerprints, hashErrors } = fingerprintsFor(files, rehash);
  return {
    files,
    groupNames,
    originalOf,
    isDistractor: groupNames.map((name) => truth.groups[name]!.role === 'distractor'),
    hardNegatives: truth.hardNegativePairs.map(({ a, b }) => [groupIndex.get(a)!, groupIndex.get(b)!]),
    transforms: transformsPresent(files.map((f) => f.transform)),
    positivePairs: groupSizes.reduce((sum, k) => sum + (k * (k - 1)) / 2, 0),
    fingerprints,
    hashErrors,
  };
}

function generate(): void {
  console.error(`Generating the dev set into ${DEVSET_DIR} …`);
  // The generator's summary goes to stderr too: stdout is for the tables.
  run(process.execPath, [GENERATOR, DEVSET_DIR], { ...process.env, SHARP_DIR: ROOT }, ['ignore', process.stderr, 'inherit']);
}

/** Fingerprints aligned with `files` (with embedding codes, so that signal is measured too),
 *  from the cache unless it is missing, older than truth.json (a regenerated set), without
 *  embeddings, or `rehash` is asked for (hashing code changed). */
function fingerprintsFor(files: DevSet['files'], rehash: boolean): Pick<DevSet, 'fingerprints' | 'hashErrors'> {
  const stale = rehash || !existsSync(FINGERPRINT_CACHE) || statSync(FINGERPRINT_CACHE).mtimeMs < statSync(TRUTH).mtimeMs || !readFileSync(FINGERPRINT_CACHE, 'utf8').includes('"embedding"');
  if (stale) hashDevSet();
  const byFile = new Map<string, Fingerprint>();
  const hashErrors: string[] = [];
  for (const line of readFileSync(FINGERPRINT_CACHE, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as Fingerprint | { path: string; error: unknown };
    if ('error' in record) hashErrors.push(line);
    else byFile.set(relative(DEVSET_DIR, record.path), record);
  }
  return { fingerprints: files.map((f) => byFile.get(f.file)), hashErrors };
}

function hashDevSet(): void {
  console.error('Hashing the dev set with the built CLI …');
  const cli = join(ROOT, 'bin/doppel.mjs');
  const result = run(process.execPath, [cli, 'hash', '--json', '--embedding', join(DEVSET_DIR, 'images')], process.env, ['ignore', 'pipe', 'inherit']);
  writeFileSync(FINGERPRINT_CACHE, result);
}

/** Runs a command to completion; exit status 3 ("some files could not be hashed") is data,
 *  anything else non-zero is a failure. Returns its stdout when piped. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions): string {
  const result = spawnSync(command, args, { env, stdio, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (result.error) throw result.error;
  if (result.status !== 0 && result.status !== 3) throw new Error(`${args.join(' ')} exited with status ${result.status}`);
  return result.stdout ?? '';
}
