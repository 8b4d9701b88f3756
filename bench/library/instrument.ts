// Bench-only instrumentation of the page, injected before the app's scripts (no app code is
// touched): the cluster Web Worker's traffic (re-cluster requests, results and the `ms` the worker
// reports) and the main thread's IndexedDB transactions (stores, mode, open → complete time).
import type { CDPSession, Page } from 'playwright-core';

export const INIT_SCRIPT = `(() => {
  const bench = (window.__bench = { posts: [], results: [], tx: [], longTasks: [] });
  // Tasks of the page's main thread over 50 ms: the moments the UI could not answer input.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ at: Math.round(performance.timeOrigin + e.startTime), ms: Math.round(e.duration) });
    }).observe({ type: 'longtask' });
  } catch {}
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      // The page has two workers: only the cluster worker's traffic is recorded.
      this.clusterWorker = String(args[0]).includes('cluster');
      if (!this.clusterWorker) return;
      bench.worker = this;
      // The worker sends each group once per clustering, then keys (as the app's store reads them).
      const byKey = new Map();
      this.addEventListener('message', (e) => {
        const d = e.data || {};
        if (d.reset) byKey.clear();
        for (const [key, group] of d.added || []) byKey.set(key, group);
        const order = Array.isArray(d.order) ? d.order : [];
        const sizes = {};
        for (const key of order) { const g = byKey.get(key); const n = g && Array.isArray(g.members) ? g.members.length : 0; sizes[n] = (sizes[n] || 0) + 1; }
        bench.results.push({ at: Date.now(), id: d.id, source: d.source, more: !!d.more, ms: typeof d.ms === 'number' ? d.ms : -1, groups: Array.isArray(d.order) ? order.length : -1, photos: typeof d.photos === 'number' ? d.photos : -1, sizes });
      });
    }
    postMessage(...args) {
      if (this.clusterWorker) bench.posts.push({ at: Date.now(), type: args[0] && args[0].type, id: args[0] && args[0].id });
      return super.postMessage(...args);
    }
  };
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, options) {
    const tx = transaction.call(this, stores, mode, options);
    const entry = { at: Date.now(), ms: -1, stores: [...tx.objectStoreNames].join('+'), mode: tx.mode };
    const done = () => { entry.ms = Date.now() - entry.at; bench.tx.push(entry); };
    tx.addEventListener('complete', done);
    tx.addEventListener('abort', done);
    return tx;
  };
})();`;

export interface BenchLog {
  posts: Array<{ at: number; type: string; id: number }>;
  /** Every reply of the cluster worker (it answers every request up to `id`; `more`: work is
   *  still queued); `sizes`: group size → number of groups. */
  results: Array<{ at: number; id: number; source: string; more: boolean; ms: number; groups: number; photos: number; sizes: Record<string, number> }>;
  tx: Array<{ at: number; ms: number; stores: string; mode: string }>;
  /** The page's main-thread tasks over 50 ms (epoch ms, duration). */
  longTasks: Array<{ at: number; ms: number }>;
}

export async function benchLog(page: Page): Promise<BenchLog> {
  // Everything but the Worker object itself.
  return (await page.evaluate('({ posts: window.__bench.posts, results: window.__bench.results, tx: window.__bench.tx, longTasks: window.__bench.longTasks })')) as BenchLog;
}

/** Sends the cluster worker the request the app sends after a change, and returns the worker's
 *  own time for it (`ms` of its reply) and the wall time to the reply. */
export async function timedRecluster(page: Page, similarity: number): Promise<{ ms: number; wallMs: number; phases?: Record<string, number> }> {
  return (await page.evaluate(`new Promise((resolve) => {
    const w = window.__bench.worker;
    const started = Date.now();
    // Its reply (a job still running answers earlier requests first; candidate lists have no id).
    const onReply = (e) => {
      if (e.data.type !== 'groups' || e.data.id !== 1e9) return;
      w.removeEventListener('message', onReply);
      resolve({ ms: e.data.ms, wallMs: Date.now() - started, phases: e.data.phases });
    };
    w.addEventListener('message', onReply);
    w.postMessage({ type: 'recluster', similarity: ${JSON.stringify(similarity)}, id: 1e9, verify: false });
  })`)) as { ms: number; wallMs: number; phases?: Record<string, number> };
}

/** Pairs the verification stage confirmed, from the page's database (raw IndexedDB). */
export async function matchedVerdicts(page: Page): Promise<number> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('doppel');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const count = db.transaction('verdicts', 'readonly').objectStore('verdicts').index('matched').count(IDBKeyRange.only(1));
      count.onsuccess = () => { resolve(count.result); db.close(); };
      count.onerror = () => reject(count.error);
    };
  })`)) as number;
}

/** Main-thread IndexedDB transactions in [from, to), grouped by stores and mode. */
export function transactionSummary(log: BenchLog, from: number, to = Infinity): Array<{ key: string; count: number; totalMs: number; maxMs: number }> {
  const byKey = new Map<string, { key: string; count: number; totalMs: number; maxMs: number }>();
  for (const tx of log.tx) {
    if (tx.at < from || tx.at >= to) continue;
    const key = `${tx.mode} ${tx.stores}`;
    const entry = byKey.get(key) ?? { key, count: 0, totalMs: 0, maxMs: 0 };
    entry.count++;
    entry.totalMs += tx.ms;
    entry.maxMs = Math.max(entry.maxMs, tx.ms);
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => b.totalMs - a.totalMs);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRows {
  profile: unknown;
  totalMs: number;
  /** Top functions by self time, and by inclusive time (each function counted once per sample). */
  self: Array<{ fn: string; ms: number }>;
  inclusive: Array<{ fn: string; ms: number }>;
}

function summarize(profile: Profile, top: number): ProfileRows {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) => {
    const { functionName, url, lineNumber } = n.callFrame;
    return `${functionName || '(anonymous)'}${url ? ` ${url.split('/').pop()}:${lineNumber + 1}` : ''}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, k) => {
    const ms = (profile.timeDeltas[k] ?? 0) / 1000;
    totalMs += ms;
    const leaf = byId.get(id)!;
    self.set(name(leaf), (self.get(name(leaf)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
      const fn = name(node);
      if (fn === '(root)' || seen.has(fn)) continue;
      seen.add(fn);
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + ms);
    }
  });
  const rank = (m: Map<string, number>) => [...m].map(([fn, ms]) => ({ fn, ms })).sort((a, b) => b.ms - a.ms).slice(0, top);
  return { profile, totalMs, self: rank(self), inclusive: rank(inclusive) };
}

