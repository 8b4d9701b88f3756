// A library for the cluster worker's tests: fake-indexeddb filled through the real sync layer.
import type { Fingerprint } from '../../../src-core/fingerprint';
import { LibrarySync } from '../data/sync';
import { openTestDb, random, randomFingerprint, seenOf } from '../data/test-support';

/** `hex` with its first `bits` bits flipped. */
export function flipBits(hex: string, bits: number): string {
  const digits = hex.split('').map((d) => parseInt(d, 16));
  for (let b = 0; b < bits; b++) digits[b >> 2]! ^= 8 >> (b & 3);
  return digits.map((d) => d.toString(16)).join('');
}

/** An empty library; `photo` makes a random fingerprint (from `seed`) with enough quality to
 *  be searched, `add` has files seen and hashed. */
export function testLibrary(seed: number) {
  const db = openTestDb();
  const sync = new LibrarySync(db, async () => undefined);
  const next = random(seed);
  const photo = (extra: Partial<Fingerprint> = {}) => randomFingerprint(next, { pdqQuality: 90, ...extra });
  const add = async (files: Fingerprint[]) => {
    await sync.applyFileEvents(files.map((f) => ({ type: 'add' as const, file: seenOf(f) })));
    await sync.applyHashResults(files.map((fingerprint) => ({ ok: true as const, fingerprint })));
  };
  return { db, sync, photo, add };
}
