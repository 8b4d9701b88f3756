// The multi-index pair search split across worker threads by chunks (each pair is reported
// by exactly one chunk, so the parts just concatenate).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { searchPairsHere } from '../../src-core/grouping/pipeline';
import type { HashCodes } from '../../src-core/similarity/hash-codes';
import { MultiIndex } from '../../src-core/similarity/multi-index';
import type { PairArrays } from '../../src-core/similarity/pair-buffer';
import { builtEntryPath } from '../hash/fork-worker';

export interface PairsJob {
  shared: SharedArrayBuffer;
  count: number;
  words: number;
  variants: number;
  radius: number;
  firstChunk: number;
  endChunk: number;
}

/** Below this many hashes, starting threads costs more than it saves. */
const MIN_PARALLEL_COUNT = 20_000;

export async function searchPairsInWorkers(codes: HashCodes, radius: number, threads = availableParallelism(), minCount = MIN_PARALLEL_COUNT): Promise<PairArrays> {
  const chunkCount = new MultiIndex(codes, radius).chunkCount;
  const parts = Math.min(threads, chunkCount);
  if (codes.count < minCount || parts < 2) return searchPairsHere(codes, radius);
  let shared = codes.data.buffer;
  if (!(shared instanceof SharedArrayBuffer) || codes.data.byteOffset !== 0) {
    shared = new SharedArrayBuffer(codes.data.byteLength);
    new Uint32Array(shared).set(codes.data);
  }
  const jobs: PairsJob[] = Array.from({ length: parts }, (_, k) => ({
    shared: shared as SharedArrayBuffer,
    count: codes.count,
    words: codes.words,
    variants: codes.variants,
    radius,
    firstChunk: Math.round((k * chunkCount) / parts),
    endChunk: Math.round(((k + 1) * chunkCount) / parts),
  }));
  const results = await Promise.all(jobs.map(runJob));
  return concatenate(results);
}

function runJob(job: PairsJob): Promise<PairArrays> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(builtEntryPath('pairs-worker.js'), { workerData: job });
    worker.once('message', (result: PairArrays) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function concatenate(parts: PairArrays[]): PairArrays {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const out: PairArrays = { count, first: new Int32Array(count), second: new Int32Array(count), distance: new Uint16Array(count) };
  let at = 0;
  for (const p of parts) {
    out.first.set(p.first, at);
    out.second.set(p.second, at);
    out.distance.set(p.distance, at);
    at += p.count;
  }
  return out;
}
