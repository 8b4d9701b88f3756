// Content rectangles on real photos composed with sharp the way screenshots, caption bars and
// collages are made, decoded the way the product hashes them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { contentRects, MAX_CONTENT_RECTS, type Rect } from '../../src-core/hash/content-rects';
import { hammingHex } from '../../src-core/hash/hamming';
import { perceptualHashes } from '../../src-core/hash/perceptual';
import { decodeImage } from './decode';

const ORIGINALS = join(__dirname, '../../../shared/bench-data/originals');
const photo = (name: string) => readFileSync(join(ORIGINALS, name));

/** `rect` of a `decoded`-sized image as fractions, against `truth` in a `width`×`height` image. */
function worstSideError(rect: Rect, decoded: { width: number; height: number }, truth: { left: number; top: number; width: number; height: number }, width: number, height: number): number {
  const [l, t, w, h] = [rect[0] / decoded.width, rect[1] / decoded.height, rect[2] / decoded.width, rect[3] / decoded.height];
  const [tl, tt, tw, th] = [truth.left / width, truth.top / height, truth.width / width, truth.height / height];
  return Math.max(Math.abs(l - tl), Math.abs(t - tt), Math.abs(l + w - tl - tw), Math.abs(t + h - tt - th));
}

async function decodedRects(png: Buffer) {
  const decoded = await decodeImage(png, 'product');
  return { pixels: decoded.pixels, rects: contentRects(decoded.pixels) };
}

describe('contentRects', () => {
  it('finds the photo inside an app window (title bar, side panel of rows, dark viewer)', async () => {
    const [W, H] = [1280, 800];
    const rows = Array.from({ length: 12 }, (_, k) => `<rect x="16" y="${50 + k * 34}" width="${120 + ((k * 37) % 70)}" height="12" rx="3" fill="#b8b8b8"/>`).join('');
    const chrome = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#1e1e1e"/>` +
        `<rect width="${W}" height="30" fill="#323232"/><circle cx="18" cy="15" r="6" fill="#ff5f57"/><rect y="30" width="220" height="${H - 30}" fill="#ececec"/>${rows}</svg>`,
    );
    const inner = await sharp(photo('kpa_bar55.jpg')).resize(900, 600, { fit: 'inside' }).toBuffer({ resolveWithObject: true });
    const truth = { left: 300, top: 110, width: inner.info.width, height: inner.info.height };
    const screenshot = await sharp(chrome).composite([{ input: inner.data, left: truth.left, top: truth.top }]).png().toBuffer();
    const { pixels, rects } = await decodedRects(screenshot);
    const errors = rects.map((r) => worstSideError(r, pixels, truth, W, H));
    expect(Math.min(...errors)).toBeLessThan(0.02);
    // The point of it: the rectangle's PDQ is near the photo's own (unrelated photos are ~128 bits apart).
    const own = perceptualHashes((await decodeImage(photo('kpa_bar55.jpg'), 'product')).pixels, 'product').pdq;
    const content = perceptualHashes(pixels, 'product').pdqContent!;
    expect(Math.min(...content.map((h) => hammingHex(h, own)))).toBeLessThan(48);
  });

  it('finds the photo above a caption bar', async () => {
    const inner = await sharp(photo('kpa_blackie.jpg')).resize(800).toBuffer({ resolveWithObject: true });
    const bar = 140;
    const [W, H] = [inner.info.width, inner.info.height + bar];
    const caption = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${bar}"><rect width="${W}" height="${bar}" fill="#ffffff"/><text x="30" y="80" font-size="40" fill="#000">Summer 2019, by the lake</text></svg>`);
    const captioned = await sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } })
      .composite([{ input: inner.data, left: 0, top: 0 }, { input: await sharp(caption).png().toBuffer(), left: 0, top: inner.info.height }])
      .png()
      .toBuffer();
    const { pixels, rects } = await decodedRects(captioned);
    const truth = { left: 0, top: 0, width: inner.info.width, height: inner.info.height };
    expect(Math.min(...rects.map((r) => worstSideError(r, pixels, truth, W, H)))).toBeLessThan(0.02);
  });

  it('finds the four tiles of a collage split by white seams', async () => {
    const names = ['kpa_bar55.jpg', 'kpa_blackie.jpg', 'kpa_anne_helene.jpg', 'kpa_bar55_2.jpg'];
    const [tileW, tileH, seam] = [600, 400, 12];
    const tiles = await Promise.all(names.map((n) => sharp(photo(n)).resize(tileW, tileH, { fit: 'cover' }).toBuffer()));
    const [W, H] = [2 * tileW + 3 * seam, 2 * tileH + 3 * seam];
    const places = tiles.map((_, k) => ({ left: seam + (k % 2) * (tileW + seam), top: seam + Math.floor(k / 2) * (tileH + seam), width: tileW, height: tileH }));
    const collage = await sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } })
      .composite(tiles.map((input, k) => ({ input, left: places[k]!.left, top: places[k]!.top })))
      .png()
      .toBuffer();
    const { pixels, rects } = await decodedRects(collage);
    expect(rects.length).toBeLessThanOrEqual(MAX_CONTENT_RECTS);
    for (const truth of places) expect(Math.min(...rects.map((r) => worstSideError(r, pixels, truth, W, H)))).toBeLessThan(0.02);
  });

  it('finds nothing covering most of an ordinary photo (its own hashes cover it)', async () => {
    const { pixels, rects } = await decodedRects(photo('kpa_anne_helene.jpg'));
    for (const [, , w, h] of rects) expect(w * h).toBeLessThanOrEqual(0.9 * pixels.width * pixels.height);
  });
});
