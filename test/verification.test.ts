// The verification stage end to end through the built CLI and real worker processes: a 15%
// crop and a straightened (3° rotated, cropped) copy that no hash matches are found and
// labelled as edits; another moment of the same scene from the same camera stays apart and is
// listed as a similar shot; a verify job in a crashing worker reports an error, not a verdict.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forkWorkerFactory } from '../src-main/hash/fork-worker';
import { WorkerPool } from '../src-main/hash/pool';
import { makeEditedCopies } from './edited-copies';
import { runCli, tempDir } from './helpers';

interface ScanJson {
  groups: Array<{ members: Array<{ path: string; keeper: boolean; reason: string; evidence?: string }> }>;
  similarShots: Array<{ a: string; b: string; seconds: number }>;
  stats: { verification: { candidatePairs: number; confirmedPairs: number; errors: unknown[] } | null };
}

describe('verification stage', () => {
  const dir = tempDir('doppel-verify-');
  let scan: ScanJson;
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    await makeEditedCopies(dir);
    const run = await runCli(['scan', '--json', dir]);
    expect(run.code, run.stderr).toBe(0);
    scan = JSON.parse(run.stdout) as ScanJson;
  }, 120_000);
  const name = (path: string) => path.split('/').pop()!;

  it('finds a crop and a straightened copy no hash matches, and says what they are', () => {
    const group = scan.groups.find((g) => g.members.some((m) => name(m.path) === 'pool.jpg'));
    expect(group?.members.map((m) => name(m.path)).sort()).toEqual(['pool-crop.jpg', 'pool-straightened.jpg', 'pool.jpg']);
    for (const member of group!.members.filter((m) => !m.keeper)) {
      expect(member.reason).toMatch(/^edited: .*(cropped|rotated).*; confirmed by aligning the two images$/);
      expect(member.evidence).toMatch(/RANSAC/);
    }
    expect(scan.stats.verification!.confirmedPairs).toBeGreaterThanOrEqual(1);
    expect(scan.stats.verification!.errors).toEqual([]);
  });

  it('keeps another moment of the scene apart and lists it as a similar shot', () => {
    expect(scan.groups.some((g) => g.members.some((m) => name(m.path) === 'pool-a-moment-later.jpg'))).toBe(false);
    expect(scan.similarShots.map((s) => [name(s.a), name(s.b)].sort())).toContainEqual(['pool-a-moment-later.jpg', 'pool.jpg']);
    expect(scan.similarShots.find((s) => [s.a, s.b].some((p) => name(p) === 'pool-a-moment-later.jpg'))!.seconds).toBe(4);
  });

  it('groups by hashes alone with --no-verify (the crop is missed)', async () => {
    const run = await runCli(['scan', '--json', '--no-verify', dir]);
    const plain = JSON.parse(run.stdout) as ScanJson;
    expect(plain.stats.verification).toBeNull();
    expect(plain.groups.some((g) => g.members.some((m) => name(m.path) === 'pool-crop.jpg'))).toBe(false);
  }, 60_000);

  it('a verify job on an unreadable file comes back as an error', async () => {
    const pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: 1 });
    try {
      const result = await pool.verify({ path: join(dir, 'pool.jpg'), digest: '0'.repeat(64) }, { path: join(dir, 'gone.jpg'), digest: '1'.repeat(64) });
      expect(result).toEqual({ error: expect.stringMatching(/gone\.jpg|no such file|missing/i) });
    } finally {
      await pool.close();
    }
  });
});

