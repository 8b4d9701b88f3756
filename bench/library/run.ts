// npm run bench:library
// The whole app on a generated library: `doppel serve` + Debian Chromium driving the real UI.
//  1. 20,000 small JPEGs (cached in .bench/library-20k/, 500 planted groups) added through the UI:
//     time to the first group on screen, to N/N fingerprinted, files/s, host and worker RSS,
//     renderer heap.
//  2. 100,000 synthetic hashed files written into the page's IndexedDB (raw IndexedDB, Dexie's
//     schema), outside any watched root.
//  3. Reopen with nothing changed: host restarted on the same port and data dir, a new page of
//     the same profile: time from navigation to the groups on screen, and zero re-hash.
// One run; times are this machine's, this run's.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { findChromium, launchBrowser } from '../../e2e/browser';
import { markdownTable, passFail } from '../accuracy/table';
import { ensureLibrary, PHOTOS_DIR, type Manifest } from './generate';
import { freePort, MemorySampler, startHost, type Host } from './processes';
import { seedIndexedDb, type SeedResult } from './seed-idb';

const SYNTHETIC_FILES = 100_000;
const SYNTHETIC_ROOT = '/doppel-bench-synthetic/library';
const TARGET_HOST_RSS_MB = 300;
const TARGET_REOPEN_S = 3;
const FIRST_SCAN_TIMEOUT_MS = 20 * 60_000;
const REOPEN_TIMEOUT_MS = 120_000;
/** How long to keep listening for hash results after the reopened library is idle. */
const QUIET_WAIT_MS = 5_000;

const MB = 1024 * 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

/** Records the page's Web Worker traffic (recluster requests, results and their `ms`) without
 *  touching app code: the Worker constructor is wrapped before the app's scripts run. */
const INIT_SCRIPT = `(() => {
  const bench = (window.__bench = { posts: [], results: [] });
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data || {};
        bench.results.push({ at: Date.now(), ms: typeof d.ms === 'number' ? d.ms : -1, groups: Array.isArray(d.groups) ? d.groups.length : -1, photos: typeof d.photos === 'number' ? d.photos : -1 });
      });
    }
    postMessage(...args) {
      bench.posts.push({ at: Date.now(), type: args[0] && args[0].type });
      return super.postMessage(...args);
    }
  };
})();`;

interface WorkerLog {
  posts: Array<{ at: number; type: string }>;
  results: Array<{ at: number; ms: number; groups: number; photos: number }>;
}

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
async function when<A>(page: Page, what: string, predicate: (arg: A) => boolean, arg: A, timeoutMs: number): Promise<number> {
  try {
    const handle = await page.waitForFunction(`(${predicate.toString()})(${JSON.stringify(arg)}) ? Date.now() : false`, undefined, { timeout: timeoutMs, polling: 'raf' });
    return (await handle.jsonValue()) as number;
  } catch (error) {
    throw new Error(`${what}: not reached within ${timeoutMs / 1000} s (${(error as Error).message.split('\n')[0]}); UI: ${await uiState(page)}`);
  }
}

// Page predicates (serialised into the page; keep them self-contained).
const hasGroupCard = () => document.querySelector('[data-testid=group-card]') !== null;
const progressComplete = (min: number) => {
  const m = /^(\d+)\/(\d+)/.exec(document.querySelector('[data-testid=scan-progress]')?.textContent?.trim() ?? '');
  return m !== null && m[1] === m[2] && Number(m[2]) >= min;
};
const groupsOnScreen = (count: number) => document.querySelector('[data-testid=group-count]')?.textContent === String(count) && document.querySelectorAll('[data-testid=group-card]').length === count;
const noRootScanning = () => {
  const roots = [...document.querySelectorAll('[data-testid=root-item]')];
  return roots.length > 0 && roots.every((r) => !(r.textContent ?? '').includes('scanning'));
};

async function workerLog(page: Page): Promise<WorkerLog> {
  return (await page.evaluate('window.__bench')) as WorkerLog;
}

/** Waits until the group count has not changed, and no re-cluster ran, for `quietMs`. */
async function settleGroups(page: Page, after: number, quietMs: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  for (;;) {
    const [count, worker, updating] = await Promise.all([
      page.getByTestId('group-count').textContent(),
      workerLog(page),
      page.evaluate(() => (document.querySelector('.groups-header')?.textContent ?? '').includes('updating')),
    ]);
    const key = `${count}|${worker.results.length}|${updating}`;
    if (key !== last) {
      last = key;
      since = Date.now();
    }
    const clusteredAfter = worker.results.some((r) => r.at >= after);
    if (clusteredAfter && !updating && Date.now() - since >= quietMs) return Number(count);
    if (Date.now() > deadline) throw new Error(`groups did not settle within ${timeoutMs / 1000} s; UI: ${await uiState(page)}`);
    await page.waitForTimeout(250);
  }
}

