// The CLI's verifier (src-core/grouping/pipeline.ts PairVerifier): checks candidate pairs in a
// pool of worker processes, started only when there is a pair to check; pairs sharing an
// image go to one worker together, which decodes and detects it once, and the workers share
// what they detected through a temporary feature store for the run (an image both workers
// need is detected once).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandidatePair } from '../../src-core/verify/candidates';
import { decisionOf, type PairDecision } from '../../src-core/verify/verified-pairs';
import { builtWorkerPath, forkWorkerFactory } from '../hash/fork-worker';
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
    const runFeatures = await mkdtemp(join(tmpdir(), 'doppel-features-'));
    const pool = new WorkerPool({ createWorker: forkWorkerFactory(builtWorkerPath(), { env: { ...process.env, DOPPEL_RUN_FEATURE_DIR: runFeatures } }), size: options.workers });
    try {
      const checks = await pool.verifyPairs(candidates.map((c) => ({ a: image(files[c.inputA]!), b: image(files[c.inputB]!) })));
      candidates.forEach((c, i) => {
        const check = checks[i]!;
        if ('error' in check) run.errors.push({ a: files[c.inputA]!.path, b: files[c.inputB]!.path, error: check.error });
        else run.decisions.push(decisionOf(c, check));
      });
    } finally {
      await pool.close();
      await rm(runFeatures, { recursive: true, force: true });
    }
  }
  return { ...run, ms: Date.now() - started };
}
