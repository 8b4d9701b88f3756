// From hashes and candidate pairs to one dendrogram per connected component of the pair graph.
import type { PairTransform } from '../verify/pair-transform';
import type { Fingerprint } from '../fingerprint';
import { boundedDistance, codeOffset, pairDistance, selectRows, type HashCodes } from '../similarity/hash-codes';
import { radiusForSimilarity, similarityFromDistance, SIMILARITY_FLOOR, type Method } from '../similarity/methods';
import type { PairArrays } from '../similarity/pair-buffer';
import { Dendrogram, type Linkage } from './dendrogram';
import { denseLinkage, sparseSingleLinkage } from './linkage';
import { UnionFind } from './union-find';
import { VerifiedLinks } from './verified-links';

/** Below this PDQ quality an image carries too little structure (blank scans, black frames)
 *  for its hashes to mean anything: it groups by identical bytes only. The dev set's real
 *  photos and all their edits score ≥ 44; blank and near-blank images score under 10. */
export const MIN_PDQ_QUALITY = 30;
/** Components up to this size get exact linkage from all pair similarities (n² / 2 of them);
 *  larger ones get single linkage over the candidate graph. */
export const DENSE_COMPONENT_LIMIT = 2500;

export type ClusterInput = Pick<Fingerprint, 'digest' | 'pdqQuality' | 'pdq' | 'pdqDihedral' | 'ahash' | 'dhash' | 'phash' | 'whash'>;

export interface ClusterOptions {
  method: Method;
  linkage: Linkage;
  floor?: number;
  minQuality?: number;
  denseLimit?: number;
}

/** A verified pair between digest ids. */
/** `transform`: where b lies in a's frame, when the verifier reported it. */
export type VerifiedIdEdge = readonly [a: number, b: number, similarity: number, edits?: readonly string[], transform?: PairTransform];

export interface VerifiedEdge {
  a: string;
  b: string;
  similarity: number;
  /** What aligning them needed ("cropped", "rotated 3°"…), for the person. */
  edits?: string[];
  /** Where b lies in a's frame (PairDecision.transform). */
  transform?: PairTransform;
}

export interface Component {
  /** Indices into the input, as the dendrogram's leaves 0..n-1. */
  members: Int32Array;
  tree: Dendrogram;
  /** How this component was clustered (the linkage asked for, or the fallback and why). */
  algorithm: string;
}

/** `bytes`: the same file content. `frame`: the whole images match (re-encoded, resized, rotated,
 *  flipped, recoloured). `window`: only with a border trimmed or a crop (an edited copy).
 *  `aligned`: no hash matches, but the verifier aligned the images (cropped, straightened,
 *  overlaid), directly or through a copy it aligned. */
export type MatchKind = 'bytes' | 'frame' | 'window' | 'aligned';

/** The whole-frame hashes of a method come first among its variants: PDQ and its 8 dihedral
 *  variants; any further ones are window hashes. */
const FRAME_VARIANTS = 8;

export interface Clustering {
  components: Component[];
  /** Similarity of any two inputs (1 for one content: identical bytes, pixels or fingerprint;
   *  0 when either is low-information). */
  similarity(i: number, j: number): number;
  /** What makes two inputs alike: identical bytes, their whole frames (possibly rotated or
   *  flipped), or only a window of one (a border trimmed, a crop): see MatchKind. */
  matchedBy(i: number, j: number): MatchKind;
  /** For an `aligned` pair: what aligning them needed ("cropped", "rotated 3°"…). */
  edits(i: number, j: number): readonly string[];
  /** Where input j lies in input i's frame, when the verifier aligned their contents directly. */
  alignment(i: number, j: number): PairTransform | undefined;
  /** The frame variant (0 the original, then DIHEDRAL_NAMES' rotations and flips) that brings
   *  two inputs' whole frames closest, or -1 when no frame hash is within the radius. */
  frameVariant(i: number, j: number): number;
  stats: { candidatePairs: number; components: number; largestComponent: number; lowInformation: number };
  notes: string[];
}

