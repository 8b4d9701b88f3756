// Where a candidate lies in its keeper's frame, for the compare view's overlay and difference:
// the verifier's saved verdict when the pair was verified, else main's verifier asked once for
// this pair. Hash matches (a bordered, flipped or resized copy) are never verified while
// grouping; their alignment is kept in memory only, because a verdict row would join the
// clustering's confirmed pairs.
import type { DoppelApi } from '../../../src-core/api';
import type { VerifyImage } from '../../../src-core/hash-protocol';
import { transformBetween, type PairTransform } from '../../../src-core/verify/pair-transform';
import { orderedPair, pairKey } from '../../../src-core/verify/verified-pairs';
import type { DoppelDb } from './db';

export class AlignmentRepository {
  private readonly asked = new Map<string, Promise<PairTransform | undefined>>();

  constructor(
    private readonly db: DoppelDb,
    private readonly api: Pick<DoppelApi, 'verifyPairs'>,
  ) {}

  /** The map from `candidate`'s normalised coordinates to `keeper`'s, or undefined when the
   *  two do not align (a rejected pair, a check that failed, the same content). */
  async candidateInKeeper(candidate: VerifyImage, keeper: VerifyImage): Promise<PairTransform | undefined> {
    if (candidate.digest === keeper.digest) return undefined;
    const key = pairKey(candidate.digest, keeper.digest);
    const stored = await this.db.verdicts.get(key);
    if (stored && !stored.match) return undefined;
    if (stored?.transform) return transformBetween(stored, candidate.digest, keeper.digest);
    let asking = this.asked.get(key);
    if (!asking) {
      asking = this.ask(candidate, keeper, stored !== undefined);
      this.asked.set(key, asking);
    }
    const [a, b] = orderedPair(candidate.digest, keeper.digest);
    const transform = await asking;
    return transform && transformBetween({ a, b, transform }, candidate.digest, keeper.digest);
  }

  /** Asks main with the pair in stored order (b into a's frame). A confirmed verdict saved
   *  before the verifier reported transforms gets its transform added. */
  private async ask(x: VerifyImage, y: VerifyImage, verdictSaved: boolean): Promise<PairTransform | undefined> {
    const [a, b] = x.digest < y.digest ? [x, y] : [y, x];
    const [check] = await this.api.verifyPairs([{ a, b }]).catch(() => [undefined]);
    if (!check || 'error' in check) {
      // Not kept: a later look asks again (main restarted, the file is back).
      this.asked.delete(pairKey(a.digest, b.digest));
      return undefined;
    }
    if (!check.match || !check.transform) return undefined;
    if (verdictSaved) await this.db.verdicts.update(pairKey(a.digest, b.digest), { transform: check.transform });
    return check.transform;
  }
}
