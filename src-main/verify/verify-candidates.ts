// Runs the verification stage over candidate pairs in the worker pool, deciding each pair
// once: decisions already known (cached by digest pair) are reused, not re-verified.
import type { CandidatePair } from '../../src-core/verify/candidates';
import { pairKey, type PairDecision } from '../../src-core/verify/verified-pairs';
import type { WorkerPool } from '../hash/pool';

export interface VerifiedFile {
  path: string;
  digest: string;
}

export interface VerificationRun {
  decisions: PairDecision[];
  /** Pairs verified in this run (the rest came from `known`). */
  verified: number;
  /** Pairs the worker could not check (unreadable file, crash): left undecided, retried next time. */
  errors: Array<{ a: string; b: string; error: string }>;
}

export async function verifyCandidates(
  pool: Pick<WorkerPool, 'verify'>,
  files: ReadonlyArray<VerifiedFile>,
  candidates: ReadonlyArray<CandidatePair>,
  known: ReadonlyMap<string, PairDecision> = new Map(),
  onDecision?: (decision: PairDecision) => void,
): Promise<VerificationRun> {
  const run: VerificationRun = { decisions: [], verified: 0, errors: [] };
  await Promise.all(
    candidates.map(async (c) => {
      const cached = known.get(pairKey(c.a, c.b));
      if (cached) {
        run.decisions.push({ ...cached, signals: c.signals });
        return;
      }
      const [fa, fb] = [files[c.inputA]!, files[c.inputB]!];
      const check = await pool.verify({ path: fa.path, digest: fa.digest }, { path: fb.path, digest: fb.digest });
      if ('error' in check) {
        run.errors.push({ a: fa.path, b: fb.path, error: check.error });
        return;
      }
      const decision: PairDecision = { a: c.a, b: c.b, match: check.match, score: check.score, edits: check.edits, signals: c.signals };
      run.verified++;
      run.decisions.push(decision);
      onDecision?.(decision);
    }),
  );
  return run;
}
