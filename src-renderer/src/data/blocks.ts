// Fingerprints packed for the similarity index. IndexedDB costs per record, so the hashes the
// index loads at start-up live in blocks of up to FINGERPRINT_BLOCK_SIZE typed-array rows
// (~0.1 s for 100k fingerprints each way, against ~30 s to write them one record each).
import { hexToWords32 } from '../../../src-core/hash/hamming';
import { allocateHashCodes, type HashCodes } from '../../../src-core/similarity/hash-codes';
import type { RowCodes } from '../../../src-core/verify/candidates';
import { DEFAULT_METHOD, packHashes } from '../../../src-core/similarity/methods';
import type { DoppelDb, FingerprintBlock, FingerprintRow } from './db';

export const FINGERPRINT_BLOCK_SIZE = 1000;
const METHOD = DEFAULT_METHOD;
const { words: WORDS, variants: VARIANTS } = packHashes(METHOD, []);
const STRIDE = WORDS * VARIANTS;
/** Blocks written before the window hashes existed hold the 8 dihedral variants only. */
const LEGACY_VARIANTS = 8;

/** Candidate-signal words per digest: aHash (2 words), then the embedding code (8 words). */
const SIGNAL_WORDS = 10;
export const SIGNAL_AHASH = 1;
export const SIGNAL_EMBEDDING = 2;

/** The candidate signals of packed rows (see src-core/verify/candidates.ts). */
export interface SignalCodes {
  /** The aHashes and embedding codes of the rows that have one (blocks written before the
   *  signals existed have neither; embeddings exist only while they are turned on). */
  ahash: RowCodes;
  embedding: RowCodes;
}

function packSignals(fingerprints: readonly FingerprintRow[]): { words: Uint32Array; flags: Uint8Array } {
  const words = new Uint32Array(fingerprints.length * SIGNAL_WORDS);
  const flags = new Uint8Array(fingerprints.length);
  fingerprints.forEach((f, k) => {
    words.set(hexToWords32(f.ahash), k * SIGNAL_WORDS);
    flags[k] = SIGNAL_AHASH;
    if (f.embedding) {
      words.set(hexToWords32(f.embedding), k * SIGNAL_WORDS + 2);
      flags[k]! |= SIGNAL_EMBEDDING;
    }
  });
  return { words, flags };
}

/** Appends fingerprints to the last block while it has room, then to new blocks. Call it inside
 *  a read-write transaction that also writes their `fingerprints` rows. */
export async function appendToBlocks(db: DoppelDb, fingerprints: readonly FingerprintRow[]): Promise<void> {
  if (fingerprints.length === 0) return;
  const codes = packHashes(METHOD, fingerprints);
  const signals = packSignals(fingerprints);
  const last = await db.fingerprintBlocks.toCollection().last();
  let open = last && last.digests.length < FINGERPRINT_BLOCK_SIZE ? last : undefined;
  const blocks: FingerprintBlock[] = [];
  for (let start = 0; start < fingerprints.length; ) {
    const held = open?.digests.length ?? 0;
    const end = Math.min(fingerprints.length, start + FINGERPRINT_BLOCK_SIZE - held);
    const added = fingerprints.slice(start, end);
    const block: FingerprintBlock = {
      digests: [...(open?.digests ?? []), ...added.map((f) => f.digest)],
      quality: concat(Uint8Array, open?.quality, Uint8Array.from(added, (f) => f.pdqQuality)),
      pdq: concat(Uint32Array, open && currentLayout(open), codes.data.subarray(start * STRIDE, end * STRIDE)),
      variants: VARIANTS,
      // Rows of a block written before the signals existed have none (flags 0).
      signals: concat(Uint32Array, open && (open.signals ?? new Uint32Array(held * SIGNAL_WORDS)), signals.words.subarray(start * SIGNAL_WORDS, end * SIGNAL_WORDS)),
      signalFlags: concat(Uint8Array, open && (open.signalFlags ?? new Uint8Array(held)), signals.flags.subarray(start, end)),
    };
    // Rewriting the open block keeps its id; a new block gets the next auto-increment id.
    if (open?.id !== undefined) block.id = open.id;
    blocks.push(block);
    open = undefined;
    start = end;
  }
  await db.fingerprintBlocks.bulkPut(blocks);
}

export interface PackedFingerprints {
  digests: string[];
  /** Row i holds the hashes of digests[i], as packHashes(DEFAULT_METHOD) lays them out. */
  codes: HashCodes;
  quality: Uint8Array;
  /** Loaded with the whole library (the candidate search needs them), not kept in snapshots. */
  signals?: SignalCodes;
}

