// `doppel scan PATH...`: files → fingerprints → groups of duplicates; the grouping and the report
// are shared with `doppel cluster` (cluster-command.ts).
import { parseArgs } from 'node:util';
import { groupsAt, type DuplicateGroup } from '../../src-core/cluster/groups';
import { LINKAGES, type Linkage } from '../../src-core/cluster/dendrogram';
import type { Fingerprint, HashOutcome } from '../../src-core/fingerprint';
import { PREFERRED_FORMATS, type PreferredFormat } from '../../src-core/keeper';
import { onePerPhysicalFile, type NamedFile } from '../../src-core/physical-files';
import { DEFAULT_METHOD, DEFAULT_SIMILARITY, isMethod, METHODS, SIMILARITY_FLOOR, type Method } from '../../src-core/similarity/methods';
import { DEFAULT_CANDIDATES, EMBEDDINGS_BY_DEFAULT, type CandidatePair } from '../../src-core/verify/candidates';
import { similarShots, type SimilarShot } from '../../src-core/verify/similar-shots';
import { containments } from '../../src-core/verify/contains';
import { groupFingerprints } from '../../src-core/grouping/pipeline';
import { searchPairsInWorkers } from '../cluster/parallel-pairs';
import { verifyInPool, type PoolVerification } from '../verify/pool-verifier';
import { exportGroups } from '../files/export-groups';
import type { WalkEntry } from '../files/walk';
import { formatBytes } from './format';
import { hashAll } from './hash-command';
import { ProgressBar } from './progress';
import { EXIT, UsageError } from './usage';

export const GROUP_OPTIONS = `  --similarity S     group photos at least this similar, ${SIMILARITY_FLOOR}–1 (default ${DEFAULT_SIMILARITY}:
                     the best pair F1 on the benchmark dev set within that range)
  --linkage L        average (default), single or complete
  --method M         ${METHODS.join(', ')} (default ${DEFAULT_METHOD})
  --protect DIR      files under DIR are never suggested for deletion (repeatable)
  --less-preferred DIR  prefer keeping copies outside DIR (repeatable)
  --prefer-format F  keep raw, heif or jpeg when a group holds several formats
  --pairs-are-duplicates  suggest deleting one of a RAW+JPEG / HEIC+JPEG pair of one shot
                     (default: such pairs are shown together, never suggested)
  --no-verify        skip the verification stage: group by hashes alone (crops, straightened
                     and overlaid copies are then missed)
  --json             one JSON document: {"groups":[…],"similarShots":[…],"contains":[…],"stats":{…},"errors":[…]}
  --export DIR       write one folder of symlinks per group, keeper first`;

export const SCAN_HELP = `Usage: doppel scan [options] PATH...

Fingerprints every image under PATH and prints the groups of duplicates, the keeper of each
marked with why it was chosen.

Options:
${GROUP_OPTIONS}
  --no-embedding     do not compare image embeddings, the candidate signal for crops,
                     screenshots and rotations (on by default)
  --workers N        hash worker processes (default: one per CPU core)

Exit status: 0 done (even if some files were unreadable; they are listed), 2 usage error.`;

