// The app's adapter of the grouping pipeline (src-core/grouping): its fingerprint source is the
// packed blocks in IndexedDB, its verifier the saved verdicts (main checks the pairs without
// one, see findCandidates), and a saved snapshot stands in for the pair search when the app
// opens. It clusters in two steps, so a large library opens fast:
// 1. every distinct content held by a file, straight from the packed fingerprint blocks and
//    the `digest` index's keys (no per-file records), searched for similar pairs: digests
//    with equal packed hashes are one content (byte-different copies), searched once;
// 2. only the files whose content has a similar partner or a second copy are read and
//    clustered per physical file (a content's copies join it at similarity 1; a symlink and
//    its target, or hard links, are one file under several names: see src-core/physical-files.ts).
// Step 1 is the costly one (seconds at 100k photos); its result is saved, so opening the app
// runs only step 2 on it and shows groups at once.
import type { ClusterOptions, Clustering, VerifiedEdge } from '../../../src-core/cluster/clustering';
import { packedSameContents, searchableContents } from '../../../src-core/grouping/contents';
import { clusterContents, proposePairs, searchPairs, searchPairsHere } from '../../../src-core/grouping/pipeline';
import type { VerifyImage } from '../../../src-core/hash-protocol';
import { similarShots, type ShotFile, type SimilarShot } from '../../../src-core/verify/similar-shots';
import { pairKey, verifiedEdges, type CandidateSignal } from '../../../src-core/verify/verified-pairs';
import { PairBuffer, type PairArrays } from '../../../src-core/similarity/pair-buffer';
import { Dendrogram } from '../../../src-core/cluster/dendrogram';
import { groupsAt, type DuplicateGroup, type GroupedFile } from '../../../src-core/cluster/groups';
import type { FolderPreferences } from '../../../src-core/keeper';
import { onePerPhysicalFile } from '../../../src-core/physical-files';
import { denseLinkage } from '../../../src-core/cluster/linkage';
import { DEFAULT_METHOD, SIMILARITY_FLOOR } from '../../../src-core/similarity/methods';
import { fromStoredPacked, loadPackedFingerprints, selectPacked, storablePacked, type PackedFingerprints } from '../data/blocks';
import { libraryChangedAt, type DoppelDb, type VerdictRow } from '../data/db';

/** A candidate pair nobody has verified yet: main should check it (api.verifyPairs). */
export interface PairToCheck {
  a: VerifyImage;
  b: VerifyImage;
  signals: CandidateSignal[];
}

/** The app's clustering: the default method, average linkage. */
const APP_CLUSTERING: ClusterOptions = { method: DEFAULT_METHOD, linkage: 'average' };

export interface LoadedLibrary {
  clustering: Clustering;
  files: GroupedFile[];
  /** Files with a fingerprint (the library size shown to the person). */
  photos: number;
  /** Groups already built for this clustering, by component subtree (see groupsAt). */
  groupCache: Map<string, DuplicateGroup>;
}

/** Where a full clustering's time went, ms by step (bench:library prints it). */
export type ClusterPhases = Record<string, number>;

/** Adds the time since its last call (or its creation) to `phases[step]`. */
export function phaseTimer(phases: ClusterPhases): (step: string) => void {
  let last = performance.now();
  return (step) => {
    const now = performance.now();
    phases[step] = (phases[step] ?? 0) + now - last;
    last = now;
  };
}

const untimed = (): void => undefined;

interface Involved {
  involved: PackedFingerprints;
  pairs: PairArrays;
  verified: VerifiedEdge[];
  photos: number;
  basedOn: number;
}

/** The packed fingerprint blocks as the pipeline's contents (copies of one content among the
 *  digests a file holds, in digest order, represented by the first), and those worth
 *  searching, read in one transaction with the change stamp they reflect. */
