// bench:scale's record path (issue 18): N synthetic fingerprints as JSON lines in .bench,
// grouped by the built CLI (`doppel cluster --from`, which streams them), against the same
// fingerprints handed to the same report in memory; each in its own process, so peak RSS is
// its own. Both skip verification (the paths are made up) and print JSON to /dev/null.
// Usage: tsx bench/cluster/from-lines.ts N            the comparison, a Markdown table
//        tsx bench/cluster/from-lines.ts N --memory   one in-memory run, a JSON line
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Fingerprint, HashOutcome } from '../../src-core/fingerprint';
import { seededRandom } from '../../src-core/random';
import type { GroupingOptions } from '../../src-main/cli/scan-command';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '../..');
const N = Number(process.argv[2] ?? 1_000_000);
const next = seededRandom(20261206);

const hex = (digits: number) => {
  let s = '';
  while (s.length < digits) s += next().toString(16).padStart(8, '0');
  return s.slice(0, digits);
};

/** `pdq` with `bits` random bits flipped: a near-duplicate of it. */
function nearCopy(pdq: string, bits: number): string {
  const nibbles = pdq.split('').map((c) => parseInt(c, 16));
  for (let k = 0; k < bits; k++) {
    const bit = next() % 256;
    nibbles[bit >>> 2]! ^= 1 << (bit & 3);
  }
  return nibbles.map((n) => n.toString(16)).join('');
}

/** The N fingerprints, as `doppel hash --json` writes them: every tenth photo starts a group of
 *  2–4 near-copies (up to 12 bits apart), 1% are exact copies. */
function* fingerprints(): Generator<Fingerprint> {
  let base: Fingerprint | undefined;
  let copiesLeft = 0;
  for (let i = 0; i < N; i++) {
    const path = `/photos/${String(Math.floor(i / 1000)).padStart(4, '0')}/IMG_${String(i).padStart(7, '0')}.jpg`;
    if (base && copiesLeft > 0) {
      copiesLeft--;
      const exact = next() % 10 === 0;
      yield { ...base, path, digest: exact ? base.digest : hex(64), pdq: exact ? base.pdq : nearCopy(base.pdq, next() % 13) };
      continue;
    }
    const f: Fingerprint = {
      path,
      size: 2_000_000 + (next() % 3_000_000),
      mtimeMs: 1_700_000_000_000 + i,
      digest: hex(64),
      width: 4000,
      height: 3000,
      format: 'jpeg',
      pdq: hex(64),
      pdqQuality: 100,
      pdqDihedral: { rotate90: hex(64), rotate180: hex(64), rotate270: hex(64), flipx: hex(64), flipy: hex(64), flipplus1: hex(64), flipminus1: hex(64) },
      pdqWindows: [hex(64), hex(64)],
      ahash: hex(16),
      dhash: hex(16),
      phash: hex(16),
      whash: hex(16),
      exif: { dateTaken: '2024-05-17T12:00:00', make: 'Canon', model: 'EOS R6', orientation: 1, gpsPresent: false },
      pixelDigest: hex(64),
      embedding: hex(64),
      evidence: { jpegQuality: 95, content: [0, 0, 1, 1], grey: false, clipped: 0.01, noise: 1.2, sharpness: 40 },
      hashVersion: 2,
    };
    base = f;
    copiesLeft = i % 10 === 0 ? 1 + (next() % 3) : 0;
    yield f;
  }
}

const GROUPING: GroupingOptions = { similarity: 0.8, linkage: 'average', method: 'pdq-windows', protectedFolders: [], lessPreferredFolders: [], pairsAreDuplicates: false, verify: false, json: true };

async function inMemory(): Promise<void> {
  const { report } = await import('../../src-main/cli/scan-command');
  const outcomes: HashOutcome[] = [];
  for (const fingerprint of fingerprints()) outcomes.push({ ok: true, fingerprint });
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  // report() prints the groups: to /dev/null, as the CLI run's are.
  const devNull = openSync('/dev/null', 'w');
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (writeSync(devNull, chunk), true)) as typeof process.stdout.write;
  await report(outcomes, GROUPING, 0);
  process.stdout.write = write;
  const cpu = process.cpuUsage(cpuStarted);
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6 }));
}

function writeLines(file: string): void {
  const fd = openSync(file, 'w');
  let batch: string[] = [];
  for (const f of fingerprints()) {
    batch.push(JSON.stringify(f));
    if (batch.length === 10_000) {
      writeSync(fd, `${batch.join('\n')}\n`);
      batch = [];
    }
  }
  if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
  closeSync(fd);
}

interface Measured {
  seconds: number;
  /** CPU time (user + system, every thread): what holds on a machine shared with other work. */
  cpuSeconds: number;
  peakRssMb: number;
}

/** The CLI's time and peak RSS: /usr/bin/time reports the child's CPU time and maximum resident set. */
function cliRun(file: string): Measured {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'maxrss-kb %M cpu %U %S', process.execPath, join(ROOT, 'bin/doppel.mjs'), 'cluster', '--json', '--no-verify', '--from', file], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = (performance.now() - started) / 1000;
  const measured = /maxrss-kb (\d+) cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
  if (run.status !== 0 || !measured) throw new Error(`doppel cluster failed: ${run.stderr}`);
  return { seconds, cpuSeconds: Number(measured[2]) + Number(measured[3]), peakRssMb: Number(measured[1]) / 1000 };
}

if (process.argv.includes('--memory')) {
  await inMemory();
} else {
  if (!existsSync('/usr/bin/time')) throw new Error('bench:scale --from-lines needs /usr/bin/time (apt-get install time)');
  const dir = join(ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fingerprints-${N}.jsonl`);
  if (!existsSync(file)) writeLines(file);
  // Fingerprints as scan holds them take more than Node's default heap at a million.
  const memory = JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=12000', '--import', 'tsx', fileURLToPath(import.meta.url), String(N), '--memory'], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').at(-1)!) as Measured;
  const cli = cliRun(file);
  console.log(`\nRecords from JSON lines (${N.toLocaleString('en-US')} fingerprints, ${(statSync(file).size / 1e9).toFixed(2)} GB, --no-verify):\n`);
  console.log('| path | wall time (s) | CPU time (s) | peak RSS (MB) |');
  console.log('|---|---:|---:|---:|');
  console.log(`| in memory (the same fingerprints handed to the report, as doppel scan holds them) | ${memory.seconds.toFixed(1)} | ${memory.cpuSeconds.toFixed(1)} | ${memory.peakRssMb.toFixed(0)} |`);
  console.log(`| doppel cluster --from FILE (read, checked, held compactly, grouped) | ${cli.seconds.toFixed(1)} | ${cli.cpuSeconds.toFixed(1)} | ${cli.peakRssMb.toFixed(0)} |`);
  console.log(`\nfrom lines / in memory: CPU time ${(cli.cpuSeconds / memory.cpuSeconds).toFixed(2)}×, wall time ${(cli.seconds / memory.seconds).toFixed(2)}×, peak RSS ${(cli.peakRssMb / memory.peakRssMb).toFixed(2)}× (target: under 4000 MB)`);
}
