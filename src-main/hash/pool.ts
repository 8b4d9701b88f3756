// WorkerPool: a bounded queue of jobs (hash a file, verify a pair, render a view image) feeding
// N worker processes, one job per worker at a time, so a worker that crashes or hangs costs
// exactly one job, and the failure names that job. Transport-agnostic: the app plugs in
// Electron utility processes, the CLI/host/tests plug in child_process.fork.
import { availableParallelism } from 'node:os';
import type { HashErrorInfo, HashMode, HashOutcome } from '../../src-core/fingerprint';
import type { HashWorkerRequest, HashWorkerResponse, VerifyImage } from '../../src-core/hash-protocol';
import type { PairCheck } from '../../src-core/verify/verified-pairs';
import { batchPairsByImage, lanes, nextBatch } from '../verify/route-pairs';
import { SamePixelsRegistry, withFileFacts } from './same-pixels';

export interface WorkerHandle {
  send(message: HashWorkerRequest): void;
  onMessage(listener: (message: HashWorkerResponse) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}
export type WorkerFactory = () => WorkerHandle;

export interface WorkerPoolOptions {
  createWorker: WorkerFactory;
  /** Worker processes; default: one per CPU core (libvips runs one thread in each). */
  size?: number;
  /** A job running longer than this is abandoned and its worker replaced. */
  jobTimeoutMs?: number;
  /** Queue length at which `whenRoom()` makes producers wait. */
  maxQueued?: number;
}

export interface PoolStats {
  queued: number;
  running: number;
  done: number;
  failed: number;
  workers: number;
  /** Files that took another file's decode (HashJobOptions.samePixels). */
  samePixels: number;
}

export const DEFAULT_JOB_TIMEOUT_MS = 120_000;
/** Workers that die before saying "ready" this many times in a row mean a broken install. */
const MAX_STARTUP_FAILURES = 3;

/** One unit of work for one worker: hashing a file, verifying a pair, or rendering a view image. */
interface Job {
  id: number;
  request: HashWorkerRequest;
  /** What the job is, named in its failure: "hash of /photos/a.jpg". */
  label: string;
  /** Hands the worker's message to the job's caller. */
  answer: (message: HashWorkerResponse) => void;
  fail: (error: HashErrorInfo) => void;
}

export interface HashJobOptions {
  /** Also compute the embedding code (slower: see Fingerprint.embedding). */
  embedding?: boolean;
  /** Also compute the local features (slower: see Fingerprint.orb). */
  localFeatures?: boolean;
  /** Open the file only inside these folders (HashWorkerRequest). */
  within?: string[];
  /** Decode the same pixels once per pool: a byte-different copy of a file hashed (or being
   *  hashed) by this pool takes its fingerprint with its own file fields (same-pixels.ts). For
   *  the CLI: such a copy gets no thumbnail of its own. */
  samePixels?: boolean;
}

/** A finished job: `delivered` when the worker already posted the outcome to the renderer. */
export interface HashJobDone {
  outcome: HashOutcome;
  delivered: boolean;
}

interface Slot {
  handle: WorkerHandle;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  usageWaiters: Array<(bytes: number) => void>;
}

export class WorkerPool {
  private readonly size: number;
  private readonly jobTimeoutMs: number;
  private readonly maxQueued: number;
  private readonly queue: Job[] = [];
  private readonly slots = new Set<Slot>();
  private readonly roomWaiters: Array<() => void> = [];
  /** close() waiting for the running jobs to end. */
  private readonly idleWaiters: Array<() => void> = [];
  private nextId = 1;
  private paused = false;
  private closed = false;
  private startupFailures = 0;
  private done = 0;
  private failed = 0;
  private readonly samePixels = new SamePixelsRegistry();
  private reusedDecodes = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.jobTimeoutMs = options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
    this.maxQueued = Math.max(1, options.maxQueued ?? this.size * 4);
  }

  /** Hashes one file. Never rejects: failures come back as `{ ok: false, error }`. */
  async hash(path: string, mode: HashMode = 'product', options: HashJobOptions = {}): Promise<HashOutcome> {
    return (await this.hashJob(path, mode, options)).outcome;
  }

  /** The same, saying whether the worker delivered the outcome to the renderer itself. */
  hashJob(path: string, mode: HashMode = 'product', options: HashJobOptions = {}): Promise<HashJobDone> {
    const counted = (outcome: HashOutcome, delivered = false): HashJobDone => {
      if (outcome.ok) this.done++;
      else this.failed++;
      return { outcome, delivered };
    };
    return this.submit<HashJobDone>({
      label: `hash of ${path}`,
      request: (id) => ({ type: 'hash', id, path, mode, ...(options.embedding ? { embedding: true } : {}), ...(options.localFeatures ? { localFeatures: true } : {}), ...(options.within ? { within: options.within } : {}), ...(options.samePixels ? { samePixels: true } : {}) }),
      answer: (message) => (message.type === 'result' ? counted(message.outcome, message.delivered ?? false) : undefined),
      failed: (error) => counted(failure(path, error)),
    });
  }

