import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isInsideRoot, isLexicallyInside, outsideRoots } from './path-guard';

// base/photos        the watched root (photo.jpg, sub/, and links pointing out)
// base/photos-extra  a sibling whose name starts like the root's
// base/private       outside every root
const base = realpathSync(mkdtempSync(join(tmpdir(), 'doppel-path-guard-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const root = join(base, 'photos');
const outside = join(base, 'private');
mkdirSync(join(root, 'sub'), { recursive: true });
mkdirSync(outside);
mkdirSync(join(base, 'photos-extra'));
writeFileSync(join(root, 'photo.jpg'), 'x');
writeFileSync(join(root, 'sub', 'deep.jpg'), 'x');
writeFileSync(join(outside, 'secret.jpg'), 'x');
writeFileSync(join(base, 'photos-extra', 'x.jpg'), 'x');
symlinkSync(join(outside, 'secret.jpg'), join(root, 'innocent.jpg'));
symlinkSync(outside, join(root, 'innocent-folder'));
symlinkSync(join(root, 'photo.jpg'), join(outside, 'link-in.jpg'));
symlinkSync(root, join(base, 'alias'));

describe('isInsideRoot', () => {
  it('accepts files inside a root, at any depth, and the root itself', async () => {
    expect(await isInsideRoot(join(root, 'photo.jpg'), [root])).toBe(true);
    expect(await isInsideRoot(join(root, 'sub', 'deep.jpg'), [outside, root])).toBe(true);
    expect(await isInsideRoot(root, [root])).toBe(true);
  });

  it('rejects files outside every root, including a sibling whose name starts like the root', async () => {
    expect(await isInsideRoot(join(outside, 'secret.jpg'), [root])).toBe(false);
    expect(await isInsideRoot(join(base, 'photos-extra', 'x.jpg'), [root])).toBe(false);
    expect(await isInsideRoot(join(root, 'photo.jpg'), [])).toBe(false);
  });

  it('rejects ".." escapes and accepts ".." that stays inside', async () => {
    expect(await isInsideRoot(`${root}/../private/secret.jpg`, [root])).toBe(false);
    expect(await isInsideRoot(`${root}/sub/../../private/secret.jpg`, [root])).toBe(false);
    expect(await isInsideRoot(`${root}/sub/../photo.jpg`, [root])).toBe(true);
  });

  it('rejects symlinks inside the root that point outside, and accepts links pointing in', async () => {
    expect(await isInsideRoot(join(root, 'innocent.jpg'), [root])).toBe(false);
    expect(await isInsideRoot(join(root, 'innocent-folder', 'secret.jpg'), [root])).toBe(false);
    expect(await isInsideRoot(join(outside, 'link-in.jpg'), [root])).toBe(true);
  });

  it('judges a missing file by its real folder', async () => {
    expect(await isInsideRoot(join(root, 'sub', 'not-yet.jpg'), [root])).toBe(true);
    expect(await isInsideRoot(join(root, 'innocent-folder', 'not-yet.jpg'), [root])).toBe(false);
    expect(await isInsideRoot(join(root, 'no-such-folder', 'not-yet.jpg'), [root])).toBe(false);
  });

  it('resolves roots given through a symlink, and ignores roots that vanished', async () => {
    expect(await isInsideRoot(join(root, 'photo.jpg'), [join(base, 'alias')])).toBe(true);
    expect(await isInsideRoot(join(base, 'alias', 'photo.jpg'), [root])).toBe(true);
    expect(await isInsideRoot(join(root, 'photo.jpg'), [join(base, 'gone'), root])).toBe(true);
    expect(await isInsideRoot(join(base, 'gone', 'x.jpg'), [join(base, 'gone')])).toBe(false);
  });
});

describe('isLexicallyInside', () => {
  it('compares path text only', () => {
    expect(isLexicallyInside('/a/b/c.jpg', '/a/b')).toBe(true);
    expect(isLexicallyInside('/a/b', '/a/b/')).toBe(true);
    expect(isLexicallyInside('/a/b/..c.jpg', '/a/b')).toBe(true); // a name starting with "..", not an escape
    expect(isLexicallyInside('/a/bc/d.jpg', '/a/b')).toBe(false);
    expect(isLexicallyInside('/a/b/../c.jpg', '/a/b')).toBe(false);
    expect(isLexicallyInside('/a', '/a/b')).toBe(false);
  });
});

describe('outsideRoots', () => {
  it('checks a batch, naming every path that escapes, through links and ".." alike', async () => {
    const inside = [join(root, 'photo.jpg'), join(root, 'sub', 'deep.jpg'), join(outside, 'link-in.jpg'), join(root, 'sub', 'not-yet.jpg')];
    expect(await outsideRoots(inside, [root])).toEqual([]);
    expect(await outsideRoots([...inside, join(root, 'innocent.jpg'), `${root}/../private/secret.jpg`], [root])).toEqual([join(root, 'innocent.jpg'), `${root}/../private/secret.jpg`]);
    expect(await outsideRoots([join(root, 'sub', '..', 'innocent-folder', 'secret.jpg')], [root])).toEqual([join(root, 'sub', '..', 'innocent-folder', 'secret.jpg')]);
    expect(await outsideRoots([], [root])).toEqual([]);
  });
});
