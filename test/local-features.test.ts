// Local features (Fingerprint.orb, orbMirrored) come from the built hash worker only for the
// jobs that ask: `doppel scan` while the listing is within the features signal's limit.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HashOutcome } from '../src-core/fingerprint';
import { hashAll } from '../src-main/cli/hash-command';
import { forkWorkerFactory } from '../src-main/hash/fork-worker';
import { WorkerPool } from '../src-main/hash/pool';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const PHOTO = join(BENCH_ORIGINALS, 'kpa_pool.jpg');

describe('local features in hash jobs', () => {
  it('the worker computes them only for a job that asks', async () => {
    const pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: 1 });
    try {
      const [plain, withFeatures] = [await pool.hash(PHOTO, 'product'), await pool.hash(PHOTO, 'product', { localFeatures: true })];
      expect(plain.ok && plain.fingerprint).not.toHaveProperty('orb');
      expect(withFeatures.ok && [withFeatures.fingerprint.orb, withFeatures.fingerprint.orbMirrored]).toEqual([expect.any(String), expect.any(String)]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('hashAll asks for them while no more files than the limit are listed', async () => {
    const dir = tempDir();
    // Different photos: a copy of one would take its fingerprint, features and all (same-pixels.ts).
    for (const name of ['kpa_bar55.jpg', 'kpa_blackie.jpg', 'kpa_donna.jpg']) copyFileSync(join(BENCH_ORIGINALS, name), join(dir, name));
    const outcomes: HashOutcome[] = [];
    await hashAll([dir], 'product', 1, (outcome) => outcomes.push(outcome), undefined, { localFeaturesUpTo: 2 });
    const withOrb = outcomes.flatMap((o) => (o.ok && o.fingerprint.orb ? [o.fingerprint.path] : []));
    expect(outcomes).toHaveLength(3);
    expect(withOrb.sort()).toEqual(['kpa_bar55.jpg', 'kpa_blackie.jpg'].map((name) => join(dir, name)));
  }, 60_000);
});
