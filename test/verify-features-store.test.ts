// The app's verification features in its data folder, through real worker processes (the built
// worker, DOPPEL_THUMBNAIL_DIR set as the app sets it): the first run stores one file per image
// beside the thumbnails; after a restart of the workers the same pairs get the same verdicts
// from the stored files, and damaged files are detected again instead of failing a pair.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VerifyImage } from '../src-core/hash-protocol';
import type { PairCheck } from '../src-core/verify/verified-pairs';
import { forkWorkerFactory } from '../src-main/hash/fork-worker';
import { WorkerPool } from '../src-main/hash/pool';
import { makeEditedCopies } from './edited-copies';
import { tempDir } from './helpers';

describe('verification features kept in the data folder', () => {
  const home = tempDir('doppel-features-store-');
  const [library, thumbnails, features] = [join(home, 'library'), join(home, 'data', 'thumbnails'), join(home, 'data', 'features')];
  const image = (name: string): VerifyImage => ({ path: join(library, name), digest: createHash('sha256').update(readFileSync(join(library, name))).digest('hex') });
  let pairs: Array<{ a: VerifyImage; b: VerifyImage }>;

  beforeAll(async () => {
    mkdirSync(library, { recursive: true });
    await makeEditedCopies(library);
    const [pool, crop, straightened, later, garden] = ['pool.jpg', 'pool-crop.jpg', 'pool-straightened.jpg', 'pool-a-moment-later.jpg', 'garden.jpg'].map(image) as [VerifyImage, VerifyImage, VerifyImage, VerifyImage, VerifyImage];
    pairs = [{ a: pool, b: crop }, { a: pool, b: straightened }, { a: crop, b: straightened }, { a: pool, b: later }, { a: pool, b: garden }];
  }, 60_000);

  async function verifyInFreshWorkers(): Promise<Array<PairCheck | { error: string }>> {
    // One worker: which images' mirrors a run adds to the store does not depend on scheduling.
    const pool = new WorkerPool({ createWorker: forkWorkerFactory(undefined, { env: { ...process.env, DOPPEL_THUMBNAIL_DIR: thumbnails } }), size: 1 });
    try {
      return await pool.verifyPairs(pairs, [library]);
    } finally {
      await pool.close();
    }
  }
  const verdicts = (checks: Array<PairCheck | { error: string }>) => checks.map((c) => ('error' in c ? c : { ...c, ms: 0 }));

  it('stores each image once, gives the same verdicts after a restart, and re-detects damaged files', async () => {
    const first = await verifyInFreshWorkers();
    expect(first.map((c) => ('match' in c ? c.match : c))).toEqual([true, true, true, false, false]);
    const stored = readdirSync(features).filter((name) => name.endsWith('.features'));
    expect(stored.sort()).toEqual([...new Set(pairs.flatMap((p) => [p.a.digest, p.b.digest]))].map((d) => `${d}.features`).sort());

    // A file is replaced (new inode) whenever features are detected: none is, after a restart.
    const inodes = () => stored.map((name) => statSync(join(features, name)).ino);
    const before = inodes();
    expect(verdicts(await verifyInFreshWorkers())).toEqual(verdicts(first));
    expect(inodes()).toEqual(before);

    truncateSync(join(features, stored[0]!), 100);
    writeFileSync(join(features, stored[1]!), 'not features');
    expect(verdicts(await verifyInFreshWorkers())).toEqual(verdicts(first));
    expect(readFileSync(join(features, stored[1]!)).length).toBeGreaterThan(1000);
  }, 120_000);
});
