// Shared by the data layer's tests: isolated in-memory databases and realistic fingerprints.
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { FileSeen } from '../../../src-core/api';
import type { Fingerprint } from '../../../src-core/fingerprint';
import { DIHEDRAL_NAMES } from '../../../src-core/hash/pdq';
import { DoppelDb } from './db';

let databases = 0;

/** A unique database name per call, so tests never share state. */
export function uniqueDbName(): string {
  return `doppel-test-${++databases}-${Date.now()}`;
}

export const fakeIdb = { indexedDB, IDBKeyRange };

export function openTestDb(name = uniqueDbName()): DoppelDb {
  return new DoppelDb(name, fakeIdb);
}

export { seededRandom as random } from '../../../src-core/random';

export function randomHex(next: () => number, digits: number): string {
  let hex = '';
  while (hex.length < digits) hex += next().toString(16).padStart(8, '0');
  return hex.slice(0, digits);
}

/** A fingerprint as the worker reports it: SHA-256 digest, PDQ and its 7 dihedral variants
 *  (64 hex), imagehash 64-bit hashes (16 hex). */
export function randomFingerprint(next: () => number, file: Partial<Fingerprint> = {}): Fingerprint {
  const hex = (digits: number) => randomHex(next, digits);
  const pdqDihedral = Object.fromEntries(DIHEDRAL_NAMES.filter((n) => n !== 'original').map((n) => [n, hex(64)])) as Fingerprint['pdqDihedral'];
  return {
    path: `/photos/${hex(8)}.jpg`,
    size: 200_000 + (next() % 5_000_000),
    mtimeMs: 1_600_000_000_000 + (next() % 100_000_000_000),
    digest: hex(64),
    width: 4032,
    height: 3024,
    format: 'jpeg',
    pdq: hex(64),
    pdqQuality: next() % 101,
    pdqDihedral,
    ahash: hex(16),
    dhash: hex(16),
    phash: hex(16),
    whash: hex(16),
    exif: { dateTaken: '2023-07-14T18:22:05', make: 'Apple', model: 'iPhone 13', orientation: 1, gpsPresent: true },
    ...file,
  };
}

/** What the watcher reports for the file a fingerprint was taken of. */
export function seenOf(f: Pick<Fingerprint, 'path' | 'size' | 'mtimeMs'>, root = '/photos'): FileSeen {
  return { root, path: f.path, size: f.size, mtimeMs: f.mtimeMs };
}