/** CPU profiles of the page's main thread and of its (cluster) Web Worker, over CDP. The worker
 *  is reached through a non-flat auto-attach session (Playwright gives no CDP session for
 *  workers); attach before the page creates the worker. */
export class PageProfiler {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private workerSession: string | undefined;
  private running = false;

  private constructor(private readonly cdp: CDPSession) {}

  static async attach(cdp: CDPSession): Promise<PageProfiler> {
    const profiler = new PageProfiler(cdp);
    const on = cdp.on.bind(cdp) as (event: string, listener: (e: Record<string, unknown>) => void) => void;
    on('Target.attachedToTarget', (e) => {
      const info = e.targetInfo as { type: string; url: string };
      // The page has two workers: the sync worker writes, the cluster worker is profiled.
      if (info.type !== 'worker' || !info.url.includes('cluster') || profiler.workerSession) return;
      profiler.workerSession = e.sessionId as string;
      // Started before the page made its worker: profile the worker from its first moments.
      if (profiler.running) void profiler.startWorker();
    });
    on('Target.receivedMessageFromTarget', (e) => {
      const message = JSON.parse(e.message as string) as { id?: number; result?: unknown; error?: unknown };
      const resolve = message.id === undefined ? undefined : profiler.pending.get(message.id);
      if (resolve) {
        profiler.pending.delete(message.id!);
        resolve(message.result ?? message.error);
      }
    });
    const send = cdp.send.bind(cdp) as (method: string, params?: object) => Promise<unknown>;
    await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return profiler;
  }

  private toWorker(method: string, params: object = {}): Promise<unknown> {
    if (!this.workerSession) return Promise.resolve(undefined);
    const id = this.nextId++;
    const send = this.cdp.send.bind(this.cdp) as (method: string, params?: object) => Promise<unknown>;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      void send('Target.sendMessageToTarget', { sessionId: this.workerSession, message: JSON.stringify({ id, method, params }) });
    });
  }

  get hasWorker(): boolean {
    return this.workerSession !== undefined;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.cdp.send('Profiler.enable');
    await this.cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await this.cdp.send('Profiler.start');
    await this.startWorker();
  }

  private async startWorker(): Promise<void> {
    await this.toWorker('Profiler.enable');
    await this.toWorker('Profiler.setSamplingInterval', { interval: 1000 });
    await this.toWorker('Profiler.start');
  }

  async stop(top = 12): Promise<{ main: ProfileRows; worker?: ProfileRows }> {
    this.running = false;
    const { profile } = (await this.cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    const worker = (await this.toWorker('Profiler.stop')) as { profile?: Profile } | undefined;
    return { main: summarize(profile, top), ...(worker?.profile ? { worker: summarize(worker.profile, top) } : {}) };
  }
}

/** Every request to the cluster worker has been answered and nothing is queued. */
export function workerIdle(log: BenchLog): boolean {
  const lastPost = log.posts.at(-1);
  const lastReply = log.results.at(-1);
  return !lastPost || (lastReply !== undefined && lastReply.id >= lastPost.id && !lastReply.more);
}

/** How long the page's main thread takes to run a trivial script call, once a second: it waits
 *  for whatever task the thread is in (what a click or a key press would wait for). */
export class ResponsivenessProbe {
  /** When each call was made (epoch ms) and how long it took. */
  readonly samples: Array<{ at: number; ms: number }> = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(page: Page) {
    this.done = (async () => {
      while (this.running) {
        const at = Date.now();
        const started = performance.now();
        try {
          await page.evaluate('0');
        } catch {
          return; // page closing
        }
        this.samples.push({ at, ms: performance.now() - started });
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
  }

  /** Stops probing; the calls' median, p99 and max (ms). */
  async stop(): Promise<ProbeSummary> {
    this.running = false;
    await this.done;
    return this.between(0, Infinity);
  }

  /** The calls made in [from, to). */
  between(from: number, to: number): ProbeSummary {
    const sorted = this.samples.filter((s) => s.at >= from && s.at < to).map((s) => s.ms).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return { median: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0, n: sorted.length };
  }
}

export interface ProbeSummary {
  median: number;
  p99: number;
  max: number;
  n: number;
}

/** "median / p99 / max ms (n)". */
export const probeRow = (p: ProbeSummary) => `${p.median.toFixed(1)} / ${p.p99.toFixed(1)} / ${p.max.toFixed(1)} ms (${p.n})`;