export const SHARED = {
  similarity: { type: 'string' },
  linkage: { type: 'string', default: 'average' },
  method: { type: 'string', default: DEFAULT_METHOD },
  protect: { type: 'string', multiple: true },
  'less-preferred': { type: 'string', multiple: true },
  'prefer-format': { type: 'string' },
  'pairs-are-duplicates': { type: 'boolean', default: false },
  'no-verify': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  export: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface GroupingOptions {
  similarity: number;
  linkage: Linkage;
  method: Method;
  protectedFolders: string[];
  lessPreferredFolders: string[];
  preferFormat?: PreferredFormat;
  pairsAreDuplicates: boolean;
  verify: boolean;
  workers?: number;
  json: boolean;
  exportDir?: string;
}

export function groupingOptions(values: { [K in keyof typeof SHARED]?: unknown }): GroupingOptions {
  const similarity = values.similarity === undefined ? DEFAULT_SIMILARITY : Number(values.similarity);
  if (!(similarity >= SIMILARITY_FLOOR && similarity <= 1)) throw new UsageError(`--similarity takes a number from ${SIMILARITY_FLOOR} to 1`);
  const linkage = String(values.linkage);
  if (!(LINKAGES as readonly string[]).includes(linkage)) throw new UsageError(`--linkage takes ${LINKAGES.join(', ')}`);
  const method = String(values.method);
  if (!isMethod(method)) throw new UsageError(`--method takes ${METHODS.join(', ')}`);
  const preferFormat = values['prefer-format'] as string | undefined;
  if (preferFormat !== undefined && !(PREFERRED_FORMATS as readonly string[]).includes(preferFormat)) throw new UsageError(`--prefer-format takes ${PREFERRED_FORMATS.join(', ')}`);
  return {
    similarity,
    linkage: linkage as Linkage,
    method,
    protectedFolders: (values.protect as string[] | undefined) ?? [],
    lessPreferredFolders: (values['less-preferred'] as string[] | undefined) ?? [],
    ...(preferFormat ? { preferFormat: preferFormat as PreferredFormat } : {}),
    pairsAreDuplicates: values['pairs-are-duplicates'] === true,
    verify: values['no-verify'] !== true,
    json: values.json === true,
    exportDir: values.export as string | undefined,
  };
}

export async function scanCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...SHARED, workers: { type: 'string' }, embedding: { type: 'boolean', default: EMBEDDINGS_BY_DEFAULT }, 'no-embedding': { type: 'boolean', default: false } } });
  if (values.help) return printHelp(SCAN_HELP);
  const options = groupingOptions(values);
  if (positionals.length === 0) throw new UsageError('doppel scan needs at least one folder or file');
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new UsageError('--workers takes a whole number from 1 to 64');
  const outcomes: HashOutcome[] = [];
  const identities = new Map<string, Omit<NamedFile, 'path'>>();
  const started = Date.now();
  const collect = (outcome: HashOutcome, entry: WalkEntry) => {
    outcomes.push(outcome);
    if (!entry.error && entry.fileId) identities.set(entry.path, { fileId: entry.fileId, ...(entry.symlink ? { symlink: true } : {}) });
  };
  await hashAll(positionals, 'product', workers, collect, options.json ? undefined : new ProgressBar(), { embedding: values.embedding && !values['no-embedding'], localFeaturesUpTo: options.verify ? DEFAULT_CANDIDATES.maxFeaturePhotos : 0 });
  return report(outcomes, { ...options, workers }, Date.now() - started, identities);
}

/** What a caller adds to the report: `notes` for stats.notes, and which candidate pairs can be
 *  verified here (doppel cluster: only those whose files this machine can read). */
export interface ReportExtras {
  notes?: string[];
  verifiable?: (files: ReadonlyArray<Fingerprint>, candidates: CandidatePair[]) => Promise<CandidatePair[]>;
}

/** `identities`: which physical file each listed path is (scan only; fingerprints from a file
 *  may come from many machines, where "dev:ino" means nothing). The names of one file are one
 *  photo (src-core/physical-files.ts): clustered, grouped and counted once. */
