// Contents, not files, through the built CLI on real photos: a library where every file also
// has 3 byte-different copies (a comment segment changed, bytes appended after the JPEG's end,
// or both: what backups and re-downloads leave) groups like the library alone, each group
// gaining the copies, and verifies no more pairs.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { withComment } from './byte-copies';
import { BENCH_ORIGINALS, runCli, tempDir } from './helpers';

interface ScanJson {
  groups: Array<{ members: Array<{ path: string; keeper: boolean; similarity: number; reason: string }> }>;
  stats: { verification: { candidatePairs: number; confirmedPairs: number } | null };
}

const root = tempDir('doppel-contents-');
const single = join(root, 'single');
const copied = join(root, 'copied');

const COPIES: Array<[suffix: string, make: (bytes: Buffer) => Buffer]> = [
  ['commented', (b) => withComment(b, 'backup copy')],
  ['appended', (b) => Buffer.concat([b, Buffer.from('trailing bytes a downloader left')])],
  ['both', (b) => Buffer.concat([withComment(b, 'saved again'), Buffer.from([0, 1, 2, 3])])],
];

/** Copy name → the file it copies ("bar.commented.jpg" → "bar.jpg"). */
const sourceOf = (name: string) => name.replace(/\.(commented|appended|both)\.jpg$/, '.jpg');
const name = (path: string) => path.split('/').pop()!;

beforeAll(async () => {
  mkdirSync(single);
  mkdirSync(copied);
  const bar = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
  const garden = join(BENCH_ORIGINALS, 'mate_Garden.jpg');
  const donna = join(BENCH_ORIGINALS, 'kpa_donna.jpg');
  copyFileSync(bar, join(single, 'bar.jpg'));
  await sharp(bar).resize({ width: 400 }).jpeg({ quality: 85 }).toFile(join(single, 'bar-small.jpg'));
  await sharp(bar).flop().jpeg({ quality: 90 }).toFile(join(single, 'bar-mirrored.jpg'));
  copyFileSync(garden, join(single, 'garden.jpg'));
  await sharp(garden).jpeg({ quality: 60 }).toFile(join(single, 'garden-q60.jpg'));
  // A 15% crop no hash matches: the verifier must confirm it.
  const { width = 0, height = 0 } = await sharp(garden).metadata();
  await sharp(garden)
    .extract({ left: Math.round(width * 0.075), top: Math.round(height * 0.075), width: Math.round(width * 0.85), height: Math.round(height * 0.85) })
    .jpeg({ quality: 90 })
    .toFile(join(single, 'garden-crop.jpg'));
  copyFileSync(donna, join(single, 'donna.jpg'));
  for (const file of readdirSync(single)) {
    const bytes = readFileSync(join(single, file));
    copyFileSync(join(single, file), join(copied, file));
    for (const [suffix, make] of COPIES) writeFileSync(join(copied, file.replace(/\.jpg$/, `.${suffix}.jpg`)), make(bytes));
  }
}, 60_000);

async function scan(dir: string): Promise<ScanJson> {
  const run = await runCli(['scan', '--json', dir]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as ScanJson;
}

/** Each group as the sorted names of the files it holds (copies named as their source, once). */
const groupSources = (json: ScanJson) => json.groups.map((g) => [...new Set(g.members.map((m) => sourceOf(name(m.path))))].sort().join(' ')).sort();

describe('byte-different copies of every file', () => {
  let alone: ScanJson;
  let withCopies: ScanJson;
  beforeAll(async () => {
    [alone, withCopies] = [await scan(single), await scan(copied)];
  }, 240_000);

  it('give the groups of the library alone, each with every copy of its members', () => {
    expect(groupSources(alone)).toEqual(['bar-mirrored.jpg bar-small.jpg bar.jpg', 'garden-crop.jpg garden-q60.jpg garden.jpg']);
    // donna has nothing like it but its own copies: a group of four.
    expect(groupSources(withCopies)).toEqual([...groupSources(alone), 'donna.jpg'].sort());
    for (const group of withCopies.groups) {
      const sources = new Set(group.members.map((m) => sourceOf(name(m.path))));
      expect(group.members).toHaveLength(4 * sources.size);
    }
  });

  it('verify the same candidate pairs, not the copies', () => {
    expect(alone.stats.verification!.confirmedPairs).toBeGreaterThanOrEqual(1);
    expect(withCopies.stats.verification).toMatchObject({ candidatePairs: alone.stats.verification!.candidatePairs, confirmedPairs: alone.stats.verification!.confirmedPairs });
  });

  it('say what each copy of the keeper is', () => {
    for (const group of withCopies.groups) {
      const keeper = group.members.find((m) => m.keeper)!;
      for (const member of group.members.filter((m) => !m.keeper && sourceOf(name(m.path)) === sourceOf(name(keeper.path)))) {
        expect(member.similarity).toBe(1);
        // Bytes after the end marker count as image data for the pixel digest; a comment does not.
        const onlyComment = [keeper, member].every((m) => !/\.(appended|both)\.jpg$/.test(m.path));
        expect(member.reason).toMatch(onlyComment ? /^same pixels \(only the metadata differs\)$/ : /^same (pixels|photo)/);
      }
    }
  });
});
