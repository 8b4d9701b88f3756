/** mulberry32: a small seeded PRNG with good bits throughout, for synthetic test data and
 *  benchmarks (an LCG's low bits repeat with short periods and skew hash buckets). Returns
 *  uint32 values. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}
