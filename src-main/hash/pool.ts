// WorkerPool: a bounded queue feeding N worker processes, one job per worker at a time, so a
// worker that crashes or hangs costs exactly one job. Transport-agnostic: the app plugs in
// Electron utility processes, the CLI/host/tests plug in child_process.fork.
import { availableParallelism } from 'node:os';
import type { HashErrorInfo, HashMode, HashOutcome } from '../../src-core/fingerprint';
import type { HashWorkerRequest, HashWorkerResponse, VerifyImage } from '../../src-core/hash-protocol';
import type { PairCheck } from '../../src-core/verify/verified-pairs';

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
}

export const DEFAULT_JOB_TIMEOUT_MS = 120_000;
/** Workers that die before saying "ready" this many times in a row mean a broken install. */
const MAX_STARTUP_FAILURES = 3;

/** One unit of work for one worker: hashing a file, verifying a pair, or rendering a view image. */
interface Job {
  id: number;
  request: HashWorkerRequest;
  /** Named in the failure when the job ends without an answer. */
  path: string;
  /** The worker's answer to this job. */
  answer: (message: HashWorkerResponse) => void;
  fail: (error: HashErrorInfo) => void;
}

export interface HashJobOptions {
  /** Also compute the embedding code (slower: see Fingerprint.embedding). */
  embedding?: boolean;
  /** Open the file only inside these folders (HashWorkerRequest). */
  within?: string[];
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
  private nextId = 1;
  private paused = false;
  private closed = false;
  private startupFailures = 0;
  private done = 0;
  private failed = 0;

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
    if (this.closed) return Promise.resolve({ outcome: failure(path, { kind: 'cancelled', message: 'the hash pool was closed' }), delivered: false });
    return new Promise<HashJobDone>((settle) => {
      const id = this.nextId++;
      const done = (outcome: HashOutcome, delivered = false) => {
        if (outcome.ok) this.done++;
        else this.failed++;
        settle({ outcome, delivered });
      };
      this.enqueue({
        id,
        path,
        request: { type: 'hash', id, path, mode, ...(options.embedding ? { embedding: true } : {}), ...(options.within ? { within: options.within } : {}) },
        answer: (message) => {
          if (message.type === 'result') done(message.outcome, message.delivered ?? false);
        },
        fail: (error) => done(failure(path, error)),
      });
    });
  }

  /** Verifies a candidate pair in a worker (see src-main/verify). Never rejects: a worker that
   *  fails or crashes on it gives `{ error }`. */
  verify(a: VerifyImage, b: VerifyImage, within?: string[]): Promise<PairCheck | { error: string }> {
    if (this.closed) return Promise.resolve({ error: 'the worker pool was closed' });
    return new Promise((settle) => {
      const id = this.nextId++;
      this.enqueue({
        id,
        path: a.path,
        request: { type: 'verify', id, a, b, ...(within ? { within } : {}) },
        answer: (message) => {
          if (message.type === 'verdict') settle(message.check);
        },
        fail: (error) => settle({ error: error.message }),
      });
    });
  }

  /** Writes the full-size view image of `path` (SHA-256 `digest`) to `output` in a worker (see
   *  hash/view-image.ts). Never rejects: a failure or a crashed worker gives `{ error }`. */
  renderView(path: string, digest: string, output: string): Promise<{ error?: HashErrorInfo }> {
    if (this.closed) return Promise.resolve({ error: { kind: 'cancelled', message: 'the worker pool was closed' } });
    return new Promise((settle) => {
      const id = this.nextId++;
      this.enqueue({
        id,
        path,
        request: { type: 'view', id, path, digest, output },
        answer: (message) => {
          if (message.type === 'view') settle(message.error ? { error: message.error } : {});
        },
        fail: (error) => settle({ error }),
      });
    });
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    this.dispatch();
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
    for (const job of dropped) job.fail({ kind: 'cancelled', message: 'cancelled before it was hashed' });
    this.wakeProducers();
  }

  stats(): PoolStats {
    let running = 0;
    for (const slot of this.slots) if (slot.job) running++;
    return { queued: this.queue.length, running, done: this.done, failed: this.failed, workers: this.slots.size };
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
    while ([...this.slots].some((s) => s.job)) await new Promise((r) => setTimeout(r, 10));
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
      this.abandon(slot, { kind: 'timeout', message: `hashing took longer than ${Math.round(this.jobTimeoutMs / 1000)} s; the worker was restarted` });
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
      this.failQueued(`the hash worker could not start (exit code ${code}); check the installation`);
      return;
    }
    const job = slot.job;
    this.release(slot);
    if (job) job.fail({ kind: 'crashed', message: `the hash worker crashed on this file (exit code ${code}); other files are unaffected` });
    this.dispatch();
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
  }

  private failQueued(message: string): void {
    for (const job of this.queue.splice(0)) job.fail({ kind: 'crashed', message });
    this.wakeProducers();
  }

  private wakeProducers(): void {
    while (this.roomWaiters.length > 0 && (this.queue.length < this.maxQueued || this.closed)) this.roomWaiters.shift()!();
  }
}

function failure(path: string, error: HashErrorInfo): HashOutcome {
  return { ok: false, path, error };
}
