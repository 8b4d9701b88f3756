// The pair search split across real worker threads finds exactly what one thread finds.
import { describe, expect, it } from 'vitest';
import { searchPairsHere } from '../src-core/grouping/pipeline';
import { seededRandom } from '../src-core/random';
import { allocateHashCodes } from '../src-core/similarity/hash-codes';
import type { PairArrays } from '../src-core/similarity/pair-buffer';
import { searchPairsInWorkers } from '../src-main/cluster/parallel-pairs';

function pairSet(pairs: PairArrays): string[] {
  return Array.from({ length: pairs.count }, (_, k) => `${pairs.first[k]},${pairs.second[k]},${pairs.distance[k]}`).sort();
}

describe('searchPairsInWorkers', () => {
  it('equals the single-thread search, with 2 and 3 threads', async () => {
    const next = seededRandom(99);
    const codes = allocateHashCodes(3000, 8, 8);
    for (let k = 0; k < codes.data.length; k++) codes.data[k] = next();
    // Near copies: image 2k+1 is image 2k with a few bits flipped.
    for (let i = 0; i < 1000; i += 2) {
      codes.data.copyWithin((i + 1) * 64, i * 64, i * 64 + 8);
      codes.data[(i + 1) * 64 + (i % 8)]! ^= 0b1011 << (i % 20);
    }
    const here = pairSet(searchPairsHere(codes, 25));
    expect(here.length).toBeGreaterThanOrEqual(500);
    expect(pairSet(await searchPairsInWorkers(codes, 25, 2, 0))).toEqual(here);
    expect(pairSet(await searchPairsInWorkers(codes, 25, 3, 0))).toEqual(here);
  });
});
