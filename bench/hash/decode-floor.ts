// The decode floor: the product decode alone (sharp, shrink-on-load, to the hashing size),
// sequentially in this one process. Prints {"seconds","files","maxRssBytes"} as JSON.
import { readFile } from 'node:fs/promises';
import { decodeImage } from '../../src-main/hash/decode';

const files = process.argv.slice(2);
const started = performance.now();
for (const file of files) await decodeImage(await readFile(file), 'product');
const seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify({ seconds, files: files.length, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