async function readSearchable(db: DoppelDb, lap: (step: string) => void = untimed) {
  const { packed, fileDigests, basedOn } = await db.transaction('r', db.fingerprintBlocks, db.files, db.meta, async () => {
    const [packed, fileDigests, basedOn] = await Promise.all([loadPackedFingerprints(db), db.files.orderBy('digest').keys() as Promise<string[]>, libraryChangedAt(db)]);
    return { packed, fileDigests, basedOn };
  });
  lap('read blocks and file digests');
  const copies = new Map<string, number>();
  for (const digest of fileDigests) copies.set(digest, (copies.get(digest) ?? 0) + 1);
  const rowOfDigest = new Map(packed.digests.map((d, k) => [d, k]));
  const held = [...copies.keys()].flatMap((d) => (rowOfDigest.has(d) ? [rowOfDigest.get(d)!] : []));
  const contents = { ...packed, sameAs: packedSameContents(packed, held) };
  const searchable = searchableContents(contents, APP_CLUSTERING, held);
  lap('distinct contents');
  return { packed: contents, fileDigests, basedOn, copies, searchable };
}

/** Step 1, over the whole library: the contents with a similar partner, a verified partner or
 *  a second copy (with their packed hashes), and the change stamp they reflect. */
async function findInvolved(db: DoppelDb, lap: (step: string) => void): Promise<Involved> {
  const { packed, fileDigests, basedOn, copies, searchable } = await readSearchable(db, lap);
  const involved = new Set([...copies].filter(([, n]) => n > 1).map(([d]) => d));
  const digestOf = (row: number) => packed.digests[row]!;
  packed.sameAs.forEach((first, row) => first !== row && involved.add(digestOf(row)).add(digestOf(first)));
  const pairs = await searchPairs(searchable, searchPairsHere);
  lap('pair search');
  for (let k = 0; k < pairs.count; k++) involved.add(digestOf(pairs.first[k]!)).add(digestOf(pairs.second[k]!));
  // Confirmed pairs are few (an index reads only them); those of contents no file holds any
  // more are left out.
  const verified = verifiedEdges(await db.verdicts.where('matched').equals(1).toArray()).filter((e) => copies.has(e.a) && copies.has(e.b));
  for (const edge of verified) involved.add(edge.a).add(edge.b);
  lap('verdicts');
  const selected = selectPacked(packed, involved);
  // The pairs, between rows of `selected`: step 2 needs no second search.
  const rowOf = new Map(selected.digests.map((d, k) => [d, k]));
  const between = new PairBuffer();
  for (let k = 0; k < pairs.count; k++) between.push(rowOf.get(digestOf(pairs.first[k]!))!, rowOf.get(digestOf(pairs.second[k]!))!, pairs.distance[k]!);
  const found = { involved: selected, pairs: between.toArrays(), verified, photos: fileDigests.length, basedOn };
  lap('select involved');
  return found;
}

/** Pairs handed to the verifier per search: a big library of look-alikes has hundreds of
 *  thousands (hours of work); the next slice comes with the search after this one is done. */
export const VERIFY_SLICE = 20_000;

export interface Candidates {
  /** Candidate pairs nobody has verified yet, for main's verifier: the first VERIFY_SLICE. */
  toVerify: PairToCheck[];
  /** All candidate pairs nobody has verified yet (toVerify and those after it). */
  unverified: number;
  /** Candidate pairs the verifier rejected that one camera took moments apart. */
  similarShots: SimilarShot[];
}

/**
 * The verification stage's candidates, over the whole library: pairs the hash search does
 * not link but a looser signal puts close (src-core/verify/candidates.ts). Runs after the
 * groups are shown (seconds at a million photos); saves the similar shots for the next start.
 */