export async function report(outcomes: HashOutcome[], options: GroupingOptions, hashMs: number, identities: ReadonlyMap<string, Omit<NamedFile, 'path'>> = new Map(), extras: ReportExtras = {}): Promise<number> {
  // Copies only where there are identities to add: a million records would be held twice.
  const fingerprints = onePerPhysicalFile(outcomes.flatMap((o) => (o.ok ? [identities.size > 0 ? { ...o.fingerprint, ...identities.get(o.fingerprint.path) } : o.fingerprint] : [])));
  const errors = outcomes.flatMap((o) => (o.ok ? [] : [{ path: o.path, error: o.error }]));
  const started = Date.now();
  let verification: PoolVerification | undefined;
  const verifier = options.verify ? async (candidates: CandidatePair[]) => (verification = await verifyInPool(fingerprints, (await extras.verifiable?.(fingerprints, candidates)) ?? candidates, { workers: options.workers })).decisions : undefined;
  const { clustering, decisions } = await groupFingerprints(fingerprints, { method: options.method, linkage: options.linkage }, { search: searchPairsInWorkers, verifier });
  const groups = groupsAt(clustering, fingerprints, options.similarity, options);
  const shots = decisions ? similarShots(decisions, fingerprints) : [];
  const contains = decisions ? containments(decisions, fingerprints) : [];
  const stats = {
    files: outcomes.length,
    hashed: fingerprints.length,
    unreadable: errors.length,
    lowInformation: clustering.stats.lowInformation,
    candidatePairs: clustering.stats.candidatePairs,
    components: clustering.stats.components,
    largestComponent: clustering.stats.largestComponent,
    groups: groups.length,
    duplicates: groups.reduce((n, g) => n + g.members.length - 1, 0),
    reclaimableBytes: groups.reduce((n, g) => n + g.reclaimableBytes, 0),
    method: options.method,
    linkage: options.linkage,
    similarity: options.similarity,
    notes: [...clustering.notes, ...(extras.notes ?? [])],
    verification: verification ? verificationStats(verification) : null,
    hashMs,
    clusterMs: Date.now() - started,
  };
  if (options.exportDir) await exportGroups(options.exportDir, groups);
  if (options.json) process.stdout.write(`${JSON.stringify({ groups: groups.map(publicGroup), similarShots: shots, contains, stats, errors })}\n`);
  else process.stdout.write(textReport(groups, shots, stats, errors));
  return EXIT.ok;
}

/** The JSON contract: members carry path, digest, keeper, similarity and reason (plus what a
 *  reviewer needs: size, dimensions, protected). */
function publicGroup(g: DuplicateGroup) {
  return { id: g.id, similarity: round(g.similarity), exact: g.exact, reclaimableBytes: g.reclaimableBytes, members: g.members.map((m) => ({ ...m, similarity: round(m.similarity) })), merges: g.merges.map(([l, r, s, n]) => [l, r, round(s), n]), order: g.order };
}

function verificationStats(v: PoolVerification) {
  return { candidatePairs: v.candidatePairs, verifiedPairs: v.decisions.length, confirmedPairs: v.decisions.filter((d) => d.match).length, errors: v.errors, ms: v.ms };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function textReport(groups: DuplicateGroup[], shots: SimilarShot[], stats: { files: number; duplicates: number; reclaimableBytes: number; notes: string[] }, errors: Array<{ path: string; error: { kind: string; message: string } }>): string {
  const lines: string[] = [];
  for (const g of groups) {
    lines.push(`Group ${g.id} · ${g.members.length} photos · similarity ${g.similarity.toFixed(2)}${g.exact ? ' · exact copies' : ''} · ${formatBytes(g.reclaimableBytes)} reclaimable`);
    for (const m of g.members) {
      const mark = m.keeper ? '★ keep' : m.protected ? '  protected' : m.companion ? '  pair' : `  ${m.similarity.toFixed(2)}`;
      const why = `  (${m.reason})`;
      lines.push(`  ${mark.padEnd(11)} ${`${m.width}×${m.height}`.padStart(11)} ${formatBytes(m.size).padStart(8)}  ${m.path}${why}`);
      for (const name of m.otherNames ?? []) lines.push(`  ${' '.repeat(32)}also at: ${name}  (the same file)`);
    }
    lines.push('');
  }
  if (shots.length > 0) lines.push('Similar shots (one scene, different moments: kept apart, never suggested):');
  for (const shot of shots) lines.push(`  ${shot.a}  ↔  ${shot.b}  (${shot.seconds} s apart)`);
  if (shots.length > 0) lines.push('');
  for (const note of stats.notes) lines.push(`Note: ${note}`);
  for (const e of errors) lines.push(`Unreadable (${e.error.kind}): ${e.path}: ${e.error.message}`);
  lines.push(`${stats.files} files, ${groups.length} groups, ${stats.duplicates} duplicates, ${formatBytes(stats.reclaimableBytes)} reclaimable.`);
  return `${lines.join('\n')}\n`;
}

export function printHelp(text: string): number {
  process.stdout.write(`${text}\n`);
  return EXIT.ok;
}
