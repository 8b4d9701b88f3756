import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('gives an empty summary for bytes without EXIF', async () => {
    expect(await readExifSummary(Buffer.from('not an image'))).toEqual({});
  });
});