interface FirstScan {
  firstGroupMs: number;
  doneMs: number;
  settledMs: number;
  hashSpanMs: number;
  groups: number;
  groupSizes: Record<string, number>;
  hashOutcomes: number;
  hashRequested: number;
  hostPeak: number;
  workersPeak: number;
  workerPeak: number;
  workerCount: number;
  rendererRss: number;
  heapPeak: number;
  heapAfterGc: number;
  clusterRuns: number;
  lastClusterMs: number;
  seed: SeedResult;
}

interface Reopen {
  dclMs: number;
  wsOpenMs: number;
  firstGroupMs: number;
  groupsMs: number;
  firstFileEventMs: number;
  readyMs: number;
  idleMs: number;
  groups: number;
  hashOutcomes: number;
  hashRequested: number;
  fileEvents: number;
  hostPeak: number;
  workersPeak: number;
  rendererRss: number;
  heapPeak: number;
  heapAfterGc: number;
  worker: WorkerLog;
  navAt: number;
}

async function openPage(context: BrowserContext, url: string): Promise<{ page: Page; traffic: Traffic; heap: HeapSampler; navAt: number }> {
  const page = await context.newPage();
  const traffic = new Traffic(page);
  const heap = new HeapSampler(await context.newCDPSession(page));
  const navAt = Date.now();
  await page.goto(url, { timeout: 60_000 });
  return { page, traffic, heap, navAt };
}

async function firstScan(context: BrowserContext, host: Host, profile: string, manifest: Manifest): Promise<{ result: FirstScan; page: Page }> {
  const memory = new MemorySampler(host.pid, profile).start();
  const { page, traffic, heap } = await openPage(context, host.url);
  await page.getByTestId('add-root-input').waitFor({ timeout: 30_000 });
  await page.getByTestId('add-root-input').fill(PHOTOS_DIR);
  const clickedAt = Date.now();
  await page.getByTestId('add-root-button').click();
  log(`first scan: added ${PHOTOS_DIR}`);

  const progress = setInterval(() => void uiState(page).then((s) => log(`  ${((Date.now() - clickedAt) / 1000).toFixed(0)} s: ${s}`)), 15_000);
  let firstGroupAt: number;
  let doneAt: number;
  try {
    [firstGroupAt, doneAt] = await Promise.all([
      when(page, 'first scan: a group card on screen', hasGroupCard, null, FIRST_SCAN_TIMEOUT_MS),
      when(page, `first scan: scan-progress ${manifest.files}/${manifest.files}`, progressComplete, manifest.files, FIRST_SCAN_TIMEOUT_MS),
    ]);
  } finally {
    clearInterval(progress);
  }
  log(`first scan: ${manifest.files}/${manifest.files} after ${seconds(doneAt - clickedAt)}`);
  const groups = await settleGroups(page, doneAt, 2_000, 120_000);
  const worker = await workerLog(page);
  // The first worker result from which on the count stayed final.
  let settledAt = worker.results.at(-1)!.at;
  for (let k = worker.results.length - 1; k >= 0 && worker.results[k]!.groups === groups; k--) settledAt = worker.results[k]!.at;
  const groupSizes = await page.locator('[data-testid=group-card]').evaluateAll((cards) => {
    const sizes: Record<string, number> = {};
    for (const c of cards) sizes[c.getAttribute('data-group-size') ?? '?'] = (sizes[c.getAttribute('data-group-size') ?? '?'] ?? 0) + 1;
    return sizes;
  });
  const heapAfterGc = await heap.afterGc();
  memory.stop();
  await heap.stop();
  log(`first scan: ${groups} groups; writing ${SYNTHETIC_FILES.toLocaleString('en-US')} synthetic files into IndexedDB …`);
  const seed = await seedIndexedDb(page, { count: SYNTHETIC_FILES, blockSize: 1000, root: SYNTHETIC_ROOT, seed: 0x5eed, quality: 90 });
  log(`first scan: IndexedDB now holds ${seed.files} files, ${seed.fingerprints} fingerprints, ${seed.blocks} blocks (${seed.seconds.toFixed(1)} s)`);
  return {
    page,
    result: {
      firstGroupMs: firstGroupAt - clickedAt,
      doneMs: doneAt - clickedAt,
      settledMs: settledAt - clickedAt,
      hashSpanMs: (traffic.lastHashAt ?? 0) - (traffic.firstHashAt ?? 0),
      groups,
      groupSizes,
      hashOutcomes: traffic.hashOutcomes,
      hashRequested: traffic.hashRequested,
      hostPeak: memory.hostRss,
      workersPeak: memory.workersRss,
      workerPeak: memory.workerPeak,
      workerCount: memory.workerCount,
      rendererRss: memory.rendererRss,
      heapPeak: heap.peak,
      heapAfterGc,
      clusterRuns: worker.results.length,
      lastClusterMs: worker.results.at(-1)?.ms ?? -1,
      seed,
    },
  };
}