/** What clustering decides from the inputs alone, before their pairs join: which are hashed,
 *  and at what radius. */
export interface ClusteringPlan {
  all: HashCodes;
  digestId: Int32Array;
  /** Inputs with equal content ids are one content (the same pixels or the same fingerprint). */
  contentId: Int32Array;
  options: ClusterOptions;
  /** Hashes of one representative per content with enough quality, searched for pairs. */
  codes: HashCodes;
  radius: number;
  /** Input index of each row of `codes`, and the row (via its content's representative) of each input. */
  hashed: Int32Array;
  codeOf: Int32Array;
  sets: UnionFind;
  lowInformation: number;
  /** Verified pairs as (content id, content id, similarity), and the input representing each content id. */
  verified: ReadonlyArray<VerifiedIdEdge>;
  representative: ReadonlyMap<number, number>;
}

/** The plan of inputs given as packed hashes (one row per input, so millions of synthetic
 *  fingerprints need no objects). `digestId[i] === digestId[j]` means identical bytes;
 *  `contentId[i] === contentId[j]` one content (byte-different copies with the same pixels or
 *  fingerprint, which must have the same hashes in `all`): each content is hashed and verified
 *  once, and its other inputs join it at similarity 1. `verified` is between content ids. */
export function planClustering(
  all: HashCodes,
  digestId: Int32Array,
  quality: Uint8Array,
  options: ClusterOptions,
  verified: ReadonlyArray<VerifiedIdEdge> = [],
  contentId: Int32Array = digestId,
): ClusteringPlan {
  const minQuality = options.minQuality ?? MIN_PDQ_QUALITY;
  const n = all.count;
  const sets = new UnionFind(n);
  // One hashed representative per content; the others join it as exact duplicates.
  const repOfContent = new Map<number, number>();
  const hashed: number[] = [];
  const codeOf = new Int32Array(n).fill(-1);
  let lowInformation = 0;
  for (let i = 0; i < n; i++) {
    const rep = repOfContent.get(contentId[i]!);
    if (rep !== undefined) {
      sets.union(rep, i);
      codeOf[i] = codeOf[rep]!;
      continue;
    }
    repOfContent.set(contentId[i]!, i);
    if (quality[i]! < minQuality) lowInformation++;
    else codeOf[i] = hashed.push(i) - 1;
  }
  return {
    all,
    digestId,
    contentId,
    options,
    codes: hashed.length === n ? all : selectRows(all, hashed),
    radius: radiusForSimilarity(options.method, options.floor ?? SIMILARITY_FLOOR),
    hashed: Int32Array.from(hashed),
    codeOf,
    sets,
    lowInformation,
    verified,
    representative: repOfContent,
  };
}

