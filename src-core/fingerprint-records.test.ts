import { describe, expect, it } from 'vitest';
import { isStaleFingerprint, PRODUCT_HASH_VERSION, type Fingerprint } from './fingerprint';
import { parseFingerprintRecord, RecordError } from './fingerprint-records';

const PDQ = 'f'.repeat(32) + '0'.repeat(32);
const OTHER = '0123456789abcdef'.repeat(4);
const DIHEDRAL = { rotate90: OTHER, rotate180: OTHER, rotate270: OTHER, flipx: OTHER, flipy: OTHER, flipplus1: OTHER, flipminus1: OTHER };
const FULL = { path: '/a/b.jpg', size: 10, mtimeMs: 1, digest: 'd1', width: 8, height: 6, format: 'jpeg', pdq: PDQ, pdqQuality: 90, pdqDihedral: DIHEDRAL, pdqWindows: [OTHER, OTHER], ahash: 'ffff0000ffff0000', dhash: '0000ffff0000ffff', phash: '0f0f0f0f0f0f0f0f', whash: 'f0f0f0f0f0f0f0f0', exif: { make: 'X' } };

function fingerprintOf(line: string): Fingerprint {
  const parsed = parseFingerprintRecord(line)!;
  if (!parsed.outcome.ok) throw new Error('expected a fingerprint');
  return parsed.outcome.fingerprint;
}

function fieldOf(line: string): string | undefined {
  try {
    parseFingerprintRecord(line);
  } catch (error) {
    if (error instanceof RecordError) return error.field ?? 'the line';
    throw error;
  }
  throw new Error(`accepted: ${line}`);
}

describe('parseFingerprintRecord', () => {
  it('keeps a full "doppel hash --json" line as it is, not partial', () => {
    const parsed = parseFingerprintRecord(JSON.stringify(FULL))!;
    expect(parsed.partial).toBe(false);
    expect(parsed.outcome).toEqual({ ok: true, fingerprint: FULL });
  });

  it('takes a minimal record (id and pdq): the id is path and digest, variants repeat the PDQ', () => {
    const parsed = parseFingerprintRecord(JSON.stringify({ id: 'photo-17', pdq: PDQ }))!;
    expect(parsed.partial).toBe(true);
    const f = fingerprintOf(JSON.stringify({ id: 'photo-17', pdq: PDQ }));
    expect([f.path, f.digest, f.pdqQuality, f.size, f.format, f.exif]).toEqual(['photo-17', 'photo-17', 100, 0, 'unknown', {}]);
    expect(Object.values(f.pdqDihedral)).toEqual(Array(7).fill(PDQ));
    expect(f.ahash).toBeUndefined();
  });

  it('a record without window hashes or imagehash values is partial', () => {
    const { pdqWindows: _, ...noWindows } = FULL;
    const { whash: __, ...noWhash } = FULL;
    expect(parseFingerprintRecord(JSON.stringify(noWindows))!.partial).toBe(true);
    expect(parseFingerprintRecord(JSON.stringify(noWhash))!.partial).toBe(true);
  });

  it('reads the PDQ text form "hash,quality,name", a name with commas kept whole', () => {
    const f = fingerprintOf(`${PDQ.toUpperCase()},73,/photos/a, b.jpg`);
    expect([f.pdq, f.pdqQuality, f.path, f.digest]).toEqual([PDQ, 73, '/photos/a, b.jpg', '/photos/a, b.jpg']);
    expect(parseFingerprintRecord(`${PDQ},73,x`)!.partial).toBe(true);
  });

  it('keeps error lines as errors and skips blank lines', () => {
    expect(parseFingerprintRecord('{"path":"/x.jpg","error":{"kind":"corrupt","message":"bad"}}')!.outcome).toEqual({ ok: false, path: '/x.jpg', error: { kind: 'corrupt', message: 'bad' } });
    expect(parseFingerprintRecord('   ')).toBeUndefined();
  });

  it('names the field of a malformed record', () => {
    expect(fieldOf('{"path":"x","digest":"d","pdq":"abc"}')).toBe('pdq');
    expect(fieldOf('{"digest":"d","pdq":"' + PDQ + '"}')).toBe('path');
    expect(fieldOf('{"path":"x","pdq":"' + PDQ + '"}')).toBe('digest');
    expect(fieldOf('{"path":"x","digest":"d"}')).toBe('pdq');
    expect(fieldOf(JSON.stringify({ ...FULL, pdqQuality: 101 }))).toBe('pdqQuality');
    expect(fieldOf(JSON.stringify({ ...FULL, pdqDihedral: { ...DIHEDRAL, flipx: 'zz' } }))).toBe('pdqDihedral.flipx');
    expect(fieldOf(JSON.stringify({ ...FULL, pdqWindows: ['ab'] }))).toBe('pdqWindows');
    expect(fieldOf(JSON.stringify({ ...FULL, ahash: 'abc' }))).toBe('ahash');
    expect(fieldOf(JSON.stringify({ ...FULL, width: 'wide' }))).toBe('width');
    expect(fieldOf('{"path":"x","error":"oops"}')).toBe('error');
    expect(fieldOf('{"path": ')).toBe('the line');
    expect(fieldOf('[1,2]')).toBe('the line');
    expect(fieldOf(`${PDQ.slice(1)},50,x`)).toBe('hash');
    expect(fieldOf(`${PDQ},high,x`)).toBe('quality');
    expect(fieldOf(`${PDQ},50, `)).toBe('name');
    expect(fieldOf('just words')).toBe('the line');
  });
});

describe('isStaleFingerprint', () => {
  it('asks again for fingerprints without evidence or made before the current product hashes', () => {
    const evidence = { content: [0, 0, 1, 1] as [number, number, number, number], grey: false, clipped: 0, noise: 1, sharpness: 1 };
    const fresh = { evidence, hashVersion: PRODUCT_HASH_VERSION };
    expect(isStaleFingerprint(fresh)).toBe(false);
    expect(isStaleFingerprint({ ...fresh, hashVersion: undefined })).toBe(true);
    expect(isStaleFingerprint({ ...fresh, hashVersion: PRODUCT_HASH_VERSION - 1 })).toBe(true);
    expect(isStaleFingerprint({ ...fresh, evidence: undefined })).toBe(true);
  });
});
