// Worker thread: runs the multi-index over some of its chunks on hashes shared with the
// main thread, and sends the pairs back.
import { parentPort, workerData } from 'node:worker_threads';
import { MultiIndex } from '../../src-core/similarity/multi-index';
import { PairBuffer } from '../../src-core/similarity/pair-buffer';
import type { PairsJob } from './parallel-pairs';

const job = workerData as PairsJob;
const codes = { count: job.count, words: job.words, variants: job.variants, data: new Uint32Array(job.shared) };
const pairs = new PairBuffer();
new MultiIndex(codes, job.radius).forEachPair((i, j, d) => pairs.push(i, j, d), job.firstChunk, job.endChunk);
const result = pairs.toArrays();
// slice() made these plain ArrayBuffers, so they can move instead of being copied.
parentPort!.postMessage(result, [result.first.buffer as ArrayBuffer, result.second.buffer as ArrayBuffer, result.distance.buffer as ArrayBuffer]);
