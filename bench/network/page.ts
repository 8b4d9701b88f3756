// bench:network --page: the same share added through the app's UI in Debian's Chromium, so the
// page (its IndexedDB writes, counts and re-clusters) carries all 500,000 files. Measured: how
// long the page takes to know every file, how responsive its main thread stays (a script call
// once a second; tasks over 50 ms), the host's RSS, files in flight on the share, and the
// progress line the person reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium, launchBrowser } from '../../e2e/browser';
import { markdownTable, passFail } from '../accuracy/table';
import { benchLog, INIT_SCRIPT, probeRow, ResponsivenessProbe } from '../library/instrument';
import { memoryOf, type Host } from '../library/processes';

const MB = 1024 * 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);

export interface PageRunOptions {
  host: Host;
  sharePath: string;
  files: number;
  hashWindowMs: number;
  targetRssMb: number;
  /** Files being read on the share, from main's progress events, max so far. */
  maxInFlight: () => number;
  /** Hash outcomes main has sent so far. */
  outcomes: () => number;
}

export async function runThroughPage(o: PageRunOptions): Promise<void> {
  const chromium = findChromium();
  if (!chromium) throw new Error('Debian chromium not found (apt-get install -y chromium)');
  const profile = mkdtempSync(join(tmpdir(), 'doppel-bench-network-page-'));
  const context = await launchBrowser(chromium, profile);
  try {
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    await page.goto(o.host.url, { timeout: 60_000 });
    await page.getByTestId('add-root-input').fill(o.sharePath);
    await page.getByLabel(/Network drive/).check();
    let peakRss = 0;
    const memory = setInterval(() => (peakRss = Math.max(peakRss, memoryOf(o.host.pid)?.rss ?? 0)), 500);
    const probe = new ResponsivenessProbe(page);
    const addedAt = Date.now();
    await page.getByTestId('add-root-button').click();
    const state = () =>
      page.evaluate(() => ({
        root: document.querySelector('[data-testid=root-item]')?.textContent?.trim().replace(/\s+/g, ' ') ?? '',
        progress: document.querySelector('[data-testid=scan-progress]')?.textContent?.trim().replace(/\s+/g, ' ') ?? '',
      }));
    const progressLines: Array<{ at: number; text: string }> = [];
    let knownAt: number | undefined;
    const until = () => (knownAt ?? Infinity) + o.hashWindowMs;
    let lastLog = 0;
    while (Date.now() < until()) {
      const s = await state();
      progressLines.push({ at: Date.now(), text: s.progress });
      // The page knows every file once its folder stopped scanning with all of them counted.
      if (knownAt === undefined && !s.root.includes('scanning') && s.root.includes(`${o.files} photos`)) knownAt = Date.now();
      if (Date.now() - lastLog >= 15_000) {
        lastLog = Date.now();
        log(`  page ${((Date.now() - addedAt) / 1000).toFixed(0)} s: ${s.root} | ${s.progress} | host RSS ${((memoryOf(o.host.pid)?.rss ?? 0) / MB).toFixed(0)} MB`);
      }
      if (Date.now() - addedAt > 60 * 60_000) throw new Error('the page did not know every file within an hour');
      await new Promise((r) => setTimeout(r, 1000));
    }
    const endAt = Date.now();
    const all = await probe.stop();
    clearInterval(memory);
    const longTasks = (await benchLog(page)).longTasks.filter((t) => t.at >= addedAt && t.at <= endAt);
    const share = (from: number, to: number) => {
      const ms = longTasks.filter((t) => t.at >= from && t.at < to).reduce((sum, t) => sum + t.ms, 0);
      return `${((100 * ms) / Math.max(1, to - from)).toFixed(1)}%`;
    };
    const known = knownAt!;
    const etaShownWhileCounting = progressLines.some((p) => p.at < known && /left/.test(p.text));
    console.log(`\n## bench:network --page — ${o.files.toLocaleString('en-US')} files on the share, added through the UI\n`);
    console.log(
      markdownTable(
        ['Measurement', 'Value', 'Target', 'Result'],
        [
          ['Page knows every file (folder counted, not scanning; from Add)', `${((known - addedAt) / 1000).toFixed(1)} s`, '', ''],
          ['Host (main) peak RSS', `${(peakRss / MB).toFixed(0)} MB`, `< ${o.targetRssMb} MB`, passFail(peakRss < o.targetRssMb * MB)],
          ['Files in flight on the share (max over progress reports)', String(o.maxInFlight()), '≤ 1', passFail(o.maxInFlight() <= 1)],
          ['Page main thread answers a script call, while counting: median / p99 / max (n)', probeRow(probe.between(addedAt, known)), '', ''],
          [`Page main thread answers a script call, ${o.hashWindowMs / 60_000} min of hashing after: median / p99 / max (n)`, probeRow(probe.between(known, endAt)), '', ''],
          ['Page main-thread tasks over 50 ms: count, longest; share of the time while counting / hashing', `${longTasks.length}, ${Math.max(0, ...longTasks.map((t) => t.ms))} ms; ${share(addedAt, known)} / ${share(known, endAt)}`, '', ''],
          ['A time left shown while the folder was still being counted', etaShownWhileCounting ? 'yes' : 'no', 'no', passFail(!etaShownWhileCounting)],
          ['Hashed in the window (main)', o.outcomes().toLocaleString('en-US'), '', ''],
          ['Progress line at the end', progressLines.at(-1)?.text ?? '', '', ''],
          ['All calls, whole run: median / p99 / max (n)', probeRow(all), '', ''],
        ],
        'llll',
      ),
    );
  } finally {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}
