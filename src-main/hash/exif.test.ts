import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { BENCH_ORIGINALS } from '../../test/helpers';
import { readExifSummary } from './exif';

// Real exifr, recording the options object each parse gets.
const parseOptions = vi.hoisted(() => [] as unknown[]);
vi.mock('exifr', async (importOriginal) => {
  const real = (await importOriginal<typeof import('exifr')>()).default;
  return {
    default: {
      parse: (input: Parameters<typeof real.parse>[0], options: Parameters<typeof real.parse>[1]) => {
        parseOptions.push(options);
        return real.parse(input, options);
      },
    },
  };
});

describe('readExifSummary', () => {
  it('passes exifr one options object for every file (exifr caches parsed options by the object: a new one per call leaked ~8 KB a file)', async () => {
    const bytes = readFileSync(join(BENCH_ORIGINALS, 'kpa_pool.jpg'));
    const summaries = [];
    for (let k = 0; k < 3; k++) summaries.push(await readExifSummary(bytes));
    expect(summaries[2]).toEqual(summaries[0]);
    expect(parseOptions).toHaveLength(3);
    expect(parseOptions[1]).toBe(parseOptions[0]);
    expect(parseOptions[2]).toBe(parseOptions[0]);
  });

  it('reads the last edit (IFD0 DateTime) and the writing software, as a camera or editor writes them', async () => {
    const bytes = await jpegWithExif({ Make: 'Acme', Software: ' Darktable 4.6.1\0', DateTime: '2021:03:04 05:06:07' }, { DateTimeOriginal: '2020:01:02 10:11:12' });
    const summary = await readExifSummary(bytes);
    expect(summary.modifyDate).toBe('2021-03-04T05:06:07');
    expect(summary.software).toBe('Darktable 4.6.1');
    expect(summary.dateTaken).toBe('2020-01-02T10:11:12');
    expect(summary.make).toBe('Acme');
  });

  it('leaves them out when the file has no such tags, or blank ones', async () => {
    const summary = await readExifSummary(await jpegWithExif({ Make: 'Acme' }));
    expect(summary.make).toBe('Acme');
    expect(summary).not.toHaveProperty('modifyDate');
    expect(summary).not.toHaveProperty('software');
    const blank = await readExifSummary(await jpegWithExif({ Make: 'Acme', Software: '   ', DateTime: '0000:00:00 00:00:00' }));
    expect(blank).not.toHaveProperty('modifyDate');
    expect(blank).not.toHaveProperty('software');
  });

  it('gives an empty summary for bytes without EXIF', async () => {
    expect(await readExifSummary(Buffer.from('not an image'))).toEqual({});
  });
});

function jpegWithExif(ifd0: Record<string, string>, exif?: Record<string, string>): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .jpeg()
    .withExif({ IFD0: ifd0, ...(exif ? { IFD2: exif } : {}) })
    .toBuffer();
}
