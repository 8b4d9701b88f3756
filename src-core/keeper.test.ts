import { describe, expect, it } from 'vitest';
import { chooseKeeper, isAbsolutePath, normaliseKeeperRules, DEFAULT_KEEPER_RULES, type KeeperCandidate, type KeeperRuleId } from './keeper';
import type { ImageEvidence } from './fingerprint';
import { invertPairTransform, type Affine } from './verify/pair-transform';

const photoEvidence: ImageEvidence = { jpegQuality: 80, content: [0, 0, 1, 1], grey: false, clipped: 0.004, noise: 1.2, sharpness: 40 };
const canon = { make: 'Canon', model: 'EOS 400D', dateTaken: '2020-01-01T10:00:00', orientation: 1, gpsPresent: false };
/** A camera original, and copies of it made the way apps make them (EXIF dropped, re-encoded). */
const original: KeeperCandidate = { path: '/photos/a.jpg', digest: 'o', format: 'jpeg', width: 2000, height: 1500, size: 1_000_000, exif: canon, dateTaken: canon.dateTaken, evidence: photoEvidence };
const copy = (change: Partial<KeeperCandidate>, evidence: Partial<ImageEvidence> = {}): KeeperCandidate => ({
  ...original,
  path: '/photos/b.jpg',
  digest: 'c',
  exif: {},
  dateTaken: undefined,
  evidence: { ...photoEvidence, jpegQuality: 90, ...evidence },
  ...change,
});
const bare = (c: KeeperCandidate): KeeperCandidate => ({ ...c, exif: {}, dateTaken: undefined });
const only = (...ids: KeeperRuleId[]) => ({ keeperRules: [...ids.map((id) => ({ id, enabled: true })), ...DEFAULT_KEEPER_RULES.filter((r) => !ids.includes(r.id)).map((r) => ({ ...r, enabled: false }))] });

