// LibraryService file actions across windows: each window's request is checked and carried out
// before the next one's is checked, so two windows cannot delete both copies of a pair.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult, TrashItem } from '../src-core/api';
import { builtWorkerPath, forkWorkerFactory } from '../src-main/hash/fork-worker';
import { LibraryService } from '../src-main/library/service';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const root = tempDir('doppel-service-root-');
const dataHome = tempDir('doppel-service-xdg-');
let service: LibraryService;

beforeAll(async () => {
  process.env.XDG_DATA_HOME = dataHome;
  service = new LibraryService({
    createWorker: forkWorkerFactory(builtWorkerPath()),
    appInfo: { version: 'test', host: 'browser', platform: process.platform, initialRoots: [] },
    emit: () => undefined,
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
    keep: [{ path: keep, size: kept.size, mtimeMs: kept.mtimeMs }],
  };
}

describe('LibraryService file actions', () => {
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
});
