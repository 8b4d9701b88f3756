import { describe, expect, it } from 'vitest';
import { sharperFrame, similarShots, type ShotFile } from './similar-shots';
import type { PairDecision } from './verified-pairs';

const camera = { make: 'Canon', model: 'EOS 5D' };
const frame = (digest: string, dateTaken: string, sharpness?: number): ShotFile => ({ path: `/burst/${digest}.jpg`, digest, exif: { ...camera, dateTaken }, ...(sharpness === undefined ? {} : { sharpness }) });
const rejected = (a: string, b: string): PairDecision => ({ a, b, match: false, score: 0.1, edits: [], signals: [] });

describe('sharperFrame', () => {
  it('suggests a frame measured at least 15% sharper, either way round', () => {
    expect(sharperFrame(115, 100)).toBe('a');
    expect(sharperFrame(100, 130)).toBe('b');
  });

  it('says nothing when the frames measure within 15% of each other', () => {
    expect(sharperFrame(114, 100)).toBeUndefined();
    expect(sharperFrame(100, 114)).toBeUndefined();
    expect(sharperFrame(100, 100)).toBeUndefined();
  });

  it('says nothing without both measures, or when both frames are flat', () => {
    expect(sharperFrame(undefined, 100)).toBeUndefined();
    expect(sharperFrame(100, undefined)).toBeUndefined();
    expect(sharperFrame(0, 0)).toBeUndefined();
    expect(sharperFrame(3, 0)).toBe('a');
  });
});

describe('similarShots', () => {
  it('names the sharper frame of a burst pair only when it is clearly sharper', () => {
    const files = [frame('a1', '2024-05-01T10:00:00', 40), frame('a2', '2024-05-01T10:00:01', 90), frame('b1', '2024-05-01T11:00:00', 50), frame('b2', '2024-05-01T11:00:02', 52), frame('c1', '2024-05-01T12:00:00'), frame('c2', '2024-05-01T12:00:03', 80)];
    const shots = similarShots([rejected('a1', 'a2'), rejected('b1', 'b2'), rejected('c1', 'c2')], files);
    expect(shots.map((s) => [s.digestA, s.digestB, s.sharper])).toEqual([
      ['a1', 'a2', 'b'],
      ['b1', 'b2', undefined],
      ['c1', 'c2', undefined],
    ]);
  });
});
