// A network drive simulated by a slow reader (every read waits, fault injection in the hash
// workers): its files are read one at a time while a local folder uses every worker, and
// everything gets hashed; candidate pairs are verified only once hashing is done.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HashOutcome } from '../src-core/fingerprint';
import type { PairCheck } from '../src-core/verify/verified-pairs';
import { builtWorkerPath, forkWorkerFactory } from '../src-main/hash/fork-worker';
import { ApiService } from '../src-main/library/api-service';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const nas = tempDir('doppel-nas-');
const local = tempDir('doppel-local-');
const outcomes: HashOutcome[] = [];
let service: ApiService;

beforeAll(async () => {
  for (let k = 0; k < 5; k++) {
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_pool.jpg'), join(nas, `nas-${k}.jpg`));
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), join(local, `local-${k}.jpg`));
  }
  service = new ApiService({
    createWorker: forkWorkerFactory(builtWorkerPath(), { env: { ...process.env, DOPPEL_TEST_READ_DELAY_MS: '150' } }),
    appInfo: { version: 'test', host: 'browser', platform: process.platform, initialRoots: [] },
    emit: (event, payload) => {
      if (event === 'hashResults') outcomes.push(...(payload as HashOutcome[]));
    },
    resultBatchMs: 20,
  });
  await service.call('watchRoot', [nas, { networkDrive: true }]);
  await service.call('watchRoot', [local, { networkDrive: false }]);
});
afterAll(() => service.close());

/** Hashes `paths`, sampling the files in flight per root until every outcome is in. */
async function hashSampling(paths: string[]): Promise<Map<string, number>> {
  const most = new Map<string, number>();
  const before = outcomes.length;
  await service.call('hash', [paths]);
  while (outcomes.length < before + paths.length) {
    for (const [root, n] of service.hashingByRoot()) most.set(root, Math.max(most.get(root) ?? 0, n));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return most;
}

describe('a slow network drive', () => {
  it('is read one file at a time, while a local folder fills the pool', async () => {
    const nasFiles = Array.from({ length: 5 }, (_, k) => join(nas, `nas-${k}.jpg`));
    const localFiles = Array.from({ length: 5 }, (_, k) => join(local, `local-${k}.jpg`));
    expect((await hashSampling(nasFiles)).get(nas)).toBe(1);
    // A local folder is not limited (so the limit above is real): its files fill the pool.
    expect((await hashSampling(localFiles)).get(local)).toBeGreaterThan(1);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    expect(service.progress()).toMatchObject({ queued: 0, running: 0 });
  });
});

describe('verification while hashing', () => {
  it('waits until every file asked for is hashed', async () => {
    const paths = Array.from({ length: 5 }, (_, k) => join(nas, `nas-${k}.jpg`));
    const before = outcomes.length;
    await service.call('hash', [paths]);
    // Two copies of one photo, hashed by the test before.
    const image = (name: string) => {
      const path = join(local, name);
      const outcome = outcomes.find((o) => o.ok && o.fingerprint.path === path);
      return { path, digest: outcome?.ok ? outcome.fingerprint.digest : '' };
    };
    const pair = { a: image('local-0.jpg'), b: image('local-1.jpg') };
    const checks = (await service.call('verifyPairs', [[pair]])) as Array<PairCheck | { error: string }>;
    // Every one of the slow drive's files (150 ms a read, one at a time) was in before the pair.
    expect(outcomes.length - before).toBe(5);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toHaveProperty('match', true);
  });
});
