import { describe, expect, it } from 'vitest';
import { folderOf, protectOffer } from './protect-offer';

const kept = (folder: string, n: number) => Array.from({ length: n }, (_, k) => `${folder}/photo-${k}.jpg`);

describe('protectOffer', () => {
  it('offers a folder once three copies from it were kept over the suggestion, not before', () => {
    expect(protectOffer(kept('/photos/Originals', 2))).toBeUndefined();
    expect(protectOffer(kept('/photos/Originals', 3))).toEqual({ folder: '/photos/Originals', times: 3 });
  });

  it('counts each folder on its own: choices spread over folders, or in a subfolder, do not add up', () => {
    const spread = [...kept('/photos/a', 2), ...kept('/photos/b', 2), ...kept('/photos/a/sub', 2)];
    expect(protectOffer(spread)).toBeUndefined();
  });

  it('offers the folder kept from most often', () => {
    expect(protectOffer([...kept('/photos/a', 3), ...kept('/photos/b', 5)])?.folder).toBe('/photos/b');
  });

  it('never offers a folder already protected, itself or through a folder above it', () => {
    expect(protectOffer(kept('/photos/Originals', 4), ['/photos/Originals'])).toBeUndefined();
    expect(protectOffer(kept('/photos/Originals/2024', 4), ['/photos'])).toBeUndefined();
    // A protected sibling whose name starts the same is another folder.
    expect(protectOffer(kept('/photos/Originals-2', 3), ['/photos/Originals'])?.folder).toBe('/photos/Originals-2');
  });

  it('never offers a dismissed folder again, and offers the next one instead', () => {
    const choices = [...kept('/photos/a', 4), ...kept('/photos/b', 3)];
    expect(protectOffer(choices, [], ['/photos/a'])?.folder).toBe('/photos/b');
    expect(protectOffer(choices, [], ['/photos/a', '/photos/b'])).toBeUndefined();
  });
});

describe('folderOf', () => {
  it('names the folder holding a file, on POSIX and Windows paths', () => {
    expect(folderOf('/home/me/Pictures/a.jpg')).toBe('/home/me/Pictures');
    expect(folderOf('C:\\Users\\me\\Pictures\\a.jpg')).toBe('C:\\Users\\me\\Pictures');
    expect(folderOf('/a.jpg')).toBe('/');
    expect(folderOf('D:\\a.jpg')).toBe('D:\\');
  });
});
