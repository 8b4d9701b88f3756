// The CLI's verifier (src-core/grouping/pipeline.ts PairVerifier): checks candidate pairs in a
// pool of worker processes, started only when there is a pair to check; pairs sharing an
// image go to one worker together, which decodes and detects it once.
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

const image = ({ path, digest }: VerifiedFile) => ({ path, digest });

/** `files[c.inputA]` and `files[c.inputB]` are where each candidate's images are read. */
export async function verifyInPool(files: ReadonlyArray<VerifiedFile>, candidates: ReadonlyArray<CandidatePair>, options: { workers?: number } = {}): Promise<PoolVerification> {
  const started = Date.now();
  const run: PoolVerification = { candidatePairs: candidates.length, decisions: [], errors: [], ms: 0 };
  if (candidates.length > 0) {
    const pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: options.workers });
    try {
      const checks = await pool.verifyPairs(candidates.map((c) => ({ a: image(files[c.inputA]!), b: image(files[c.inputB]!) })));
      candidates.forEach((c, i) => {
        const check = checks[i]!;
        if ('error' in check) run.errors.push({ a: files[c.inputA]!.path, b: files[c.inputB]!.path, error: check.error });
        else run.decisions.push({ a: c.a, b: c.b, match: check.match, score: check.score, edits: check.edits, signals: c.signals, ...(check.transform ? { transform: check.transform } : {}) });
      });
    } finally {
      await pool.close();
    }
  }
  return { ...run, ms: Date.now() - started };
}