async function reopen(context: BrowserContext, host: Host, profile: string, groupsBefore: number, filesInDb: number): Promise<{ result: Reopen; page: Page }> {
  const memory = new MemorySampler(host.pid, profile).start();
  const { page, traffic, heap, navAt } = await openPage(context, host.url);
  const [firstGroupAt, groupsAt] = await Promise.all([
    when(page, 'reopen: a group card on screen', hasGroupCard, null, REOPEN_TIMEOUT_MS),
    when(page, `reopen: ${groupsBefore} groups on screen`, groupsOnScreen, groupsBefore, REOPEN_TIMEOUT_MS),
  ]);
  log(`reopen: ${groupsBefore} groups on screen ${seconds(groupsAt - navAt)} after navigation`);
  const idleAt = Math.max(
    ...(await Promise.all([
      when(page, 'reopen: the root scan finished', noRootScanning, null, REOPEN_TIMEOUT_MS),
      when(page, `reopen: scan-progress ${filesInDb}/${filesInDb}`, progressComplete, filesInDb, REOPEN_TIMEOUT_MS),
    ])),
  );
  await page.waitForTimeout(QUIET_WAIT_MS);
  const groups = await settleGroups(page, idleAt, 1_000, 60_000);
  const dclMs = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? -1);
  const heapAfterGc = await heap.afterGc();
  memory.stop();
  await heap.stop();
  const rel = (at: number | undefined) => (at === undefined ? -1 : at - navAt);
  return {
    page,
    result: {
      dclMs,
      wsOpenMs: rel(traffic.openedAt),
      firstGroupMs: firstGroupAt - navAt,
      groupsMs: groupsAt - navAt,
      firstFileEventMs: rel(traffic.firstFileEventAt),
      readyMs: rel(traffic.readyAt),
      idleMs: idleAt - navAt,
      groups,
      hashOutcomes: traffic.hashOutcomes,
      hashRequested: traffic.hashRequested,
      fileEvents: traffic.fileEvents,
      hostPeak: memory.hostRss,
      workersPeak: memory.workersRss,
      rendererRss: memory.rendererRss,
      heapPeak: heap.peak,
      heapAfterGc,
      worker: await workerLog(page),
      navAt,
    },
  };
}

