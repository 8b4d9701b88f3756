// npm run bench:library [-- --files N] [-- --profile] [-- --state DIR [--reopen-only]]
// The whole app on a generated library: `doppel serve` + Debian Chromium driving the real UI.
//  1. N small JPEGs (default 200,000; cached in .bench/library-<N/1000>k/, N/40 planted groups)
//     added through the UI:
//     time to the first group on screen, to N/N fingerprinted, files/s, host and worker RSS,
//     renderer heap, and whether the page stays responsive (a script call once a second, and
//     main-thread tasks over 50 ms).
//  2. 100,000 synthetic hashed files written into the page's IndexedDB (raw IndexedDB, Dexie's
//     schema), outside any watched root.
//  3. Reopen with nothing changed: host restarted on the same port and data dir, a new page of
//     the same profile: time from navigation to the groups on screen, zero re-hash; then how long
//     until the page is quiet (rescan applied, re-clusters answered; the verification stage's
//     background verdict writes do not count, its backlog is reported) and what one more
//     re-cluster costs on the quiet page.
// One run; times are this machine's, this run's. Diagnostics (bench-only, no app code touched):
// the cluster worker's requests and replies and the main thread's IndexedDB transactions are
// recorded by an init script (instrument.ts).
//
// --files N      the library's size (default 200,000; 20,000 is a quicker run)
// --profile      CPU-profile the page's main thread and its cluster worker (30 s of the first scan,
//                and the whole reopen) and print the top functions (.cpuprofile files in
//                .artifacts/bench-library/)
// --state DIR    keep the host's data dir and the browser profile in DIR (not deleted), and the
//                first scan's results; with --reopen-only, measure only the reopen of that state
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { findChromium, launchBrowser } from '../../e2e/browser';
import { markdownTable, passFail } from '../accuracy/table';
import { PROJECT_ROOT } from '../../test/helpers';
import { ensureLibrary, librarySpec, type Manifest } from './generate';
import { DEFAULT_SIMILARITY } from '../../src-core/similarity/methods';
import { benchLog, matchedVerdicts, probeRow, ResponsivenessProbe, workerIdle, INIT_SCRIPT, PageProfiler, timedRecluster, transactionSummary, type BenchLog, type ProfileRows } from './instrument';
import { freePort, MemorySampler, startHost, type Host } from './processes';
import { seedIndexedDb, type SeedResult } from './seed-idb';

const SYNTHETIC_FILES = 100_000;
const SYNTHETIC_ROOT = '/doppel-bench-synthetic/library';
const TARGET_HOST_RSS_MB = 300;
const TARGET_REOPEN_S = 2;
/** While the first scan runs, the page's main thread must stay free for the person. */
const TARGET_PROBE_P99_MS = 100;
const TARGET_LONG_TASK_SHARE = 0.02;
const TARGET_LONGEST_TASK_MS = 250;
/** The page keeps up with the host: files/s through the UI ÷ the host's hashing rate. */
const TARGET_UI_RATE_SHARE = 0.95;
const FIRST_SCAN_TIMEOUT_MS = 90 * 60_000;
const REOPEN_TIMEOUT_MS = 120_000;
/** How long the reopened page may take to apply the rescan and finish its re-clusters. */
const QUIET_TIMEOUT_MS = 15 * 60_000;
/** How long to keep listening for hash results after the reopened library is idle. */
const QUIET_WAIT_MS = 5_000;

const MB = 1024 * 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

/** What the page's API WebSocket carried. */
class Traffic {
  openedAt?: number;
  hashOutcomes = 0;
  hashFrames = 0;
  hashRequested = 0;
  fileEvents = 0;
  firstFileEventAt?: number;
  lastFileEventAt?: number;
  readyAt?: number;
  firstHashAt?: number;
  lastHashAt?: number;

  constructor(page: Page) {
    page.on('websocket', (ws) => {
      if (!ws.url().endsWith('/api')) return;
      this.openedAt ??= Date.now();
      ws.on('framereceived', (frame) => {
        const message = JSON.parse(String(frame.payload)) as { event?: string; payload?: unknown };
        const now = Date.now();
        if (message.event === 'hashResults') {
          this.hashFrames++;
          this.hashOutcomes += (message.payload as unknown[]).length;
          this.firstHashAt ??= now;
          this.lastHashAt = now;
        } else if (message.event === 'fileEvents') {
          const events = message.payload as Array<{ type: string }>;
          this.fileEvents += events.length;
          this.firstFileEventAt ??= now;
          this.lastFileEventAt = now;
          if (events.some((e) => e.type === 'ready')) this.readyAt ??= now;
        }
      });
      ws.on('framesent', (frame) => {
        const message = JSON.parse(String(frame.payload)) as { method?: string; args?: unknown[] };
        if (message.method === 'hash' && Array.isArray(message.args?.[0])) this.hashRequested += message.args[0].length;
      });
    });
  }
}