export async function findCandidates(db: DoppelDb, sliceSize = VERIFY_SLICE): Promise<Candidates> {
  const { packed, searchable } = await readSearchable(db);
  const candidates = proposePairs(packed, searchable);
  // Saved verdicts decide the pairs verified before; main verifies the rest (PairVerifier).
  const verdicts = await db.verdicts.bulkGet(candidates.map(({ a, b }) => pairKey(a, b)));
  const rejected = verdicts.filter((v): v is VerdictRow => v !== undefined && !v.match);
  const unverified = candidates.flatMap(({ a, b, signals: by }, k) => (verdicts[k] ? [] : [{ a, b, signals: by }]));
  const slice = unverified.slice(0, sliceSize);
  const holders = await filesHolding(db, [...slice, ...rejected].flatMap((p) => [p.a, p.b]));
  const shots = similarShots(rejected, [...holders.values()]);
  await db.meta.put({ id: 'similar-shots', shots });
  const toVerify = slice.flatMap(({ a, b, signals: by }) => {
    const [fa, fb] = [holders.get(a), holders.get(b)];
    return fa && fb ? [{ a: { path: fa.path, digest: a }, b: { path: fb.path, digest: b }, signals: by }] : [];
  });
  return { toVerify, unverified: unverified.length, similarShots: shots };
}

/** The similar shots the last candidate search found (shown at start, before it runs again). */
export async function savedSimilarShots(db: DoppelDb): Promise<SimilarShot[]> {
  const row = await db.meta.get('similar-shots');
  return row?.id === 'similar-shots' ? row.shots : [];
}

/** Where to read each of these contents: one file holding it (with its facts for similar shots). */
async function filesHolding(db: DoppelDb, digests: Iterable<string>): Promise<Map<string, ShotFile>> {
  const wanted = [...new Set(digests)];
  const [stored, fingerprints] = await Promise.all([db.files.where('digest').anyOf(wanted).toArray(), db.fingerprints.bulkGet(wanted)]);
  const facts = new Map(fingerprints.flatMap((f) => (f ? [[f.digest, f] as const] : [])));
  const byDigest = new Map<string, ShotFile>();
  for (const file of stored) {
    if (byDigest.has(file.digest!)) continue;
    const fp = facts.get(file.digest!);
    byDigest.set(file.digest!, { path: file.path, digest: file.digest!, exif: fp?.exif ?? {}, ...(fp?.evidence ? { sharpness: fp.evidence.sharpness } : {}) });
  }
  return byDigest;
}

/** Step 2: the files holding the involved contents, with what the groups show of them: one
 *  entry per physical file, named by its primary name, with its other names. */
async function readInvolvedFiles(db: DoppelDb, involved: PackedFingerprints): Promise<GroupedFile[]> {
  const [stored, fingerprints] = await Promise.all([db.files.where('digest').anyOf(involved.digests).toArray(), db.fingerprints.bulkGet(involved.digests)]);
  const details = new Map(fingerprints.flatMap((f) => (f ? [[f.digest, f] as const] : [])));
  return onePerPhysicalFile(stored).map((file) => {
    const fp = details.get(file.digest!);
    const { width = 0, height = 0, format, pages, pixelDigest, evidence, hashVersion, exif = {} } = fp ?? {};
    return { path: file.path, digest: file.digest!, size: file.size, mtimeMs: file.mtimeMs, width, height, format, pages, pixelDigest, evidence, hashVersion, exif, ...(file.otherNames ? { otherNames: file.otherNames } : {}), ...(file.companions ? { companions: file.companions } : {}) };
  });
}

/** Clusters the files per file (identical bytes share a digest row, copies with equal packed
 *  hashes a content; `pairs` are between digest rows, `verified` between digests). */
function clusterFiles(involved: PackedFingerprints, pairs: PairArrays, verified: VerifiedEdge[], held: GroupedFile[], photos: number): LoadedLibrary {
  const rowOfDigest = new Map(involved.digests.map((d, k) => [d, k]));
  const files = held.filter((f) => rowOfDigest.has(f.digest));
  const contents = { ...involved, sameAs: packedSameContents(involved) };
  const clustering = clusterContents(contents, Int32Array.from(files, (f) => rowOfDigest.get(f.digest)!), pairs, verified, APP_CLUSTERING);
  return { clustering, files, photos, groupCache: new Map() };
}

