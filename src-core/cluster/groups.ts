// Flat groups at a slider position: the cut of every component's dendrogram, with a keeper.
import type { Fingerprint } from '../fingerprint';
import { DIHEDRAL_NAMES, type DihedralName } from '../hash/pdq';
import { areCompanions, companionLabel } from '../companions';
import { companionDateTaken, type Companion } from '../companions/discover';
import { chooseKeeper, isInFolder, type FolderPreferences, type KeeperCandidate } from '../keeper';
import type { Clustering, MatchKind } from './clustering';
import type { Merge } from './dendrogram';
import type { PairTransform } from '../verify/pair-transform';

export interface GroupMember {
  path: string;
  digest: string;
  keeper: boolean;
  /** Similarity to the keeper (1 for the keeper and for identical bytes). */
  similarity: number;
  /** For the keeper: why it was chosen. For the others: what they are. */
  reason: string;
  /** For the others: the measurement behind `reason` (the compare view shows it). */
  evidence?: string;
  protected: boolean;
  size: number;
  width: number;
  height: number;
  format?: string;
  dateTaken?: string;
  /** Camera make and model from EXIF. */
  camera?: string;
  /** Animated or multi-page file: only the first of these frames/pages was compared. */
  pages?: number;
  /** The other format of the keeper's shot (RAW+JPEG, HEIC+JPEG): never suggested for
   *  deletion unless the person treats such pairs as duplicates. */
  companion?: boolean;
  /** The file's other names (a symlink to it, a hard link): one physical file, one member
   *  (see src-core/physical-files.ts). */
  otherNames?: string[];
  /** Its XMP sidecars, Takeout JSON and Live Photo video, with what they add: they go with it. */
  companions?: Companion[];
}

export interface DuplicateGroup {
  id: number;
  /** The lowest merge similarity inside the group (where its last members joined). */
  similarity: number;
  /** Every member has the same bytes. */
  exact: boolean;
  /** Keeper first, then by decreasing similarity to it. */
  members: GroupMember[];
  /** The group's own dendrogram; leaves are indices into `members`. */
  merges: Merge[];
  /** Leaf order for drawing, as indices into `members`. */
  order: number[];
  /** Bytes freed by deleting every member except the keeper and protected files (each member
   *  is one physical file, counted once whatever its names). */
  reclaimableBytes: number;
}

/** One physical file (its names collapsed by onePerPhysicalFile): `path` its primary name. */
export type GroupedFile = Pick<Fingerprint, 'path' | 'digest' | 'size' | 'width' | 'height' | 'exif'> & Partial<Pick<Fingerprint, 'format' | 'pages' | 'pixelDigest' | 'mtimeMs' | 'evidence' | 'hashVersion'>> & { otherNames?: string[]; companions?: Companion[] };

/** The date taken: EXIF's, else Google Takeout's. */
const dateTakenOf = (f: GroupedFile) => f.exif.dateTaken ?? companionDateTaken(f.companions);

/**
 * The groups at `similarity`. A group depends only on which subtree of its component the cut
 * keeps (and which keeper the person chose in it), so `cache` (kept by the caller for one
 * clustering and one set of preferences) lets a slider move rebuild only the groups whose
 * subtree changed.
 *
 * `chosenKeepers`: paths the person chose to keep instead of the suggestion. Every other
 * member's similarity, kind and evidence are then measured against the chosen one, so the
 * screen never describes a member against a copy that is no longer the keeper.
 */
