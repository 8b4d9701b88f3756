// npm run bench:network [-- --files N] [-- --latency-ms L] [-- --mbps B] [-- --minutes M] [-- --page]
// A very large library on a slow network share, through the headless host's API (no browser:
// this client does what the renderer does for a new library: every file the scan reports is
// sent to hash, in batches of 1,000).
//  - The share: N files (default 500,000) in folders of 500, hard links to 2,000 distinct small
//    JPEGs (cached in .bench/network-<N/1000>k/), mounted through a FUSE mirror that makes
//    every stat, listing and open wait L ms (default 1) and reads stream at B Mbit/s (default
//    50): `slow-fs.py`, Debian's fuse3 + python3-fusepy.
//  - The root is added as a network drive. Measured: time until its scan is complete, the
//    host's peak RSS, the API's round trip (a ping every 200 ms: is main responsive?), files in
//    flight (the host's own progress: a network drive must read one file at a time), and
//    whether the ETA the UI shows is honest (ScanProgress.vue: main's ETA or the database's
//    files left at main's rate, whichever is larger): the rate behind each one predicts the
//    files done 60 s later, compared with what was done, from the end of the scan (the UI
//    promises no time while it is still counting). Hashing is cancelled M minutes (default 5)
//    after the scan.
//  - With --page, the share is added through the app's UI in Debian's Chromium instead
//    (page.ts): the page carries every file, and its responsiveness is measured.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { link, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import WebSocket from 'ws';
import type { ApiEvent, FileEvent, HashProgress } from '../../src-core/api';
import type { HashOutcome } from '../../src-core/fingerprint';
import { seededRandom } from '../../src-core/random';
import { markdownTable, passFail } from '../accuracy/table';
import { PROJECT_ROOT } from '../../test/helpers';
import { freePort, memoryOf, startHost } from '../library/processes';
import { runThroughPage } from './page';

const DISTINCT = 2_000;
const PER_FOLDER = 500;
const HASH_BATCH = 1_000;
const PING_MS = 200;
const HORIZON_S = 60;
const TARGET_HOST_RSS_MB = 300;
const MB = 1024 * 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The share's files: hard links to a small pool of distinct JPEGs (cached between runs). */
async function ensureTree(files: number): Promise<string> {
  const dir = join(PROJECT_ROOT, `.bench/network-${Math.round(files / 1000)}k`);
  const tree = join(dir, 'share');
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { files: number }).files === files) return tree;
  rmSync(dir, { recursive: true, force: true });
  const pool = join(dir, 'pool');
  mkdirSync(pool, { recursive: true });
  log(`network: generating ${DISTINCT} distinct JPEGs and ${files.toLocaleString('en-US')} links in ${dir} …`);
  const random = seededRandom(500_000);
  for (let k = 0; k < DISTINCT; k++) {
    const pixels = Buffer.alloc(64 * 48 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = random() & 0xff;
    await sharp(pixels, { raw: { width: 64, height: 48, channels: 3 } }).jpeg({ quality: 80 }).toFile(join(pool, `p${k}.jpg`));
  }
  for (let i = 0; i < files; i++) {
    const folder = join(tree, `d${String(Math.floor(i / PER_FOLDER)).padStart(4, '0')}`);
    if (i % PER_FOLDER === 0) await mkdir(folder, { recursive: true });
    await link(join(pool, `p${i % DISTINCT}.jpg`), join(folder, `IMG_${String(i).padStart(6, '0')}.jpg`));
  }
  writeFileSync(manifest, JSON.stringify({ files }));
  return tree;
}

interface Mount {
  path: string;
  unmount(): void;
}

