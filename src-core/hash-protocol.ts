// Messages between the HashPool (main process, CLI or host) and one hash worker process.
import type { HashMode, HashOutcome } from './fingerprint';

export type HashWorkerRequest =
  | { type: 'hash'; id: number; path: string; mode: HashMode }
  | { type: 'usage' }
  /** Desktop app only: comes with a MessagePort to a renderer; the worker then posts every
   *  outcome straight to it (see result-ports.ts). */
  | { type: 'results-port' };

export type HashWorkerResponse =
  | { type: 'ready' }
  /** `delivered`: the outcome already went straight to the renderer over a results port. */
  | { type: 'result'; id: number; outcome: HashOutcome; delivered?: boolean }
  | { type: 'usage'; maxRssBytes: number };

/** What a results port carries, one message per outcome. */
export interface PortedOutcome {
  outcome: HashOutcome;
}
