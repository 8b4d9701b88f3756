// WorkerPool with real worker processes: crashes, hangs, cancel, pause and back-pressure.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HashOutcome } from '../src-core/fingerprint';
import { forkWorkerFactory } from '../src-main/hash/fork-worker';
import { WorkerPool, type WorkerFactory } from '../src-main/hash/pool';
import { REFERENCE_IMAGES, tempDir } from './helpers';

const FAULTY_WORKER = fileURLToPath(new URL('./fixtures/faulty-worker.mjs', import.meta.url));
const SAMPLE = join(REFERENCE_IMAGES, 'threatexchange/reg-test-input/labelme-subset/q0291.jpg');

const dir = tempDir();
function sample(name: string): string {
  const path = join(dir, name);
  copyFileSync(SAMPLE, path);
  return path;
}

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/** The factory, and a promise that its first worker said ready (the pool hands it a job at once). */
function withFirstReady(createWorker: WorkerFactory): { createWorker: WorkerFactory; firstReady: Promise<void> } {
  let ready: () => void = () => undefined;
  const firstReady = new Promise<void>((resolve) => (ready = resolve));
  return {
    firstReady,
    createWorker: () => {
      const worker = createWorker();
      return {
        ...worker,
        onMessage: (listener) =>
          worker.onMessage((message) => {
            listener(message);
            if (message.type === 'ready') ready();
          }),
      };
    },
  };
}

function okPaths(outcomes: HashOutcome[]): string[] {
  return outcomes.filter((o) => o.ok).map((o) => (o.ok ? o.fingerprint.path : '')).sort();
}

describe('WorkerPool', () => {
  it('hashes files in parallel workers and counts them', async () => {
    pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: 2 });
    const paths = ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'].map(sample);
    const outcomes = await Promise.all(paths.map((p) => pool!.hash(p)));
    expect(okPaths(outcomes)).toEqual([...paths].sort());
    const digests = new Set(outcomes.map((o) => (o.ok ? o.fingerprint.digest : '')));
    expect(digests.size).toBe(1); // same bytes, same digest
    expect(pool.stats()).toMatchObject({ done: 4, failed: 0, queued: 0, running: 0 });
  });

  it('replaces a crashing worker; only the crashing job fails', async () => {
    pool = new WorkerPool({ createWorker: forkWorkerFactory(FAULTY_WORKER), size: 2 });
    const good = ['g1.jpg', 'g2.jpg', 'g3.jpg', 'g4.jpg', 'g5.jpg'].map(sample);
    const crash = sample('x__crash__.jpg');
    const outcomes = await Promise.all([good[0], crash, ...good.slice(1)].map((p) => pool!.hash(p!)));
    const failedOutcome = outcomes.find((o) => !o.ok);
    expect(failedOutcome).toMatchObject({ ok: false, path: crash, error: { kind: 'crashed' } });
    expect(okPaths(outcomes)).toEqual([...good].sort());
  });

  it('abandons a hung job after the timeout and keeps going', async () => {
    // The job timers on a fake clock: the hung job times out when the test moves it, the next never.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const workers = withFirstReady(forkWorkerFactory(FAULTY_WORKER));
      pool = new WorkerPool({ createWorker: workers.createWorker, size: 1, jobTimeoutMs: 3000 });
      const outcomes = Promise.all([pool.hash(sample('y__hang__.jpg')), pool.hash(sample('after-hang.jpg'))]);
      await workers.firstReady;
      vi.advanceTimersByTime(3000);
      const [hung, next] = await outcomes;
      expect(hung).toMatchObject({ ok: false, error: { kind: 'timeout' } });
      expect(next.ok).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('cancel drops queued jobs as cancelled while running ones finish', async () => {
    pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: 1 });
    const paths = ['c1.jpg', 'c2.jpg', 'c3.jpg', 'c4.jpg'].map(sample);
    const promises = paths.map((p) => pool!.hash(p));
    pool.cancel();
    const outcomes = await Promise.all(promises);
    const cancelled = outcomes.filter((o) => !o.ok && o.error.kind === 'cancelled');
    expect(cancelled.length).toBe(4); // none had started: the worker was still booting
    const again = await pool.hash(paths[0]!);
    expect(again.ok).toBe(true);
  });

  it('pause holds queued jobs until resume', async () => {
    pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: 1 });
    expect((await pool.hash(sample('p0.jpg'))).ok).toBe(true); // a worker ready and idle
    pool.pause();
    let settled = false;
    const promise = pool.hash(sample('p1.jpg')).then((o) => ((settled = true), o));
    await pool.workerPeakRss(); // a round trip to that worker: unpaused, it would be hashing p1 by now
    expect(settled).toBe(false);
    expect(pool.stats()).toMatchObject({ queued: 1, running: 0 });
    pool.resume();
    expect((await promise).ok).toBe(true);
  });

  it('applies back-pressure: whenRoom waits while the queue is full', async () => {
    pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: 1, maxQueued: 2 });
    pool.pause();
    const jobs = ['q1.jpg', 'q2.jpg'].map((n) => pool!.hash(sample(n)));
    let roomy = false;
    const room = pool.whenRoom().then(() => (roomy = true));
    await new Promise((resolve) => setImmediate(resolve)); // every callback already due has run
    expect(roomy).toBe(false);
    pool.resume();
    await room;
    expect(roomy).toBe(true);
    await Promise.all(jobs);
  });

  it('fails jobs clearly when the worker cannot start at all', async () => {
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, 'process.exit(1);\n');
    pool = new WorkerPool({ createWorker: forkWorkerFactory(broken), size: 1 });
    const outcome = await pool.hash(sample('never.jpg'));
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'crashed' } });
    expect(!outcome.ok && outcome.error.message).toMatch(/could not start/);
  });
});