function report(manifest: Manifest, first: FirstScan, again: Reopen): void {
  const filesPerSecond = manifest.files / (first.doneMs / 1000);
  const hashRate = first.hashSpanMs > 0 ? first.hashOutcomes / (first.hashSpanMs / 1000) : 0;
  const rows: string[][] = [
    ['Library', `${manifest.files.toLocaleString('en-US')} JPEGs ${manifest.width}×${manifest.height} in ${manifest.folders} folders, ${manifest.plantedGroups} planted groups`, '', ''],
    ['First scan: first group on screen (from Add)', seconds(first.firstGroupMs), '', ''],
    ['First scan: scan-progress N/N (from Add)', seconds(first.doneMs), '', ''],
    ['First scan: final group count on screen (from Add)', seconds(first.settledMs), '', ''],
    ['First scan: files/s (N ÷ time to N/N)', filesPerSecond.toFixed(0), '', ''],
    ['First scan: hashing rate (first → last hashResults)', hashRate.toFixed(0), '', ''],
    ['First scan: hash outcomes received', first.hashOutcomes.toLocaleString('en-US'), `= ${manifest.files.toLocaleString('en-US')}`, passFail(first.hashOutcomes === manifest.files)],
    ['First scan: groups shown', `${first.groups} (${Object.entries(first.groupSizes).map(([s, n]) => `${n}×${s}`).join(', ')})`, `= ${manifest.expectedGroups} (doppel scan; ${manifest.plantedGroups} planted)`, passFail(first.groups === manifest.expectedGroups)],
    ['First scan: host (main) peak RSS', mb(first.hostPeak), `< ${TARGET_HOST_RSS_MB} MB`, passFail(first.hostPeak < TARGET_HOST_RSS_MB * MB)],
    [`First scan: hash workers peak RSS (${first.workerCount} processes)`, `${mb(first.workersPeak)} together, ${mb(first.workerPeak)} max one`, '', ''],
    ['First scan: renderer JS heap (main thread)', `${mb(first.heapPeak)} peak, ${mb(first.heapAfterGc)} after GC`, '', ''],
    ['First scan: renderer process RSS (incl. cluster worker)', mb(first.rendererRss), '', ''],
    ['First scan: re-clusters run / last one', `${first.clusterRuns} / ${seconds(first.lastClusterMs)}`, '', ''],
    ['IndexedDB: synthetic files written (raw IDB)', `${SYNTHETIC_FILES.toLocaleString('en-US')} in ${first.seed.seconds.toFixed(1)} s → files ${first.seed.files.toLocaleString('en-US')}, fingerprints ${first.seed.fingerprints.toLocaleString('en-US')}, blocks ${first.seed.blocks}`, '', ''],
    ['Reopen: groups on screen (from navigation)', seconds(again.groupsMs), `< ${TARGET_REOPEN_S} s`, passFail(again.groupsMs < TARGET_REOPEN_S * 1000)],
    ['Reopen: same group count as before', `${again.groups} (before: ${first.groups})`, `= ${first.groups}`, passFail(again.groups === first.groups)],
    ['Reopen: files re-hashed (hashResults outcomes)', String(again.hashOutcomes), '0', passFail(again.hashOutcomes === 0)],
    ['Reopen: files sent to hash', String(again.hashRequested), '0', passFail(again.hashRequested === 0)],
    ['Reopen: scan finished, progress N/N (from navigation)', seconds(again.idleMs), '', ''],
    ['Reopen: host (main) peak RSS', mb(again.hostPeak), `< ${TARGET_HOST_RSS_MB} MB`, passFail(again.hostPeak < TARGET_HOST_RSS_MB * MB)],
    ['Reopen: renderer JS heap (main thread)', `${mb(again.heapPeak)} peak, ${mb(again.heapAfterGc)} after GC`, '', ''],
    ['Reopen: renderer process RSS (incl. cluster worker)', mb(again.rendererRss), '', ''],
  ];
  console.log(`## bench:library — ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, Chromium headless`);
  console.log('\nOne run; every time below was measured in this run.\n');
  console.log(markdownTable(['Measurement', 'Value', 'Target', 'Result'], rows, 'llll'));

  // Where the reopen time goes.
  const rel = (at: number) => seconds(at - again.navAt);
  const timeline: string[][] = [
    ['DOMContentLoaded', seconds(again.dclMs)],
    ['API WebSocket opened', seconds(again.wsOpenMs)],
    ['first fileEvents frame (rescan of the root)', seconds(again.firstFileEventMs)],
    ['scan `ready` frame', seconds(again.readyMs)],
  ];
  again.worker.posts.forEach((p, k) => timeline.push([`worker request ${k + 1}: ${p.type}`, rel(p.at)]));
  again.worker.results.forEach((r, k) => timeline.push([`worker result ${k + 1}: ${r.groups} groups, ${r.photos.toLocaleString('en-US')} photos, clustered in ${seconds(r.ms)}`, rel(r.at)]));
  timeline.push(['first group card on screen', seconds(again.firstGroupMs)], [`all ${again.groups} groups on screen`, seconds(again.groupsMs)], ['roots idle and progress N/N', seconds(again.idleMs)]);
  timeline.sort((a, b) => parseFloat(a[1]!) - parseFloat(b[1]!));
  console.log(`\n### Reopen timeline (from navigation; ${again.fileEvents.toLocaleString('en-US')} file events, ${again.hashOutcomes} hash results)\n`);
  console.log(markdownTable(['Event', 'At'], timeline, 'lr'));
}

async function main(): Promise<void> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('Debian chromium not found (apt-get install -y chromium)');
  const manifest = await ensureLibrary(log);
  const data = mkdtempSync(join(tmpdir(), 'doppel-bench-data-'));
  const profile = mkdtempSync(join(tmpdir(), 'doppel-bench-profile-'));
  let host: Host | undefined;
  let context: BrowserContext | undefined;
  try {
    const port = await freePort();
    host = await startHost(port, data);
    log(`host: ${host.url.replace(/token=\S+/, 'token=…')} (pid ${host.pid})`);
    context = await launchBrowser(chromiumPath, profile);
    await context.addInitScript(INIT_SCRIPT);

    const first = await firstScan(context, host, profile, manifest);
    await host.stop();
    host = undefined;
    await first.page.close();

    host = await startHost(port, data);
    log(`reopen: host restarted (pid ${host.pid})`);
    const again = await reopen(context, host, profile, first.result.groups, first.result.seed.files);
    report(manifest, first.result, again.result);
  } catch (error) {
    if (host) log(`host log (last lines):\n${host.log()}`);
    throw error;
  } finally {
    await context?.close().catch(() => undefined);
    await host?.stop();
    rmSync(data, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(`bench:library failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
