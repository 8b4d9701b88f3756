// ApiService across windows: file actions are checked and carried out one request at a
// time (two windows cannot delete both copies of a pair); a path asked for twice is hashed
// once; outcomes a worker delivered to the windows itself are not relayed again.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ActionResult, TrashItem } from '../src-core/api';
import type { HashOutcome } from '../src-core/fingerprint';
import type { HashWorkerResponse } from '../src-core/hash-protocol';
import type { WorkerFactory } from '../src-main/hash/pool';
import { builtWorkerPath, forkWorkerFactory } from '../src-main/hash/fork-worker';
import { ApiService } from '../src-main/library/api-service';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const root = tempDir('doppel-service-root-');
const dataHome = tempDir('doppel-service-xdg-');
let service: ApiService;
const emitted: Array<{ event: string; payload: unknown }> = [];

beforeAll(async () => {
  process.env.XDG_DATA_HOME = dataHome;
  service = new ApiService({
    createWorker: forkWorkerFactory(builtWorkerPath()),
    appInfo: { version: 'test', host: 'browser', platform: process.platform, initialRoots: [] },
    emit: (event, payload) => void emitted.push({ event, payload }),
    // The real freedesktop trash, slowed down (fault injection) so two requests overlap.
    moveToTrash: async (path) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const { default: trash } = await import('trash');
      await trash([path], { glob: false });
    },
  });
  await service.call('watchRoot', [root, { networkDrive: false }]);
});
afterAll(() => service.close());

function item(path: string, keep: string): TrashItem {
  const info = statSync(path);
  const kept = statSync(keep);
  return {
    file: { path, size: info.size, mtimeMs: info.mtimeMs, digest: createHash('sha256').update(readFileSync(path)).digest('hex') },
    keep: [{ path: keep, size: kept.size, mtimeMs: kept.mtimeMs, digest: createHash('sha256').update(readFileSync(keep)).digest('hex') }],
  };
}

describe('ApiService file actions', () => {
  it('two windows trashing one copy each, keeping the other: one goes, the last copy stays', async () => {
    const one = join(root, 'one.jpg');
    const two = join(root, 'two.jpg');
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), one);
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), two);
    const [first, second] = (await Promise.all([service.call('trash', [[item(one, two)]]), service.call('trash', [[item(two, one)]])])) as ActionResult[][];
    expect(first).toEqual([{ path: one, status: 'moved' }]);
    expect(second).toEqual([{ path: two, status: 'skipped', reason: 'no other copy of it would remain (never the last copy)' }]);
    expect(existsSync(one)).toBe(false);
    expect(existsSync(two)).toBe(true);
  });

  it('hashes a path asked for again while it is queued only once', async () => {
    const photo = join(root, 'asked-twice.jpg');
    copyFileSync(join(BENCH_ORIGINALS, 'mate_Garden.jpg'), photo);
    const jobsRun = () => service.progress().done + service.progress().failed;
    const jobsBefore = jobsRun();
    await Promise.all([service.call('hash', [[photo]]), service.call('hash', [[photo]])]);
    // Nothing waits or runs any more: every job the two calls made has finished.
    await vi.waitFor(() => expect(service.progress()).toMatchObject({ queued: 0, running: 0 }), { timeout: 20_000 });
    expect(jobsRun() - jobsBefore).toBe(1);
    const outcomesFor = () => emitted.flatMap((e) => (e.event === 'hashResults' ? (e.payload as HashOutcome[]) : [])).filter((o) => (o.ok ? o.fingerprint.path : o.path) === photo);
    await vi.waitFor(() => expect(outcomesFor()).toHaveLength(1), { timeout: 5000 });
  });
});

describe('ApiService with workers that deliver to the windows (desktop app)', () => {
  it('relays only what no worker delivered: a crash, not the delivered outcomes', async () => {
    const events: Array<{ event: string; payload: unknown }> = [];
    // The utility-process edge, faked: every job is delivered straight to the windows, except
    // that the worker dies on crash.jpg.
    const createWorker: WorkerFactory = () => {
      let onMessage: (m: HashWorkerResponse) => void = () => undefined;
      let onExit: (code: number | null) => void = () => undefined;
      return {
        send: (request) => {
          if (request.type !== 'hash') return;
          if (request.path.endsWith('crash.jpg')) setTimeout(() => onExit(139), 5);
          else setTimeout(() => onMessage({ type: 'result', id: request.id, outcome: { ok: false, path: request.path, error: { kind: 'corrupt', message: 'x' } }, delivered: true }), 5);
        },
        onMessage: (listener) => {
          onMessage = listener;
          setTimeout(() => listener({ type: 'ready' }), 1);
        },
        onExit: (listener) => (onExit = listener),
        kill: () => undefined,
      };
    };
    // Results relayed one by one, as each job ends: once all have ended, all are relayed.
    const desktop = new ApiService({ createWorker, appInfo: { version: 'test', host: 'electron', platform: process.platform, initialRoots: [] }, emit: (event, payload) => void events.push({ event, payload }), resultBatchSize: 1 });
    try {
      const dir = tempDir('doppel-service-desktop-');
      await desktop.call('watchRoot', [dir, { networkDrive: false }]);
      const paths = ['a.jpg', 'b.jpg', 'crash.jpg'].map((name) => join(dir, name));
      await desktop.call('hash', [paths]);
      const relayed = () => events.flatMap((e) => (e.event === 'hashResults' ? (e.payload as HashOutcome[]) : []));
      await vi.waitFor(() => expect(desktop.progress()).toMatchObject({ done: 0, failed: 3, queued: 0, running: 0 }), { timeout: 5000 });
      expect(relayed()).toEqual([{ ok: false, path: paths[2], error: { kind: 'crashed', message: expect.stringContaining('crashed') } }]);
    } finally {
      await desktop.close();
    }
  });
});
