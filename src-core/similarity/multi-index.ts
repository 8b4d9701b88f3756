// Multi-index hashing (Norouzi et al.): every pair of images within Hamming distance R, without
// comparing all pairs.
//
// The hash is cut into m = ⌊R/2⌋+1 chunks. If two hashes differ in at most R bits, then by the
// pigeonhole principle some chunk differs in at most ⌊R/m⌋ ≤ 1 bit. So per chunk, images are
// bucketed by chunk value, and each image meets the images in its own bucket and in the b
// buckets one bit away. Every pair within R is found (tested against brute force, worst cases
// included); what meets but is farther than R is discarded after a 64-bit filter.
//
// Variants: every variant (the 8 PDQ dihedral hashes) of every image is bucketed, and each
// image's original meets them, so a pair counts when any variant of either image is within R of
// the other's original.
//
// Speed: chunks are processed one at a time, and within a chunk one bit-flip at a time over the
// buckets in order, so every table is read as a near-sequential sweep (random bucket look-ups
// were cache misses and cost 5× more). A pair meets in several chunks and variants; it is
// reported only at the first (variant, chunk) where it meets, which is decided from the hashes
// alone, so chunks can also be split across threads.
import { popcount32 } from '../hash/hamming';
import { boundedDistance, pairDistance, variantDistance, type HashCodes } from './hash-codes';

/** Chunk tables are addressed directly (2^bits buckets): ≤ 22 bits = ≤ 16 MB of offsets. */
const MAX_CHUNK_BITS = 22;

/** Hash words stored inline per entry as a filter: 96 bits let through ~1 in 10⁶ random
 *  meetings within R = 25 (64 bits let through 3%, each then a cache miss). */
const FILTER_WORDS = 3;

export type PairCallback = (i: number, j: number, distance: number) => void;

interface ChunkRange {
  start: number;
  bits: number;
}

function chunkValue(data: Uint32Array, offset: number, start: number, bits: number): number {
  const word = start >>> 5;
  const shift = start & 31;
  let value = data[offset + word]! >>> shift;
  if (shift + bits > 32) value |= data[offset + word + 1]! << (32 - shift);
  return (value & ((1 << bits) - 1)) >>> 0;
}

/** One chunk's buckets: entries (image × variants + variant) by chunk value, with filter
 *  words of each entry's hash stored alongside in bucket order. */
interface ChunkTable {
  offsets: Int32Array;
  entries: Int32Array;
  /** FILTER_WORDS words per entry: hash words outside the chunk (0 where the hash is shorter). */
  filter: Uint32Array;
}

export class MultiIndex {
  readonly chunkCount: number;
  private readonly chunks: ChunkRange[] = [];

  constructor(
    private readonly codes: HashCodes,
    readonly radius: number,
  ) {
    const totalBits = codes.words * 32;
    this.chunkCount = Math.floor(radius / 2) + 1;
    if (totalBits / this.chunkCount < 1) throw new RangeError(`radius ${radius} is too large for ${totalBits}-bit hashes`);
    // Split the bits as evenly as possible; bits past MAX_CHUNK_BITS per chunk are simply not
    // indexed (the pigeonhole argument holds on any subset of the bits).
    let start = 0;
    for (let c = 0; c < this.chunkCount; c++) {
      const bits = Math.min(MAX_CHUNK_BITS, Math.floor((totalBits - start) / (this.chunkCount - c)));
      this.chunks.push({ start, bits });
      start += bits;
    }
  }

  /** The bit range [start, start + bits) of each chunk (for worst-case tests). */
  chunkRanges(): ChunkRange[] {
    return this.chunks.map((c) => ({ ...c }));
  }

  private buildTable({ start, bits }: ChunkRange): ChunkTable {
    const { count, data, words, variants } = this.codes;
    const entryCount = count * variants;
    const offsets = new Int32Array((1 << bits) + 1);
    const keys = new Int32Array(entryCount);
    for (let e = 0; e < entryCount; e++) {
      keys[e] = chunkValue(data, e * words, start, bits);
      offsets[keys[e]! + 1]!++;
    }
    for (let k = 0; k < 1 << bits; k++) offsets[k + 1]! += offsets[k]!;
    // Place entries in bucket order, copying their filter words alongside (reading the hashes
    // in order; only the writes scatter). Filter words: the distinct words after the chunk's
    // last word (for 64-bit hashes, the whole hash and a zero word).
    const endWord = (start + bits - 1) >>> 5;
    const filterWords = Array.from({ length: Math.min(FILTER_WORDS, words) }, (_, k) => (endWord + 1 + k) % words);
    const fill = offsets.slice(0, -1);
    const entries = new Int32Array(entryCount);
    const filter = new Uint32Array(entryCount * FILTER_WORDS);
    for (let e = 0; e < entryCount; e++) {
      const p = fill[keys[e]!]!++;
      entries[p] = e;
      for (let k = 0; k < filterWords.length; k++) filter[p * FILTER_WORDS + k] = data[e * words + filterWords[k]!]!;
    }
    return { offsets, entries, filter };
  }

