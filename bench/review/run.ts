// npm run bench:review
// The review screen with 50,000 groups: 100,000 synthetic fingerprinted files (near-duplicate
// pairs, a quarter with an identical third copy) written into the page's IndexedDB, then in
// Debian's Chromium against `doppel serve`:
//  - time to the groups on screen, first open (no saved clustering) and reopen (snapshot);
//  - group cards in the DOM (the grid is virtualised);
//  - scrolling the whole list: frame intervals while scrolling, against idle frames measured
//    in the same page just before (the ratio is what matters on a shared machine);
//  - slider moves: time from the input event to the new group count on screen, against the
//    cluster worker's own time for the same re-cut.
// One run; medians, and ratios against baselines from this run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findChromium, launchBrowser } from '../../e2e/browser';
import { markdownTable, passFail } from '../accuracy/table';
import { freePort, startHost } from '../library/processes';
import { seedIndexedDb } from '../library/seed-idb';

const FINGERPRINTS = 100_000;

/** Two libraries of 100,000 fingerprints: every photo duplicated (50,000 groups, the extreme the
 *  list must stay smooth with), and a typical one (2% duplicated: 1,000 groups). */
const LIBRARIES = [
  { name: '50,000 groups', paired: FINGERPRINTS },
  { name: '1,000 groups in 100,000 photos', paired: 2_000 },
];
const OPEN_TIMEOUT_MS = 180_000;
const TARGET_SLIDER_MS = 50;
const log = (line: string) => process.stderr.write(`${line}\n`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

/** Milliseconds from `start` until the group count on screen is `count`. */
async function untilGroupCount(page: Page, count: number, start: number): Promise<number> {
  await page.waitForFunction((want) => document.querySelector('[data-testid=group-count]')?.textContent === String(want), count, { timeout: OPEN_TIMEOUT_MS, polling: 50 });
  return Date.now() - start;
}

// Page functions are strings: tsx's name-keeping helpers must not leak into page code.

/** Frame intervals (ms) for `ms`, or while scrolling the page by `scrollPerFrame` px every
 *  frame until its end (at most `ms`). */
const FRAME_INTERVALS = String.raw`([duration, step]) => new Promise((resolve) => {
  const intervals = [];
  let maxCards = 0;
  let last = performance.now();
  const end = last + duration;
  const frame = (now) => {
    intervals.push(now - last);
    last = now;
    maxCards = Math.max(maxCards, document.querySelectorAll('[data-testid=group-card]').length);
    const atEnd = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
    if (step) window.scrollBy(0, step);
    if (now < end && !(step && atEnd)) requestAnimationFrame(frame);
    else resolve({ intervals: intervals.slice(1), maxCards, reachedEnd: window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2 });
  };
  requestAnimationFrame(frame);
})`;

async function frameIntervals(page: Page, ms: number, scrollPerFrame: number): Promise<{ intervals: number[]; maxCards: number; reachedEnd: boolean }> {
  return (await page.evaluate(`(${FRAME_INTERVALS})(${JSON.stringify([ms, scrollPerFrame])})`)) as { intervals: number[]; maxCards: number; reachedEnd: boolean };
}

/** Moves the slider to a value: ms from the input event until the group count changed, and
 *  the worker's own time for that cut. */
const MOVE_SLIDER = String.raw`(to) => new Promise((resolve) => {
  const slider = document.querySelector('[data-testid=similarity-slider]');
  const count = document.querySelector('[data-testid=group-count]');
  const before = count.textContent;
  const replies = window.__benchReplies;
  const seen = replies.length;
  const started = performance.now();
  slider.value = String(to);
  slider.dispatchEvent(new Event('input', { bubbles: true }));
  const poll = () => {
    if (count.textContent !== before && replies.length > seen) resolve({ ms: performance.now() - started, workerMs: replies[replies.length - 1].ms, groups: Number(count.textContent) });
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})`;

async function moveSlider(page: Page, value: number): Promise<{ ms: number; workerMs: number; groups: number }> {
  return (await page.evaluate(`(${MOVE_SLIDER})(${JSON.stringify(value)})`)) as { ms: number; workerMs: number; groups: number };
}

/** Records the cluster worker's replies (bench-only; no app code touched). */
const INIT_SCRIPT = `(() => {
  const replies = (window.__benchReplies = []);
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => replies.push({ ms: e.data && e.data.ms, source: e.data && e.data.source }));
    }
  };
})();`;

async function workerReplies(page: Page): Promise<string> {
  const replies = (await page.evaluate('window.__benchReplies')) as Array<{ ms: number; source: string }>;
  return replies.map((r) => `${r.source} ${(r.ms / 1000).toFixed(2)} s`).join(', ');
}

async function main(): Promise<void> {
  const chromium = findChromium();
  if (!chromium) throw new Error('Debian chromium not found (apt-get install -y chromium)');
  console.log(`## bench:review — ${new Date().toISOString().slice(0, 10)}, Chromium headless\n`);
  for (const library of LIBRARIES) await measure(chromium, library);
}

async function measure(chromium: string, library: (typeof LIBRARIES)[number]): Promise<void> {
  const GROUPS = library.paired / 2;
  const work = mkdtempSync(join(tmpdir(), 'doppel-bench-review-'));
  const host = await startHost(await freePort(), join(work, 'data'));
  const context = await launchBrowser(chromium, join(work, 'profile'));
  try {
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByTestId('add-root-input').waitFor();
    log(`seeding ${FINGERPRINTS.toLocaleString('en-US')} fingerprints …`);
    const options = { blockSize: 1000, root: '/doppel-bench-synthetic/review', quality: 90 };
    let seeded = await seedIndexedDb(page, { ...options, count: library.paired, seed: 11, pairs: true });
    if (library.paired < FINGERPRINTS) seeded = await seedIndexedDb(page, { ...options, root: `${options.root}-unrelated`, count: FINGERPRINTS - library.paired, seed: 12 });
    log(`seeded: ${seeded.files.toLocaleString('en-US')} files in ${seeded.seconds.toFixed(1)} s`);

    let start = Date.now();
    await page.reload();
    const firstOpenMs = await untilGroupCount(page, GROUPS, start);
    log(`first open: ${GROUPS} groups after ${(firstOpenMs / 1000).toFixed(2)} s; worker replies ${await workerReplies(page)}`);
    // Let the first open's follow-up work settle, then reopen from the snapshot.
    await page.waitForTimeout(3000);
    start = Date.now();
    await page.reload();
    const reopenMs = await untilGroupCount(page, GROUPS, start);
    log(`reopen: ${GROUPS} groups after ${(reopenMs / 1000).toFixed(2)} s; worker replies ${await workerReplies(page)}`);
    await page.waitForTimeout(3000);

    const idle = await frameIntervals(page, 2000, 0);
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    // Fast enough to cross the whole list in ~10 s at 60 frames/s.
    const step = Math.ceil(pageHeight / 600);
    const scrolling = await frameIntervals(page, 30_000, step);
    log(`scrolled ${pageHeight.toLocaleString('en-US')} px: ${scrolling.intervals.length} frames, at most ${scrolling.maxCards} cards in the page`);
    await page.evaluate('window.scrollTo(0, 0)');
    // Baseline: the same scroll over a static page of the same height in the same browser (the
    // cost of scrolling itself here: headless, software rendering).
    const staticPage = await context.newPage();
    await staticPage.setContent(`<body style="margin:0"><div style="height:${pageHeight}px;background:repeating-linear-gradient(#f5f5f7 0 256px,#ffffff 256px 272px)"></div></body>`);
    const staticScroll = await frameIntervals(staticPage, 30_000, step);
    await staticPage.close();

    const positions = [0.9, 0.85, 0.95, 0.8, 1, 0.88, 0.83, 0.97, 0.8, 0.92, 0.86];
    const moves = [];
    for (const value of positions) moves.push({ value, ...(await moveSlider(page, value)) });
    log(`slider: ${moves.map((m) => `${m.value}→${m.groups} in ${m.ms.toFixed(0)} ms`).join(', ')}`);

    const idleMedian = median(idle.intervals);
    const scrollMedian = median(scrolling.intervals);
    const staticMedian = median(staticScroll.intervals);
    const sliderMedian = median(moves.map((m) => m.ms));
    const workerMedian = median(moves.map((m) => m.workerMs));
    const rows: string[][] = [
      ['Library', `${seeded.files.toLocaleString('en-US')} files, ${FINGERPRINTS.toLocaleString('en-US')} fingerprints, ${GROUPS.toLocaleString('en-US')} groups at the default similarity`, '', ''],
      ['First open (no saved clustering): groups on screen', `${(firstOpenMs / 1000).toFixed(2)} s`, '', ''],
      ['Reopen (saved clustering): groups on screen', `${(reopenMs / 1000).toFixed(2)} s`, '< 3 s', passFail(reopenMs < 3000)],
      ['Group cards in the page while scrolling (max)', String(scrolling.maxCards), '≤ 100', passFail(scrolling.maxCards <= 100)],
      ['Scrolled to the end of the list', scrolling.reachedEnd ? 'yes' : 'no', 'yes', passFail(scrolling.reachedEnd)],
      ['Frame interval, idle page (baseline): median', `${idleMedian.toFixed(1)} ms`, '', ''],
      ['Frame interval while scrolling: median / p95 / max', `${scrollMedian.toFixed(1)} / ${quantile(scrolling.intervals, 0.95).toFixed(1)} / ${Math.max(...scrolling.intervals).toFixed(1)} ms`, '', ''],
      ['Frame interval scrolling a static page of the same height (baseline): median', `${staticMedian.toFixed(1)} ms`, '', ''],
      ['Scrolling median frame ÷ static-page scrolling median frame', (scrollMedian / staticMedian).toFixed(2), '≤ 1.5', passFail(scrollMedian / staticMedian <= 1.5)],
      ['Scrolling median frame ÷ idle median frame', (scrollMedian / idleMedian).toFixed(2), '', ''],
      ['Frames over 50 ms while scrolling', `${scrolling.intervals.filter((v) => v > 50).length} of ${scrolling.intervals.length}`, '', ''],
      ['Slider move → new group count on screen: median', `${sliderMedian.toFixed(0)} ms`, `< ${TARGET_SLIDER_MS} ms`, passFail(sliderMedian < TARGET_SLIDER_MS)],
      ['Cluster worker time for the same re-cuts: median (baseline)', `${workerMedian.toFixed(0)} ms`, '', ''],
      ['On-screen latency ÷ worker time', (sliderMedian / workerMedian).toFixed(1), '', ''],
    ];
    console.log(`### ${library.name}\n`);
    console.log(markdownTable(['Measurement', 'Value', 'Target', 'Result'], rows, 'llll'));
  } finally {
    await context.close();
    await host.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