export function groupsAt(
  clustering: Clustering,
  files: ReadonlyArray<GroupedFile>,
  similarity: number,
  prefs: FolderPreferences = {},
  cache?: Map<string, DuplicateGroup>,
  chosenKeepers: ReadonlySet<string> = new Set(),
): DuplicateGroup[] {
  const groups: DuplicateGroup[] = [];
  clustering.components.forEach((component, c) => {
    for (const cut of component.tree.cut(similarity)) {
      const chosen = chosenKeepers.size > 0 ? Array.from(cut.leaves).findIndex((leaf) => chosenKeepers.has(files[component.members[leaf]!]!.path)) : -1;
      const key = chosen < 0 ? `${c}:${cut.merge}` : `${c}:${cut.merge}:${files[component.members[cut.leaves[chosen]!]!]!.path}`;
      const known = cache?.get(key);
      if (known) {
        groups.push(known);
        continue;
      }
      const inputs = Array.from(cut.leaves, (leaf) => component.members[leaf]!);
      const centrality = centralities(clustering, inputs);
      const candidates = inputs.map((i, k): KeeperCandidate => ({ ...files[i]!, dateTaken: dateTakenOf(files[i]!), ...(centrality ? { centrality: centrality[k] } : {}) }));
      const facts = (i: number) => ({ path: files[i]!.path, format: files[i]!.format, dateTaken: files[i]!.exif.dateTaken, camera: cameraOf(files[i]!) });
      const suggested = chooseKeeper(candidates, prefs, alignmentWithin(clustering, inputs));
      const keeper = chosen < 0 || chosen === suggested.index ? suggested : { index: chosen, reason: 'chosen by you' };
      const keeperInput = inputs[keeper.index]!;
      const subtree = component.tree.subtree(cut.merge, cut.leaves);
      const lowest = Math.min(...subtree.map((m) => m[2]));
      const members = inputs.map((input, k): GroupMember => {
        const f = files[input]!;
        const isKeeper = k === keeper.index;
        const companion = !isKeeper && !prefs.pairsAreDuplicates && areCompanions(facts(input), facts(keeperInput));
        const link = isKeeper ? undefined : linkToKeeper(clustering, files, inputs, input, keeperInput, lowest);
        const relation = !link ? '' : companion ? `${companionLabel(facts(input), facts(keeperInput))} pair with the keeper: not suggested` : link.reason;
        return {
          path: f.path,
          digest: f.digest,
          keeper: isKeeper,
          similarity: link?.similarity ?? 1,
          reason: isKeeper ? keeper.reason : k === suggested.index ? `suggested keeper; ${relation}` : relation,
          ...(link ? { evidence: link.evidence } : {}),
          protected: isInFolder(f.path, prefs.protectedFolders),
          size: f.size,
          width: f.width,
          height: f.height,
          ...(f.format ? { format: f.format } : {}),
          ...(dateTakenOf(f) ? { dateTaken: dateTakenOf(f) } : {}),
          ...(cameraOf(f) ? { camera: cameraOf(f) } : {}),
          ...(f.pages && f.pages > 1 ? { pages: f.pages } : {}),
          ...(companion ? { companion } : {}),
          ...(f.otherNames?.length ? { otherNames: [...f.otherNames] } : {}),
          ...(f.companions?.length ? { companions: f.companions } : {}),
        };
      });
      // Keeper first, then most similar; `order` maps the drawing order onto that list.
      const ranking = members.map((_, k) => k).sort((a, b) => Number(members[b]!.keeper) - Number(members[a]!.keeper) || members[b]!.similarity - members[a]!.similarity);
      const position = new Int32Array(members.length);
      ranking.forEach((k, p) => (position[k] = p));
      const sorted = ranking.map((k) => members[k]!);
      const merges = subtree.map(([l, r, s, n]): Merge => [l < members.length ? position[l]! : l, r < members.length ? position[r]! : r, s, n]);
      const group: DuplicateGroup = {
        id: 0,
        similarity: Math.min(...merges.map((m) => m[2])),
        exact: sorted.every((m) => m.digest === sorted[0]!.digest),
        members: sorted,
        merges,
        order: keeperFirstOrder(merges, sorted.length),
        reclaimableBytes: sorted.filter((m) => !m.keeper && !m.protected && !m.companion).reduce((sum, m) => sum + m.size, 0),
      };
      cache?.set(key, group);
      groups.push(group);
    }
  });
  groups.sort((a, b) => b.reclaimableBytes - a.reclaimableBytes || b.members.length - a.members.length);
  groups.forEach((g, i) => (g.id = i + 1));
  return groups;
}

