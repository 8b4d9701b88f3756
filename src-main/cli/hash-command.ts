// `doppel hash [--json] [--reference] [--no-embedding] [--workers N] PATH...`
import { parseArgs } from 'node:util';
import type { Fingerprint, HashMode, HashOutcome } from '../../src-core/fingerprint';
import { EMBEDDINGS_BY_DEFAULT } from '../../src-core/verify/candidates';
import { walkImageFiles, type WalkEntry } from '../files/walk';
import { forkWorkerFactory } from '../hash/fork-worker';
import { WorkerPool, type HashJobOptions } from '../hash/pool';
import { formatBytes, padCell } from './format';
import { ProgressBar } from './progress';
import { EXIT, UsageError } from './usage';

export const HASH_HELP = `Usage: doppel hash [--json] [--reference] [--no-embedding] [--workers N] PATH...

Fingerprints image files: SHA-256 digest, PDQ (+ 8 dihedral variants), aHash, dHash,
pHash, wHash, dimensions, format, and what picks a keeper: EXIF fields and the
evidence of how the file was made (JPEG quality, content inside bars, noise, detail).
Folders are searched recursively for images; hidden folders are skipped.

Options:
  --json          one JSON object per line: a fingerprint, or {"path","error":{"kind","message"}}
  --reference     decode and resize exactly as the reference implementations do (no EXIF
                  rotation, PDQ's 512×512 nearest step, Pillow's resize): bit-compatible hashes
  --no-embedding  skip the image embedding's code ("embedding"), the candidate signal for
                  crops and screenshots (on by default; reference mode never computes it)
  --workers N     worker processes (default: one per CPU core)

Exit status: 0 every file hashed, 3 some files could not be (each is reported), 2 usage error.`;

export async function hashCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      reference: { type: 'boolean', default: false },
      // --embedding (the default) is still accepted from older scripts.
      embedding: { type: 'boolean', default: EMBEDDINGS_BY_DEFAULT },
      'no-embedding': { type: 'boolean', default: false },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out.write(`${HASH_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('doppel hash needs at least one file or folder');
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) {
    throw new UsageError('--workers takes a whole number from 1 to 64');
  }
  const mode: HashMode = values.reference ? 'reference' : 'product';
  const print = values.json ? printJsonLine : printTableRow;
  if (!values.json) out.write(TABLE_HEADER);

  let failed = 0;
  const onOutcome = (outcome: HashOutcome) => {
    if (!outcome.ok) failed++;
    out.write(print(outcome));
  };
  const started = Date.now();
  const total = await hashAll(positionals, mode, workers, onOutcome, values.json ? undefined : new ProgressBar(), { embedding: values.embedding && !values['no-embedding'] });
  if (!values.json) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`Hashed ${total - failed} of ${total} files in ${seconds} s${failed ? `; ${failed} could not be read (see above)` : ''}.\n`);
  }
  return failed > 0 ? EXIT.someFilesFailed : EXIT.ok;
}

export interface HashAllOptions extends HashJobOptions {
  /** Local features for the files while no more than this many are listed: hashing starts
   *  before the listing ends, and past the features signal's limit they would go unused. */
  localFeaturesUpTo?: number;
}

/** Lists and hashes everything under `paths`, reporting each outcome as it arrives, with the
 *  listing's entry for it (which physical file it is). */
export async function hashAll(
  paths: readonly string[],
  mode: HashMode,
  workers: number | undefined,
  onOutcome: (outcome: HashOutcome, entry: WalkEntry) => void,
  progress?: ProgressBar,
  { localFeaturesUpTo = 0, ...options }: HashAllOptions = {},
): Promise<number> {
  const pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: workers });
  const pending: Array<Promise<void>> = [];
  let total = 0;
  let done = 0;
  let failed = 0;
  let listing = true;
  const report = (outcome: HashOutcome, entry: WalkEntry) => {
    done++;
    if (!outcome.ok) failed++;
    onOutcome(outcome, entry);
    progress?.update(done, total, failed, listing);
  };
  try {
    for await (const entry of walkImageFiles(paths)) {
      total++;
      if (entry.error) {
        report({ ok: false, path: entry.path, error: entry.error }, entry);
        continue;
      }
      await pool.whenRoom();
      pending.push(pool.hash(entry.path, mode, { ...options, samePixels: true, localFeatures: total <= localFeaturesUpTo }).then((outcome) => report(outcome, entry)));
    }
    listing = false;
    await Promise.all(pending);
  } finally {
    progress?.clear();
    await pool.close();
  }
  return total;
}

export function printJsonLine(outcome: HashOutcome): string {
  return `${JSON.stringify(outcome.ok ? outcome.fingerprint : { path: outcome.path, error: outcome.error })}\n`;
}

const TABLE_HEADER = `${padCell('PDQ', 18)} ${padCell('Q', 3, 'right')} ${padCell('SIZE', 8, 'right')} ${padCell('PIXELS', 11, 'right')} ${padCell('FORMAT', 6)} PATH\n`;

function printTableRow(outcome: HashOutcome): string {
  if (!outcome.ok) return `${padCell(`! ${outcome.error.kind}`, 18)} ${' '.repeat(32)} ${outcome.path}\n    ${outcome.error.message}\n`;
  const f: Fingerprint = outcome.fingerprint;
  return [
    padCell(`${f.pdq.slice(0, 16)}…`, 18),
    padCell(String(f.pdqQuality), 3, 'right'),
    padCell(formatBytes(f.size), 8, 'right'),
    padCell(`${f.width}×${f.height}`, 11, 'right'),
    padCell(f.format, 6),
    f.path,
  ].join(' ') + '\n';
}
