// The verification stage on the dev set: every signal's candidate pairs, verified once by the
// product's worker pool and cached by digest pair (the set's verdictCache) until the
// fingerprints change or --rehash.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fingerprintContents, searchableContents } from '../../src-core/grouping/contents';
import { proposePairs, readFromInputs } from '../../src-core/grouping/pipeline';
import type { Fingerprint } from '../../src-core/fingerprint';
import { DEFAULT_METHOD } from '../../src-core/similarity/methods';
import type { CandidatePair } from '../../src-core/verify/candidates';
import { decisionOf, pairKey, type PairCheck, type PairDecision } from '../../src-core/verify/verified-pairs';
import { forkWorkerFactory } from '../../src-main/hash/fork-worker';
import { WorkerPool } from '../../src-main/hash/pool';
import type { DevSet } from './devset';
import type { ContainsReport } from './metrics';

export interface DevVerification {
  candidates: CandidatePair[];
  /** One per candidate pair that could be checked, with the signals that proposed it. */
  decisions: PairDecision[];
  /** Milliseconds per verified pair, as the worker measured them. */
  pairMs: number[];
  errors: string[];
}

export async function verifyDevSet(dev: DevSet, rehash: boolean): Promise<DevVerification> {
  const inputs = dev.fingerprints.filter((f): f is Fingerprint => f !== undefined);
  const candidates = devSetCandidates(inputs);
  const checks = rehash ? new Map<string, PairCheck>() : readCache(dev);
  const missing = candidates.filter((c) => !checks.has(pairKey(c.a, c.b)));
  const errors: string[] = [];
  if (missing.length > 0) {
    console.error(`Verifying ${missing.length} candidate pairs …`);
    const pool = new WorkerPool({ createWorker: forkWorkerFactory() });
    try {
      await Promise.all(
        missing.map(async (c) => {
          const [fa, fb] = [inputs[c.inputA]!, inputs[c.inputB]!];
          const check = await pool.verify({ path: fa.path, digest: fa.digest }, { path: fb.path, digest: fb.digest });
          if ('error' in check) errors.push(`${fa.path} ↔ ${fb.path}: ${check.error}`);
          else checks.set(pairKey(c.a, c.b), check);
        }),
      );
    } finally {
      await pool.close();
    }
    writeFileSync(dev.verdictCache, [...checks].map(([key, check]) => JSON.stringify({ key, check })).join('\n') + '\n');
  }
  const decisions = candidates.flatMap((c): PairDecision[] => {
    const check = checks.get(pairKey(c.a, c.b));
    return check ? [decisionOf(c, check)] : [];
  });
  const pairMs = candidates.flatMap((c) => checks.get(pairKey(c.a, c.b))?.ms ?? []);
  return { candidates, decisions, pairMs, errors };
}

/** The verdicts that one image holds the other, as (holder, held) dev-set file indices (every
 *  file with that digest). */
export function reportedContains(dev: DevSet, decisions: PairDecision[]): ContainsReport {
  const filesOf = new Map<string, number[]>();
  dev.fingerprints.forEach((f, i) => f && filesOf.set(f.digest, [...(filesOf.get(f.digest) ?? []), i]));
  return decisions.flatMap((d): ContainsReport => {
    if (!d.contains) return [];
    const [holder, held] = d.contains === 'a' ? [d.a, d.b] : [d.b, d.a];
    return (filesOf.get(holder) ?? []).flatMap((h) => (filesOf.get(held) ?? []).map((p): [number, number] => [h, p]));
  });
}

/** The pairs the product proposes with its default signals (no embeddings) and with
 *  embeddings on, merged: the library-wide budget (pairsPerPhoto) ranks each set on its own,
 *  so a configuration without embeddings is measured on the pairs it would really get. */
function devSetCandidates(inputs: Fingerprint[]): CandidatePair[] {
  const merged = new Map<string, CandidatePair>();
  for (const source of [inputs.map(({ embedding: _embedding, ...f }) => f), inputs]) {
    const { contents, holder } = fingerprintContents(source, DEFAULT_METHOD);
    for (const pair of readFromInputs(proposePairs(contents, searchableContents(contents, { method: DEFAULT_METHOD })), holder)) {
      const key = pairKey(pair.a, pair.b);
      const known = merged.get(key);
      if (known) known.signals = [...new Set([...known.signals, ...pair.signals])];
      else merged.set(key, pair);
    }
  }
  return [...merged.values()];
}

function readCache(dev: DevSet): Map<string, PairCheck> {
  const checks = new Map<string, PairCheck>();
  if (!existsSync(dev.verdictCache) || statSync(dev.verdictCache).mtimeMs < statSync(dev.fingerprintCache).mtimeMs) return checks;
  for (const line of readFileSync(dev.verdictCache, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const { key, check } = JSON.parse(line) as { key: string; check: PairCheck };
    checks.set(key, check);
  }
  return checks;
}
