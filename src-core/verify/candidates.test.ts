// The windows and local-feature candidate signals, on synthetic fingerprints through the
// pipeline's proposePairs (the way the CLI and the benches reach them).
import { describe, expect, it } from 'vitest';
import { syntheticFingerprints } from '../cluster/synthetic-fingerprints';
import type { Fingerprint } from '../fingerprint';
import { fingerprintContents, searchableContents } from '../grouping/contents';
import { proposePairs } from '../grouping/pipeline';
import { CANDIDATE_DESCRIPTOR_BYTES, DEFAULT_CANDIDATES, type CandidatePair } from './candidates';

const { flip, photo, randomHex } = syntheticFingerprints(19, '/lib/c');
const OPTIONS = { method: 'pdq-windows', linkage: 'average' } as const;

function propose(inputs: Fingerprint[], options = DEFAULT_CANDIDATES): CandidatePair[] {
  const { contents } = fingerprintContents(inputs, OPTIONS.method);
  return proposePairs(contents, searchableContents(contents, OPTIONS), options);
}

const proposed = (pairs: CandidatePair[], inputs: Fingerprint[], signal: string) =>
  pairs.filter((p) => p.signals.includes(signal as never)).map((p) => [inputs[p.inputA]!.path, inputs[p.inputB]!.path].sort().join(' + ')).sort();
const named = (...fs: Fingerprint[]) => fs.map((f) => f.path).sort().join(' + ');

/** Descriptor codes as the fingerprint stores them: `hexCodes` of CANDIDATE_DESCRIPTOR_BYTES each. */
const base64Codes = (hexCodes: string[]) => btoa(String.fromCharCode(...hexCodes.flatMap((hex) => hex.match(/../g)!.map((h) => parseInt(h, 16)))));
const codeHex = () => randomHex(2 * CANDIDATE_DESCRIPTOR_BYTES);
/** A code `bits` bits from `hex`. */
const near = (hex: string, bits: number) => flip(hex, bits);

describe('windows signal', () => {
  it('meets a content rectangle with every orientation of another frame, and nothing unrelated', () => {
    // A screenshot whose photo rectangle hashes 20 bits from the photo's frame mirrored.
    const photoOf = photo({ pdqContent: [] });
    const screenshot = photo({ pdqContent: [randomHex(64), near(photoOf.pdqDihedral.flipx, 20)] });
    const unrelated = photo({ pdqContent: [randomHex(64)] });
    const inputs = [photoOf, screenshot, unrelated];
    expect(proposed(propose(inputs), inputs, 'windows')).toEqual([named(photoOf, screenshot)]);
    expect(proposed(propose(inputs, { ...DEFAULT_CANDIDATES, windowRadius: 10 }), inputs, 'windows')).toEqual([]);
  });
});

describe('features signal', () => {
  const base = Array.from({ length: 64 }, codeHex);
  const withShared = (shared: number, mirrored = false) => {
    const codes = [...base.slice(0, shared).map((hex) => near(hex, 3)), ...Array.from({ length: 64 - shared }, codeHex)];
    return mirrored ? photo({ orb: base64Codes(Array.from({ length: 64 }, codeHex)), orbMirrored: base64Codes(codes) }) : photo({ orb: base64Codes(codes), orbMirrored: base64Codes(Array.from({ length: 64 }, codeHex)) });
  };

  it('proposes images sharing enough descriptors, directly or through the mirror, and not fewer', () => {
    const original = photo({ orb: base64Codes(base), orbMirrored: base64Codes(Array.from({ length: 64 }, codeHex)) });
    const crop = withShared(3);
    const mirroredCrop = withShared(5, true);
    const lookAlike = withShared(2);
    const inputs = [original, crop, mirroredCrop, lookAlike];
    // The crop and the mirrored crop share three descriptors through the mirror too.
    expect(proposed(propose(inputs), inputs, 'features')).toEqual([named(original, crop), named(original, mirroredCrop), named(crop, mirroredCrop)].sort());
  });

  it('ignores descriptors that match in many images (a corner every photo has)', () => {
    const common = Array.from({ length: 3 }, codeHex);
    const inputs = Array.from({ length: 24 }, () => photo({ orb: base64Codes([...common, ...Array.from({ length: 61 }, codeHex)]), orbMirrored: base64Codes(Array.from({ length: 64 }, codeHex)) }));
    expect(proposed(propose(inputs), inputs, 'features')).toEqual([]);
    // The same three shared by two images only do propose them.
    expect(proposed(propose(inputs.slice(0, 2)), inputs.slice(0, 2), 'features')).toEqual([named(inputs[0]!, inputs[1]!)]);
  });
});
