// Multi-index hashing (Norouzi et al.): every pair of images within Hamming distance R, without
// comparing all pairs.
//
// The hash is cut into m = ⌊R/2⌋+1 chunks. If two hashes differ in at most R bits, then by the
// pigeonhole principle some chunk differs in at most ⌊R/m⌋ ≤ 1 bit. So each chunk gets a table
// from chunk value to images, and a query looks up, per chunk, its own value and the b values
// one bit away. Every pair within R is found (tested against brute force); what is looked up
// but farther than R is discarded after a word or two of XOR/popcount.
//
// Variants: every variant (the 8 PDQ dihedral hashes) of every image is indexed and each
// image's original is looked up, so a pair counts when any variant of either image is within R
// of the other's original. Indexing variants rather than querying them costs the same
// comparisons but 8× fewer table look-ups, which are the cache misses.
import { boundedDistance, codeOffset, pairDistance, variantDistance, type HashCodes } from './hash-codes';

/** Chunk tables are addressed directly (2^bits entries): 22 bits = 16 MB per chunk. */
const MAX_CHUNK_BITS = 22;

interface Chunk {
  /** First bit (bit k is bit k%32 of word ⌊k/32⌋) and width; a chunk may straddle two words. */
  start: number;
  bits: number;
  /** CSR table: entries (image × variants + variant) whose hash has chunk value k are
   *  entries[offsets[k] .. offsets[k+1]). */
  offsets: Int32Array;
  entries: Int32Array;
}

export type PairCallback = (i: number, j: number, distance: number) => void;

function chunkValue(data: Uint32Array, offset: number, start: number, bits: number): number {
  const word = start >>> 5;
  const shift = start & 31;
  let value = data[offset + word]! >>> shift;
  if (shift + bits > 32) value |= data[offset + word + 1]! << (32 - shift);
  return (value & ((1 << bits) - 1)) >>> 0;
}

export class MultiIndex {
  readonly chunkCount: number;
  private readonly chunks: Chunk[] = [];

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
      this.chunks.push(this.buildChunk(start, bits));
      start += bits;
    }
  }

  /** The bit range [start, start + bits) of each chunk (for worst-case tests). */
  chunkRanges(): Array<{ start: number; bits: number }> {
    return this.chunks.map(({ start, bits }) => ({ start, bits }));
  }

  private buildChunk(start: number, bits: number): Chunk {
    const { count, data, words, variants } = this.codes;
    const entryCount = count * variants;
    const offsets = new Int32Array((1 << bits) + 1);
    const keys = new Int32Array(entryCount);
    for (let e = 0; e < entryCount; e++) {
      keys[e] = chunkValue(data, e * words, start, bits);
      offsets[keys[e]! + 1]!++;
    }
    for (let k = 0; k < 1 << bits; k++) offsets[k + 1]! += offsets[k]!;
    const fill = offsets.slice(0, -1);
    const entries = new Int32Array(entryCount);
    for (let e = 0; e < entryCount; e++) entries[fill[keys[e]!]!++] = e;
    return { start, bits, offsets, entries };
  }

  /**
   * Calls `onPair(i, j, distance)` exactly once for every pair i < j whose pair distance is at
   * most the radius. `first`/`end` restrict the query side, so callers can split the work
   * across threads; the union over a partition of [0, count) is every pair.
   */
  forEachPair(onPair: PairCallback, first = 0, end = this.codes.count): void {
    const { radius, codes } = this;
    const { data, words, variants } = codes;
    // decided[j] = the last query that settled image j, so an image found through several
    // chunks or variants is compared once per query.
    const decided = new Int32Array(codes.count).fill(-1);
    for (let i = first; i < end; i++) {
      const query = codeOffset(codes, i, 0);
      for (const chunk of this.chunks) {
        const { offsets, entries, bits } = chunk;
        const key = chunkValue(data, query, chunk.start, bits);
        for (let flip = -1; flip < bits; flip++) {
          const probe = flip < 0 ? key : key ^ (1 << flip);
          for (let p = offsets[probe]!, e = offsets[probe + 1]!; p < e; p++) {
            const entry = entries[p]!;
            const j = (entry / variants) | 0;
            if (decided[j] === i || j === i) continue;
            if (boundedDistance(data, query, entry * words, words, radius) > radius) continue;
            decided[j] = i;
            this.report(i, j, onPair);
          }
        }
      }
    }
  }

  /** i's query found j (a variant of j is within R of i's original). Each pair is reported
   *  once: from the smaller index, or from the larger when the smaller's query cannot see it. */
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