describe('chooseKeeper: the original among its copies', () => {
  it('sees through a border: the bordered copy has more pixels but not more photo', () => {
    const bordered = copy({ width: 2160, height: 1620, size: 1_400_000 }, { content: [0.037, 0.037, 0.926, 0.926] });
    const choice = chooseKeeper([bordered, original]);
    expect(choice.index).toBe(1);
    expect(choice.reason).toBe('keeps its camera metadata (Canon EOS 400D, date taken); the other has none');
    // Without the camera metadata, nothing in the content rule favours the bordered copy either.
    expect(chooseKeeper([bordered, original], only('content')).reason).toMatch(/^no clear original/);
  });

  it('prefers more of the photo: a crop or a smaller copy loses, whatever its metadata', () => {
    const crop = copy({ width: 1700, height: 1275, exif: canon, dateTaken: canon.dateTaken });
    expect(chooseKeeper([crop, original])).toEqual({ index: 1, reason: 'more of the photo: 2000×1500 vs 1700×1275' });
  });

  it('a PNG or WebP with the same pixels holds no more than the JPEG it was made from', () => {
    const png = copy({ format: 'png', size: 6_000_000 }, { jpegQuality: undefined });
    const choice = chooseKeeper([png, bare(original)]);
    expect(choice.index).toBe(1);
    expect(choice.reason).toBe('JPEG as a camera writes it; the PNG holds no more than the JPEG it was likely made from');
  });

  it('a RAW is the original of the JPEG rendered from it', () => {
    const raw = copy({ path: '/photos/a.nef', format: 'raw-nef', size: 25_000_000, exif: canon, dateTaken: canon.dateTaken }, { jpegQuality: 95 });
    expect(chooseKeeper([original, raw])).toEqual({ index: 1, reason: "the camera's RAW; the JPEG was rendered from it" });
  });

  it('a re-encode at a visibly lower JPEG quality loses; a higher quality alone proves nothing', () => {
    const q60 = copy({ size: 400_000 }, { jpegQuality: 60 });
    expect(chooseKeeper([q60, bare(original)]).reason).toBe('higher JPEG quality: 80 vs 60');
    const q90 = copy({ size: 1_400_000 }, { jpegQuality: 90 });
    expect(chooseKeeper([q90, bare(original)]).reason).toMatch(/^no clear original/);
  });

  it('counts only centred bars as a border: a photo\'s own dark edge is content', () => {
    const darkSky = { ...bare(original), evidence: { ...photoEvidence, content: [0, 0.17, 1, 0.83] as [number, number, number, number] } };
    const bordered = copy({ width: 2160, height: 1620, size: 1_400_000 }, { content: [0.037, 0.037, 0.926, 0.926], jpegQuality: 80 });
    expect(chooseKeeper([bordered, darkSky], only('content')).reason).toMatch(/^no clear original/);
    const letterboxed = copy({ width: 2667, height: 1500 }, { content: [0.125, 0, 0.75, 1], jpegQuality: 80 });
    expect(chooseKeeper([letterboxed, darkSky], only('content')).reason).toMatch(/^no clear original/);
    const cropped = copy({ width: 1800, height: 1500 }, { jpegQuality: 80 });
    expect(chooseKeeper([cropped, darkSky], only('content')).reason).toBe('more of the photo: 2000×1500 vs 1800×1500');
  });

  it('colour beats black-and-white; clipped pixels decide nothing (brightening clips, darkening unclips)', () => {
    expect(chooseKeeper([copy({}, { grey: true, jpegQuality: 80 }), bare(original)]).reason).toBe('in colour; the other is black-and-white');
    const brightened = copy({}, { clipped: 0.08, jpegQuality: 80 });
    expect(chooseKeeper([brightened, bare(original)], only('edits')).reason).toMatch(/^no clear original/);
  });

  it('a grey photo\'s toned copy is no colour original; a colour photo\'s toned copy lost its colour', () => {
    const greyPhoto = copy({ path: '/photos/a.jpg', digest: 'g' }, { grey: true, chroma: 1.5, jpegQuality: 80 });
    const toned = copy({ size: 2_000_000 }, { grey: false, chroma: 2.5, jpegQuality: 80 });
    expect(chooseKeeper([toned, greyPhoto], only('edits')).reason).toMatch(/^no clear original/);
    const colourPhoto = { ...bare(original), evidence: { ...photoEvidence, chroma: 20 } };
    expect(chooseKeeper([toned, colourPhoto]).reason).toBe('in colour; the other is toned (its colour only follows brightness)');
  });

  it('a blurred copy has less detail, even with more contrast; a noisier copy loses on noise', () => {
    const sharp = { ...bare(original), evidence: { ...photoEvidence, sharpness: 200, noise: 1, contrast: 40 } };
    const blurred = copy({}, { sharpness: 60, noise: 0.3, contrast: 39, jpegQuality: 80 });
    expect(chooseKeeper([blurred, sharp]).reason).toBe('sharper: 3.1× the fine detail of the other (blurred or softened)');
    const punchy = copy({}, { sharpness: 200 * 1.69, noise: 1.3, contrast: 52, clipped: 0.004, jpegQuality: 80 });
    expect(chooseKeeper([punchy, sharp], only('edits')).reason).toMatch(/^no clear original/);
    const noisy = copy({}, { sharpness: 230, noise: 4, contrast: 40, clipped: 0.0001, jpegQuality: 80 });
    const clippedSky = { ...sharp, evidence: { ...sharp.evidence, clipped: 0.08 } };
    expect(chooseKeeper([noisy, clippedSky]).reason).toBe('less noise: 1.0 vs 4.0 grey levels (noise was added to the other)');
  });

  it('added noise loses', () => {
    const noisy = copy({}, { noise: 6, jpegQuality: 80 });
    expect(chooseKeeper([noisy, bare(original)]).reason).toMatch(/^less noise: 1\.2 vs 6\.0/);
  });

  it('an edit that kept the camera EXIF is found by the traces editing leaves in it', () => {
    const edited = copy({ exif: { ...canon, software: 'Photo Editor 2.1', modifyDate: '2021-03-01T09:00:00' }, dateTaken: canon.dateTaken }, { jpegQuality: 80 });
    expect(chooseKeeper([edited, original]).reason).toBe('no sign of editing; the other was edited (modified 2021-03-01, after it was taken)');
    // A program's EXIF is no camera metadata, and a file without EXIF shows no edit either.
    const tagged = copy({ exif: { software: 'Tagger' } }, { jpegQuality: 80 });
    expect(chooseKeeper([tagged, bare(original)]).reason).toMatch(/^no clear original/);
    // Against an EXIF block no editor wrote, the program's is a trace of editing.
    const plain = { ...bare(original), exif: { orientation: 1 } };
    expect(chooseKeeper([tagged, plain]).reason).toBe("its EXIF shows no edit; the other's does (written by Tagger)");
  });

  it('with nothing to tell two copies apart, says there is no clear original and lets the rule order decide', () => {
    const recoloured = copy({ size: 1_200_000 }, { jpegQuality: 80 });
    expect(chooseKeeper([recoloured, bare(original)])).toEqual({ index: 1, reason: 'no clear original; smallest file: 1.0 MB vs 1.2 MB' });
    expect(chooseKeeper([bare(original), copy({ path: '/photos/old/b.jpg' }, { jpegQuality: 80 })])).toEqual({ index: 0, reason: 'no clear original; shortest path: 13 vs 17 characters' });
  });

  it('explains the choice against a different copy, not against the keeper\'s own bytes', () => {
    const same = { ...original, path: '/photos/zz/a.jpg' };
    const small = copy({ width: 1000, height: 750 });
    expect(chooseKeeper([same, small, original])).toEqual({ index: 2, reason: 'more of the photo: 2000×1500 vs 1000×750' });
    expect(chooseKeeper([same, original])).toEqual({ index: 1, reason: 'identical copies; shortest path: 13 vs 16 characters' });
  });

  it('with three or more copies, prefers the one closest to all others', () => {
    const [a, b, c] = [bare(original), copy({ path: '/p/b.jpg', centrality: 0.8 }, { jpegQuality: 80 }), copy({ path: '/p/c.jpg', centrality: 0.81 }, { jpegQuality: 80 })];
    expect(chooseKeeper([b, c, { ...a, centrality: 0.9 }])).toEqual({ index: 2, reason: 'closest to the other copies (mean similarity 0.90 vs 0.81): they look derived from it' });
  });

  it('earliest date taken, then earliest modification', () => {
    const shifted = copy({ exif: { ...canon, dateTaken: '2023-01-01T10:00:00' }, dateTaken: '2023-01-01T10:00:00' }, { jpegQuality: 80 });
    expect(chooseKeeper([shifted, original]).reason).toBe('earliest date taken: 2020-01-01T10:00:00 vs 2023-01-01T10:00:00');
    const older = copy({ mtimeMs: Date.UTC(2019, 0, 1) }, { jpegQuality: 80 });
    expect(chooseKeeper([{ ...bare(original), mtimeMs: Date.UTC(2022, 0, 1) }, older])).toEqual({ index: 1, reason: 'no clear original; modified earlier: 2019-01-01 00:00 vs 2022-01-01 00:00' });
  });
});

