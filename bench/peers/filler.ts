// Filler photos for the large peers folder: distinct synthetic images (a random gradient under
// random overlapping shapes, seeded), so the folder has scale without planting duplicates the
// truth does not know about. Camera-like sizes, most of them one size, as in a real library:
// dupeGuru compares all pairs of same-size images, and that is part of what is measured.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../../src-core/random';

const SIZES: ReadonlyArray<[number, number]> = [
  [1024, 768], [1024, 768], [1024, 768], [768, 1024], [800, 600],
];

/** Uniform in [0, 1) from src-core's mulberry32: the same seed gives the same folder. */
function random(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() / 4294967296;
}

function svgFor(index: number): { svg: string; width: number; height: number } {
  const next = random(0x9e3779b9 ^ index);
  const [width, height] = SIZES[Math.floor(next() * SIZES.length)]!;
  const colour = () => `rgb(${Math.floor(next() * 256)},${Math.floor(next() * 256)},${Math.floor(next() * 256)})`;
  const shapes: string[] = [];
  // Large shapes, many of them: the layout, not the gradient, decides every hash.
  const count = 14 + Math.floor(next() * 14);
  for (let s = 0; s < count; s++) {
    const x = next() * width;
    const y = next() * height;
    const rx = (0.05 + next() * 0.35) * width;
    const ry = (0.05 + next() * 0.35) * height;
    const style = `fill="${colour()}" fill-opacity="${(0.5 + next() * 0.5).toFixed(2)}"`;
    shapes.push(next() < 0.5
      ? `<ellipse cx="${x.toFixed(0)}" cy="${y.toFixed(0)}" rx="${rx.toFixed(0)}" ry="${ry.toFixed(0)}" ${style}/>`
      : `<rect x="${(x - rx / 2).toFixed(0)}" y="${(y - ry / 2).toFixed(0)}" width="${rx.toFixed(0)}" height="${ry.toFixed(0)}" transform="rotate(${(next() * 90).toFixed(0)} ${x.toFixed(0)} ${y.toFixed(0)})" ${style}/>`);
  }
  const angle = next() * 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" gradientTransform="rotate(${angle.toFixed(0)} 0.5 0.5)"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
  return { svg, width, height };
}

/** Writes filler-00000.jpg … into `dir` (kept when already there), two at a time. */
export async function writeFiller(dir: string, count: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const names = Array.from({ length: count }, (_, i) => `filler-${String(i).padStart(5, '0')}.jpg`);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const path = join(dir, names[i]!);
      if (existsSync(path)) continue;
      const { svg } = svgFor(i);
      // Written aside then renamed: an interrupted run leaves no truncated photo behind.
      await sharp(Buffer.from(svg)).blur(0.8).jpeg({ quality: 85 }).toFile(`${path}.part`);
      renameSync(`${path}.part`, path);
      if ((i + 1) % 2000 === 0) process.stderr.write(`filler: ${i + 1}/${count}\n`);
    }
  };
  await Promise.all([worker(), worker()]);
  return names;
}
