import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src-core/verify/pair-transform';
import { loadGrey, MATCH_SCORE, verifyPair, type GreyImage } from './verify-pair';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORIGINALS = resolve(ROOT, '../shared/bench-data/originals');
const photo = (name: string) => resolve(ORIGINALS, `${name}.jpg`);

// kphotoalbum demo photos (GPL-2+) and scikit-image's coffee (public domain); see
// bench-data/originals/SOURCES.json.
const PHOTOS = ['kpa_bar55', 'skimage_coffee'];

const jpeg = (image: Sharp) => image.jpeg({ quality: 90 }).toBuffer();

/** Edited copies as a person or an app makes them, with what the fit should find. */
async function copies(path: string): Promise<Array<{ edit: string; bytes: Buffer; expect: { mirrored: boolean; rotationDeg: number; scale: number } }>> {
  const { data, info } = await sharp(path, { autoOrient: true }).toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const inner = (w: number, h: number, share: number, dx = 0.5, dy = 0.5) => ({ left: Math.round((w - w * share) * dx), top: Math.round((h - h * share) * dy), width: Math.round(w * share), height: Math.round(h * share) });
  const rotated = await sharp(data).rotate(3, { background: '#000' }).toBuffer({ resolveWithObject: true });
  // A logo in the top-left corner: shapes only (text would need system fonts).
  const logoSide = Math.round(width * 0.18);
  const logo = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${logoSide}" height="${logoSide}"><rect width="100%" height="100%" rx="12" fill="#1565c0"/><circle cx="50%" cy="50%" r="30%" fill="#fff"/></svg>`);
  return [
    { edit: 'cropped 15 % off-centre', bytes: await jpeg(sharp(data).extract(inner(width, height, 0.85, 0.2, 0.7))), expect: { mirrored: false, rotationDeg: 0, scale: 0.85 } },
    { edit: 'rotated 3° and cropped to the inner rectangle', bytes: await jpeg(sharp(rotated.data).extract(inner(rotated.info.width, rotated.info.height, 0.8))), expect: { mirrored: false, rotationDeg: -3, scale: (0.8 * rotated.info.width) / width } },
    { edit: 'mirrored', bytes: await jpeg(sharp(data).flop()), expect: { mirrored: true, rotationDeg: 0, scale: 1 } },
    { edit: 'greyscale and brightened', bytes: await jpeg(sharp(data).greyscale().modulate({ brightness: 1.3 })), expect: { mirrored: false, rotationDeg: 0, scale: 1 } },
    { edit: 'logo overlaid', bytes: await jpeg(sharp(data).composite([{ input: logo, left: Math.round(width * 0.03), top: Math.round(width * 0.03) }])), expect: { mirrored: false, rotationDeg: 0, scale: 1 } },
    { edit: 'turned a quarter clockwise', bytes: await jpeg(sharp(data).rotate(90)), expect: { mirrored: false, rotationDeg: -90, scale: 1 } },
  ];
}