export function finishClustering(plan: ClusteringPlan, pairs: PairArrays): Clustering {
  const { all, digestId, contentId, options, codes, hashed, codeOf, sets } = plan;
  const denseLimit = options.denseLimit ?? DENSE_COMPONENT_LIMIT;
  const n = all.count;
  const edges: Array<[number, number, number]> = [];
  for (let k = 0; k < pairs.count; k++) {
    const i = hashed[pairs.first[k]!]!;
    const j = hashed[pairs.second[k]!]!;
    sets.union(i, j);
    edges.push([i, j, similarityFromDistance(options.method, pairs.distance[k]!)]);
  }
  for (const [da, db, s] of plan.verified) {
    const [i, j] = [plan.representative.get(da)!, plan.representative.get(db)!];
    sets.union(i, j);
    edges.push([i, j, s]);
  }
  const hashSimilarity = (i: number, j: number): number => {
    if (contentId[i] === contentId[j]) return 1;
    const a = codeOf[i]!;
    const b = codeOf[j]!;
    return a < 0 || b < 0 ? 0 : similarityFromDistance(options.method, pairDistance(codes, a, b, all.words * 32));
  };
  const links = new VerifiedLinks(plan.verified, contentId, plan.representative, hashSimilarity);
  const similarity = (i: number, j: number): number => links.similarity(i, j);
  const matchedBy = (i: number, j: number): MatchKind => {
    if (digestId[i] === digestId[j]) return 'bytes';
    // Byte-different copies of one content (groups.ts says "same pixels" when they are).
    if (contentId[i] === contentId[j]) return 'frame';
    const a = codeOf[i]!;
    const b = codeOf[j]!;
    const hashed = a >= 0 && b >= 0;
    if (hashed && pairDistance(codes, a, b, plan.radius, Math.min(codes.variants, FRAME_VARIANTS)) <= plan.radius) return 'frame';
    if (hashed && codes.variants > FRAME_VARIANTS && pairDistance(codes, a, b, plan.radius) <= plan.radius) return 'window';
    if (links.touches(i) || links.touches(j)) return 'aligned';
    return codes.variants > FRAME_VARIANTS ? 'window' : 'frame';
  };

  const frameVariant = (i: number, j: number): number => {
    const [a, b] = [codeOf[i]!, codeOf[j]!];
    if (a < 0 || b < 0) return -1;
    let [best, bestDistance] = [-1, plan.radius + 1];
    for (let v = 0; v < Math.min(codes.variants, FRAME_VARIANTS); v++) {
      for (const [from, to] of [[a, b], [b, a]] as const) {
        const d = boundedDistance(codes.data, codeOffset(codes, from, v), codeOffset(codes, to, 0), codes.words, bestDistance - 1);
        if (d < bestDistance) [best, bestDistance] = [v, d];
      }
    }
    return best;
  };

  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) pushTo(byRoot, sets.find(i), i);
  const edgesByRoot = new Map<number, Array<[number, number, number]>>();
  const notes: string[] = [];
  const components: Component[] = [];
  let largest = 0;
  for (const [root, list] of byRoot) {
    if (list.length < 2) continue;
    largest = Math.max(largest, list.length);
    const members = Int32Array.from(list);
    if (list.length <= denseLimit) {
      const merges = denseLinkage(list.length, (a, b) => similarity(list[a]!, list[b]!), options.linkage);
      components.push({ members, tree: new Dendrogram(list.length, merges), algorithm: `${options.linkage} linkage` });
      continue;
    }
    if (edgesByRoot.size === 0) for (const e of edges) pushTo(edgesByRoot, sets.find(e[0]), e);
    const local = new Map(list.map((input, k) => [input, k]));
    const localEdges = (edgesByRoot.get(root) ?? []).map(([i, j, s]) => [local.get(i)!, local.get(j)!, s] as [number, number, number]);
    for (const group of sameContentRuns(list, contentId)) for (let k = 1; k < group.length; k++) localEdges.push([local.get(group[0]!)!, local.get(group[k]!)!, 1]);
    const algorithm = `single linkage over ${localEdges.length} candidate pairs (component of ${list.length} photos; ${options.linkage} linkage would need all ${((list.length * (list.length - 1)) / 2).toLocaleString('en-US')} pair similarities)`;
    notes.push(algorithm);
    components.push({ members, tree: new Dendrogram(list.length, sparseSingleLinkage(list.length, localEdges)), algorithm });
  }
  return {
    components,
    similarity,
    matchedBy,
    edits: (i, j) => links.edits(i, j),
    alignment: (i, j) => links.alignment(i, j),
    frameVariant,
    stats: { candidatePairs: edges.length, components: components.length, largestComponent: largest, lowInformation: plan.lowInformation },
    notes,
  };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Members grouped by content (only runs of 2+). */
function sameContentRuns(list: readonly number[], contentId: Int32Array): number[][] {
  const byContent = new Map<number, number[]>();
  for (const i of list) pushTo(byContent, contentId[i]!, i);
  return [...byContent.values()].filter((g) => g.length > 1);
}
