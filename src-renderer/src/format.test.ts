import { describe, expect, it } from 'vitest';
import { dateTaken, fileName, fileSize, folderName, folderOf, kilobytes, megabytes, spaceToFree } from './format';

describe('format', () => {
  it('splits paths on either separator', () => {
    expect(fileName('/a/b/c.jpg')).toBe('c.jpg');
    expect(fileName('C:\\a\\c.jpg')).toBe('c.jpg');
    expect(folderOf('/a/b/c.jpg')).toBe('/a/b');
    expect(folderName('/a/b/')).toBe('b');
    expect(folderName('/')).toBe('/');
  });

  it('writes sizes as each screen shows them', () => {
    expect(spaceToFree(2_345_000_000)).toBe('2.3 GB');
    expect(spaceToFree(12_340_000)).toBe('12.3 MB');
    expect(spaceToFree(12_600)).toBe('13 KB');
    expect(megabytes(600_000)).toBe('0.6 MB');
    expect(fileSize(2_345_678)).toBe('2.35 MB');
    expect(fileSize(999_400)).toBe('999 KB');
    expect(kilobytes(2_345_678)).toBe('2346 KB');
    expect(dateTaken('2023-07-14T18:22:05')).toBe('2023-07-14 18:22:05');
  });
});
