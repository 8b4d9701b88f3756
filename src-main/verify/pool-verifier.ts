// The CLI's verifier (src-core/grouping/pipeline.ts PairVerifier): checks candidate pairs in a
// pool of worker processes, started only when there is a pair to check.
import type { CandidatePair } from '../../src-core/verify/candidates';
import type { PairDecision } from '../../src-core/verify/verified-pairs';
import { forkWorkerFactory } from '../hash/fork-worker';
import { WorkerPool } from '../hash/pool';

export interface VerifiedFile {
  path: string;
  digest: string;
}

export interface PoolVerification {
  candidatePairs: number;
  decisions: PairDecision[];
  /** Pairs the worker could not check (unreadable file, crash): left undecided. */
  errors: Array<{ a: string; b: string; error: string }>;
  ms: number;
}

/** `files[c.inputA]` and `files[c.inputB]` are where each candidate's images are read. */
export async function verifyInPool(files: ReadonlyArray<VerifiedFile>, candidates: ReadonlyArray<CandidatePair>, options: { workers?: number } = {}): Promise<PoolVerification> {
  const started = Date.now();
  const run: PoolVerification = { candidatePairs: candidates.length, decisions: [], errors: [], ms: 0 };
  if (candidates.length > 0) {
    const pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: options.workers });
    try {
      await Promise.all(
        candidates.map(async (c) => {
          const [fa, fb] = [files[c.inputA]!, files[c.inputB]!];
          const check = await pool.verify({ path: fa.path, digest: fa.digest }, { path: fb.path, digest: fb.digest });
          if ('error' in check) run.errors.push({ a: fa.path, b: fb.path, error: check.error });
          else run.decisions.push({ a: c.a, b: c.b, match: check.match, score: check.score, edits: check.edits, signals: c.signals, ...(check.transform ? { transform: check.transform } : {}) });
        }),
      );
    } finally {
      await pool.close();
    }
  }
  return { ...run, ms: Date.now() - started };
}
