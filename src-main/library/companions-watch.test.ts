// Companions are found while a folder is listed, with what they add, and a sidecar written
// beside a watched photo reports the photo changed (real chokidar, real files).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { FileEvent, FileSeen } from '../../src-core/api';
import { lightroomXmp, takeoutJson } from '../../src-core/companions/sidecar-fixtures';
import { FolderWatcher } from './watcher';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'doppel-companions-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const watchers: FolderWatcher[] = [];
afterEach(async () => Promise.all(watchers.splice(0).map((w) => w.close())));

function start(): { watcher: FolderWatcher; events: FileEvent[] } {
  const events: FileEvent[] = [];
  const watcher = new FolderWatcher((batch) => events.push(...batch), { batchMs: 20, stabilityMs: 100 });
  watchers.push(watcher);
  return { watcher, events };
}

const seen = (events: FileEvent[], path: string, type: 'add' | 'change' = 'add'): FileSeen | undefined =>
  events.flatMap((e) => (e.type === type && e.file.path === path ? [e.file] : [])).at(-1);

async function until<T>(what: string, check: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < 5000; waited += 25) {
    const value = check();
    if (value) return value;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('companions in the listing', () => {
  it('lists each photo with its XMP, Takeout JSON and Live Photo video, and a shared sidecar with both owners', async () => {
    const root = join(base, 'library');
    mkdirSync(root);
    const files: Record<string, string> = {
      'IMG_1.CR2': 'raw bytes',
      'IMG_1.JPG': 'jpeg bytes',
      'IMG_1.xmp': lightroomXmp({ rating: 3, keywords: ['harbour'] }),
      'IMG_2.jpg': 'jpeg',
      'IMG_2.jpg.supplemental-metadata.json': takeoutJson({ title: 'IMG_2.jpg', takenAt: new Date('2019-08-01T07:00:00Z'), latitude: 43.4, longitude: 3.7 }),
      'IMG_2(1).jpg': 'jpeg copy',
      'IMG_2.jpg(1).json': takeoutJson({ title: 'IMG_2(1).jpg', takenAt: new Date('2019-08-01T07:00:00Z') }),
      'IMG_3.HEIC': 'heic',
      'IMG_3.MOV': 'any bytes of a video',
      'package.json': '{"name":"not takeout"}',
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
    const { watcher, events } = start();
    await watcher.watch(root);
    await until('the scan', () => events.some((e) => e.type === 'ready'));

    const companionsOf = (name: string) => seen(events, join(root, name))?.companions?.map((c) => ({ name: c.path.slice(root.length + 1), kind: c.kind, sharedWith: c.sharedWith, adds: c.adds }));
    expect(companionsOf('IMG_1.CR2')).toEqual([{ name: 'IMG_1.xmp', kind: 'xmp', sharedWith: [join(root, 'IMG_1.JPG')], adds: { rating: 3, keywords: ['harbour'] } }]);
    expect(companionsOf('IMG_1.JPG')![0]!.sharedWith).toEqual([join(root, 'IMG_1.CR2')]);
    expect(companionsOf('IMG_2.jpg')).toEqual([{ name: 'IMG_2.jpg.supplemental-metadata.json', kind: 'takeout', sharedWith: undefined, adds: { dateTaken: '2019-08-01T07:00:00', gps: { latitude: 43.4, longitude: 3.7 } } }]);
    expect(companionsOf('IMG_2(1).jpg')!.map((c) => c.name)).toEqual(['IMG_2.jpg(1).json']);
    expect(companionsOf('IMG_3.HEIC')).toEqual([{ name: 'IMG_3.MOV', kind: 'live', sharedWith: undefined, adds: undefined }]);
    const mov = seen(events, join(root, 'IMG_3.HEIC'))!.companions![0]!;
    expect(mov.size).toBe(files['IMG_3.MOV']!.length);
    // Sidecars are not photos of their own.
    expect(events.some((e) => e.type === 'add' && /\.(xmp|json|MOV)$/.test(e.file.path))).toBe(false);
  });

  it('reports the photo changed when a sidecar is written beside it, with what it now adds', async () => {
    const root = join(base, 'live');
    mkdirSync(root);
    writeFileSync(join(root, 'DSC_7.NEF'), 'raw');
    const { watcher, events } = start();
    await watcher.watch(root);
    await until('the scan', () => events.some((e) => e.type === 'ready'));
    expect(seen(events, join(root, 'DSC_7.NEF'))!.companions).toBeUndefined();

    writeFileSync(join(root, 'DSC_7.NEF.xmp'), lightroomXmp({ rating: 5, exposure: '+1.00' }));
    const changed = await until('the change', () => seen(events, join(root, 'DSC_7.NEF'), 'change'));
    expect(changed.companions!.map((c) => [c.kind, c.adds])).toEqual([['xmp', { rating: 5, edits: 'exposure' }]]);
  });

  it('shares a sidecar with a photo added beside it, and stops sharing it when that photo goes', async () => {
    const root = join(base, 'pair');
    mkdirSync(root);
    writeFileSync(join(root, 'IMG_4.CR2'), 'raw');
    writeFileSync(join(root, 'IMG_4.xmp'), lightroomXmp({ rating: 2 }));
    const { watcher, events } = start();
    await watcher.watch(root);
    await until('the scan', () => events.some((e) => e.type === 'ready'));
    const shared = () => seen(events, join(root, 'IMG_4.CR2'), 'change')?.companions?.[0]?.sharedWith;

    writeFileSync(join(root, 'IMG_4.JPG'), 'jpeg');
    expect(await until('the JPEG shares it', () => seen(events, join(root, 'IMG_4.JPG'))?.companions?.[0]?.sharedWith)).toEqual([join(root, 'IMG_4.CR2')]);
    expect(await until('the RAW shares it', shared)).toEqual([join(root, 'IMG_4.JPG')]);
    events.length = 0;
    rmSync(join(root, 'IMG_4.JPG'));
    await until('the RAW alone', () => seen(events, join(root, 'IMG_4.CR2'), 'change'));
    expect(shared()).toBeUndefined();
  });
});
