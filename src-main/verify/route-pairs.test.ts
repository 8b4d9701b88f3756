import { describe, expect, it } from 'vitest';
import { batchPairsByImage, MAX_BATCH } from './route-pairs';

describe('batchPairsByImage', () => {
  it('puts every pair in exactly one batch, and splits a cluster of images only as far as the batch size needs', () => {
    // Two clusters of copies given interleaved: an original with four copies, and another with two.
    const pairs: Array<[string, string]> = [
      ['a0', 'a1'], ['b0', 'b1'], ['a0', 'a2'], ['b1', 'b0x'], ['a3', 'a0'], ['a1', 'a2'], ['b0', 'b0x'], ['a0', 'a4'],
    ];
    // One worker: batches of 4 (half the pairs), so cluster a needs two batches and b one.
    const batches = batchPairsByImage(pairs, 1);
    expect(batches.flat().sort((x, y) => x - y)).toEqual(pairs.map((_, i) => i));
    const batchesHolding = (cluster: string) => batches.filter((batch) => batch.some((i) => pairs[i]![0].startsWith(cluster))).length;
    expect([batchesHolding('a'), batchesHolding('b')]).toEqual([2, 1]);
    expect(batches).toHaveLength(2);
  });

  it('makes batches small enough to keep every worker busy, and never bigger than MAX_BATCH', () => {
    // One image paired with 40 others: a star, one cluster.
    const star = Array.from({ length: 40 }, (_, i): [string, string] => ['hub', `leaf${i}`]);
    expect(batchPairsByImage(star, 4).map((b) => b.length)).toEqual([5, 5, 5, 5, 5, 5, 5, 5]);
    expect(Math.max(...batchPairsByImage(star, 1).map((b) => b.length))).toBe(MAX_BATCH);
    expect(batchPairsByImage([], 4)).toEqual([]);
  });
});
