// Companions go with their photo to the trash and to a folder, come back with it, and are left
// in place when they changed, when another photo they belong to stays, or when they are not
// the photo's at all. Real files, the real freedesktop trash (in a temp XDG_DATA_HOME).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompanionToMove, DeletionCandidate, Survivor, TrashItem } from '../src-core/api';
import { lightroomXmp, takeoutJson } from '../src-core/companions/sidecar-fixtures';
import { freedesktopTrash } from '../src-main/library/api-service';
import { MoveJournal } from '../src-main/library/move-journal';
import { MANIFEST_NAME, moveToFolder, restoreMoves } from '../src-main/library/move-to-folder';
import { trashSafely } from '../src-main/library/safe-delete';
import { restoreFromTrash } from '../src-main/library/trash-restore';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const root = tempDir('doppel-companions-root-');
const dataHome = tempDir('doppel-companions-xdg-');
const PHOTO = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
beforeAll(() => {
  process.env.XDG_DATA_HOME = dataHome;
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
function photo(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  copyFileSync(PHOTO, path);
  return path;
}
function sidecar(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}
const listed = (path: string): CompanionToMove => ({ path, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs });
const hashed = (path: string, companions?: string[]): DeletionCandidate => ({ path, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs, digest: sha256(path), ...(companions ? { companions: companions.map(listed) } : {}) });
const survivor = (path: string): Survivor => ({ path, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs, digest: sha256(path) });

describe('companions travel with their photo', () => {
  it('trashes a photo with its XMP and Takeout JSON, and puts all three back', async () => {
    const keeper = photo(join(root, 'a/original.jpg'));
    const copy = photo(join(root, 'a/IMG_1.jpg'));
    const xmp = sidecar(join(root, 'a/IMG_1.xmp'), lightroomXmp({ rating: 4 }));
    const json = sidecar(join(root, 'a/IMG_1.jpg.json'), takeoutJson({ title: 'IMG_1.jpg', takenAt: new Date('2021-01-02T03:04:05Z') }));
    const xmpDigest = sha256(xmp);
    const item: TrashItem = { file: hashed(copy, [xmp, json]), keep: [survivor(keeper)] };

    const [result] = await trashSafely([item], [root], [], freedesktopTrash);
    expect(result!.status).toBe('moved');
    expect(result!.companions!.map((c) => [c.path, c.status])).toEqual([[xmp, 'moved'], [json, 'moved']]);
    expect(result!.companions![0]!.digest).toBe(xmpDigest);
    expect([copy, xmp, json].map(existsSync)).toEqual([false, false, false]);

    const trashed = [{ ...item.file }, ...result!.companions!.map((c) => ({ path: c.path, size: c.size!, mtimeMs: c.mtimeMs!, digest: c.digest! }))];
    const back = await restoreFromTrash(trashed, [root]);
    expect(back.map((r) => r.status)).toEqual(['moved', 'moved', 'moved']);
    expect(sha256(xmp)).toBe(xmpDigest);
  });

  it('leaves a companion that changed since it was listed, and says so', async () => {
    const keeper = photo(join(root, 'b/keeper.jpg'));
    const copy = photo(join(root, 'b/IMG_2.HEIC'));
    const video = sidecar(join(root, 'b/IMG_2.MOV'), 'any bytes of a video');
    const item: TrashItem = { file: hashed(copy, [video]), keep: [survivor(keeper)] };
    writeFileSync(video, 'the video, longer now that it was written again');

    const [result] = await trashSafely([item], [root], [], freedesktopTrash);
    expect(result!.status).toBe('moved');
    expect(result!.companions).toEqual([{ path: video, status: 'skipped', reason: 'changed since it was listed: left in place' }]);
    expect(existsSync(video)).toBe(true);
  });

  it('moves a shared sidecar only when every photo it belongs to goes', async () => {
    const keeperRaw = photo(join(root, 'c/keep/IMG_3.CR2'));
    const keeperJpeg = photo(join(root, 'c/keep/IMG_3.JPG'));
    const raw = photo(join(root, 'c/IMG_3.CR2'));
    const jpeg = photo(join(root, 'c/IMG_3.JPG'));
    const xmp = sidecar(join(root, 'c/IMG_3.xmp'), lightroomXmp({ keywords: ['dune'] }));

    const [onlyRaw] = await trashSafely([{ file: hashed(raw, [xmp]), keep: [survivor(keeperRaw)] }], [root], [], freedesktopTrash);
    expect(onlyRaw!.companions).toEqual([{ path: xmp, status: 'skipped', reason: 'also belongs to IMG_3.JPG, which stays: left in place' }]);
    expect(existsSync(xmp)).toBe(true);

    const [lastOwner] = await trashSafely([{ file: hashed(jpeg, [xmp]), keep: [survivor(keeperJpeg)] }], [root], [], freedesktopTrash);
    expect(lastOwner!.companions!.map((c) => c.status)).toEqual(['moved']);
    expect(existsSync(xmp)).toBe(false);
  });

  it('moves nothing a renderer names that is not the photo’s companion', async () => {
    const keeper = photo(join(root, 'd/keeper.jpg'));
    const copy = photo(join(root, 'd/IMG_4.jpg'));
    const other = photo(join(root, 'd/other.jpg'));
    const stranger = sidecar(join(root, 'd/notes.xmp'), lightroomXmp());
    const elsewhere = sidecar(join(root, 'IMG_4.xmp'), lightroomXmp());
    const [result] = await trashSafely([{ file: hashed(copy, [other, stranger, elsewhere]), keep: [survivor(keeper)] }], [root], [], freedesktopTrash);
    expect(result!.companions!.map((c) => [c.status, c.reason])).toEqual([
      ['skipped', 'not a companion of IMG_4.jpg: left in place'],
      ['skipped', 'not a companion of IMG_4.jpg: left in place'],
      ['skipped', 'not beside its photo: left in place'],
    ]);
    expect([other, stranger, elsewhere].every(existsSync)).toBe(true);
  });

  it('moves a photo with its sidecar to a folder, records both in the manifest, and restores both', async () => {
    const journal = new MoveJournal(join(tempDir('doppel-companions-journal-'), 'moves.jsonl'));
    const destination = tempDir('doppel-companions-dest-');
    const keeper = photo(join(root, 'e/keeper.NEF'));
    const copy = photo(join(root, 'e/DSC_5.NEF'));
    const xmp = sidecar(join(root, 'e/DSC_5.NEF.xmp'), lightroomXmp({ rating: 2, exposure: '+0.30' }));

    const [result] = await moveToFolder([{ file: hashed(copy, [xmp]), keep: [survivor(keeper)] }], destination, [root], [], journal);
    const companion = result!.companions![0]!;
    expect(companion.status).toBe('moved');
    expect(existsSync(companion.to!)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(destination, MANIFEST_NAME), 'utf8')) as Array<{ from: string; companionOf?: string }>;
    expect(manifest.map((m) => [m.from, m.companionOf])).toEqual([
      [copy, undefined],
      [xmp, copy],
    ]);

    const back = await restoreMoves([result!.moveId!, companion.moveId!], [root], journal);
    expect(back.map((r) => [r.path, r.status])).toEqual([
      [copy, 'moved'],
      [xmp, 'moved'],
    ]);
    expect(readFileSync(xmp, 'utf8')).toContain('crs:Exposure2012="+0.30"');
  });
});
