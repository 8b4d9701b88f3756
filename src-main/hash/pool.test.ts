// WorkerPool failures name the job that failed (hash, verify or view of which files), with a
// fake worker in place of a process: no build, no decoding.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeWorkerFactory } from './fake-worker';
import { WorkerPool, type WorkerFactory } from './pool';

/** A worker that says ready, then dies (exit code 3) or never answers, on its first job. */
function fakeWorkers(onJob: 'crash' | 'hang'): WorkerFactory {
  return fakeWorkerFactory((request, worker) => {
    if (request.type !== 'usage' && request.type !== 'results-port' && onJob === 'crash') queueMicrotask(() => worker.exit(3));
  });
}

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool job failures', () => {
  it('says which hash, verify or view job the crashed worker was running', async () => {
    pool = new WorkerPool({ createWorker: fakeWorkers('crash'), size: 1 });
    const hashed = await pool.hash('/photos/a.jpg');
    expect(hashed).toMatchObject({ ok: false, path: '/photos/a.jpg', error: { kind: 'crashed' } });
    expect(!hashed.ok && hashed.error.message).toBe('the worker crashed during the hash of /photos/a.jpg (exit code 3); other jobs are unaffected');
    expect(await pool.verify({ path: '/photos/a.jpg', digest: 'a' }, { path: '/photos/b.jpg', digest: 'b' })).toEqual({
      error: 'the worker crashed during the verify of /photos/a.jpg and /photos/b.jpg (exit code 3); other jobs are unaffected',
    });
    expect(await pool.renderView('/photos/c.heic', 'c', '/views/c.jpg')).toEqual({
      error: { kind: 'crashed', message: 'the worker crashed during the view of /photos/c.heic (exit code 3); other jobs are unaffected' },
    });
  });

  it('names the job that timed out', async () => {
    pool = new WorkerPool({ createWorker: fakeWorkers('hang'), size: 1, jobTimeoutMs: 20 });
    const hashed = await pool.hash('/photos/slow.tif');
    expect(hashed).toMatchObject({ ok: false, error: { kind: 'timeout', message: 'the hash of /photos/slow.tif took longer than 0 s; the worker was restarted' } });
  });

  it('names the jobs cancelled before they started', async () => {
    pool = new WorkerPool({ createWorker: fakeWorkers('hang'), size: 1 });
    pool.pause();
    const queued = pool.hash('/photos/later.jpg');
    pool.cancel();
    expect(await queued).toMatchObject({ ok: false, error: { kind: 'cancelled', message: 'the hash of /photos/later.jpg was cancelled before it started' } });
  });
});
