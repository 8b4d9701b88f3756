import { describe, expect, it } from 'vitest';
import { differs, FolderIndex } from './folder-index';

const files = (entries: Record<string, [number, number]>) => new Map(Object.entries(entries).map(([name, [size, mtimeMs]]) => [name, { size, mtimeMs }]));

describe('FolderIndex', () => {
  it('reports what a new listing of a folder added, changed and removed', () => {
    const index = new FolderIndex();
    expect(index.replace('/r/a', files({ 'x.jpg': [1, 10], 'y.jpg': [2, 20] }))).toEqual({ added: ['/r/a/x.jpg', '/r/a/y.jpg'], changed: [], removed: [] });
    const next = files({ 'y.jpg': [2, 21], 'z.jpg': [3, 30] });
    expect(index.diff('/r/a', next)).toEqual({ added: ['/r/a/z.jpg'], changed: ['/r/a/y.jpg'], removed: ['/r/a/x.jpg'] });
    expect(index.get('/r/a', 'x.jpg')).toEqual({ size: 1, mtimeMs: 10, identity: 0 }); // diff alone records nothing
    index.replace('/r/a', next);
    expect(index.get('/r/a', 'x.jpg')).toBeUndefined();
    expect(index.get('/r/a', 'y.jpg')).toEqual({ size: 2, mtimeMs: 21, identity: 0 });
    expect(index.diff('/r/a', new Map()).removed).toEqual(['/r/a/y.jpg', '/r/a/z.jpg']);
  });

  it('keeps single updates in order, whatever order they come in', () => {
    const index = new FolderIndex();
    const names = ['m.jpg', 'b.jpg', 'z.jpg', 'a.jpg', 'k.jpg'];
    names.forEach((name, i) => index.set('/r', name, { size: i, mtimeMs: i }));
    index.set('/r', 'z.jpg', undefined);
    index.set('/r', 'b.jpg', { size: 9, mtimeMs: 9 });
    index.set('/r', 'gone.jpg', undefined); // unknown: nothing to remove
    expect(index.diff('/r', new Map())).toEqual({ added: [], changed: [], removed: ['/r/a.jpg', '/r/b.jpg', '/r/k.jpg', '/r/m.jpg'] });
    expect(index.get('/r', 'b.jpg')).toEqual({ size: 9, mtimeMs: 9, identity: 0 });
    expect(index.get('/r', 'm.jpg')).toEqual({ size: 0, mtimeMs: 0, identity: 0 });
  });

  it('reports a photo whose identity changed with the same size and mtime (replaced by a hard link to another file, or by a link)', () => {
    const index = new FolderIndex();
    const state = (fileId: string, symlink?: true) => ({ size: 5, mtimeMs: 50, fileId, ...(symlink ? { symlink } : {}) });
    index.replace('/r', new Map([['a.jpg', state('1:10')], ['b.jpg', state('1:11')]]));
    expect(index.diff('/r', new Map([['a.jpg', state('1:10')], ['b.jpg', state('1:10')]]))).toEqual({ added: [], changed: ['/r/b.jpg'], removed: [] });
    expect(index.diff('/r', new Map([['a.jpg', state('1:10', true)], ['b.jpg', state('1:11')]]))).toEqual({ added: [], changed: ['/r/a.jpg'], removed: [] });
    index.set('/r', 'b.jpg', state('2:11'));
    expect(differs(index.get('/r', 'b.jpg')!, state('2:11'))).toBe(false);
    expect(differs(index.get('/r', 'b.jpg')!, state('1:11'))).toBe(true);
    expect(differs(index.get('/r', 'b.jpg')!, { size: 5, mtimeMs: 50 })).toBe(true);
  });

  it('forgets a folder with the folders inside it, not its siblings', () => {
    const index = new FolderIndex();
    index.replace('/r/a', files({ 'x.jpg': [1, 1] }));
    index.replace('/r/a/b', files({ 'y.jpg': [1, 1] }));
    index.replace('/r/ab', files({ 'z.jpg': [1, 1] }));
    expect(index.removeTree('/r/a').sort()).toEqual(['/r/a/b/y.jpg', '/r/a/x.jpg']);
    expect(index.folderPaths()).toEqual(['/r/ab']);
  });
});
