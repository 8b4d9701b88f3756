// Real edits people make, from a bench photo: a 15% crop, a straightened (3° rotated and
// cropped) copy, and another moment of the same scene from the same camera, plus an
// unrelated photo. Shared by the CLI test and the browser e2e.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { BENCH_ORIGINALS } from './helpers';

const SOURCE = join(BENCH_ORIGINALS, 'kpa_pool.jpg');
const CAMERA = { Make: 'OLYMPUS OPTICAL CO.,LTD', Model: 'C40Z,D40Z' };

/** The scene a moment later: the same frame with a third of it changed (people moved). */
async function anotherMoment(path: string): Promise<Buffer> {
  const image = sharp(path);
  const { width, height } = await image.metadata();
  const patch = await sharp(join(BENCH_ORIGINALS, 'kpa_spiff.jpg')).resize(Math.round(width! * 0.45), Math.round(height! * 0.7)).toBuffer();
  return image.composite([{ input: patch, left: Math.round(width! * 0.3), top: Math.round(height! * 0.2) }]).withExif({ IFD0: CAMERA, IFD2: { DateTimeOriginal: '2005:05:17 21:52:41' } }).jpeg({ quality: 90 }).toBuffer();
}

/** Writes pool.jpg, pool-crop.jpg, pool-straightened.jpg, pool-a-moment-later.jpg (4 s after
 *  pool.jpg, same camera) and garden.jpg into `dir`. */
export async function makeEditedCopies(dir: string): Promise<void> {
  const { width, height } = await sharp(SOURCE).metadata();
  const [w, h] = [width!, height!];
  await sharp(SOURCE).withExif({ IFD0: CAMERA, IFD2: { DateTimeOriginal: '2005:05:17 21:52:37' } }).jpeg({ quality: 95 }).toFile(join(dir, 'pool.jpg'));
  await sharp(SOURCE).extract({ left: Math.round(w * 0.1), top: Math.round(h * 0.04), width: Math.round(w * 0.85), height: Math.round(h * 0.85) }).jpeg({ quality: 90 }).toFile(join(dir, 'pool-crop.jpg'));
  // Straightened: rotated 3°, then cropped to the rectangle inside the rotated frame.
  const rotated = await sharp(SOURCE).rotate(3, { background: '#000' }).toBuffer({ resolveWithObject: true });
  const inset = Math.ceil(Math.max(w, h) * Math.sin((3 * Math.PI) / 180)) + 2;
  await sharp(rotated.data)
    .extract({ left: inset, top: inset, width: rotated.info.width - 2 * inset, height: rotated.info.height - 2 * inset })
    .jpeg({ quality: 90 })
    .toFile(join(dir, 'pool-straightened.jpg'));
  writeFileSync(join(dir, 'pool-a-moment-later.jpg'), await anotherMoment(SOURCE));
  await sharp(join(BENCH_ORIGINALS, 'mate_Garden.jpg')).jpeg({ quality: 90 }).toFile(join(dir, 'garden.jpg'));
}