describe('chooseKeeper: aligned copies (the verifier\'s transform)', () => {
  const photo = bare(original);
  it('a photo inside a bigger image (a screenshot) is no smaller photo: other evidence decides', () => {
    const screenshot = copy({ format: 'png', width: 2560, height: 1600, size: 3_000_000 }, { jpegQuality: undefined });
    // The photo fills 2200×1650 of the screenshot at (180, 0): shown larger, chrome around it.
    const photoInShot: Affine = [2200 / 2560, 0, 0, 1600 / 1600, 180 / 2560, 0];
    const alignment = (x: number, y: number) => (x === 0 && y === 1 ? { mirrored: false, matrix: photoInShot } : x === 1 && y === 0 ? invertPairTransform({ mirrored: false, matrix: photoInShot }) : undefined);
    expect(chooseKeeper([screenshot, photo], {}, alignment)).toEqual({ index: 1, reason: 'JPEG as a camera writes it; the PNG holds no more than the JPEG it was likely made from' });
    // Without the alignment the screenshot's pixels speak for it.
    expect(chooseKeeper([screenshot, photo])).toEqual({ index: 0, reason: 'more of the photo: 2560×1600 vs 2000×1500' });
  });
});

describe('chooseKeeper: the person\'s rules', () => {
  it('keeps a file in a protected folder above every rule', () => {
    const choice = chooseKeeper([original, copy({ path: '/archive/b.jpg', width: 100, height: 100 })], { protectedFolders: ['/archive'] });
    expect(choice).toEqual({ index: 1, reason: 'in a protected folder' });
  });

  it('matches folders on whole path segments', () => {
    expect(chooseKeeper([original, copy({ path: '/archive-old/b.jpg', width: 100, height: 100 })], { protectedFolders: ['/archive'] }).index).toBe(0);
  });

  it('applies the rules in the person\'s order, and skips the ones switched off', () => {
    const q40 = copy({ size: 300_000 }, { jpegQuality: 40 });
    expect(chooseKeeper([bare(original), q40]).reason).toBe('higher JPEG quality: 80 vs 40');
    const sizeFirst = { keeperRules: [{ id: 'size' as const, enabled: true }, ...DEFAULT_KEEPER_RULES.filter((r) => r.id !== 'size')] };
    expect(chooseKeeper([bare(original), q40], sizeFirst)).toEqual({ index: 1, reason: 'smallest file: 300.0 KB vs 1000.0 KB' });
    const noEncoding = { keeperRules: DEFAULT_KEEPER_RULES.map((r) => ({ ...r, enabled: r.id !== 'encoding' })) };
    expect(chooseKeeper([bare(original), q40], noEncoding).reason).toBe('no clear original; smallest file: 300.0 KB vs 1000.0 KB');
  });

  it('puts less-preferred folders last among equals', () => {
    const choice = chooseKeeper([{ ...bare(original), path: '/photos/Downloads/a.jpg' }, copy({ path: '/photos/Trips/a.jpg' }, { jpegQuality: 80 })], { lessPreferredFolders: ['/photos/Downloads'] });
    expect(choice).toEqual({ index: 1, reason: 'no clear original; not in a less-preferred folder' });
  });

  it('prefers the file other names lead to', () => {
    const choice = chooseKeeper([bare(original), copy({ path: '/photos/Originals/2019/b.jpg', otherNames: ['/photos/b.jpg'] }, { jpegQuality: 80 })]);
    expect(choice.index).toBe(1);
    expect(choice.reason).toMatch(/other names lead to this file \(1\)/);
  });
});

