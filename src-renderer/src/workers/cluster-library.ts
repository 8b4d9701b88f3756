// Builds the clustering input from the database: one row per hashed file, its digest's packed
// PDQ hashes copied from the fingerprint blocks (identical bytes share a digest id).
import { clusterPacked, type ClusteredLibrary } from '../../../src-core/cluster/library';
import { groupsAt, type DuplicateGroup, type GroupedFile } from '../../../src-core/cluster/groups';
import { allocateHashCodes } from '../../../src-core/similarity/hash-codes';
import { DEFAULT_METHOD } from '../../../src-core/similarity/methods';
import { loadPackedFingerprints } from '../data/blocks';
import type { DoppelDb } from '../data/db';

export interface LoadedLibrary {
  library: ClusteredLibrary;
  files: GroupedFile[];
}

export async function loadAndCluster(db: DoppelDb): Promise<LoadedLibrary> {
  const [packed, rows] = await Promise.all([loadPackedFingerprints(db), db.files.where('status').equals('hashed').toArray()]);
  const rowOfDigest = new Map(packed.digests.map((d, k) => [d, k]));
  const hashedFiles = rows.filter((f) => f.digest !== undefined && rowOfDigest.has(f.digest));
  const stride = packed.codes.words * packed.codes.variants;
  const codes = allocateHashCodes(hashedFiles.length, packed.codes.words, packed.codes.variants);
  const digestId = new Int32Array(hashedFiles.length);
  const quality = new Uint8Array(hashedFiles.length);
  hashedFiles.forEach((file, i) => {
    const row = rowOfDigest.get(file.digest!)!;
    codes.data.set(packed.codes.data.subarray(row * stride, (row + 1) * stride), i * stride);
    digestId[i] = row;
    quality[i] = packed.quality[row]!;
  });
  const library = clusterPacked(codes, digestId, quality, { method: DEFAULT_METHOD, linkage: 'average' });
  // Details (size, dimensions, date) only for files that ended up in a component.
  const inComponents = new Set<number>();
  for (const c of library.components) for (const m of c.members) inComponents.add(m);
  const digests = [...new Set([...inComponents].map((i) => hashedFiles[i]!.digest!))];
  const details = new Map((await db.fingerprints.bulkGet(digests)).flatMap((f) => (f ? [[f.digest, f] as const] : [])));
  const files: GroupedFile[] = hashedFiles.map((file) => {
    const fp = details.get(file.digest!);
    return { path: file.path, digest: file.digest!, size: file.size, width: fp?.width ?? 0, height: fp?.height ?? 0, exif: fp?.exif ?? {} };
  });
  return { library, files };
}

export function cut(loaded: LoadedLibrary, similarity: number): DuplicateGroup[] {
  return groupsAt(loaded.library, loaded.files, similarity);
}
