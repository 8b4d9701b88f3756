import { describe, expect, it } from 'vitest';
import { chooseKeeper, isAbsolutePath, type KeeperCandidate } from './keeper';

const base: KeeperCandidate = { path: '/photos/a.jpg', width: 2000, height: 1500, size: 1_000_000, dateTaken: '2020-01-01T10:00:00' };
const variant = (change: Partial<KeeperCandidate>): KeeperCandidate => ({ ...base, path: '/photos/b.jpg', ...change });

describe('chooseKeeper', () => {
  it('prefers the highest pixel count, and says so with both sizes', () => {
    const choice = chooseKeeper([variant({ width: 1000, height: 750 }), base]);
    expect(choice).toEqual({ index: 1, reason: 'largest resolution: 2000×1500 vs 1000×750' });
  });

  it('then the largest file', () => {
    expect(chooseKeeper([base, variant({ size: 1_200_000 })])).toEqual({ index: 1, reason: 'largest file: 1.2 MB vs 1.0 MB' });
    expect(chooseKeeper([base, variant({ size: 1_000_400 })]).reason).toBe('largest file: 1,000,400 bytes vs 1,000,000 bytes');
  });

  it('then the earliest date taken (a file without a date loses)', () => {
    expect(chooseKeeper([base, variant({ dateTaken: '2019-06-01T08:00:00' })]).reason).toBe('earliest date taken: 2019-06-01T08:00:00 vs 2020-01-01T10:00:00');
    expect(chooseKeeper([variant({ dateTaken: undefined }), base]).index).toBe(1);
  });

  it('then a copy outside the less-preferred folders', () => {
    const choice = chooseKeeper([{ ...base, path: '/photos/Downloads/a.jpg' }, variant({ path: '/photos/Trips/a.jpg' })], { lessPreferredFolders: ['/photos/Downloads'] });
    expect(choice).toEqual({ index: 1, reason: 'not in a less-preferred folder' });
  });

  it('then a file other names lead to (a symlink to it, a hard link)', () => {
    const choice = chooseKeeper([base, variant({ path: '/photos/Originals/2019/b.jpg', otherNames: ['/photos/b.jpg'] })]);
    expect(choice).toEqual({ index: 1, reason: 'other names lead to this file (1): deleting it would break them or free nothing' });
  });

  it('then the shortest path, then path order', () => {
    expect(chooseKeeper([variant({ path: '/photos/old/a.jpg' }), base])).toEqual({ index: 1, reason: 'shortest path: 13 vs 17 characters' });
    expect(chooseKeeper([variant({ path: '/photos/z.jpg' }), variant({ path: '/photos/y.jpg' })])).toEqual({ index: 1, reason: 'no rule separates the copies: first by path order' });
  });

  it('keeps a file in a protected folder above every other rule', () => {
    const choice = chooseKeeper([base, variant({ path: '/archive/b.jpg', width: 100, height: 100 })], { protectedFolders: ['/archive'] });
    expect(choice).toEqual({ index: 1, reason: 'in a protected folder' });
  });

  it('matches folders on whole path segments', () => {
    const choice = chooseKeeper([base, variant({ path: '/archive-old/b.jpg', width: 100, height: 100 })], { protectedFolders: ['/archive'] });
    expect(choice.index).toBe(0);
  });
});

describe('isAbsolutePath', () => {
  it('takes full paths of every OS and refuses relative ones (main refuses them in protected folders)', () => {
    for (const path of ['/', '/home/me/Originals', 'C:\\Photos', 'c:/Photos', '\\\\nas\\share']) expect(isAbsolutePath(path)).toBe(true);
    for (const path of ['', 'Originals', './Originals', '../x', 'C:Photos', '~/Photos']) expect(isAbsolutePath(path)).toBe(false);
  });
});
