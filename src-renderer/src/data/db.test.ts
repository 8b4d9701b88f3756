// Schema migrations: a database written by an older version opens with the current class,
// keeps its data, and gains the new indexes.
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { DoppelDb, SCHEMA_VERSIONS, type FileRow, type FingerprintBlock } from './db';
import { LibrarySync } from './sync';
import { fakeIdb, uniqueDbName } from './test-support';

/** The indexes IndexedDB really holds on `files` (not what the Dexie instance declares). */
function fileIndexes(db: Dexie): string[] {
  return [...db.backendDB().transaction('files').objectStore('files').indexNames];
}

describe('DoppelDb schema', () => {
  it('declares increasing versions and opens at the latest', async () => {
    const versions = SCHEMA_VERSIONS.map((v) => v.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const db = new DoppelDb(uniqueDbName(), fakeIdb);
    await db.open();
    expect(db.verno).toBe(versions.at(-1));
    await db.delete();
  });

  it('upgrades a version 1 database to the latest, keeping its data and indexing [root+status]', async () => {
    const name = uniqueDbName();
    const files: FileRow[] = [
      { path: '/a/1.jpg', root: '/a', size: 10, mtimeMs: 1, digest: 'd1', status: 'hashed', seenAt: 5 },
      { path: '/a/2.jpg', root: '/a', size: 20, mtimeMs: 2, status: 'failed', error: { kind: 'corrupt', message: 'bad huffman code' }, seenAt: 5 },
      { path: '/a/3.jpg', root: '/a', size: 30, mtimeMs: 3, status: 'pending', seenAt: 5 },
      { path: '/b/4.jpg', root: '/b', size: 40, mtimeMs: 4, digest: 'd4', status: 'hashed', seenAt: 5 },
    ];
    const block: FingerprintBlock = { digests: ['d1', 'd4'], quality: Uint8Array.of(90, 12), pdq: Uint32Array.from({ length: 128 }, (_, i) => i * 2654435761) };

    const v1 = new Dexie(name, fakeIdb);
    v1.version(1).stores(SCHEMA_VERSIONS[0]!.stores);
    await v1.table('roots').put({ path: '/a', options: { networkDrive: true }, addedAt: 1 });
    await v1.table('files').bulkPut(files);
    await v1.table('fingerprintBlocks').add(block);
    await v1.table('decisions').put({ id: 'keeper:d1', kind: 'keeper', digests: ['d1', 'd4'], value: 'd1', at: 7 });
    expect(fileIndexes(v1)).not.toContain('[root+status]');
    v1.close();

    const db = new DoppelDb(name, fakeIdb);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version);
    expect(fileIndexes(db)).toContain('[root+status]');
    expect(await db.files.toArray()).toEqual(files);
    expect(await db.roots.get('/a')).toEqual({ path: '/a', options: { networkDrive: true }, addedAt: 1 });
    expect(await db.fingerprintBlocks.toArray()).toEqual([{ ...block, id: 1 }]);
    expect(await db.decisions.where('digests').equals('d4').primaryKeys()).toEqual(['keeper:d1']);
    // The new index covers the rows written before it existed.
    expect(await db.files.where('[root+status]').equals(['/a', 'hashed']).primaryKeys()).toEqual(['/a/1.jpg']);
    expect(await new LibrarySync(db, async () => {}).counts('/a')).toEqual({ files: 3, hashed: 1, pending: 1, failed: 1, missing: 0 });
    // Version 3's table starts empty: a library upgraded to it has never been clustered.
    expect(await db.meta.count()).toBe(0);
    await db.delete();
  });
});