  /** Verifies a candidate pair in a worker (see src-main/verify). Never rejects: a worker that
   *  fails or crashes on it gives `{ error }`. */
  verify(a: VerifyImage, b: VerifyImage, within?: string[]): Promise<PairCheck | { error: string }> {
    return this.submit<PairCheck | { error: string }>({
      label: `verify of ${a.path} and ${b.path}`,
      request: (id) => ({ type: 'verify', id, a, b, ...(within ? { within } : {}) }),
      answer: (message) => (message.type === 'verdict' ? message.check : undefined),
      failed: (error) => ({ error: error.message }),
    });
  }

  /** Verifies many pairs, routed so pairs sharing an image go to one worker together (it
   *  decodes and detects that image once), each worker through its own lane of batches while it
   *  lasts (route-pairs.ts). Answers in the pairs' order; never rejects: a pair whose batch
   *  failed or crashed gives `{ error }`. */
  async verifyPairs(pairs: ReadonlyArray<{ a: VerifyImage; b: VerifyImage }>, within?: string[]): Promise<Array<PairCheck | { error: string }>> {
    const checks = new Array<PairCheck | { error: string }>(pairs.length);
    const all = lanes(batchPairsByImage(pairs.map(({ a, b }) => [a.digest, b.digest] as const), this.size), this.size);
    // One batch in flight per lane: the next one goes to the worker that just finished a batch
    // of the same lane (the only one free), whose cache holds the lane's images.
    await Promise.all(
      all.map(async (own) => {
        for (let batch = nextBatch(own, all); batch; batch = nextBatch(own, all)) {
          const members = batch.map((i) => pairs[i]!);
          const answers = await this.submit<Array<PairCheck | { error: string }>>({
            label: members.length === 1 ? `verify of ${members[0]!.a.path} and ${members[0]!.b.path}` : `verify of ${members.length} pairs from ${members[0]!.a.path}`,
            request: (id) => ({ type: 'verify-batch', id, pairs: members, ...(within ? { within } : {}) }),
            answer: (message) => (message.type === 'verdicts' ? message.checks : undefined),
            failed: (error) => members.map(() => ({ error: error.message })),
          });
          batch.forEach((pairIndex, k) => (checks[pairIndex] = answers[k] ?? { error: 'the worker gave no verdict for this pair' }));
        }
      }),
    );
    return checks;
  }

  /** Writes the full-size view image of `path` (SHA-256 `digest`) to `output` in a worker (see
   *  hash/view-image.ts). Never rejects: a failure or a crashed worker gives `{ error }`. */
  renderView(path: string, digest: string, output: string): Promise<{ error?: HashErrorInfo }> {
    return this.submit<{ error?: HashErrorInfo }>({
      label: `view of ${path}`,
      request: (id) => ({ type: 'view', id, path, digest, output }),
      answer: (message) => (message.type === 'view' ? (message.error ? { error: message.error } : {}) : undefined),
      failed: (error) => ({ error }),
    });
  }

  /** Queues one job; its promise settles with `answer`'s value for the worker's reply, or with
   *  `failed` if the job ends without one (crash, timeout, cancel, a closed pool). */
  private submit<T>(job: { label: string; request: (id: number) => HashWorkerRequest; answer: (message: HashWorkerResponse) => T | undefined; failed: (error: HashErrorInfo) => T }): Promise<T> {
    if (this.closed) return Promise.resolve(job.failed({ kind: 'cancelled', message: `the worker pool was closed before the ${job.label}` }));
    return new Promise<T>((settle) => {
      const id = this.nextId++;
      this.queue.push({
        id,
        label: job.label,
        request: job.request(id),
        answer: (message) => {
          const value = job.answer(message);
          if (value !== undefined) settle(value);
        },
        fail: (error) => settle(job.failed(error)),
      });
      this.dispatch();
    });
  }

  /** Back-pressure for producers: resolves once fewer than `maxQueued` jobs wait. */
  async whenRoom(): Promise<void> {
    while (this.queue.length >= this.maxQueued && !this.closed) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.dispatch();
  }

  /** Drops every job not yet started (they settle as `cancelled`); running jobs finish. */
  cancel(): void {
    const dropped = this.queue.splice(0);
    for (const job of dropped) job.fail({ kind: 'cancelled', message: `the ${job.label} was cancelled before it started` });
    this.wakeProducers();
  }

  stats(): PoolStats {
    return { queued: this.queue.length, running: this.running(), done: this.done, failed: this.failed, workers: this.slots.size, samePixels: this.reusedDecodes };
  }

  private running(): number {
    let running = 0;
    for (const slot of this.slots) if (slot.job) running++;
    return running;
  }

