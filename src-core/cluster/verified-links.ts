// Pair similarity once verified pairs join the hash similarities. The verifier confirms a
// crop against one copy (usually the one the candidate signal found), not against all of
// them; average linkage would then dilute that one link among the copies' hash similarities.
// So a verified link also carries over one step: a crop verified against X is as similar to
// X's copies as X is to them (capped by the link), and two edits verified against the same X
// are as similar as their links.

import type { VerifiedIdEdge } from './clustering';
import { invertPairTransform, type PairTransform } from '../verify/pair-transform';

export class VerifiedLinks {
  /** Per digest id: the digest ids it is verified with, and the link's similarity. */
  private readonly links = new Map<number, Array<[number, number]>>();
  private readonly editsOf = new Map<string, readonly string[]>();
  /** Keyed "a:b": where b lies in a's frame. */
  private readonly transforms = new Map<string, PairTransform>();

  constructor(
    verified: ReadonlyArray<VerifiedIdEdge>,
    private readonly digestId: Int32Array,
    private readonly representative: ReadonlyMap<number, number>,
    private readonly hashSimilarity: (i: number, j: number) => number,
  ) {
    for (const [a, b, s, edits, transform] of verified) {
      this.add(a, b, s);
      this.add(b, a, s);
      if (edits) this.editsOf.set(`${Math.min(a, b)}:${Math.max(a, b)}`, edits);
      if (transform) this.transforms.set(`${a}:${b}`, transform);
    }
  }

  /** Where input j lies in input i's frame, from a verified link between their own contents. */
  alignment(i: number, j: number): PairTransform | undefined {
    const [di, dj] = [this.digestId[i]!, this.digestId[j]!];
    const stored = this.transforms.get(`${di}:${dj}`);
    if (stored) return stored;
    const reverse = this.transforms.get(`${dj}:${di}`);
    return reverse ? invertPairTransform(reverse) : undefined;
  }

  /** What aligning i and j needed: their own link's edits, else those of a link of either
   *  (a crop verified against a copy of the keeper is described by that link). */
  edits(i: number, j: number): readonly string[] {
    const [di, dj] = [this.digestId[i]!, this.digestId[j]!];
    const of = (a: number, b: number) => this.editsOf.get(`${Math.min(a, b)}:${Math.max(a, b)}`);
    const direct = of(di, dj);
    if (direct) return direct;
    for (const [from, list] of [[di, this.links.get(di)], [dj, this.links.get(dj)]] as const) for (const [other] of list ?? []) if (of(from, other)) return of(from, other)!;
    return [];
  }

  /** Whether input `i` has any verified link. */
  touches(i: number): boolean {
    return this.links.has(this.digestId[i]!);
  }

  similarity(i: number, j: number): number {
    const [di, dj] = [this.digestId[i]!, this.digestId[j]!];
    const li = this.links.get(di);
    const lj = this.links.get(dj);
    if (!li && !lj) return this.hashSimilarity(i, j);
    let best = this.direct(di, dj);
    // Paths i → k → … → l ← j with at most one verified step on each side.
    for (const [k, sk] of li ?? []) best = Math.max(best, Math.min(sk, this.direct(k, dj)));
    for (const [l, sl] of lj ?? []) best = Math.max(best, Math.min(sl, this.direct(di, l)));
    for (const [k, sk] of li ?? []) for (const [l, sl] of lj ?? []) if (k === l) best = Math.max(best, Math.min(sk, sl));
    return best;
  }

  /** Hash similarity of two digests, raised by a verified link between them. */
  private direct(a: number, b: number): number {
    if (a === b) return 1;
    const hash = this.hashSimilarity(this.representative.get(a)!, this.representative.get(b)!);
    const link = this.links.get(a)?.find(([other]) => other === b);
    return link ? Math.max(hash, link[1]) : hash;
  }

  private add(from: number, to: number, similarity: number): void {
    const list = this.links.get(from);
    if (list) list.push([to, similarity]);
    else this.links.set(from, [[to, similarity]]);
  }
}
