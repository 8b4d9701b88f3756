// The folders the peers scan, each flat, with its truth: (a) the dev set as generated,
// (b) the dev set plus byte-different copies of every file (bytes appended after the JPEG EOI /
// PNG IEND / WebP RIFF chunk: same pixels, another digest), (c) a large folder: the dev and
// held-out sets planted among distinct filler photos.
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDevSet } from '../accuracy/devset';
import { writeFiller } from './filler';
import type { TruthFile } from './score';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Folder {
  label: string;
  dir: string;
  truth: TruthFile[];
  filler: Set<string>;
  fileCount: number;
}

interface TruthJson {
  files: Array<{ file: string; group: string; transform: string; bytes?: number; sha256?: string }>;
  groups: Record<string, unknown>;
  stats?: Record<string, unknown>;
}

const readTruth = (dir: string) => JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as TruthJson;

/** (a): the dev set's own folder; made by bench/accuracy's loader when missing. */
export function devFolder(): Folder {
  const dev = loadDevSet('dev', false);
  const truth = dev.files.map((f) => ({ name: basename(f.file), group: dev.groupNames[f.group]!, transform: f.transform }));
  return { label: `(a) dev set, ${truth.length} files`, dir: join(dev.dir, 'images'), truth, filler: new Set(), fileCount: truth.length };
}

/** Bytes after the end marker: decoders stop at EOI/IEND/the RIFF size, so pixels are unchanged. */
export function byteDifferentCopy(bytes: Buffer, copy: number): Buffer {
  return Buffer.concat([bytes, Buffer.from(`doppel-peers copy ${copy}\n`)]);
}

/** (b): every dev-set file plus `copies` byte-different copies, in .bench/devset-copies-N with
 *  a truth.json in the dev set's schema (each copy has its source's group and transform). */
export function copiesFolder(copies: number): Folder {
  const dev = devFolder();
  const devDir = join(dev.dir, '..');
  const dir = join(ROOT, `.bench/devset-copies-${copies}`);
  const devTruth = readTruth(devDir);
  if (!existsSync(join(dir, 'truth.json'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'images'), { recursive: true });
    const files: TruthJson['files'] = [];
    for (const entry of devTruth.files) {
      linkSync(join(devDir, entry.file), join(dir, entry.file));
      files.push(entry);
      const bytes = readFileSync(join(devDir, entry.file));
      for (let c = 1; c <= copies; c++) {
        const ext = extname(entry.file);
        const file = `${entry.file.slice(0, -ext.length)}-copy${c}${ext}`;
        const copy = byteDifferentCopy(bytes, c);
        writeFileSync(join(dir, file), copy);
        files.push({ ...entry, file, bytes: copy.length, sha256: createHash('sha256').update(copy).digest('hex') });
      }
    }
    // truth.json last: its presence marks a complete folder.
    writeFileSync(join(dir, 'truth.json'), JSON.stringify({ ...devTruth, stats: { ...devTruth.stats, files: files.length }, files }, null, 1));
  }
  const truth = readTruth(dir).files.map((f) => ({ name: basename(f.file), group: f.group, transform: f.transform }));
  return { label: `(b) dev set + ${copies} byte-different copies of each file, ${truth.length} files`, dir: join(dir, 'images'), truth, filler: new Set(), fileCount: truth.length };
}

/** (c): the dev and held-out sets (names prefixed dev-/heldout-, groups likewise) planted among
 *  filler photos up to `size` files, in .bench/peers-SIZE/images (hard links: no extra space). */
export async function largeFolder(size: number): Promise<Folder> {
  const planted: Array<TruthFile & { source: string }> = [];
  for (const set of ['dev', 'heldout']) {
    const loaded = loadDevSet(set, false);
    for (const f of loaded.files) {
      planted.push({ name: `${set}-${basename(f.file)}`, group: `${set}/${loaded.groupNames[f.group]}`, transform: f.transform, source: join(loaded.dir, f.file) });
    }
  }
  const fillerCount = Math.max(0, size - planted.length);
  const fillerNames = await writeFiller(join(ROOT, '.bench/peers-filler'), fillerCount);
  const dir = join(ROOT, `.bench/peers-${size}/images`);
  const wanted = new Set([...planted.map((p) => p.name), ...fillerNames]);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (!wanted.has(name)) rmSync(join(dir, name));
  for (const p of planted) if (!existsSync(join(dir, p.name))) linkSync(p.source, join(dir, p.name));
  for (const name of fillerNames) if (!existsSync(join(dir, name))) linkSync(join(ROOT, '.bench/peers-filler', name), join(dir, name));
  const truth = planted.map(({ name, group, transform }) => ({ name, group, transform }));
  return { label: `(c) ${wanted.size.toLocaleString('en-US')} files: dev + held-out sets (${planted.length}) among ${fillerCount.toLocaleString('en-US')} filler photos`, dir, truth, filler: new Set(fillerNames), fileCount: wanted.size };
}