  /** Peak resident memory of each live worker, in bytes (for benchmarks and diagnostics). */
  async workerPeakRss(): Promise<number[]> {
    const asks = [...this.slots].filter((s) => s.ready).map(
      (slot) =>
        new Promise<number>((resolve) => {
          slot.usageWaiters.push(resolve);
          slot.handle.send({ type: 'usage' });
        }),
    );
    return Promise.all(asks);
  }

  /** Cancels what is queued, waits for running jobs, then stops every worker. */
  async close(): Promise<void> {
    this.cancel();
    this.closed = true;
    this.wakeProducers();
    while (this.running() > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    for (const slot of this.slots) this.retire(slot);
  }

  private dispatch(): void {
    if (this.paused) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && !slot.job) this.start(slot, this.queue.shift()!);
    }
    const idleStarting = [...this.slots].filter((s) => !s.ready).length;
    let missing = Math.min(this.size - this.slots.size, this.queue.length - idleStarting);
    while (missing-- > 0) this.spawn();
    this.wakeProducers();
  }

  private spawn(): void {
    const slot: Slot = { handle: this.options.createWorker(), ready: false, usageWaiters: [] };
    this.slots.add(slot);
    slot.handle.onMessage((message) => this.onWorkerMessage(slot, message));
    slot.handle.onExit((code) => this.onWorkerExit(slot, code));
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.timer = setTimeout(() => {
      this.abandon(slot, { kind: 'timeout', message: `the ${job.label} took longer than ${Math.round(this.jobTimeoutMs / 1000)} s; the worker was restarted` });
    }, this.jobTimeoutMs);
    slot.handle.send(job.request);
  }

  private onWorkerMessage(slot: Slot, message: HashWorkerResponse): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.startupFailures = 0;
      this.dispatch();
    } else if (message.type === 'usage') {
      slot.usageWaiters.shift()?.(message.maxRssBytes);
    } else if (message.type === 'same-pixels') {
      this.onSamePixels(slot, message);
    } else if (slot.job && message.id === slot.job.id) {
      const job = slot.job;
      this.release(slot);
      job.answer(message);
      this.dispatch();
    }
  }

  private onWorkerExit(slot: Slot, code: number | null): void {
    if (!this.slots.has(slot)) return; // retired on purpose
    this.slots.delete(slot);
    for (const waiter of slot.usageWaiters.splice(0)) waiter(0);
    if (!slot.ready && ++this.startupFailures >= MAX_STARTUP_FAILURES) {
      this.failQueued(`the worker could not start (exit code ${code}); check the installation`);
      return;
    }
    const job = slot.job;
    this.release(slot);
    if (job) job.fail({ kind: 'crashed', message: `the worker crashed during the ${job.label} (exit code ${code}); other jobs are unaffected` });
    this.dispatch();
  }

  /** A worker is about to decode a file: the first job with its key decodes it; a later one
   *  frees its worker and takes that job's fingerprint when it comes. */
  private onSamePixels(slot: Slot, { id, key, file }: Extract<HashWorkerResponse, { type: 'same-pixels' }>): void {
    const job = slot.job;
    if (!job || job.id !== id) return;
    const claim = this.samePixels.claim(key);
    slot.handle.send({ type: 'same-pixels-answer', id, decode: claim.decode });
    if (claim.decode) {
      const { answer, fail } = job;
      job.answer = (message) => {
        if (message.type === 'result') this.samePixels.finished(key, message.outcome.ok ? message.outcome.fingerprint : undefined);
        answer(message);
      };
      job.fail = (error) => {
        this.samePixels.finished(key, undefined);
        fail(error);
      };
      return;
    }
    this.release(slot);
    this.dispatch();
    void claim.source.then((source) => {
      if (source) {
        this.reusedDecodes++;
        job.answer({ type: 'result', id, outcome: { ok: true, fingerprint: withFileFacts(source, file) } });
      }
      else if (this.closed) job.fail({ kind: 'cancelled', message: `the worker pool was closed before the ${job.label}` });
      else {
        // The decode it waited for failed: this file is decoded on its own.
        this.queue.unshift({ ...job, request: job.request.type === 'hash' ? { ...job.request, samePixels: false } : job.request });
        this.dispatch();
      }
    });
  }

  /** Gives up on a hung job: kill its worker (a replacement starts on demand). */
  private abandon(slot: Slot, error: HashErrorInfo): void {
    const job = slot.job;
    this.retire(slot);
    if (job) job.fail(error);
    this.dispatch();
  }

  private retire(slot: Slot): void {
    this.slots.delete(slot);
    this.release(slot);
    slot.handle.kill();
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    if (this.running() === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private failQueued(reason: string): void {
    for (const job of this.queue.splice(0)) job.fail({ kind: 'crashed', message: `the ${job.label} did not run: ${reason}` });
    this.wakeProducers();
  }

  private wakeProducers(): void {
    while (this.roomWaiters.length > 0 && (this.queue.length < this.maxQueued || this.closed)) this.roomWaiters.shift()!();
  }
}

function failure(path: string, error: HashErrorInfo): HashOutcome {
  return { ok: false, path, error };
}
