import { describe, expect, it } from 'vitest';
import { containments } from './contains';
import type { PairDecision } from './verified-pairs';

const decision = (a: string, b: string, contains?: 'a' | 'b'): PairDecision => ({ a, b, match: false, score: 0.9, edits: [], signals: ['windows'], ...(contains ? { contains } : {}) });

describe('containments', () => {
  const files = [
    { path: '/p/collage.jpg', digest: 'c1' },
    { path: '/p/photo.jpg', digest: 'p1' },
    { path: '/backup/photo.jpg', digest: 'p1' },
    { path: '/p/other.jpg', digest: 'o1' },
  ];

  it('lists the pairs the verifier found one inside the other, container first, whichever side it was', () => {
    expect(containments([decision('c1', 'p1', 'a'), decision('c1', 'o1'), decision('a0', 'c1', 'b')], files)).toEqual([{ container: '/p/collage.jpg', containerDigest: 'c1', photo: '/p/photo.jpg', photoDigest: 'p1' }]);
    expect(containments([decision('o1', 'p1', 'b')], files)).toEqual([{ container: '/p/photo.jpg', containerDigest: 'p1', photo: '/p/other.jpg', photoDigest: 'o1' }]);
  });
});