function mountSlowShare(source: string, latencyMs: number, mbps: number): Promise<Mount> {
  const path = join(tmpdir(), `doppel-slow-share-${process.pid}`);
  mkdirSync(path, { recursive: true });
  const child: ChildProcess = spawn('/usr/bin/python3', [join(PROJECT_ROOT, 'bench/network/slow-fs.py'), source, path, String(latencyMs), String(mbps)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const unmount = () => {
    try {
      execFileSync('fusermount3', ['-u', path]);
    } catch {
      child.kill('SIGKILL');
    }
    rmSync(path, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (readFileSync('/proc/mounts', 'utf8').includes(` ${path} fuse`)) {
        clearInterval(poll);
        resolve({ path, unmount });
      } else if (child.exitCode !== null || Date.now() - started > 10_000) {
        clearInterval(poll);
        reject(new Error(`the FUSE share did not mount (apt-get install -y fuse3 python3-fusepy):\n${stderr}`));
      }
    }, 50);
  });
}

/** The host's WebSocket API, as the renderer uses it. */
class ApiSocket {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: { result?: unknown; error?: string }) => void>();
  private readonly socket: WebSocket;
  readonly opened: Promise<void>;

  constructor(hostUrl: string, onEvent: (event: ApiEvent, payload: unknown) => void) {
    const url = new URL(hostUrl);
    this.socket = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: string; event?: ApiEvent; payload?: unknown };
      if (message.event) return onEvent(message.event, message.payload);
      this.pending.get(message.id ?? -1)?.(message);
      this.pending.delete(message.id ?? -1);
    });
  }

  call(method: string, ...args: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply.result)));
      this.socket.send(JSON.stringify({ id, method, args }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

interface ProgressSample extends HashProgress {
  at: number;
  /** Files the scan had reported by then (what the UI's database knows). */
  known: number;
}

/** The ETA the UI shows (ScanProgress.vue): main's, or the database's files left at the current
 *  rate, whichever is larger. */
const shownEta = (p: ProgressSample) => (p.etaSeconds === null || p.filesPerSecond <= 0 ? null : Math.max(p.etaSeconds, (p.known - p.done) / p.filesPerSecond));

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** Done count at time t, interpolated between progress reports. */
function doneAt(samples: ProgressSample[], t: number): number | undefined {
  for (let k = 1; k < samples.length; k++) {
    const a = samples[k - 1]!;
    const b = samples[k]!;
    if (b.at >= t && a.at <= t) return a.done + ((b.done - a.done) * (t - a.at)) / Math.max(1, b.at - a.at);
  }
  return undefined;
}

/** How far the rate behind each shown ETA missed the files actually done HORIZON_S later. */
function etaErrors(samples: ProgressSample[], from: number): number[] {
  const errors: number[] = [];
  for (const s of samples) {
    const eta = shownEta(s);
    if (s.at < from || eta === null || eta <= 0) continue;
    const predicted = ((s.known - s.done) / eta) * HORIZON_S;
    const later = doneAt(samples, s.at + HORIZON_S * 1000);
    if (later === undefined) continue;
    const actual = later - s.done;
    if (actual > 0) errors.push(Math.abs(predicted - actual) / actual);
  }
  return errors;
}

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      files: { type: 'string', default: '500000' },
      'latency-ms': { type: 'string', default: '1' },
      mbps: { type: 'string', default: '50' },
      minutes: { type: 'string', default: '5' },
      page: { type: 'boolean', default: false },
    },
  });
  const files = Number(opts.files);
  const latencyMs = Number(opts['latency-ms']);
  const mbps = Number(opts.mbps);
  const hashWindowMs = Number(opts.minutes) * 60_000;
  const tree = await ensureTree(files);
  const share = await mountSlowShare(tree, latencyMs, mbps);
  const data = join(tmpdir(), `doppel-bench-network-${process.pid}`);
  mkdirSync(data, { recursive: true });
  const host = await startHost(await freePort(), data);
  log(`network: share of ${files.toLocaleString('en-US')} files mounted at ${share.path} (${latencyMs} ms a request, ${mbps} Mbit/s); host pid ${host.pid}`);
  if (opts.page) {
    // The page does the work; this socket only listens to what main broadcasts.
    let maxInFlight = 0;
    let hashed = 0;
    const observer = new ApiSocket(host.url, (event, payload) => {
      if (event === 'progress') maxInFlight = Math.max(maxInFlight, (payload as HashProgress).running);
      else if (event === 'hashResults') hashed += (payload as HashOutcome[]).length;
    });
    try {
      await observer.opened;
      await runThroughPage({ host, sharePath: share.path, files, hashWindowMs, targetRssMb: TARGET_HOST_RSS_MB, maxInFlight: () => maxInFlight, outcomes: () => hashed });
    } finally {
      observer.close();
      await host.stop();
      share.unmount();
      rmSync(data, { recursive: true, force: true });
    }
    return;
  }

  let listed = 0;
  let hashRequests = Promise.resolve();
  let outcomes = 0;
  let failures = 0;
  const progress: ProgressSample[] = [];
  const api = new ApiSocket(host.url, (event, payload) => {
    if (event === 'fileEvents') {
      const paths = (payload as FileEvent[]).flatMap((e) => (e.type === 'add' ? [e.file.path] : []));
      listed += paths.length;
      for (let i = 0; i < paths.length; i += HASH_BATCH) {
        const batch = paths.slice(i, i + HASH_BATCH);
        hashRequests = hashRequests.then(() => api.call('hash', batch).then(() => undefined));
      }
    } else if (event === 'hashResults') {
      const batch = payload as HashOutcome[];
      outcomes += batch.length;
      failures += batch.filter((o) => !o.ok).length;
    } else if (event === 'progress') {
      progress.push({ ...(payload as HashProgress), at: Date.now(), known: listed });
    }
  });
  await api.opened;

  let peakRss = 0;
  const memory = setInterval(() => (peakRss = Math.max(peakRss, memoryOf(host.pid)?.rss ?? 0)), 500);
  const pings: Array<{ at: number; ms: number }> = [];
  let pinging = true;
  const pingLoop = (async () => {
    while (pinging) {
      const sent = performance.now();
      await api.call('getAppInfo');
      pings.push({ at: Date.now(), ms: performance.now() - sent });
      await new Promise((r) => setTimeout(r, PING_MS));
    }
  })();
  const progressLog = setInterval(() => {
    const last = progress.at(-1);
    log(`  listed ${listed.toLocaleString('en-US')}, hashed ${outcomes.toLocaleString('en-US')}${last ? `, ${last.filesPerSecond.toFixed(1)} files/s, ETA ${last.etaSeconds === null ? '—' : `${Math.round(last.etaSeconds)} s`}` : ''}, host RSS ${((memoryOf(host.pid)?.rss ?? 0) / MB).toFixed(0)} MB`);
  }, 15_000);

  const addedAt = Date.now();
  try {
    await api.call('watchRoot', share.path, { networkDrive: true });
    const readyAt = Date.now();
    log(`network: scan complete after ${((readyAt - addedAt) / 1000).toFixed(1)} s (${listed.toLocaleString('en-US')} files)`);
    // The ETA is judged once every file is known (the UI promises none while counting).
    const hashingFrom = readyAt;
    const until = readyAt + hashWindowMs;
    while (Date.now() < until && outcomes < files) await new Promise((r) => setTimeout(r, 1000));
    const endAt = Date.now();
    await hashRequests;
    await api.call('cancelHashing');
    pinging = false;
    await pingLoop;
    report({
      files, latencyMs, mbps, listed, outcomes, failures, peakRss,
      scanSeconds: (readyAt - addedAt) / 1000,
      pingsScanning: pings.filter((p) => p.at <= readyAt).map((p) => p.ms),
      pingsHashing: pings.filter((p) => p.at > readyAt).map((p) => p.ms),
      progress: progress.filter((p) => p.at <= endAt),
      hashingFrom,
      endAt,
    });
  } finally {
    pinging = false;
    clearInterval(memory);
    clearInterval(progressLog);
    api.close();
    await host.stop();
    share.unmount();
    rmSync(data, { recursive: true, force: true });
  }
}

