// The verification stage for a whole set of fingerprints (the CLI and benchmarks): propose
// candidate pairs, verify them in a pool of worker processes, and report.
import type { ClusteringPlan } from '../../src-core/cluster/library';
import { proposeCandidates, type CandidateInput } from '../../src-core/verify/candidates';
import type { PairDecision } from '../../src-core/verify/verified-pairs';
import { forkWorkerFactory } from '../hash/fork-worker';
import { WorkerPool } from '../hash/pool';
import { verifyCandidates, type VerificationRun, type VerifiedFile } from './verify-candidates';

export interface LibraryVerification extends VerificationRun {
  candidatePairs: number;
  ms: number;
}

export async function verifyLibrary(
  files: ReadonlyArray<CandidateInput & VerifiedFile>,
  plan: ClusteringPlan,
  options: { workers?: number; known?: ReadonlyMap<string, PairDecision>; onDecision?: (d: PairDecision) => void } = {},
): Promise<LibraryVerification> {
  const started = Date.now();
  const candidates = proposeCandidates(files, plan);
  if (candidates.length === 0) return { decisions: [], verified: 0, errors: [], candidatePairs: 0, ms: Date.now() - started };
  const pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: options.workers });
  try {
    const run = await verifyCandidates(pool, files, candidates, options.known, options.onDecision);
    return { ...run, candidatePairs: candidates.length, ms: Date.now() - started };
  } finally {
    await pool.close();
  }
}
