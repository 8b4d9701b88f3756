// Contents, not files: byte-different copies of a photo (a backup with bytes appended, a
// re-download, edited metadata) are one content for the pair search, the candidate budget and
// the verifier, and join their original's groups. N copies of a library must group like one.
import { describe, expect, it } from 'vitest';
import { groupsAt } from '../cluster/groups';
import type { Fingerprint } from '../fingerprint';
import { syntheticFingerprints } from '../cluster/synthetic-fingerprints';
import { DEFAULT_CANDIDATES, type CandidateOptions, type CandidatePair } from '../verify/candidates';
import { fingerprintContents, packedSameContents, searchableContents } from './contents';
import { clusterContents, groupFingerprints, proposePairs, searchPairs, searchPairsHere, type PairVerifier } from './pipeline';

const { flip, photo, randomHex } = syntheticFingerprints(17, '/lib/c');
const OPTIONS = { method: 'pdq-windows', linkage: 'average' } as const;

/** A library with a bit of everything the budget and the verifier see: edited copies the hashes
 *  link, crops only aHash finds (confirmed by the verifier), a crowd of aHash look-alikes that
 *  fills every photo's candidate slots, unrelated photos and a blank frame. Each file's scene
 *  (what the verifier confirms) is in `scene`. */
function library() {
  const scene = new Map<string, string>();
  const add = (name: string, f: Fingerprint) => (scene.set(f.path, name), f);
  const files: Fingerprint[] = [];
  for (let g = 0; g < 4; g++) {
    const original = add(`g${g}`, photo({ size: 9000 + g, pixelDigest: randomHex(64) }));
    const resized = add(`g${g}`, photo({ pdq: flip(original.pdq, 10), size: 3000, pixelDigest: randomHex(64) }));
    const crop = add(`g${g}`, photo({ ahash: flip(resized.ahash, 5), size: 4000, pixelDigest: randomHex(64) }));
    files.push(original, resized, crop);
  }
  const hub = photo({ pixelDigest: randomHex(64) });
  files.push(add('hub', hub));
  for (let k = 0; k < 20; k++) files.push(add(`lookalike${k}`, photo({ ahash: flip(hub.ahash, 1 + (k % 5)), pixelDigest: randomHex(64) })));
  for (let k = 0; k < 5; k++) files.push(add(`unrelated${k}`, photo()));
  files.push(add('blank', photo({ pdq: '0'.repeat(64), pdqQuality: 3 })));
  return { files, scene };
}

type CopyKind = 'pixels' | 'hashes' | 'appended';

/** `n` byte-different copies of every file, right before every other original (so a copy, not
 *  the original, is often the first file of its content; the contents keep their order, which
 *  the sorted-neighbour search's tie-breaks depend on). 'pixels': the same JPEG
 *  pixel data (and one dHash bit off, as if decoded differently: only the pixel digest can
 *  tell); 'hashes': a format without a pixel digest, every hash the same; 'appended': bytes after
 *  the JPEG's end (another pixel digest, every hash the same). */
function withCopies(files: Fingerprint[], n: number, kind: CopyKind): { copied: Fingerprint[]; source: Map<string, string> } {
  const source = new Map(files.map((f) => [f.path, f.path]));
  const copied = files.flatMap((f, i) => {
    const copies = Array.from({ length: n }, (_, k) => {
      const copy: Fingerprint = { ...f, path: `${f.path}.copy${k + 1}`, digest: randomHex(64), size: f.size + k + 1 };
      if (kind === 'pixels' && f.pixelDigest) Object.assign(copy, { dhash: flip(f.dhash, 1) });
      else if (kind === 'appended' && f.pixelDigest) Object.assign(copy, { pixelDigest: randomHex(64) });
      else delete copy.pixelDigest;
      source.set(copy.path, f.path);
      return copy;
    });
    const original = kind === 'hashes' ? withoutPixelDigest(f) : f;
    return i % 2 === 0 ? [...copies, original] : [original, ...copies];
  });
  return { copied, source };
}
const withoutPixelDigest = ({ pixelDigest: _pixelDigest, ...f }: Fingerprint): Fingerprint => f;

