// bench:accuracy's loader on a set in a folder of its own (as the held-out set is): its ground truth
// indexed, its fingerprints read from its own cache beside the folder, never another set's.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDevSet } from '../bench/accuracy/devset';
import { tempDir } from './helpers';

const truth = {
  files: [
    { file: 'images/img_0001.jpg', group: 'lake', transform: 'social' },
    { file: 'images/img_0002.jpg', group: 'cups', transform: 'original' },
    { file: 'images/img_0003.jpg', group: 'lake', transform: 'original' },
    { file: 'images/img_0004.png', group: 'lake', transform: 'screenshot' },
  ],
  groups: { lake: { role: 'query' }, cups: { role: 'distractor' } },
  hardNegativePairs: [{ a: 'cups', b: 'lake' }],
};

function makeSet(): string {
  const dir = join(tempDir(), 'myset');
  mkdirSync(dir);
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth));
  const record = (file: string, digest: string) => JSON.stringify({ path: join(dir, file), digest, embedding: 'AAAA' });
  const cache = [record('images/img_0003.jpg', 'd3'), record('images/img_0001.jpg', 'd1'), JSON.stringify({ path: join(dir, 'images/img_0004.png'), error: 'unsupported' }), record('images/img_0002.jpg', 'd2')];
  writeFileSync(`${dir}-fingerprints.jsonl`, cache.join('\n') + '\n');
  // The cache is newer than truth.json, so it is read rather than remade with the built CLI.
  utimesSync(join(dir, 'truth.json'), new Date('2024-01-01'), new Date('2024-01-01'));
  return dir;
}

describe('loadDevSet on a folder', () => {
  it('indexes the truth and aligns the cached fingerprints with it', () => {
    const dir = makeSet();
    const set = loadDevSet(dir, false);
    expect(set.name).toBe('myset');
    expect(set.fingerprintCache).toBe(`${dir}-fingerprints.jsonl`);
    expect(set.verdictCache).toBe(`${dir}-verdicts.jsonl`);
    expect(set.groupNames).toEqual(['lake', 'cups']);
    expect(set.files.map((f) => f.group)).toEqual([0, 1, 0, 0]);
    expect(Array.from(set.originalOf)).toEqual([2, 1]);
    expect(set.isDistractor).toEqual([false, true]);
    expect(set.hardNegatives).toEqual([[1, 0]]);
    expect(set.positivePairs).toBe(3);
    expect(set.fingerprints.map((f) => f?.digest)).toEqual(['d1', 'd2', 'd3', undefined]);
    expect(set.hashErrors).toHaveLength(1);
    expect(set.transforms.map((t) => t.name).sort()).toEqual(['screenshot', 'social']);
  });

  it('refuses a folder without truth.json instead of generating into it', () => {
    expect(() => loadDevSet(tempDir(), false)).toThrow(/no truth\.json/);
  });
});