describe('verifyPair', () => {
  const originals = new Map<string, GreyImage>();

  beforeAll(async () => {
    for (const name of [...PHOTOS, 'kpa_donna', 'skimage_chelsea', 'mate_Garden']) originals.set(name, await loadGrey(photo(name)));
  });

  it.each(PHOTOS)('matches edited copies of %s and recovers the edit', async (name) => {
    for (const copy of await copies(photo(name))) {
      const v = await verifyPair(originals.get(name)!, await loadGrey(copy.bytes));
      const context = `${name}, ${copy.edit}: ${JSON.stringify(v)}`;
      expect(v.match, context).toBe(true);
      expect(v.score, context).toBeGreaterThanOrEqual(MATCH_SCORE);
      expect(v.mirrored, context).toBe(copy.expect.mirrored);
      expect(Math.abs(v.rotationDeg - copy.expect.rotationDeg), context).toBeLessThan(0.75);
      expect(Math.abs(v.scale / copy.expect.scale - 1), context).toBeLessThan(0.03);
      expect(v.overlap, context).toBeGreaterThan(0.95);
      expect(v.inliers, context).toBeGreaterThanOrEqual(30);
    }
  });

  it('reports where the copy lies in the original, in fractions of each image, for a crop, a border, a resize, a mirror and a quarter turn', async () => {
    const { data, info } = await sharp(photo('kpa_bar55'), { autoOrient: true }).toBuffer({ resolveWithObject: true });
    const { width: W, height: H } = info;
    const crop = { left: Math.round(W * 0.3), top: Math.round(H * 0.1), width: Math.round(W * 0.6), height: Math.round(H * 0.7) };
    const border = 60;
    const [BW, BH] = [W + 2 * border, H + 3 * border];
    // Each copy with points of it (normalised) and where they are in the original.
    const cases: Array<{ edit: string; bytes: Buffer; points: Array<[[number, number], [number, number]]> }> = [
      {
        edit: 'cropped off-centre',
        bytes: await jpeg(sharp(data).extract(crop)),
        points: [
          [[0, 0], [crop.left / W, crop.top / H]],
          [[1, 1], [(crop.left + crop.width) / W, (crop.top + crop.height) / H]],
          [[0.25, 0.75], [(crop.left + 0.25 * crop.width) / W, (crop.top + 0.75 * crop.height) / H]],
        ],
      },
      {
        // Uneven: 60 px at the top, 120 at the bottom.
        edit: 'bordered in white',
        bytes: await jpeg(sharp(data).extend({ top: border, bottom: 2 * border, left: border, right: border, background: '#fff' })),
        points: [
          [[border / BW, border / BH], [0, 0]],
          [[(border + W) / BW, (border + H) / BH], [1, 1]],
        ],
      },
      {
        edit: 'resized to half',
        bytes: await jpeg(sharp(data).resize({ width: Math.round(W / 2) })),
        points: [
          [[0, 0], [0, 0]],
          [[0.3, 0.6], [0.3, 0.6]],
          [[1, 1], [1, 1]],
        ],
      },
      {
        edit: 'mirrored',
        bytes: await jpeg(sharp(data).flop()),
        points: [
          [[0.1, 0.2], [0.9, 0.2]],
          [[0.7, 0.9], [0.3, 0.9]],
        ],
      },
      {
        // Turned clockwise: the copy's top-left corner was the original's bottom-left.
        edit: 'turned a quarter clockwise',
        bytes: await jpeg(sharp(data).rotate(90)),
        points: [
          [[0, 0], [0, 1]],
          [[1, 0], [0, 0]],
          [[0.5, 0.25], [0.25, 0.5]],
        ],
      },
    ];
    for (const copy of cases) {
      const v = await verifyPair(originals.get('kpa_bar55')!, await loadGrey(copy.bytes));
      const context = `${copy.edit}: ${JSON.stringify(v)}`;
      expect(v.match, context).toBe(true);
      expect(v.transform?.mirrored, context).toBe(copy.edit === 'mirrored');
      for (const [[x, y], [ex, ey]] of copy.points) {
        const [ax, ay] = apply(v.transform!.matrix, x, y);
        // A pixel of the 320 px images the verifier aligns is 0.3 % of the width. A quarter
        // turn swaps x and y, so keypoints from coarser pyramid levels placed half a level
        // pixel off would shift it by ~0.7 px: within half a pixel, they are placed right.
        const tolerance = copy.edit === 'turned a quarter clockwise' ? 0.5 / 320 : 0.01;
        expect(Math.abs(ax - ex), `${context} x at (${x}, ${y})`).toBeLessThan(tolerance);
        expect(Math.abs(ay - ey), `${context} y at (${x}, ${y})`).toBeLessThan(tolerance);
      }
    }
  });

  it('reports no transform for photos it refuses', async () => {
    const v = await verifyPair(originals.get('kpa_bar55')!, originals.get('skimage_coffee')!);
    expect(v.match).toBe(false);
    expect(v.transform).toBeUndefined();
  });

  it.each([
    ['kpa_bar55', 'kpa_bar55_2'],
    ['kpa_donna', 'kpa_donna_2'],
    ['kpa_jesper', 'kpa_jesper_2'],
    ['kpa_pool', 'kpa_pool_2'],
    ['kpa_spiff', 'kpa_spiff_2'],
  ])('refuses %s vs %s: another shot of the same scene', async (a, b) => {
    const v = await verifyPair(await loadGrey(photo(a)), await loadGrey(photo(b)));
    expect(v.match, JSON.stringify(v)).toBe(false);
    expect(v.score).toBeLessThan(MATCH_SCORE);
  });

  it('refuses a shot whose subject moved while the rest lines up exactly', async () => {
    // A quarter of the frame around the centre replaced by the scene a tenth of the width to
    // the side: the keypoints outside align perfectly, only the photometric check can refuse.
    const { data, info } = await sharp(photo('kpa_bar55'), { autoOrient: true }).toBuffer({ resolveWithObject: true });
    const [w, h] = [Math.round(info.width * 0.4), Math.round(info.height * 0.6)];
    const [left, top] = [Math.round((info.width - w) / 2), Math.round((info.height - h) / 2)];
    const patch = await sharp(data).extract({ left: left + Math.round(info.width * 0.1), top, width: w, height: h }).toBuffer();
    const moved = await loadGrey(await jpeg(sharp(data).composite([{ input: patch, left, top }])));
    const v = await verifyPair(originals.get('kpa_bar55')!, moved);
    expect(v.inliers, JSON.stringify(v)).toBeGreaterThanOrEqual(30);
    expect(v.match, JSON.stringify(v)).toBe(false);
  });

  it('refuses unrelated photos, mirrored or not', async () => {
    const names = [...originals.keys()];
    for (const [i, a] of names.entries()) {
      for (const b of names.slice(i + 1)) {
        const v = await verifyPair(originals.get(a)!, originals.get(b)!);
        expect(v.match, `${a} vs ${b}: ${JSON.stringify(v)}`).toBe(false);
      }
    }
  });

  it('reports a photo beside another in a collage as contained, not a match; the same photo in the chrome of a screenshot is a match', async () => {
    const names = ['kpa_bar55', 'skimage_coffee'];
    const [tileW, tileH, seam] = [600, 400, 12];
    const tiles = await Promise.all(names.map((n) => sharp(photo(n), { autoOrient: true }).resize(tileW, tileH, { fit: 'cover' }).toBuffer()));
    const collage = await sharp({ create: { width: 2 * tileW + 3 * seam, height: tileH + 2 * seam, channels: 3, background: '#fff' } })
      .composite(tiles.map((input, k) => ({ input, left: seam + k * (tileW + seam), top: seam })))
      .jpeg({ quality: 90 })
      .toBuffer();
    const tile = await loadGrey(await jpeg(sharp(tiles[1]!)));
    const inCollage = await verifyPair(await loadGrey(collage), tile);
    expect(inCollage, JSON.stringify(inCollage)).toMatchObject({ match: false, contains: 'a' });
    expect((await verifyPair(tile, await loadGrey(collage))).contains).toBe('b');
    // The same photo at the same share of a dark app window with a side panel of list rows.
    const [W, H] = [1280, 800];
    const rows = Array.from({ length: 12 }, (_, k) => `<rect x="16" y="${50 + k * 34}" width="${120 + ((k * 37) % 70)}" height="12" rx="3" fill="#b8b8b8"/>`).join('');
    const chrome = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#1e1e1e"/><rect width="${W}" height="30" fill="#323232"/><rect y="30" width="220" height="${H - 30}" fill="#ececec"/>${rows}</svg>`);
    const screenshot = await sharp(chrome).composite([{ input: tiles[1]!, left: 400, top: 200 }]).png().toBuffer();
    const inWindow = await verifyPair(await loadGrey(screenshot), tile);
    expect(inWindow, JSON.stringify(inWindow)).toMatchObject({ match: true });
    expect(inWindow.contains).toBeUndefined();
  });

  it('refuses a flat grey image against anything without throwing', async () => {
    const flat = await loadGrey(await sharp({ create: { width: 640, height: 480, channels: 3, background: '#808080' } }).png().toBuffer());
    for (const other of [flat, originals.get('skimage_coffee')!]) {
      for (const [a, b] of [[flat, other], [other, flat]] as const) {
        const v = await verifyPair(a, b);
        expect(v).toMatchObject({ match: false, inliers: 0, agreement: 0 });
        expect(v.score).toBe(0);
      }
    }
  });
});

describe('loadGrey', () => {
  it('gives one byte per pixel, the long side scaled to 320 (or as asked), EXIF orientation applied', async () => {
    // 600×400 stored, tagged "rotate 90° clockwise to display": shown as 400×600.
    const tagged = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#369' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const grey = await loadGrey(tagged);
    expect([grey.width, grey.height]).toEqual([213, 320]);
    expect(grey.data.length).toBe(213 * 320);
    const small = await loadGrey(tagged, 256);
    expect([small.width, small.height]).toEqual([171, 256]);
  });

  it('scales small images up so both images of a pair show the scene at one size', async () => {
    const tiny = await sharp(photo('skimage_coffee')).resize(100).png().toBuffer();
    const grey = await loadGrey(tiny);
    expect(Math.max(grey.width, grey.height)).toBe(320);
  });
});