/** Confirms the pairs of one scene, as a verifier that aligns crops would; records what it was asked. */
function sceneVerifier(scene: (path: string) => string, asked: CandidatePair[], inputs: Fingerprint[]): PairVerifier {
  return async (candidates) => {
    asked.push(...candidates);
    return candidates.map((c) => {
      const match = scene(inputs[c.inputA]!.path) === scene(inputs[c.inputB]!.path);
      return { a: c.a, b: c.b, match, score: match ? 0.9 : 0.1, edits: match ? ['cropped'] : [], signals: c.signals };
    });
  };
}

/** Each group as the sorted set of source files it holds, and how many files it has. */
function groupShapes(inputs: Fingerprint[], asked: CandidatePair[], source: (path: string) => string, scene: Map<string, string>, similarity: number, options = OPTIONS) {
  return groupFingerprints(inputs, options, { search: searchPairsHere, verifier: sceneVerifier((p) => scene.get(source(p))!, asked, inputs) }).then(({ clustering }) =>
    groupsAt(clustering, inputs, similarity)
      .map((g) => ({ sources: [...new Set(g.members.map((m) => source(m.path)))].sort().join(' '), size: g.members.length }))
      .sort((x, y) => x.sources.localeCompare(y.sources)),
  );
}

function proposedSourcePairs(inputs: Fingerprint[], source: (path: string) => string, options: CandidateOptions): string[] {
  const { contents, holder } = fingerprintContents(inputs, OPTIONS.method);
  return proposePairs(contents, searchableContents(contents, OPTIONS), options)
    .map((p) => [source(inputs[holder[p.inputA]!]!.path), source(inputs[holder[p.inputB]!]!.path)].sort().join(' + '))
    .sort();
}

