// Messages between the HashPool (main process, CLI or host) and one hash worker process.
import type { HashMode, HashOutcome } from './fingerprint';

export type HashWorkerRequest =
  | { type: 'hash'; id: number; path: string; mode: HashMode }
  | { type: 'usage' };

export type HashWorkerResponse =
  | { type: 'ready' }
  | { type: 'result'; id: number; outcome: HashOutcome }
  | { type: 'usage'; maxRssBytes: number };