/** Every packed fingerprint, once per digest: a digest written again (re-hashed) takes its
 *  latest hashes, at the place of its latest write. Includes digests no file holds any more. */
export async function loadPackedFingerprints(db: DoppelDb): Promise<PackedFingerprints> {
  const blocks = await db.fingerprintBlocks.toArray(); // in id order: oldest writes first
  const latest = new Map<string, number>();
  let position = 0;
  for (const block of blocks) for (const digest of block.digests) latest.set(digest, position++);

  const count = latest.size;
  const digests = new Array<string>(count);
  const quality = new Uint8Array(count);
  const codes = allocateHashCodes(count, WORDS, VARIANTS);
  const signalWords = new Uint32Array(count * SIGNAL_WORDS);
  const flags = new Uint8Array(count);
  let out = 0;
  position = 0;
  for (const block of blocks) {
    block.digests.forEach((digest, k) => {
      if (latest.get(digest) !== position++) return;
      digests[out] = digest;
      quality[out] = block.quality[k]!;
      copyRow(block, k, codes.data, out);
      if (block.signals && block.signalFlags) {
        signalWords.set(block.signals.subarray(k * SIGNAL_WORDS, (k + 1) * SIGNAL_WORDS), out * SIGNAL_WORDS);
        flags[out] = block.signalFlags[k]!;
      }
      out++;
    });
  }
  return { digests, codes, quality, signals: unpackSignals(signalWords, flags) };
}

function unpackSignals(words: Uint32Array, flags: Uint8Array): SignalCodes {
  const rowsWith = (flag: number) => Int32Array.from(Array.from(flags.keys()).filter((k) => flags[k]! & flag));
  const pick = (rows: Int32Array, offset: number, width: number): RowCodes => {
    const codes = allocateHashCodes(rows.length, width, 1);
    rows.forEach((row, k) => codes.data.set(words.subarray(row * SIGNAL_WORDS + offset, row * SIGNAL_WORDS + offset + width), k * width));
    return { codes, rows };
  };
  return { ahash: pick(rowsWith(SIGNAL_AHASH), 0, 2), embedding: pick(rowsWith(SIGNAL_EMBEDDING), 2, 8) };
}

/** The rows of `digests` (those present), in that order: e.g. what a snapshot keeps. */
export function selectPacked(packed: PackedFingerprints, digests: Iterable<string>): PackedFingerprints {
  const rowOf = new Map(packed.digests.map((d, k) => [d, k]));
  const rows = [...digests].flatMap((d) => (rowOf.has(d) ? [rowOf.get(d)!] : []));
  const codes = allocateHashCodes(rows.length, WORDS, VARIANTS);
  rows.forEach((row, k) => codes.data.set(packed.codes.data.subarray(row * STRIDE, (row + 1) * STRIDE), k * STRIDE));
  return { digests: rows.map((r) => packed.digests[r]!), codes, quality: Uint8Array.from(rows, (r) => packed.quality[r]!) };
}

/** Packed fingerprints as stored (a block without an id), and back. */
export function storablePacked(packed: PackedFingerprints): FingerprintBlock {
  return { digests: packed.digests, quality: packed.quality, pdq: packed.codes.data };
}
export function fromStoredPacked(stored: FingerprintBlock): PackedFingerprints {
  return { digests: stored.digests, quality: stored.quality, codes: { count: stored.digests.length, words: WORDS, variants: VARIANTS, data: stored.pdq } };
}

/** Row k of `block` into row `out` of `target` in the current layout: a legacy row's missing
 *  window hashes repeat its PDQ (which adds no pair). */
function copyRow(block: FingerprintBlock, k: number, target: Uint32Array, out: number): void {
  const variants = block.variants ?? LEGACY_VARIANTS;
  const from = k * WORDS * variants;
  target.set(block.pdq.subarray(from, from + WORDS * Math.min(variants, VARIANTS)), out * STRIDE);
  for (let v = variants; v < VARIANTS; v++) target.set(block.pdq.subarray(from, from + WORDS), out * STRIDE + v * WORDS);
}

/** A block's hashes in the current layout. */
function currentLayout(block: FingerprintBlock): Uint32Array {
  if ((block.variants ?? LEGACY_VARIANTS) === VARIANTS) return block.pdq;
  const out = new Uint32Array(block.digests.length * STRIDE);
  for (let k = 0; k < block.digests.length; k++) copyRow(block, k, out, k);
  return out;
}

function concat<T extends Uint8Array | Uint32Array>(type: { new (length: number): T }, head: T | undefined, tail: T): T {
  if (!head) return tail.slice() as T;
  const out = new type(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