describe('contents, not files', () => {
  const { files, scene } = library();
  const same = (p: string) => p;

  for (const kind of ['pixels', 'hashes', 'appended'] as const) {
    for (const n of [1, 3]) {
      describe(`${n} byte-different ${n === 1 ? 'copy' : 'copies'} of every file (${kind})`, () => {
        const single = kind === 'hashes' ? files.map(withoutPixelDigest) : files;
        const { copied, source } = withCopies(files, n, kind);
        const sourceOf = (p: string) => source.get(p)!;

        it('propose the same pairs, between the same photos, whatever the budget', () => {
          for (const pairsPerPhoto of [DEFAULT_CANDIDATES.pairsPerPhoto, 1]) {
            const options = { ...DEFAULT_CANDIDATES, pairsPerPhoto };
            const alone = proposedSourcePairs(single, same, options);
            expect(alone.length).toBeGreaterThan(0);
            expect(proposedSourcePairs(copied, sourceOf, options)).toEqual(alone);
          }
        });

        it('give the same groups, each with the copies, after verifying the same number of pairs', async () => {
          for (const similarity of [0.8, 0.95]) {
            const [askedAlone, askedCopied] = [[] as CandidatePair[], [] as CandidatePair[]];
            const alone = await groupShapes(single, askedAlone, same, scene, similarity);
            const withThem = await groupShapes(copied, askedCopied, sourceOf, scene, similarity);
            // Every group gains the copies; a photo alone (not a blank one) is now a group of its copies.
            const grouped = new Set(alone.flatMap((g) => g.sources.split(' ')));
            const loners = files.filter((f) => !grouped.has(f.path) && f.pdqQuality >= 30).map((f) => ({ sources: f.path, size: n + 1 }));
            const expected = [...alone.map((g) => ({ ...g, size: g.size * (n + 1) })), ...loners].sort((x, y) => x.sources.localeCompare(y.sources));
            if (similarity === 0.8) expect(alone.filter((g) => g.sources.split(' ').length === 3)).toHaveLength(4);
            expect(withThem).toEqual(expected);
            expect(askedCopied.length).toBe(askedAlone.length);
          }
        });
      });
    }
  }

  it('say what a copy is: identical bytes, the same pixels, or the same photo', async () => {
    const [original] = files;
    const bytes = { ...original!, path: '/copies/bytes.jpg' };
    const pixels = { ...original!, path: '/copies/pixels.jpg', digest: randomHex(64), size: original!.size + 20 };
    const hashes = { ...withoutPixelDigest(original!), path: '/copies/hashes.png', digest: randomHex(64), format: 'png', size: original!.size * 3 };
    const inputs = [original!, bytes, pixels, hashes];
    const { clustering } = await groupFingerprints(inputs, OPTIONS, { search: searchPairsHere });
    const [group] = groupsAt(clustering, inputs, 1);
    expect(group!.members).toHaveLength(4);
    const keeper = group!.members[0]!;
    const reasonOf = (path: string) => group!.members.find((m) => m.path === path)!.reason;
    // The keeper is one of the JPEGs: the PNG is described against it.
    expect(reasonOf(hashes.path)).toMatch(/^same photo/);
    const otherJpegs = [original!, bytes, pixels].map((f) => f.path).filter((p) => p !== keeper.path);
    for (const path of otherJpegs) {
      const sameBytes = inputs.find((f) => f.path === path)!.digest === keeper.digest;
      expect(reasonOf(path)).toBe(sameBytes ? 'identical bytes' : 'same pixels (only the metadata differs)');
    }
    expect(group!.members.every((m) => m.similarity === 1)).toBe(true);
  });

  it('leave blank images with the same hashes apart, unless their pixels are the same', async () => {
    const blank = photo({ pdq: '0'.repeat(64), pdqQuality: 2 });
    const otherBlank = { ...blank, path: '/blank/other.jpg', digest: randomHex(64) };
    const samePixels = { ...blank, path: '/blank/same-pixels.jpg', digest: randomHex(64), pixelDigest: randomHex(64) };
    const inputs = [blank, otherBlank, { ...samePixels, path: '/blank/same-pixels-2.jpg', digest: randomHex(64) }, samePixels];
    const { clustering } = await groupFingerprints(inputs, OPTIONS, { search: searchPairsHere });
    const groups = groupsAt(clustering, inputs, 0.8).map((g) => g.members.map((m) => m.path).sort());
    expect(groups).toEqual([['/blank/same-pixels-2.jpg', '/blank/same-pixels.jpg']]);
  });

  it('are only copies with every hash alike: the same PDQ with another aHash is another content (in the CLI)', () => {
    const first = photo();
    const samePdq = photo({ pdq: first.pdq, pdqDihedral: first.pdqDihedral });
    const copyOfSecond = { ...samePdq, path: '/lib/copy-of-second.jpg', digest: randomHex(64) };
    const mirrored = { ...first, path: '/lib/other-dihedral.jpg', digest: randomHex(64), pdqDihedral: { ...first.pdqDihedral, flipx: flip(first.pdqDihedral.flipx, 1) } };
    const { contents } = fingerprintContents([first, samePdq, copyOfSecond, mirrored], OPTIONS.method);
    expect(Array.from(contents.sameAs!)).toEqual([0, 1, 1, 3]);
    // The app's packed blocks hold PDQ, its variants and windows only: those alike are one content there.
    expect(Array.from(packedSameContents(contents))).toEqual([0, 0, 0, 3]);
  });

  it('apply a verdict saved for any copy to its whole content', async () => {
    const [original, resized, crop] = files;
    const cropCopy = { ...crop!, path: '/lib/crop-copy.jpg', digest: randomHex(64) };
    const originalCopy = { ...original!, path: '/lib/original-copy.jpg', digest: randomHex(64) };
    const inputs = [original!, resized!, crop!, cropCopy, originalCopy];
    const verified = [{ a: cropCopy.digest, b: originalCopy.digest, similarity: 0.9, edits: ['cropped'] }];
    const { clustering } = await groupFingerprints(inputs, { ...OPTIONS, verified }, { search: searchPairsHere });
    expect(groupsAt(clustering, inputs, 0.8).map((g) => g.members.map((m) => m.path).sort())).toEqual([inputs.map((f) => f.path).sort()]);
  });

  it('group the same from packed hashes alone (the app) as from fingerprints (the CLI)', async () => {
    const { copied } = withCopies(files, 2, 'hashes');
    const { contents, contentOf } = fingerprintContents(copied, OPTIONS.method);
    const packed = { ...contents, sameAs: packedSameContents(contents) };
    expect(Array.from(packed.sameAs)).toEqual(Array.from(contents.sameAs!));
    const searchable = searchableContents(packed, OPTIONS);
    const app = clusterContents(packed, contentOf, await searchPairs(searchable, searchPairsHere), [], OPTIONS);
    const cli = (await groupFingerprints(copied, OPTIONS, { search: searchPairsHere })).clustering;
    const shapes = (c: typeof app) => groupsAt(c, copied, 0.8).map((g) => g.members.map((m) => m.path).sort().join(' ')).sort();
    expect(shapes(app)).toEqual(shapes(cli));
    expect(shapes(app).length).toBeGreaterThan(0);
  });
});