/**
 * A drawing order of the dendrogram's leaves that starts with the keeper (member 0): at each
 * merge, the branch holding the better-ranked member (members are sorted keeper first, then by
 * similarity to it) is drawn first. The member grid uses the same order, so the tree's leaves and
 * the cards line up.
 */
function keeperFirstOrder(merges: readonly Merge[], n: number): number[] {
  const best = new Int32Array(merges.length);
  const bestOf = (node: number) => (node < n ? node : best[node - n]!);
  merges.forEach(([l, r], k) => (best[k] = Math.min(bestOf(l), bestOf(r))));
  const order: number[] = [];
  const stack = [n + merges.length - 1];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node < n) {
      order.push(node);
      continue;
    }
    const [l, r] = merges[node - n]!;
    // Pushed second, popped first.
    if (bestOf(l) < bestOf(r)) stack.push(r, l);
    else stack.push(l, r);
  }
  return order;
}

/** Groups up to this size look for a path through another member, and weigh how central each
 *  member is (n² similarities at most). */
const PATH_SEARCH_LIMIT = 500;

/** Where member y lies in member x's frame: the verifier's alignment of the two, or of y with a
 *  member that shows x's very frame (identical bytes or pixels, or the whole frame matched
 *  unturned: a resized or re-encoded copy shares its normalised coordinates). Groups above
 *  ALIGNMENT_SEARCH_LIMIT use direct alignments only (the search is n³ for the whole group). */
const ALIGNMENT_SEARCH_LIMIT = 50;

function alignmentWithin(clustering: Clustering, inputs: readonly number[]): (x: number, y: number) => PairTransform | undefined {
  const sameFrame = (i: number, j: number) => {
    const kind = clustering.matchedBy(i, j);
    return kind === 'bytes' || (kind === 'frame' && clustering.frameVariant(i, j) === 0);
  };
  return (x, y) => {
    const [i, j] = [inputs[x]!, inputs[y]!];
    const direct = clustering.alignment(i, j);
    if (direct || inputs.length > ALIGNMENT_SEARCH_LIMIT) return direct;
    for (const k of inputs) {
      if (k === i || k === j) continue;
      const viaX = sameFrame(i, k) ? clustering.alignment(k, j) : undefined;
      if (viaX) return viaX;
      const viaY = sameFrame(j, k) ? clustering.alignment(i, k) : undefined;
      if (viaY) return viaY;
    }
    return undefined;
  };
}

/** Each member's mean similarity to the others: the original sits one edit from every copy,
 *  two copies are two edits apart. Only for groups of three or more (a pair is symmetric). */
function centralities(clustering: Clustering, inputs: readonly number[]): number[] | undefined {
  if (inputs.length < 3 || inputs.length > PATH_SEARCH_LIMIT) return undefined;
  return inputs.map((i) => inputs.reduce((sum, j) => (j === i ? sum : sum + clustering.similarity(i, j)), 0) / (inputs.length - 1));
}

/**
 * How member `i` relates to the keeper. Hashes can match a copy to another copy yet not to the
 * keeper (a flipped copy and a bordered one: no hash is both flipped and trimmed), so a member
 * whose own similarity falls below the group's lowest merge is described through the member
 * that links it best: the screen then never shows 0.47 in a group of "≥ 0.84".
 */
function linkToKeeper(clustering: Clustering, files: ReadonlyArray<GroupedFile>, inputs: readonly number[], i: number, keeper: number, lowest: number): { similarity: number; reason: string; evidence: string } {
  const direct = { similarity: clustering.similarity(i, keeper), reason: matchReason(clustering, files, i, keeper), evidence: matchEvidence(clustering, files, i, keeper) };
  if (direct.similarity >= lowest || inputs.length > PATH_SEARCH_LIMIT) return direct;
  let [via, best] = [-1, direct.similarity];
  for (const m of inputs) {
    if (m === i || m === keeper) continue;
    const through = Math.min(clustering.similarity(i, m), clustering.similarity(m, keeper));
    if (through > best) [via, best] = [m, through];
  }
  if (via < 0) return direct;
  const name = files[via]!.path.split(/[\\/]/).pop();
  return {
    similarity: best,
    reason: `${matchReason(clustering, files, i, via)}, through ${name}`,
    evidence: `through ${name}: ${matchEvidence(clustering, files, i, via)}; it and the keeper: ${matchEvidence(clustering, files, via, keeper)}`,
  };
}

