// `doppel cluster --from FILE...`: groups fingerprint records made elsewhere (other machines,
// shards of one job, other PDQ tools). Records are read a line at a time, never a whole file
// as one string, and held compactly (compact-fingerprints.ts): a million fingerprints are
// 1.5 GB of JSON lines.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { CompactFingerprints } from '../../src-core/compact-fingerprints';
import type { HashOutcome } from '../../src-core/fingerprint';
import { parseFingerprintRecord, RecordError } from '../../src-core/fingerprint-records';
import type { Method } from '../../src-core/similarity/methods';
import type { CandidatePair } from '../../src-core/verify/candidates';
import { GROUP_OPTIONS, groupingOptions, printHelp, report, SHARED, type ReportExtras } from './scan-command';
import { UsageError } from './usage';

export const CLUSTER_HELP = `Usage: doppel cluster --from FILE [--from FILE]... [options]

Groups fingerprint records, so fingerprints made elsewhere, on many machines or by other PDQ
tools can be clustered in one place. FILE (- for standard input) holds one record a line:
a line of "doppel hash --json", a JSON object with at least "path" (or "id"), "digest"
(or "id") and "pdq", or the PDQ text form "hash,quality,name" of other tools.

Options:
  --from FILE        records to group (repeatable: shards hashed apart are grouped together)
${GROUP_OPTIONS}

Records without dihedral or window hashes are not matched when flipped, rotated or cropped;
pairs whose files this machine cannot read are not verified. Both are counted in a note.`;

const IMAGEHASH_METHODS: ReadonlySet<Method> = new Set(['ahash', 'dhash', 'phash', 'whash']);

export async function clusterCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...SHARED, from: { type: 'string', multiple: true } } });
  if (values.help) return printHelp(CLUSTER_HELP);
  const options = groupingOptions(values);
  const sources = values.from ?? [];
  if (sources.length === 0 || positionals.length > 0) throw new UsageError('doppel cluster takes --from FILE (repeatable; - for standard input) and no paths');
  if (sources.filter((s) => s === '-').length > 1) throw new UsageError('standard input (--from -) can be read once');
  const outcomes: HashOutcome[] = [];
  const store = new CompactFingerprints();
  let partial = 0;
  for (const source of sources) {
    for await (const { record, where } of readRecords(source)) {
      outcomes.push(record.outcome.ok ? { ok: true, fingerprint: store.add(record.outcome.fingerprint) } : record.outcome);
      if (record.partial) partial++;
      if (record.outcome.ok && IMAGEHASH_METHODS.has(options.method) && record.outcome.fingerprint[options.method as 'ahash'] === undefined) {
        throw new UsageError(`${where}: field "${options.method}" is missing, and --method ${options.method} needs it`);
      }
    }
  }
  const notes: string[] = [];
  if (partial > 0) notes.push(`${partial} ${partial === 1 ? 'record has' : 'records have'} only some hashes (no dihedral variants, window hashes or imagehash values): flips, rotations and crops of ${partial === 1 ? 'it' : 'them'} are not matched.`);
  const extras: ReportExtras = { notes, verifiable: (files, candidates) => readablePairs(files, candidates, notes) };
  return report(outcomes, options, 0, new Map(), extras);
}

interface LocatedRecord {
  record: NonNullable<ReturnType<typeof parseFingerprintRecord>>;
  /** "FILE line N", for messages. */
  where: string;
}

/** The records of one source, a line at a time; a malformed one is a usage error naming the
 *  source, the line and the field. */
async function* readRecords(source: string): AsyncGenerator<LocatedRecord> {
  const name = source === '-' ? 'standard input' : source;
  const input = source === '-' ? process.stdin : createReadStream(source);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      let record;
      try {
        record = parseFingerprintRecord(line);
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        throw new UsageError(`${name} line ${n}: ${error.field === undefined ? 'the line' : `field "${error.field}"`} ${error.message}`);
      }
      if (record) yield { record, where: `${name} line ${n}` };
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new Error(`cannot read ${name}: ${(error as Error).message}`);
  } finally {
    lines.close();
  }
}

/** The candidate pairs whose two files this machine can read; the others are left unverified
 *  (records hashed on another machine name paths that may not exist here), with a note. */
async function readablePairs(files: ReadonlyArray<{ path: string }>, candidates: CandidatePair[], notes: string[]): Promise<CandidatePair[]> {
  const readable = new Map<number, boolean>();
  const check = async (input: number) => {
    if (!readable.has(input)) readable.set(input, await access(files[input]!.path).then(() => true, () => false));
    return readable.get(input)!;
  };
  const kept: CandidatePair[] = [];
  for (const pair of candidates) if ((await check(pair.inputA)) && (await check(pair.inputB))) kept.push(pair);
  const missing = [...readable.values()].filter((ok) => !ok).length;
  if (kept.length < candidates.length) notes.push(`${candidates.length - kept.length} of ${candidates.length} candidate pairs were not verified: ${missing} of their files cannot be read from this machine (hash and cluster where the files are, or pass --no-verify).`);
  return kept;
}
