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
const GROUPS = FINGERPRINTS / 2;
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

/** Frame intervals (ms) for `ms` while `during` runs in the page each frame. */
function frameIntervals(page: Page, ms: number, scrollPerFrame: number): Promise<{ intervals: number[]; maxCards: number; reachedEnd: boolean }> {
  return page.evaluate(
    ([duration, step]) =>
      new Promise<{ intervals: number[]; maxCards: number; reachedEnd: boolean }>((resolve) => {
        const intervals: number[] = [];
        let maxCards = 0;
        let last = performance.now();
        const end = last + duration;
        const frame = (now: number) => {
          intervals.push(now - last);
          last = now;
          maxCards = Math.max(maxCards, document.querySelectorAll('[data-testid=group-card]').length);
          if (step) window.scrollBy(0, step);
          if (now < end) requestAnimationFrame(frame);
          else resolve({ intervals: intervals.slice(1), maxCards, reachedEnd: window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2 });
        };
        requestAnimationFrame(frame);
      }),
    [ms, scrollPerFrame] as const,
  );
}

/** Moves the slider to `value`: ms from the input event until the group count changed, and
 *  the worker's own time for that cut. */
function moveSlider(page: Page, value: number): Promise<{ ms: number; workerMs: number; groups: number }> {
  return page.evaluate(
    (to) =>
      new Promise<{ ms: number; workerMs: number; groups: number }>((resolve) => {
        const slider = document.querySelector('[data-testid=similarity-slider]') as HTMLInputElement;
        const count = document.querySelector('[data-testid=group-count]')!;
        const before = count.textContent;
        const bench = (window as unknown as { __benchReplies: Array<{ ms: number }> }).__benchReplies;
        const replies = bench.length;
        const started = performance.now();
        slider.value = String(to);
        slider.dispatchEvent(new Event('input', { bubbles: true }));
        const poll = () => {
          if (count.textContent !== before && bench.length > replies) resolve({ ms: performance.now() - started, workerMs: bench.at(-1)!.ms, groups: Number(count.textContent) });
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }),
    value,
  );
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

async function main(): Promise<void> {
  const chromium = findChromium();
  if (!chromium) throw new Error('Debian chromium not found (apt-get install -y chromium)');
  const work = mkdtempSync(join(tmpdir(), 'doppel-bench-review-'));
  const host = await startHost(await freePort(), join(work, 'data'));
  const context = await launchBrowser(chromium, join(work, 'profile'));
  try {
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByTestId('add-root-input').waitFor();
    log(`seeding ${FINGERPRINTS.toLocaleString('en-US')} fingerprints …`);
    const seeded = await seedIndexedDb(page, { count: FINGERPRINTS, blockSize: 1000, root: '/doppel-bench-synthetic/review', seed: 11, quality: 90, pairs: true });
    log(`seeded: ${seeded.files.toLocaleString('en-US')} files in ${seeded.seconds.toFixed(1)} s`);

    let start = Date.now();
    await page.reload();
    const firstOpenMs = await untilGroupCount(page, GROUPS, start);
    log(`first open: ${GROUPS} groups after ${(firstOpenMs / 1000).toFixed(2)} s`);
    // Let the first open's follow-up work settle, then reopen from the snapshot.
    await page.waitForTimeout(3000);
    start = Date.now();
    await page.reload();
    const reopenMs = await untilGroupCount(page, GROUPS, start);
    log(`reopen: ${GROUPS} groups after ${(reopenMs / 1000).toFixed(2)} s`);
    await page.waitForTimeout(3000);

    const idle = await frameIntervals(page, 2000, 0);
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    // Fast enough to cross the whole list in ~10 s at 60 frames/s.
    const step = Math.ceil(pageHeight / 600);
    const scrolling = await frameIntervals(page, 12_000, step);
    log(`scrolled ${pageHeight.toLocaleString('en-US')} px: ${scrolling.intervals.length} frames, at most ${scrolling.maxCards} cards in the page`);
    await page.evaluate(() => window.scrollTo(0, 0));

    const positions = [0.9, 0.85, 0.95, 0.8, 1, 0.88, 0.83, 0.97, 0.8, 0.92, 0.86];
    const moves = [];
    for (const value of positions) moves.push({ value, ...(await moveSlider(page, value)) });
    log(`slider: ${moves.map((m) => `${m.value}→${m.groups} in ${m.ms.toFixed(0)} ms`).join(', ')}`);

    const idleMedian = median(idle.intervals);
    const scrollMedian = median(scrolling.intervals);
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
      ['Scrolling median frame ÷ idle median frame', (scrollMedian / idleMedian).toFixed(2), '≤ 1.5', passFail(scrollMedian / idleMedian <= 1.5)],
      ['Frames over 50 ms while scrolling', `${scrolling.intervals.filter((v) => v > 50).length} of ${scrolling.intervals.length}`, '', ''],
      ['Slider move → new group count on screen: median', `${sliderMedian.toFixed(0)} ms`, `< ${TARGET_SLIDER_MS} ms`, passFail(sliderMedian < TARGET_SLIDER_MS)],
      ['Cluster worker time for the same re-cuts: median (baseline)', `${workerMedian.toFixed(0)} ms`, '', ''],
      ['On-screen latency ÷ worker time', (sliderMedian / workerMedian).toFixed(1), '', ''],
    ];
    console.log(`## bench:review — ${new Date().toISOString().slice(0, 10)}, Chromium headless\n`);
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