/** Clusters the whole library and saves what it found as the snapshot the next start opens. */
export async function loadAndCluster(db: DoppelDb, phases: ClusterPhases = {}): Promise<LoadedLibrary> {
  const lap = phaseTimer(phases);
  const { involved, pairs, verified, photos, basedOn } = await findInvolved(db, lap);
  const files = await readInvolvedFiles(db, involved);
  lap('read involved files');
  await db.meta.put({ id: 'cluster-snapshot', involved: storablePacked(involved), pairs, verified, files, photos, basedOn, at: Date.now() });
  lap('save snapshot');
  const loaded = clusterFiles(involved, pairs, verified, files, photos);
  lap('cluster');
  return loaded;
}

/**
 * The groups of the last full clustering, from the snapshot alone (one record: no file or
 * fingerprint is read, no pair search). `stale`: the library changed after that clustering,
 * so a full one should follow.
 */
export async function openSnapshot(db: DoppelDb): Promise<{ loaded: LoadedLibrary; stale: boolean } | undefined> {
  const [snapshot, changedAt] = await Promise.all([db.meta.get('cluster-snapshot'), libraryChangedAt(db)]);
  // A snapshot in another shape (written by another version) is ignored: the caller clusters.
  if (snapshot?.id !== 'cluster-snapshot' || !snapshot.involved?.pdq || !snapshot.files || !snapshot.pairs) return undefined;
  const loaded = clusterFiles(fromStoredPacked(snapshot.involved), snapshot.pairs, snapshot.verified ?? [], snapshot.files, snapshot.photos);
  return { loaded, stale: snapshot.basedOn !== changedAt };
}

export interface SliderStop {
  similarity: number;
  groups: number;
  duplicates: number;
}

/** What each slider position would give, so the person sees the effect before moving it. */
export function sliderHistogram(loaded: LoadedLibrary, step = 0.01): SliderStop[] {
  const stops: SliderStop[] = [];
  for (let s = SIMILARITY_FLOOR; s <= 1 + 1e-9; s += step) {
    const similarity = Math.round(s * 100) / 100;
    let groups = 0;
    let duplicates = 0;
    for (const component of loaded.clustering.components) {
      for (const group of component.tree.cut(similarity)) {
        groups++;
        duplicates += group.leaves.length - 1;
      }
    }
    stops.push({ similarity, groups, duplicates });
  }
  return stops;
}

/**
 * The groups at `similarity`, with the person's splits applied: a split is a set of contents
 * (digests) that must form a group of their own. A group holding some but not all of them is
 * divided in two, and each part is clustered again from its own pair similarities.
 */
export function cut(loaded: LoadedLibrary, similarity: number, splits: ReadonlyArray<readonly string[]> = [], prefs: FolderPreferences = {}, chosenKeepers: ReadonlySet<string> = new Set()): DuplicateGroup[] {
  let groups = groupsAt(loaded.clustering, loaded.files, similarity, prefs, loaded.groupCache, chosenKeepers);
  if (splits.length === 0) return groups;
  const inputOf = new Map(loaded.files.map((f, i) => [f.path, i]));
  for (const split of splits) {
    const chosen = new Set(split);
    groups = groups.flatMap((group) => {
      const inside = group.members.filter((m) => chosen.has(m.digest));
      if (inside.length === 0 || inside.length === group.members.length) return [group];
      const outside = group.members.filter((m) => !chosen.has(m.digest));
      const components = [inside, outside]
        .filter((part) => part.length > 1)
        .map((part) => {
          const members = Int32Array.from(part, (m) => inputOf.get(m.path)!);
          const merges = denseLinkage(members.length, (a, b) => loaded.clustering.similarity(members[a]!, members[b]!), 'average');
          return { members, tree: new Dendrogram(members.length, merges), algorithm: 'average linkage (split by you)' };
        });
      return groupsAt({ ...loaded.clustering, components }, loaded.files, 0, prefs, undefined, chosenKeepers);
    });
  }
  // Ids in place: unsplit groups stay the cached objects (sent to the main thread once).
  groups.sort((a, b) => b.reclaimableBytes - a.reclaimableBytes).forEach((g, k) => (g.id = k + 1));
  return groups;
}
