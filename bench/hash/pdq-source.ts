// What product-mode PDQ costs and how far it lands from the reference, against the decode it
// replaced (issue 18), in one process with the two taking turns pass by pass. Prints a Markdown
// table. Usage: tsx bench/hash/pdq-source.ts [--runs N] FILE...
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { hammingHex } from '../../src-core/hash/hamming';
import type { PixelImage } from '../../src-core/hash/image';
import { pdqHash, referenceSquash512 } from '../../src-core/hash/pdq';
import { pdqHashFast } from '../../src-core/hash/pdq-fast';
import { decodeImage, PRODUCT_MAX_SIDE } from '../../src-main/hash/decode';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '5' } } });
const images = positionals.map((path) => ({ path, bytes: readFileSync(path) }));

/** Before: one shrink-on-load decode straight to the 384 px square, PDQ sampled from it. */
async function before(bytes: Buffer): Promise<string> {
  const meta = await sharp(bytes).metadata();
  let pipeline = sharp(bytes, { autoOrient: true });
  const [width, height] = (meta.orientation ?? 1) >= 5 ? [meta.height!, meta.width!] : [meta.width!, meta.height!];
  if (width > PRODUCT_MAX_SIDE || height > PRODUCT_MAX_SIDE) pipeline = pipeline.resize({ width: PRODUCT_MAX_SIDE, height: PRODUCT_MAX_SIDE, fit: 'fill', kernel: 'linear' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return pdqHashFast({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels }).hash;
}

/** Now: the product decode (PDQ source at ≥ 512 px plus the 384 px square), PDQ squashed as the reference does. */
async function now(bytes: Buffer): Promise<string> {
  const decoded = await decodeImage(bytes, 'product');
  return pdqHashFast(referenceSquash512(decoded.pdqSource as PixelImage)).hash;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const variants = { 'before: 384 px decode, PDQ from it': before, 'now: ≥ 512 px decode squashed as the reference + 384 px square': now };
const seconds = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
for (let run = 0; run < Number(values.runs); run++) {
  for (const [name, hash] of Object.entries(variants)) {
    const started = performance.now();
    for (const { bytes } of images) await hash(bytes);
    seconds.get(name)!.push((performance.now() - started) / 1000);
  }
}

// Distances to the reference (reference mode's decode and bit-exact PDQ), photos of quality ≥ 50.
const distances = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
for (const { bytes } of images) {
  const reference = pdqHash(referenceSquash512((await decodeImage(bytes, 'reference')).pixels));
  if (reference.quality < 50) continue;
  for (const [name, hash] of Object.entries(variants)) distances.get(name)!.push(hammingHex(await hash(bytes), reference.hash));
}

console.log(`PDQ source: decode + PDQ of ${images.length} files, median of ${values.runs} passes, the variants taking turns\n`);
console.log('| decode for PDQ | ms per file (median pass) | bits from the reference: median | max | photos |');
console.log('|---|---:|---:|---:|---:|');
for (const name of Object.keys(variants)) {
  const d = distances.get(name)!;
  console.log(`| ${name} | ${((median(seconds.get(name)!) * 1000) / images.length).toFixed(1)} | ${median(d)} | ${Math.max(...d)} | ${d.length} |`);
}
const [old, current] = Object.keys(variants).map((k) => median(seconds.get(k)!));
console.log(`\nnow/before: ${(current! / old!).toFixed(2)}× the time of the decode + PDQ step`);
