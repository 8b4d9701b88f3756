// `doppel cluster --from` as the reduce step of a scale-out job: shards hashed by separate
// `doppel hash --json` processes group like one run; records from other machines and other
// PDQ tools; malformed records.
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fingerprint } from '../src-core/fingerprint';
import { makeEditedCopies } from './edited-copies';
import { BENCH_ORIGINALS, parseJsonLines, runCli, tempDir } from './helpers';

interface ClusterJson {
  groups: Array<{ members: Array<{ path: string; keeper: boolean }> }>;
  stats: { files: number; notes: string[]; verification: { candidatePairs: number; errors: unknown[] } | null };
}

const library = tempDir();
const work = tempDir();
const BAR = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
const name = (path: string) => path.split('/').pop()!;
/** Groups as sorted member names, keeper first within each. */
const groupsOf = (json: ClusterJson) =>
  json.groups.map((g) => [name(g.members.find((m) => m.keeper)!.path), ...g.members.map((m) => name(m.path)).sort()]).sort((x, y) => x[1]!.localeCompare(y[1]!));

let oneRun: ClusterJson;
let shardFiles: string[];
let shardLines: string[];

beforeAll(async () => {
  await makeEditedCopies(library);
  copyFileSync(BAR, join(library, 'bar.jpg'));
  await sharp(BAR).resize({ width: 400 }).jpeg({ quality: 85 }).toFile(join(library, 'bar-small.jpg'));
  await sharp(BAR).flop().jpeg({ quality: 90 }).toFile(join(library, 'bar-mirrored.jpg'));
  // The map step: three shards of the file list, each hashed by a process of its own.
  const files = readdirSync(library).sort().map((f) => join(library, f));
  const shards = [0, 1, 2].map((k) => files.filter((_, i) => i % 3 === k));
  const runs = await Promise.all(shards.map((shard) => runCli(['hash', '--json', ...shard])));
  shardFiles = runs.map((run, k) => {
    expect(run.code).toBe(0);
    const file = join(work, `shard-${k}.jsonl`);
    writeFileSync(file, run.stdout);
    return file;
  });
  shardLines = runs.flatMap((run) => run.stdout.trim().split('\n'));
  oneRun = JSON.parse((await runCli(['scan', '--json', library])).stdout);
}, 300_000);

describe('doppel cluster --from, shards hashed apart', () => {
  it('groups three shards like one run over all the files', async () => {
    const run = await runCli(['cluster', '--json', ...shardFiles.flatMap((f) => ['--from', f])]);
    expect(run.code).toBe(0);
    const sharded = JSON.parse(run.stdout) as ClusterJson;
    expect(sharded.stats.files).toBe(8);
    expect(groupsOf(sharded)).toEqual(groupsOf(oneRun));
    // The photos that make it a real check: the copies, the mirror (a dihedral variant) and the crop.
    expect(groupsOf(oneRun).flat()).toEqual(expect.arrayContaining(['bar-mirrored.jpg', 'bar-small.jpg', 'pool-crop.jpg']));
  });

  it('reads every --from, not only the last', async () => {
    const last = JSON.parse((await runCli(['cluster', '--json', '--from', shardFiles[2]!])).stdout) as ClusterJson;
    expect(last.stats.files).toBeLessThan(8);
  });
});

describe('records from elsewhere', () => {
  it('leaves pairs whose files are not here unverified, with a note, not an error per pair', async () => {
    // The files as another machine names them: the same records under a path that is not here.
    const elsewhere = join(work, 'elsewhere.jsonl');
    writeFileSync(elsewhere, shardLines.map((line) => line.replaceAll(library, '/mnt/other-machine/photos')).join('\n'));
    expect(oneRun.stats.verification!.candidatePairs).toBeGreaterThan(0);
    const json = JSON.parse((await runCli(['cluster', '--json', '--from', elsewhere])).stdout) as ClusterJson;
    expect(json.stats.verification!.errors).toEqual([]);
    expect(json.stats.notes.join('\n')).toMatch(/candidate pairs were not verified: \d+ of their files cannot be read from this machine/);
    // Hash matches still group.
    expect(groupsOf(json).some((g) => g.includes('bar.jpg') && g.includes('bar-small.jpg'))).toBe(true);
  });

  it('groups the PDQ text form of other tools, without flips, and says how many records lack variants', async () => {
    const fingerprints = shardLines.map((line) => JSON.parse(line) as Fingerprint);
    const text = join(work, 'pdq.txt');
    writeFileSync(text, `${fingerprints.map((f) => `${f.pdq},${f.pdqQuality},${f.path}`).join('\n')}\n`);
    const json = JSON.parse((await runCli(['cluster', '--json', '--from', text])).stdout) as ClusterJson;
    const withBar = groupsOf(json).find((g) => g.includes('bar.jpg'))!;
    expect(withBar).toContain('bar-small.jpg');
    expect(withBar).not.toContain('bar-mirrored.jpg');
    expect(json.stats.notes).toContain('8 records have only some hashes (no dihedral variants, window hashes or imagehash values): flips, rotations and crops of them are not matched.');
  });

  it('a malformed record is a usage error naming the file, the line and the field', async () => {
    const [first, second] = parseJsonLines<Fingerprint>(shardLines.join('\n'));
    const bad = join(work, 'bad.jsonl');
    writeFileSync(bad, [JSON.stringify(first), '', JSON.stringify({ ...second, pdqDihedral: { ...second!.pdqDihedral, flipx: '123' } })].join('\n'));
    const run = await runCli(['cluster', '--from', shardFiles[0]!, '--from', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${bad} line 3: field "pdqDihedral.flipx" must be 64 hex digits`);
  });
});