/** The hashes' match kind, refined by the pixel digest: equal pixels, other metadata. */
function matchKind(clustering: Clustering, files: ReadonlyArray<GroupedFile>, i: number, j: number): MatchKind | 'pixels' {
  const kind = clustering.matchedBy(i, j);
  const [a, b] = [files[i]!.pixelDigest, files[j]!.pixelDigest];
  return kind !== 'bytes' && a !== undefined && a === b ? 'pixels' : kind;
}

function matchReason(clustering: Clustering, files: ReadonlyArray<GroupedFile>, i: number, j: number): string {
  const kind = matchKind(clustering, files, i, j);
  const turned = kind === 'frame' ? orientation(clustering, i, j) : undefined;
  if (turned) return `same photo, ${turned}`;
  const edits = kind === 'aligned' ? clustering.edits(i, j) : [];
  return edits.length > 0 ? `edited: ${edits.join(', ')}; confirmed by aligning the two images` : MATCH_REASONS[kind];
}

function matchEvidence(clustering: Clustering, files: ReadonlyArray<GroupedFile>, i: number, j: number): string {
  const kind = matchKind(clustering, files, i, j);
  const turned = kind === 'frame' ? orientation(clustering, i, j) : undefined;
  const evidence = EVIDENCE[kind](clustering.similarity(i, j));
  return turned ? evidence.replace(' apart ', ` apart once ${turned} `) : evidence;
}

/** In words, the rotation or flip the frames needed to match (whichever of the two was turned:
 *  the hashes cannot say which way), or undefined when they match as they are. */
const ORIENTATIONS: Record<Exclude<DihedralName, 'original'>, string> = {
  rotate90: 'rotated 90°',
  rotate180: 'rotated 180°',
  rotate270: 'rotated 90°',
  flipx: 'flipped',
  flipy: 'flipped',
  flipplus1: 'flipped and rotated 90°',
  flipminus1: 'flipped and rotated 90°',
};
function orientation(clustering: Clustering, i: number, j: number): string | undefined {
  const name = DIHEDRAL_NAMES[clustering.frameVariant(i, j)];
  return name && name !== 'original' ? ORIENTATIONS[name] : undefined;
}

const bitsApart = (similarity: number) => Math.round((1 - similarity) * 128);

/** The signal behind each kind of match, for the compare table. */
const EVIDENCE: Record<MatchKind | 'pixels', (similarity: number) => string> = {
  bytes: () => 'SHA-256 of the two files is equal',
  pixels: () => 'the JPEG pixel data is byte for byte equal; only metadata segments differ',
  frame: (s) => `PDQ hashes ${bitsApart(s)} of 256 bits apart (best of the 8 rotations and flips)`,
  window: (s) => `PDQ of the border-trimmed or centre window ${bitsApart(s)} of 256 bits apart; the whole frames differ`,
  aligned: () => 'no hash matches; ORB keypoints align under a RANSAC similarity fit and the aligned pixels agree block by block',
};

/** What a non-keeper is, in the group view and the compare table. */
const MATCH_REASONS: Record<MatchKind | 'pixels', string> = {
  bytes: 'identical bytes',
  pixels: 'same pixels (only the metadata differs)',
  frame: 'same photo (re-encoded, resized, rotated, flipped or recoloured)',
  window: 'edited: a border, letterbox or crop tells them apart',
  aligned: 'edited: cropped, straightened or overlaid; confirmed by aligning the two images',
};

function cameraOf(f: GroupedFile): string | undefined {
  return f.exif.make || f.exif.model ? [f.exif.make, f.exif.model].filter(Boolean).join(' ') : undefined;
}