/** Peak JS heap of the page's main thread, sampled over CDP. */
class HeapSampler {
  peak = 0;
  private running = true;
  private readonly done: Promise<void>;

  constructor(private readonly cdp: CDPSession) {
    this.done = (async () => {
      while (this.running) {
        await this.sample();
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
  }

  async sample(): Promise<number> {
    try {
      const { usedSize } = await this.cdp.send('Runtime.getHeapUsage');
      this.peak = Math.max(this.peak, usedSize);
      return usedSize;
    } catch {
      return 0; // page closing
    }
  }

  /** Used heap after a full garbage collection. */
  async afterGc(): Promise<number> {
    await this.cdp.send('HeapProfiler.collectGarbage');
    return this.sample();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

/** What the UI shows, for progress lines and timeout messages. */
async function uiState(page: Page): Promise<string> {
  try {
    const state = await page.evaluate(() => ({
      progress: document.querySelector('[data-testid=scan-progress]')?.textContent?.trim().replace(/\s+/g, ' ') ?? '(none)',
      groups: document.querySelector('[data-testid=group-count]')?.textContent ?? '(none)',
      roots: [...document.querySelectorAll('[data-testid=root-item]')].map((r) => r.textContent?.trim().replace(/\s+/g, ' ')).join(' | '),
    }));
    return `scan-progress "${state.progress}", group-count ${state.groups}, roots "${state.roots}"`;
  } catch (error) {
    return `(UI state unavailable: ${(error as Error).message})`;
  }
}

/**
 * Waits until `predicate(arg)` is true in the page (checked every animation frame) and returns
 * the page's Date.now() at that moment. Throws a message naming the step and the UI state.
 */
async function when(page: Page, what: string, predicate: (arg: number) => number | false, arg: number, timeoutMs: number): Promise<number> {
  try {
    // A function, not a string: the app's CSP forbids eval, and Playwright evals string predicates.
    const handle = await page.waitForFunction(predicate, arg, { timeout: timeoutMs, polling: 'raf' });
    return (await handle.jsonValue()) as number;
  } catch (error) {
    throw new Error(`${what}: not reached within ${timeoutMs / 1000} s (${(error as Error).message.split('\n')[0]}); UI: ${await uiState(page)}`);
  }
}

// Page predicates: each returns the page's Date.now() once true. They are serialised into the
// page, so keep them self-contained (no helpers, no named inner functions).
const hasGroupCard = () => (document.querySelector('[data-testid=group-card]') !== null ? Date.now() : false);
const progressComplete = (min: number) => {
  const m = /^(\d+)\/(\d+)/.exec(document.querySelector('[data-testid=scan-progress]')?.textContent?.trim() ?? '');
  return m !== null && m[1] === m[2] && Number(m[2]) >= min ? Date.now() : false;
};
// The group list is virtualised: the count is in the header, and only visible cards are in the DOM.
const groupsOnScreen = (count: number) =>
  document.querySelector('[data-testid=group-count]')?.textContent === String(count) && document.querySelector('[data-testid=group-card]') !== null ? Date.now() : false;
const noRootScanning = () => {
  const roots = [...document.querySelectorAll('[data-testid=root-item]')];
  return roots.length > 0 && roots.every((r) => !(r.textContent ?? '').includes('scanning')) ? Date.now() : false;
};

/** Waits until the group count has not changed, and no re-cluster ran, for `quietMs`, after a
 *  re-cluster that finished at or after `after`. Returns the count. */
async function settleGroups(page: Page, after: number, quietMs: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  for (;;) {
    const [count, bench, updating] = await Promise.all([
      page.getByTestId('group-count').textContent(),
      benchLog(page),
      page.evaluate(() => (document.querySelector('.groups-header')?.textContent ?? '').includes('updating')),
    ]);
    const key = `${count}|${bench.results.length}|${updating}`;
    if (key !== last) {
      last = key;
      since = Date.now();
    }
    const clusteredAfter = bench.results.some((r) => r.at >= after);
    if (clusteredAfter && !updating && Date.now() - since >= quietMs) return Number(count);
    if (Date.now() > deadline) throw new Error(`groups did not settle within ${timeoutMs / 1000} s; UI: ${await uiState(page)}`);
    await page.waitForTimeout(250);
  }
}

interface ProfileSummary {
  label: string;
  main: Omit<ProfileRows, 'profile'>;
  worker?: Omit<ProfileRows, 'profile'>;
}

async function saveProfile(profiler: PageProfiler, label: string, name: string): Promise<ProfileSummary> {
  const { main, worker } = await profiler.stop();
  const dir = join(PROJECT_ROOT, '.artifacts/bench-library');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}-main.cpuprofile`), JSON.stringify(main.profile));
  if (worker) writeFileSync(join(dir, `${name}-worker.cpuprofile`), JSON.stringify(worker.profile));
  const strip = ({ profile: _profile, ...rows }: ProfileRows) => rows;
  return { label: `${label} (.artifacts/bench-library/${name}-*.cpuprofile)`, main: strip(main), ...(worker ? { worker: strip(worker) } : {}) };
}

type TxRow = ReturnType<typeof transactionSummary>[number];

interface FirstScan {
  port: number;
  firstGroupMs: number;
  doneMs: number;
  settledMs: number;
  hashSpanMs: number;
  groups: number;
  /** Shown when the page closed: the verification stage, which starts once every file is
   *  hashed, can join more copies by then (the reopen must show these). */
  groupsAtClose?: number;
  /** Pairs the verification stage had confirmed when the page closed. */
  matchedAtClose?: number;
  groupSizes: Record<string, number>;
  hashOutcomes: number;
  hashFrames: number;
  hostPeak: number;
  workersPeak: number;
  workerPeak: number;
  workerCount: number;
  rendererRss: number;
  heapPeak: number;
  heapAfterGc: number;
  /** The page's main thread answering a script call once a second, Add → N/N (ms). */
  responsiveness?: { median: number; p99: number; max: number; n: number };
  /** Main-thread tasks over 50 ms, Add → N/N. */
  longTasks?: { count: number; longestMs: number; totalMs: number };
  clusterRuns: number;
  clusterTotalMs: number;
  lastClusterMs: number;
  transactions: TxRow[];
  seed: SeedResult;
  profile?: ProfileSummary;
}

interface Reopen {
  navAt: number;
  dclMs: number;
  wsOpenMs?: number;
  firstGroupMs?: number;
  groupsMs?: number;
  firstFileEventMs?: number;
  lastFileEventMs?: number;
  readyMs?: number;
  idleMs?: number;
  /** All file events applied and every re-cluster answered, nothing new for QUIET_MS. */
  quietMs?: number;
  /** The progress line once quiet: the verification stage's backlog, if it still works. */
  progressAtQuiet?: string;
  workerRequests: number;
  /** A re-cluster requested once the page was quiet: the worker's time and the wall time. */
  idleRecluster?: { ms: number; wallMs: number; phases?: Record<string, number> };
  groups: number;
  /** Pairs the verification stage has confirmed, at the end of the reopen. */
  matchedVerdicts: number;
  hashOutcomes: number;
  hashRequested: number;
  fileEvents: number;
  hostPeak: number;
  workersPeak: number;
  rendererRss: number;
  heapPeak: number;
  heapAfterGc: number;
  bench: BenchLog;
  transactions: TxRow[];
  profile?: ProfileSummary;
}

/** `profile`: attach the profiler ('attach'), or also start it before navigating ('start'). */
async function openPage(context: BrowserContext, url: string, profile: 'no' | 'attach' | 'start') {
  const page = await context.newPage();
  const traffic = new Traffic(page);
  const cdp: CDPSession = await context.newCDPSession(page);
  const heap = new HeapSampler(cdp);
  const profiler = profile === 'no' ? undefined : await PageProfiler.attach(cdp);
  if (profile === 'start') await profiler!.start();
  const navAt = Date.now();
  await page.goto(url, { timeout: 60_000 });
  return { page, traffic, heap, profiler, navAt };
}

async function firstScan(context: BrowserContext, host: Host, port: number, profileDir: string, photosDir: string, manifest: Manifest, profileIt: boolean): Promise<{ result: FirstScan; page: Page }> {
  const memory = new MemorySampler(host.pid, profileDir).start();
  const { page, traffic, heap, profiler } = await openPage(context, host.url, profileIt ? 'attach' : 'no');
  await page.getByTestId('add-root-input').waitFor({ timeout: 30_000 });
  await page.getByTestId('add-root-input').fill(photosDir);
  const clickedAt = Date.now();
  await page.getByTestId('add-root-button').click();
  log(`first scan: added ${photosDir}`);

  const progress = setInterval(() => void uiState(page).then((s) => log(`  ${((Date.now() - clickedAt) / 1000).toFixed(0)} s: ${s}`)), 15_000);
  const probe = new ResponsivenessProbe(page);
  // With --profile: 30 s of the main thread and the cluster worker, from 60 s after Add (a few
  // thousand files in by then).
  let profiled: Promise<ProfileSummary> | undefined;
  if (profiler) {
    profiled = new Promise((r) => setTimeout(r, 60_000))
      .then(() => profiler.start())
      .then(async () => {
        await new Promise((r) => setTimeout(r, 30_000));
        return saveProfile(profiler, 'first scan, 60–90 s after Add', 'first-scan');
      });
  }
  let firstGroupAt: number;
  let doneAt: number;
  try {
    [firstGroupAt, doneAt] = await Promise.all([
      when(page, 'first scan: a group card on screen', hasGroupCard, 0, FIRST_SCAN_TIMEOUT_MS),
      when(page, `first scan: scan-progress ${manifest.files}/${manifest.files}`, progressComplete, manifest.files, FIRST_SCAN_TIMEOUT_MS),
    ]);
  } finally {
    clearInterval(progress);
  }
  const responsiveness = await probe.stop();
  log(`first scan: ${manifest.files}/${manifest.files} after ${seconds(doneAt - clickedAt)}`);
  const groups = await settleGroups(page, doneAt, 2_000, 120_000);
  const bench = await benchLog(page);
  // The first worker result from which on the count stayed final.
  let settledAt = bench.results.at(-1)!.at;
  for (let k = bench.results.length - 1; k >= 0 && bench.results[k]!.groups === groups; k--) settledAt = bench.results[k]!.at;
  const groupSizes = bench.results.at(-1)!.sizes;
  const heapAfterGc = await heap.afterGc();
  memory.stop();
  await heap.stop();
  const profile = await profiled;
  log(`first scan: ${groups} groups; writing ${SYNTHETIC_FILES.toLocaleString('en-US')} synthetic files into IndexedDB …`);
  const seed = await seedIndexedDb(page, { count: SYNTHETIC_FILES, blockSize: 1000, root: SYNTHETIC_ROOT, seed: 0x5eed, quality: 90 });
  log(`first scan: IndexedDB now holds ${seed.files} files, ${seed.fingerprints} fingerprints, ${seed.blocks} blocks (${seed.seconds.toFixed(1)} s)`);
  const inScan = bench.results.filter((r) => r.at >= clickedAt && r.at <= doneAt);
  const longTasks = bench.longTasks.filter((t) => t.at >= clickedAt && t.at <= doneAt);
  return {
    page,
    result: {
      port,
      firstGroupMs: firstGroupAt - clickedAt,
      doneMs: doneAt - clickedAt,
      settledMs: settledAt - clickedAt,
      hashSpanMs: (traffic.lastHashAt ?? 0) - (traffic.firstHashAt ?? 0),
      groups,
      groupSizes,
      hashOutcomes: traffic.hashOutcomes,
      hashFrames: traffic.hashFrames,
      hostPeak: memory.hostRss,
      workersPeak: memory.workersRss,
      workerPeak: memory.workerPeak,
      workerCount: memory.workerCount,
      rendererRss: memory.rendererRss,
      heapPeak: heap.peak,
      heapAfterGc,
      responsiveness,
      longTasks: { count: longTasks.length, longestMs: Math.max(0, ...longTasks.map((t) => t.ms)), totalMs: longTasks.reduce((sum, t) => sum + t.ms, 0) },
      clusterRuns: inScan.length,
      clusterTotalMs: inScan.reduce((s, r) => s + Math.max(0, r.ms), 0),
      lastClusterMs: bench.results.at(-1)?.ms ?? -1,
      transactions: transactionSummary(bench, clickedAt, doneAt),
      seed,
      ...(profile ? { profile } : {}),
    },
  };
}

/** `when`, but a timeout is logged and yields undefined (the reopen is reported either way). */
async function maybe(wait: Promise<number>): Promise<number | undefined> {
  try {
    return await wait;
  } catch (error) {
    log(`  ${(error as Error).message}`);
    return undefined;
  }
}

const QUIET_MS = 10_000;

/** Waits until the rescan's file events are all applied and every re-cluster request has been
 *  answered, with nothing new for QUIET_MS. Returns when that state began, or undefined. */
async function waitQuiet(page: Page, traffic: Traffic, timeoutMs: number): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = Date.now();
  for (;;) {
    const bench = await benchLog(page);
    const answered = workerIdle(bench);
    // The verification stage writes its verdicts in the background for as long as it has pairs
    // (reported on its own); its re-clusters still count.
    const lastWrite = bench.tx.filter((tx) => tx.stores !== 'meta+verdicts').at(-1)?.at ?? 0;
    const lastActivity = Math.max(traffic.lastFileEventAt ?? 0, bench.posts.at(-1)?.at ?? 0, bench.results.at(-1)?.at ?? 0, lastWrite);
    if (traffic.readyAt !== undefined && answered && Date.now() - lastActivity >= QUIET_MS) return lastActivity;
    if (Date.now() > deadline) {
      log(`  reopen: not quiet within ${timeoutMs / 1000} s (${bench.posts.length} re-cluster requests, ${bench.results.length} answered)`);
      return undefined;
    }
    if (Date.now() - lastReport >= 30_000) {
      lastReport = Date.now();
      log(`  reopen: waiting for quiet: ${bench.posts.length} re-cluster requests, ${bench.results.length} answered; ${await uiState(page)}`);
    }
    await page.waitForTimeout(500);
  }
}

async function reopen(context: BrowserContext, host: Host, profileDir: string, groupsBefore: number, filesInDb: number, profileIt: boolean): Promise<{ result: Reopen; page: Page }> {
  const memory = new MemorySampler(host.pid, profileDir).start();
  // With --profile, both threads are profiled from navigation on (the worker from its creation).
  const { page, traffic, heap, profiler, navAt } = await openPage(context, host.url, profileIt ? 'start' : 'no');
  const [firstGroupAt, groupsAt, scannedAt, progressAt] = await Promise.all([
    maybe(when(page, 'reopen: a group card on screen', hasGroupCard, 0, REOPEN_TIMEOUT_MS)),
    maybe(when(page, `reopen: ${groupsBefore} groups on screen`, groupsOnScreen, groupsBefore, REOPEN_TIMEOUT_MS)),
    maybe(when(page, 'reopen: the root scan finished', noRootScanning, 0, REOPEN_TIMEOUT_MS)),
    maybe(when(page, `reopen: scan-progress ${filesInDb}/${filesInDb}`, progressComplete, filesInDb, REOPEN_TIMEOUT_MS)),
  ]);
  log(`reopen: ${groupsAt === undefined ? `${groupsBefore} groups NOT on screen` : `${groupsBefore} groups on screen ${seconds(groupsAt - navAt)} after navigation`}`);
  const idleAt = scannedAt !== undefined && progressAt !== undefined ? Math.max(scannedAt, progressAt) : undefined;
  const quietAt = await waitQuiet(page, traffic, QUIET_TIMEOUT_MS);
  if (quietAt !== undefined) log(`reopen: quiet ${seconds(quietAt - navAt)} after navigation`);
  const progressAtQuiet = (await page.getByTestId('scan-progress').textContent())?.trim().replace(/\s+/g, ' ');
  const profileSummary = profiler ? await saveProfile(profiler, 'reopen, navigation → quiet', 'reopen') : undefined;
  // Still no hashing, QUIET_WAIT_MS later.
  await page.waitForTimeout(QUIET_WAIT_MS);
  const workerRequests = (await benchLog(page)).posts.length;
  const idleRecluster = quietAt !== undefined ? await timedRecluster(page, DEFAULT_SIMILARITY) : undefined;
  const groups = await settleGroups(page, navAt, 1_000, 60_000).catch((error: Error) => {
    log(`  reopen: ${error.message}`);
    return -1;
  });
  const dclMs = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? -1);
  const heapAfterGc = await heap.afterGc();
  memory.stop();
  await heap.stop();
  const rel = (t: number | undefined) => (t === undefined ? undefined : t - navAt);
  const bench = await benchLog(page);
  return {
    page,
    result: {
      navAt,
      dclMs,
      wsOpenMs: rel(traffic.openedAt),
      firstGroupMs: rel(firstGroupAt),
      groupsMs: rel(groupsAt),
      firstFileEventMs: rel(traffic.firstFileEventAt),
      lastFileEventMs: rel(traffic.lastFileEventAt),
      readyMs: rel(traffic.readyAt),
      idleMs: rel(idleAt),
      quietMs: rel(quietAt),
      ...(progressAtQuiet ? { progressAtQuiet } : {}),
      workerRequests,
      ...(idleRecluster ? { idleRecluster } : {}),
      groups,
      matchedVerdicts: await matchedVerdicts(page),
      hashOutcomes: traffic.hashOutcomes,
      hashRequested: traffic.hashRequested,
      fileEvents: traffic.fileEvents,
      hostPeak: memory.hostRss,
      workersPeak: memory.workersRss,
      rendererRss: memory.rendererRss,
      heapPeak: heap.peak,
      heapAfterGc,
      bench,
      transactions: transactionSummary(bench, navAt, groupsAt ?? Infinity),
      ...(profileSummary ? { profile: profileSummary } : {}),
    },
  };
}

const at = (ms: number | undefined) => (ms === undefined ? `not within ${REOPEN_TIMEOUT_MS / 1000} s` : seconds(ms));

function txTable(rows: TxRow[]): string {
  return markdownTable(
    ['Transaction (mode, stores)', 'Count', 'Total open → complete', 'Longest'],
    rows.slice(0, 8).map((r) => [r.key, String(r.count), seconds(r.totalMs), seconds(r.maxMs)]),
    'lrrr',
  );
}

function profileTables(p: ProfileSummary): string {
  const part = (thread: string, rows: Omit<ProfileRows, 'profile'>) =>
    `${thread}, ${seconds(rows.totalMs)} sampled:\n\n${markdownTable(
      ['Function', 'self ms', '', 'Function (inclusive)', 'ms'],
      rows.self.map((r, k) => [r.fn, r.ms.toFixed(0), '', rows.inclusive[k]?.fn ?? '', rows.inclusive[k]?.ms.toFixed(0) ?? '']),
      'lrllr',
    )}`;
  return [`### CPU profile: ${p.label}`, part('Main thread', p.main), p.worker ? part('Cluster worker', p.worker) : 'Cluster worker: not profiled (not attached).'].join('\n\n');
}

function report(manifest: Manifest, first: FirstScan, again: Reopen, reused: boolean): void {
  const filesPerSecond = manifest.files / (first.doneMs / 1000);
  const atClose = first.groupsAtClose ?? first.groups;
  const hashRate = first.hashSpanMs > 0 ? first.hashOutcomes / (first.hashSpanMs / 1000) : 0;
  const firstLabel = reused ? 'First scan (earlier run, --reopen-only)' : 'First scan';
  const rows: string[][] = [
    ['Library', `${manifest.files.toLocaleString('en-US')} JPEGs ${manifest.width}×${manifest.height} in ${manifest.folders} folders, ${manifest.plantedGroups} planted groups`, '', ''],
    [`${firstLabel}: first group on screen (from Add)`, seconds(first.firstGroupMs), '', ''],
    [`${firstLabel}: scan-progress N/N (from Add)`, seconds(first.doneMs), '', ''],
    [`${firstLabel}: final group count on screen (from Add)`, seconds(first.settledMs), '', ''],
    [`${firstLabel}: files/s hashed by the host (first → last hashResults frame)`, hashRate.toFixed(0), '', ''],
    [
      `${firstLabel}: files/s through the UI (N ÷ time to N/N), share of the host's rate`,
      `${filesPerSecond.toFixed(0)} (${((100 * filesPerSecond) / hashRate).toFixed(0)}%)`,
      `≥ ${100 * TARGET_UI_RATE_SHARE}%`,
      passFail(filesPerSecond >= TARGET_UI_RATE_SHARE * hashRate),
    ],
    [`${firstLabel}: hash outcomes received`, first.hashOutcomes.toLocaleString('en-US'), `= ${manifest.files.toLocaleString('en-US')}`, passFail(first.hashOutcomes === manifest.files)],
    [`${firstLabel}: groups shown`, `${first.groups} (${Object.entries(first.groupSizes).map(([s, n]) => `${n}×${s}`).join(', ')})`, `= ${manifest.expectedGroups} (doppel scan; ${manifest.plantedGroups} planted)`, passFail(first.groups === manifest.expectedGroups)],
    [`${firstLabel}: host (main) peak RSS`, mb(first.hostPeak), `< ${TARGET_HOST_RSS_MB} MB`, passFail(first.hostPeak < TARGET_HOST_RSS_MB * MB)],
    [`${firstLabel}: hash workers peak RSS (${first.workerCount} processes)`, `${mb(first.workersPeak)} together, ${mb(first.workerPeak)} max one`, '', ''],
    [`${firstLabel}: renderer JS heap (main thread)`, `${mb(first.heapPeak)} peak, ${mb(first.heapAfterGc)} after GC`, '', ''],
    [`${firstLabel}: largest renderer process RSS (page and its workers)`, mb(first.rendererRss), '', ''],
    [
      `${firstLabel}: page main thread answers a script call (every 1 s, Add → N/N): median / p99 / max`,
      first.responsiveness ? probeRow(first.responsiveness) : 'not measured',
      `p99 < ${TARGET_PROBE_P99_MS} ms`,
      passFail(first.responsiveness !== undefined && first.responsiveness.p99 < TARGET_PROBE_P99_MS),
    ],
    [
      `${firstLabel}: page main-thread tasks over 50 ms (Add → N/N): count, longest, share of the time`,
      first.longTasks ? `${first.longTasks.count}, ${first.longTasks.longestMs} ms, ${((100 * first.longTasks.totalMs) / first.doneMs).toFixed(1)}%` : 'not measured',
      `longest < ${TARGET_LONGEST_TASK_MS} ms, < ${100 * TARGET_LONG_TASK_SHARE}% of the time`,
      passFail(first.longTasks !== undefined && first.longTasks.longestMs < TARGET_LONGEST_TASK_MS && first.longTasks.totalMs < TARGET_LONG_TASK_SHARE * first.doneMs),
    ],
    [`${firstLabel}: re-clusters until N/N (worker time, sum)`, `${first.clusterRuns} (${seconds(first.clusterTotalMs)}); last one ${seconds(first.lastClusterMs)}`, '', ''],
    ['IndexedDB: synthetic files written (raw IDB)', `${SYNTHETIC_FILES.toLocaleString('en-US')} in ${first.seed.seconds.toFixed(1)} s → files ${first.seed.files.toLocaleString('en-US')}, fingerprints ${first.seed.fingerprints.toLocaleString('en-US')}, blocks ${first.seed.blocks}`, '', ''],
    [`Reopen: the ${atClose} groups shown when the page closed, on screen (from navigation)`, at(again.groupsMs), `< ${TARGET_REOPEN_S} s`, passFail(again.groupsMs !== undefined && again.groupsMs < TARGET_REOPEN_S * 1000)],
    [
      'Reopen: groups after the full re-cluster (the verification stage can add copies hashes missed)',
      `${again.groups} (${again.groups - atClose >= 0 ? '+' : ''}${again.groups - atClose}; pairs confirmed by verification: ${first.matchedAtClose ?? '?'} at close, ${again.matchedVerdicts} now)`,
      '',
      '',
    ],
    ['Reopen: files re-hashed (hashResults outcomes)', String(again.hashOutcomes), '0', passFail(again.hashOutcomes === 0)],
    ['Reopen: files sent to hash', String(again.hashRequested), '0', passFail(again.hashRequested === 0)],
    ['Reopen: root no longer "scanning", progress N/N (from navigation)', at(again.idleMs), '', ''],
    [
      'Reopen: quiet — rescan applied, every re-cluster answered (from navigation)',
      again.quietMs === undefined ? `not within ${QUIET_TIMEOUT_MS / 60_000} min` : `${seconds(again.quietMs)} (${again.workerRequests} re-cluster requests)`,
      '',
      '',
    ],
    ['Reopen: progress line once quiet (the verification stage works on in the background)', again.progressAtQuiet ?? '', '', ''],
    ['Reopen: one more re-cluster once quiet (worker time / wall)', again.idleRecluster ? `${seconds(again.idleRecluster.ms)} / ${seconds(again.idleRecluster.wallMs)}` : 'not measured (never quiet)', '', ''],
    [
      'Reopen: that re-cluster by step (worker)',
      Object.entries(again.idleRecluster?.phases ?? {})
        .map(([step, ms]) => `${step} ${seconds(ms)}`)
        .join('; ') || 'not measured',
      '',
      '',
    ],
    ['Reopen: host (main) peak RSS', mb(again.hostPeak), `< ${TARGET_HOST_RSS_MB} MB`, passFail(again.hostPeak < TARGET_HOST_RSS_MB * MB)],
    ['Reopen: renderer JS heap (main thread)', `${mb(again.heapPeak)} peak, ${mb(again.heapAfterGc)} after GC`, '', ''],
    ['Reopen: largest renderer process RSS (page and its workers)', mb(again.rendererRss), '', ''],
  ];
  console.log(`## bench:library — ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, Chromium headless`);
  console.log(`\nOne run; every time below was measured in this run${reused ? ' (the first-scan rows come from the earlier run that made --state)' : ''}.\n`);
  console.log(markdownTable(['Measurement', 'Value', 'Target', 'Result'], rows, 'llll'));

  // Where the reopen time goes.
  const rel = (t: number) => t - again.navAt;
  const events: Array<[string, number | undefined]> = [
    ['DOMContentLoaded', again.dclMs],
    ['API WebSocket opened', again.wsOpenMs],
    ['first fileEvents frame (rescan of the root)', again.firstFileEventMs],
    ['scan `ready` frame', again.readyMs],
    ['last fileEvents frame', again.lastFileEventMs],
    ['first group card on screen', again.firstGroupMs],
    [`all ${first.groupsAtClose ?? first.groups} groups on screen`, again.groupsMs],
    ['roots idle and progress N/N', again.idleMs],
  ];
  // The first few worker round trips; the rest are summarised.
  const SHOWN = 4;
  const posts = again.bench.posts.slice(0, again.workerRequests);
  const results = again.bench.results.filter((r) => r.id <= (posts.at(-1)?.id ?? 0));
  posts.slice(0, SHOWN).forEach((p, k) => events.push([`cluster worker request ${k + 1}: ${p.type}`, rel(p.at)]));
  results.slice(0, SHOWN).forEach((r, k) => events.push([`cluster worker reply ${k + 1} (${r.source}, to request ${r.id}): ${r.groups} groups, ${r.photos.toLocaleString('en-US')} photos, worker took ${seconds(r.ms)}`, rel(r.at)]));
  if (posts.length > SHOWN) events.push([`cluster worker request ${posts.length} (last)`, rel(posts.at(-1)!.at)]);
  if (results.length > SHOWN) {
    const later = results.slice(SHOWN);
    events.push([`cluster worker reply ${results.length} (last; replies ${SHOWN + 1}–${results.length} took ${seconds(Math.min(...later.map((r) => r.ms)))}–${seconds(Math.max(...later.map((r) => r.ms)))} each)`, rel(results.at(-1)!.at)]);
  }
  events.push(['quiet (rescan applied, re-clusters answered)', again.quietMs]);
  const timeline = events.filter((e): e is [string, number] => e[1] !== undefined).sort((a, b) => a[1] - b[1]);
  const missing = events.filter((e) => e[1] === undefined).map((e) => e[0]);
  console.log(`\n### Reopen timeline (from navigation; ${again.fileEvents.toLocaleString('en-US')} file events, ${again.hashOutcomes} hash results)\n`);
  console.log(markdownTable(['Event', 'At'], timeline.map(([name, t]) => [name, seconds(t)]), 'lr'));
  if (missing.length) console.log(`\nNot reached: ${missing.join('; ')}.`);
  console.log('\n### Main-thread IndexedDB transactions, reopen (navigation → groups on screen)\n');
  console.log(txTable(again.transactions));
  if (!reused) {
    console.log('\n### Main-thread IndexedDB transactions, first scan (Add → N/N)\n');
    console.log(txTable(first.transactions));
  }
  for (const p of [reused ? undefined : first.profile, again.profile]) if (p) console.log(`\n${profileTables(p)}`);
}

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      files: { type: 'string', default: '200000' },
      state: { type: 'string' },
      'reopen-only': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
    },
  });
  const spec = librarySpec(Number(opts.files));
  if (!Number.isInteger(spec.files) || spec.files < 1000) throw new Error(`--files must be a whole number ≥ 1000, not ${opts.files}`);
  if (opts['reopen-only'] && !opts.state) throw new Error('--reopen-only needs --state DIR from an earlier run');
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('Debian chromium not found (apt-get install -y chromium)');
  const manifest = await ensureLibrary(spec, log);

