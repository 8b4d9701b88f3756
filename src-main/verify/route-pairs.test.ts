import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src-core/random';
import { batchPairsByImage, lanes, MAX_BATCH, nextBatch } from './route-pairs';

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

  it('orders a cluster so that runs of consecutive pairs share few images', () => {
    // A chain of 64 images named in random order, its pairs shuffled: the two halves of the
    // batches should meet at about one image, as a chain cut in two does.
    const random = seededRandom(3);
    const names = Array.from({ length: 64 }, (_, i) => `${(random() % 1_000_000).toString(36)}-${i}`);
    const chain = names.slice(1).map((name, i): [string, string] => [names[i]!, name]);
    const shuffled = chain.map((p) => [random(), p] as const).sort((x, y) => x[0] - y[0]).map(([, p]) => p);
    const [first, second] = lanes(batchPairsByImage(shuffled, 2), 2).map((lane) => new Set(lane.flat().flatMap((i) => shuffled[i]!)));
    expect([...first!].filter((image) => second!.has(image)).length).toBeLessThanOrEqual(2);
  });
});

describe('lanes and nextBatch', () => {
  const batches = [[0, 1, 2], [3], [4, 5], [6, 7, 8, 9], [10], [11]];

  it('cuts the batches into consecutive runs of about equal pairs, each batch once', () => {
    const two = lanes(batches, 2);
    expect(two).toEqual([[[0, 1, 2], [3], [4, 5]], [[6, 7, 8, 9], [10], [11]]]);
    expect(lanes(batches, 1)).toEqual([batches]);
    expect(lanes([], 3)).toEqual([[], [], []]);
  });

  it("takes a lane's own batches first, then the last batch of the longest other lane", () => {
    const all = lanes(batches, 2);
    const [own, other] = all as [number[][], number[][]];
    const taken = [nextBatch(own, all), nextBatch(own, all), nextBatch(own, all), nextBatch(own, all), nextBatch(own, all)];
    expect(taken).toEqual([[0, 1, 2], [3], [4, 5], [11], [10]]);
    expect(other).toEqual([[6, 7, 8, 9]]);
    expect(nextBatch(other, all)).toEqual([6, 7, 8, 9]);
    expect(nextBatch(own, all)).toBeUndefined();
  });
});
