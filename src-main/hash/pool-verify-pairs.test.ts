// WorkerPool.verifyPairs with fake workers: pairs sharing images reach one worker together,
// answers come back in the caller's order, and a crash costs only the pairs of its batch.
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifyImage } from '../../src-core/hash-protocol';
import type { PairCheck } from '../../src-core/verify/verified-pairs';
import { fakeWorkerFactory } from './fake-worker';
import { WorkerPool, type WorkerFactory } from './pool';

/** Workers that answer each pair with its two digests in `edits`, record the batches they are
 *  sent (as lists of digests), and crash on a batch holding the image 'boom'. */
function recordingWorkers(batches: string[][]): WorkerFactory {
  return fakeWorkerFactory((request, worker) => {
    if (request.type !== 'verify-batch') return;
    const images = request.pairs.flatMap(({ a, b }) => [a.digest, b.digest]);
    batches.push(images);
    if (images.includes('boom')) return queueMicrotask(() => worker.exit(3));
    const checks = request.pairs.map(({ a, b }) => ({ match: true, score: 1, edits: [a.digest, b.digest] }) as unknown as PairCheck);
    setTimeout(() => worker.reply({ type: 'verdicts', id: request.id, checks }), 1);
  });
}

const image = (digest: string): VerifyImage => ({ path: `/photos/${digest}.jpg`, digest });
const pair = (a: string, b: string) => ({ a: image(a), b: image(b) });

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool.verifyPairs', () => {
  it('sends pairs to a worker in batches that share images, and answers in the order asked', async () => {
    const batches: string[][] = [];
    pool = new WorkerPool({ createWorker: recordingWorkers(batches), size: 2 });
    // Two originals with two copies each, interleaved: 6 pairs, batches of 2 (two per worker).
    const pairs = [pair('x', 'x1'), pair('y', 'y1'), pair('x', 'x2'), pair('y1', 'y2'), pair('x1', 'x2'), pair('y', 'y2')];
    const checks = await pool.verifyPairs(pairs);
    expect(checks.map((c) => ('edits' in c ? c.edits : c))).toEqual(pairs.map(({ a, b }) => [a.digest, b.digest]));
    // Batches of 2 (two per worker); none mixes the two originals' copies.
    expect(batches).toHaveLength(4);
    for (const images of batches) expect(new Set(images.map((digest) => digest[0])).size).toBe(1);
    expect(batches.flat()).toHaveLength(12);
  });

  it('gives an error for the pairs of a batch whose worker crashed, and verdicts for the others', async () => {
    pool = new WorkerPool({ createWorker: recordingWorkers([]), size: 1 });
    // Batches of 2: p's pairs together, the crashing image alone.
    const checks = await pool.verifyPairs([pair('p', 'q'), pair('boom', 'z'), pair('p', 'r')]);
    expect(checks[1]).toEqual({ error: expect.stringMatching(/^the worker crashed during the verify of \/photos\/boom\.jpg and \/photos\/z\.jpg/) });
    expect(checks.filter((c) => 'error' in c)).toHaveLength(1);
  });
});
