// A root holding a link to a folder outside it, through ApiService with real workers: the
// link is named once and never listed, and a hash request naming a path through it fails for
// that path alone, never for its whole batch (which left "N to hash" on screen forever).
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FileEvent, WatchedRoot } from '../src-core/api';
import type { HashOutcome } from '../src-core/fingerprint';
import { builtWorkerPath, forkWorkerFactory } from '../src-main/hash/fork-worker';
import { ApiService } from '../src-main/library/api-service';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const root = tempDir('doppel-linked-root-');
const outside = tempDir('doppel-linked-outside-');
const emitted: Array<{ event: string; payload: unknown }> = [];
let service: ApiService;
let watched: WatchedRoot;

beforeAll(async () => {
  copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), join(root, 'home.jpg'));
  mkdirSync(join(outside, 'trip'));
  copyFileSync(join(BENCH_ORIGINALS, 'mate_Garden.jpg'), join(outside, 'trip', 'away.jpg'));
  symlinkSync(join(outside, 'trip'), join(root, 'linked'));
  service = new ApiService({
    createWorker: forkWorkerFactory(builtWorkerPath()),
    appInfo: { version: 'test', host: 'browser', platform: process.platform, initialRoots: [] },
    emit: (event, payload) => void emitted.push({ event, payload }),
  });
  watched = (await service.call('watchRoot', [root])) as WatchedRoot;
});
afterAll(() => service.close());

const events = () => emitted.flatMap((e) => (e.event === 'fileEvents' ? (e.payload as FileEvent[]) : []));
const outcomes = () => emitted.flatMap((e) => (e.event === 'hashResults' ? (e.payload as HashOutcome[]) : []));
const outcomeOf = (path: string) => outcomes().find((o) => (o.ok ? o.fingerprint.path : o.path) === path);

describe('a linked folder leading out of a root', () => {
  it('is named once with the reason, and none of its photos is listed', async () => {
    await vi.waitFor(() => expect(events().some((e) => e.type === 'ready')).toBe(true));
    const listed = events().flatMap((e) => (e.type === 'add' ? [e.file.path] : []));
    expect(listed).toEqual([join(root, 'home.jpg')]);
    const skipped = events().filter((e) => e.type === 'skipped');
    expect(skipped).toEqual([{ type: 'skipped', root, path: join(root, 'linked'), reason: expect.stringMatching(/outside this watched folder.*not scanned/) }]);
    // A page that opens later is told too.
    expect(watched.skipped).toEqual([{ path: join(root, 'linked'), reason: skipped[0]!.type === 'skipped' ? skipped[0]!.reason : '' }]);
  });

  it('fails a hash request for a path through it alone: the rest of the batch is hashed', async () => {
    const inside = join(root, 'home.jpg');
    const through = join(root, 'linked', 'away.jpg');
    await service.call('hash', [[through, inside]]);
    await vi.waitFor(() => expect(outcomeOf(inside)).toBeDefined(), { timeout: 30_000 });
    expect(outcomeOf(inside)).toMatchObject({ ok: true });
    expect(outcomeOf(through)).toEqual({ ok: false, path: through, error: { kind: 'outside', message: expect.stringContaining('not inside a watched folder') } });
  });
});
