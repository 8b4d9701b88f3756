// bench:accuracy on a set with a collage (as held-out 2 has): the collage is its own group, never a
// duplicate of the photos inside it, and the (collage, photo) pairs are scored on their own.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDevSet } from '../bench/accuracy/devset';
import { evaluate } from '../bench/accuracy/metrics';
import { reportedContains } from '../bench/accuracy/verification';
import type { PairDecision } from '../src-core/verify/verified-pairs';
import { tempDir } from './helpers';

const truth = {
  files: [
    { file: 'images/img_0001.jpg', group: 'lake', transform: 'original' },
    { file: 'images/img_0002.jpg', group: 'lake', transform: 'crop-70-80' },
    { file: 'images/img_0003.jpg', group: 'cups', transform: 'original' },
    { file: 'images/img_0004.jpg', group: 'collage-1', transform: 'original', contains: ['lake', 'cups'] },
  ],
  groups: { lake: { role: 'query' }, cups: { role: 'query' }, 'collage-1': { role: 'collage' } },
  hardNegativePairs: [],
};

function loadSet() {
  const dir = join(tempDir(), 'collages');
  mkdirSync(dir);
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth));
  const cache = truth.files.map((f, i) => JSON.stringify({ path: join(dir, f.file), digest: `d${i}`, embedding: 'AAAA' }));
  writeFileSync(`${dir}-fingerprints.jsonl`, cache.join('\n') + '\n');
  // Older truth.json: the cache is read rather than remade with the built CLI.
  utimesSync(join(dir, 'truth.json'), new Date('2024-01-01'), new Date('2024-01-01'));
  return loadDevSet(dir, false);
}

describe('a collage in a set', () => {
  it('is its own group and lists the groups inside it', () => {
    const set = loadSet();
    expect(set.isCollage).toEqual([false, false, true]);
    expect(set.contains).toEqual([
      [3, 0],
      [3, 1],
    ]);
    expect(set.positivePairs).toBe(1); // only the lake's original and its crop
  });

  it('grouped with a photo inside it is a false pair and a contains violation', () => {
    const set = loadSet();
    const together = evaluate(set, Int32Array.from([0, 0, 1, 0]), 0.8);
    expect(together.contains).toEqual({ pairs: 2, sameGroup: 1, reported: undefined });
    expect(together.falsePairs).toBe(2);
    expect(together.precision).toBeCloseTo(1 / 3);

    const apart = evaluate(set, Int32Array.from([0, 0, 1, 2]), 0.8);
    expect(apart.contains.sameGroup).toBe(0);
    expect(apart.precision).toBe(1);
    expect(apart.recall).toBe(1);
  });

  it('scores the verifier\'s "contains" verdicts: a collage holding a photo of a group it contains is found, a group it does not contain is false', () => {
    const set = loadSet();
    // Digests are d<file index> (loadSet's cache); a < b in each verdict, as the verifier orders them.
    const verdict = (a: number, b: number, contains?: 'a' | 'b'): PairDecision => ({
      a: `d${a}`,
      b: `d${b}`,
      match: false,
      score: 0.9,
      edits: [],
      signals: ['pdq-loose'],
      ...(contains ? { contains } : {}),
    });
    const verdicts = [
      verdict(0, 3, 'b'), // the collage holds the lake's original: found
      verdict(2, 3), // aligned but no contains: not reported
      verdict(1, 3, 'b'), // the lake's crop inside the collage: the same (collage, lake) pair, counted once
      verdict(0, 1, 'a'), // the lake's original "holding" its crop: not a collage relation
      verdict(2, 3, 'a'), // the cups photo holding the collage: the wrong way round
    ];
    const scored = evaluate(set, Int32Array.from([0, 0, 1, 2]), 0.8, reportedContains(set, verdicts)).contains;
    expect(scored).toEqual({ pairs: 2, sameGroup: 0, reported: 1, falseContains: 2 });
  });
});