  const stateDir = opts.state ? resolve(opts.state) : mkdtempSync(join(tmpdir(), 'doppel-bench-library-'));
  const data = join(stateDir, 'data');
  const profileDir = join(stateDir, 'chromium-profile');
  const saved = join(stateDir, 'first-scan.json');
  if (opts['reopen-only'] && !existsSync(saved)) throw new Error(`${saved} is missing: run once with --state ${opts.state} first`);
  if (!opts['reopen-only']) {
    rmSync(data, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  }
  mkdirSync(data, { recursive: true });
  mkdirSync(profileDir, { recursive: true });

  let host: Host | undefined;
  let context: BrowserContext | undefined;
  try {
    context = await launchBrowser(chromiumPath, profileDir);
    await context.addInitScript(INIT_SCRIPT);
    let first: FirstScan;
    if (opts['reopen-only']) {
      first = JSON.parse(readFileSync(saved, 'utf8')) as FirstScan;
    } else {
      const port = await freePort();
      host = await startHost(port, data);
      log(`host: ${host.url.replace(/token=\S+/, 'token=…')} (pid ${host.pid})`);
      const scanned = await firstScan(context, host, port, profileDir, spec.photosDir, manifest, opts.profile);
      first = scanned.result;
      writeFileSync(saved, `${JSON.stringify(first, null, 2)}\n`);
      first.groupsAtClose = Number(await scanned.page.getByTestId('group-count').textContent());
      first.matchedAtClose = await matchedVerdicts(scanned.page);
      writeFileSync(saved, `${JSON.stringify(first, null, 2)}\n`);
      await host.stop();
      host = undefined;
      await scanned.page.close();
    }

    host = await startHost(first.port, data);
    log(`reopen: host ${host.url.replace(/token=\S+/, 'token=…')} (pid ${host.pid})`);
    const again = await reopen(context, host, profileDir, first.groupsAtClose ?? first.groups, first.seed.files, opts.profile);
    report(manifest, first, again.result, opts['reopen-only']);
    // The next --reopen-only opens what this page left: its groups, not the first scan's.
    const groupsAtClose = Number(await again.page.getByTestId('group-count').textContent());
    writeFileSync(saved, `${JSON.stringify({ ...first, groupsAtClose, matchedAtClose: await matchedVerdicts(again.page) }, null, 2)}\n`);
  } catch (error) {
    if (host) log(`host log (last lines):\n${host.log()}`);
    throw error;
  } finally {
    await context?.close().catch(() => undefined);
    await host?.stop();
    if (!opts.state) rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(`bench:library failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