  /**
   * Calls `onPair(i, j, distance)` exactly once (i < j) for every pair whose pair distance is
   * at most the radius. `firstChunk`/`endChunk` restrict the work to some chunks, so callers can
   * split it across threads; the union over a partition of [0, chunkCount) is every pair.
   */
  forEachPair(onPair: PairCallback, firstChunk = 0, endChunk = this.chunkCount): void {
    const { radius } = this;
    const { data, words, variants } = this.codes;
    for (let c = firstChunk; c < endChunk; c++) {
      const { offsets, entries, filter } = this.buildTable(this.chunks[c]!);
      const buckets = offsets.length - 1;
      for (let flip = -1; flip < this.chunks[c]!.bits; flip++) {
        const mask = flip < 0 ? 0 : 1 << flip;
        for (let k = 0; k < buckets; k++) {
          const from = offsets[k]!;
          const to = offsets[k + 1]!;
          if (from === to) continue;
          const other = k ^ mask;
          const otherFrom = offsets[other]!;
          const otherTo = offsets[other + 1]!;
          for (let qp = from; qp < to; qp++) {
            const query = entries[qp]!;
            if (query % variants !== 0) continue; // originals query, every variant is met
            const q0 = filter[FILTER_WORDS * qp]!;
            const q1 = filter[FILTER_WORDS * qp + 1]!;
            const q2 = filter[FILTER_WORDS * qp + 2]!;
            for (let p = otherFrom; p < otherTo; p++) {
              // Filter words read in table order reject nearly every random meeting before the
              // hash (a cache miss away) is read. A subset's distance never exceeds the whole's.
              const f = FILTER_WORDS * p;
              if (popcount32(q0 ^ filter[f]!) + popcount32(q1 ^ filter[f + 1]!) + popcount32(q2 ^ filter[f + 2]!) > radius) continue;
              const entry = entries[p]!;
              if (entry - (entry % variants) === query) continue; // the image itself
              if (boundedDistance(data, query * words, entry * words, words, radius) > radius) continue;
              if (this.isFirstMeeting(query / variants, entry, c)) this.report(query / variants, (entry / variants) | 0, onPair);
            }
          }
        }
      }
    }
  }

  /** Image i's original meets entry (j, v) in chunk c within the radius. The same pair also
   *  meets through any earlier variant of j within the radius, and in any earlier chunk whose
   *  values differ in ≤ 1 bit: only the first such meeting counts. */
  private isFirstMeeting(i: number, entry: number, c: number): boolean {
    const { data, words, variants } = this.codes;
    const j = (entry / variants) | 0;
    const v = entry % variants;
    const query = i * variants * words;
    for (let earlier = 0; earlier < v; earlier++) {
      if (boundedDistance(data, query, (j * variants + earlier) * words, words, this.radius) <= this.radius) return false;
    }
    for (let earlier = 0; earlier < c; earlier++) {
      const { start, bits } = this.chunks[earlier]!;
      if (popcount32(chunkValue(data, query, start, bits) ^ chunkValue(data, entry * words, start, bits)) <= 1) return false;
    }
    return true;
  }

  /** i's original is within the radius of a variant of j. Each pair is reported once: from
   *  the smaller index, or from the larger when the smaller's original meets no variant. */
  private report(i: number, j: number, onPair: PairCallback): void {
    const toI = variantDistance(this.codes, j, i, this.radius);
    const toJ = variantDistance(this.codes, i, j, this.radius);
    if (i < j) onPair(i, j, Math.min(toI, toJ));
    else if (toJ > this.radius) onPair(j, i, toI);
  }
}

/** Every pair within `radius`, by comparing all pairs: the reference the index is tested against. */
export function bruteForcePairs(codes: HashCodes, radius: number, onPair: PairCallback): void {
  for (let i = 0; i < codes.count; i++) {
    for (let j = i + 1; j < codes.count; j++) {
      const d = pairDistance(codes, i, j, radius);
      if (d <= radius) onPair(i, j, d);
    }
  }
}