describe('normaliseKeeperRules', () => {
  it('drops unknown and repeated rules and appends the ones an older order lacks', () => {
    const rules = normaliseKeeperRules([{ id: 'size', enabled: false }, { id: 'bogus' }, { id: 'size', enabled: true }, { id: 'content' }]);
    expect(rules.slice(0, 2)).toEqual([{ id: 'size', enabled: false }, { id: 'content', enabled: true }]);
    expect(rules.map((r) => r.id).sort()).toEqual(DEFAULT_KEEPER_RULES.map((r) => r.id).sort());
  });

  it('puts a rule an older order lacks right after the rule it follows by default', () => {
    // An order saved before 'sidecars' existed, with 'camera' moved down and switched off.
    const older = (['content', 'encoding', 'edits', 'camera', 'central', 'date-taken', 'modified', 'folders', 'linked', 'size'] as const).map((id) => ({ id, enabled: id !== 'camera' }));
    const rules = normaliseKeeperRules(older);
    expect(rules.map((r) => r.id)).toEqual(['content', 'encoding', 'edits', 'camera', 'sidecars', 'central', 'date-taken', 'modified', 'folders', 'linked', 'size']);
    expect(rules.find((r) => r.id === 'sidecars')!.enabled).toBe(true);
    expect(normaliseKeeperRules([]).map((r) => r.id)).toEqual(DEFAULT_KEEPER_RULES.map((r) => r.id));
  });
});

describe('isAbsolutePath', () => {
  it('takes full paths of every OS and refuses relative ones (main refuses them in protected folders)', () => {
    for (const path of ['/', '/home/me/Originals', 'C:\\Photos', 'c:/Photos', '\\\\nas\\share']) expect(isAbsolutePath(path)).toBe(true);
    for (const path of ['', 'Originals', './Originals', '../x', 'C:Photos', '~/Photos']) expect(isAbsolutePath(path)).toBe(false);
  });
});