interface Result {
  files: number;
  latencyMs: number;
  mbps: number;
  listed: number;
  outcomes: number;
  failures: number;
  peakRss: number;
  scanSeconds: number;
  pingsScanning: number[];
  pingsHashing: number[];
  progress: ProgressSample[];
  hashingFrom: number;
  endAt: number;
}

function report(r: Result): void {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const pingRow = (values: number[]) => `${ms(quantile(values, 0.5))} / ${ms(quantile(values, 0.99))} / ${ms(Math.max(...values))} (${values.length})`;
  const hashing = r.progress.filter((p) => p.at >= r.hashingFrom);
  const maxInFlight = Math.max(0, ...hashing.map((p) => p.running));
  const rates: number[] = [];
  for (let t = r.hashingFrom + 10_000; t <= r.endAt; t += 10_000) {
    const a = doneAt(r.progress, t - 10_000);
    const b = doneAt(r.progress, t);
    if (a !== undefined && b !== undefined) rates.push((b - a) / 10);
  }
  const errors = etaErrors(r.progress, r.hashingFrom + 30_000);
  const last = hashing.at(-1);
  const predictedFinish = hashing.filter((p) => p.at >= r.hashingFrom + 30_000 && shownEta(p) !== null).map((p) => p.at / 1000 + shownEta(p)!);
  const finishSpread = predictedFinish.length > 1 ? (Math.max(...predictedFinish) - Math.min(...predictedFinish)) / (quantile(predictedFinish, 0.5) - r.hashingFrom / 1000) : NaN;
  console.log(`\n## bench:network — ${r.files.toLocaleString('en-US')} files on a FUSE share (${r.latencyMs} ms a request, ${r.mbps} Mbit/s)\n`);
  console.log(
    markdownTable(
      ['Measurement', 'Value', 'Target', 'Result'],
      [
        ['Files reported by the scan', `${r.listed.toLocaleString('en-US')}`, `= ${r.files.toLocaleString('en-US')}`, passFail(r.listed === r.files)],
        ['Scan complete (add → ready)', `${r.scanSeconds.toFixed(1)} s (${Math.round(r.listed / r.scanSeconds)} files/s)`, '', ''],
        ['Host (main) peak RSS', `${(r.peakRss / MB).toFixed(0)} MB`, `< ${TARGET_HOST_RSS_MB} MB`, passFail(r.peakRss < TARGET_HOST_RSS_MB * MB)],
        ['API round trip while scanning: median / p99 / max (n)', pingRow(r.pingsScanning), '', ''],
        ['API round trip while hashing: median / p99 / max (n)', r.pingsHashing.length ? pingRow(r.pingsHashing) : '—', '', ''],
        ['Files in flight on the share (max over progress reports)', String(maxInFlight), '≤ 1', passFail(maxInFlight <= 1)],
        ['Hashed in the window (failures)', `${r.outcomes.toLocaleString('en-US')} (${r.failures})`, '', ''],
        ['Hashing rate per 10 s: median (min–max)', `${quantile(rates, 0.5).toFixed(1)} files/s (${Math.min(...rates).toFixed(1)}–${Math.max(...rates).toFixed(1)})`, '', ''],
        [`ETA rate vs files actually done ${HORIZON_S} s later: median / p90 error`, `${(quantile(errors, 0.5) * 100).toFixed(1)}% / ${(quantile(errors, 0.9) * 100).toFixed(1)}% (${errors.length} reports)`, 'median ≤ 10%', passFail(quantile(errors, 0.5) <= 0.1)],
        ['Predicted finish time: spread over the window ÷ time to it', Number.isFinite(finishSpread) ? `${(finishSpread * 100).toFixed(1)}%` : '—', '', ''],
        ['Last report: queued in main, ETA shown', last ? `${last.queued.toLocaleString('en-US')}, ${shownEta(last) === null ? '—' : `${Math.round(shownEta(last)!).toLocaleString('en-US')} s`}` : '—', '', ''],
      ],
      'llll',
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
