// Fingerprints held compactly, for `doppel cluster --from` at a million records: as parsed, a
// fingerprint is ~2.5 KB of objects and hex strings (a 64-hex string alone takes ~80 bytes);
// here its hashes are 104 words in one shared Uint32Array and the object keeps only what the
// report reads (path, digest, sizes, EXIF, evidence). The hash fields are getters that write
// the hex when the grouping pipeline asks (it packs them once), so a record costs ~1 KB.
import { hexToWords32 } from './hash/hamming';
import { DIHEDRAL_NAMES } from './hash/pdq';
import { WINDOW_NAMES } from './hash/windows';
import type { DihedralHashes, Fingerprint } from './fingerprint';

const VARIANT_NAMES = DIHEDRAL_NAMES.filter((n) => n !== 'original') as Array<keyof DihedralHashes>;
const IMAGEHASHES = ['ahash', 'dhash', 'phash', 'whash'] as const;
const WINDOWS = WINDOW_NAMES.length;

// Word offsets of each hash in a record's slot.
const PDQ = 0;
const VARIANTS = PDQ + 8;
const WINDOW = VARIANTS + 8 * VARIANT_NAMES.length;
const IMAGEHASH = WINDOW + 8 * WINDOWS;
const EMBEDDING = IMAGEHASH + 2 * IMAGEHASHES.length;
const PIXELS = EMBEDDING + 8;
const WORDS = PIXELS + 8;

// Which optional hashes a record has (bits of `present`).
const HAS_VARIANTS = 1;
const HAS_WINDOWS = 2;
const HAS_EMBEDDING = 4;
const HAS_PIXELS = 8;
const HAS_IMAGEHASH = (k: number) => 16 << k;

const HASH_FIELDS = new Set<string>(['pdq', 'pdqDihedral', 'pdqWindows', 'embedding', 'pixelDigest', ...IMAGEHASHES]);
const ROW = Symbol('row');

function wordsHex(words: Uint32Array, from: number, count: number): string {
  let hex = '';
  for (let k = from; k < from + count; k++) hex += words[k]!.toString(16).padStart(8, '0');
  return hex;
}

export class CompactFingerprints {
  private words = new Uint32Array(WORDS * 1024);
  private present = new Uint8Array(1024);
  private count = 0;
  private readonly prototype: object;

  constructor() {
    const store = this;
    const hex = (row: number, at: number, count: number) => wordsHex(store.words, row * WORDS + at, count);
    const has = (row: number, bit: number) => (store.present[row]! & bit) !== 0;
    const properties: PropertyDescriptorMap = {
      pdq: { get(this: { [ROW]: number }) { return hex(this[ROW], PDQ, 8); } },
      pdqDihedral: {
        get(this: { [ROW]: number }) {
          const row = this[ROW];
          const at = (k: number) => (has(row, HAS_VARIANTS) ? VARIANTS + 8 * k : PDQ);
          return Object.fromEntries(VARIANT_NAMES.map((name, k) => [name, hex(row, at(k), 8)]));
        },
      },
      pdqWindows: { get(this: { [ROW]: number }) { return has(this[ROW], HAS_WINDOWS) ? Array.from({ length: WINDOWS }, (_, k) => hex(this[ROW], WINDOW + 8 * k, 8)) : undefined; } },
      embedding: { get(this: { [ROW]: number }) { return has(this[ROW], HAS_EMBEDDING) ? hex(this[ROW], EMBEDDING, 8) : undefined; } },
      pixelDigest: { get(this: { [ROW]: number }) { return has(this[ROW], HAS_PIXELS) ? hex(this[ROW], PIXELS, 8) : undefined; } },
    };
    IMAGEHASHES.forEach((name, k) => {
      properties[name] = { get(this: { [ROW]: number }) { return has(this[ROW], HAS_IMAGEHASH(k)) ? hex(this[ROW], IMAGEHASH + 2 * k, 2) : undefined; } };
    });
    this.prototype = Object.create(Object.prototype, properties);
  }

  get size(): number {
    return this.count;
  }

  /** A fingerprint equal to `f` field by field, its hashes kept here. Hashes must be lowercase
   *  hex (fingerprint-records.ts checks them); `f` is not kept. */
  add(f: Fingerprint): Fingerprint {
    const row = this.count++;
    this.grow();
    const base = row * WORDS;
    const put = (hex: string, at: number) => this.words.set(hexToWords32(hex), base + at);
    let present = 0;
    put(f.pdq, PDQ);
    const variants = f.pdqDihedral as DihedralHashes | undefined;
    if (variants && VARIANT_NAMES.some((name) => variants[name] !== f.pdq)) {
      VARIANT_NAMES.forEach((name, k) => put(variants[name], VARIANTS + 8 * k));
      present |= HAS_VARIANTS;
    }
    if (f.pdqWindows) {
      f.pdqWindows.forEach((h, k) => put(h, WINDOW + 8 * k));
      present |= HAS_WINDOWS;
    }
    IMAGEHASHES.forEach((name, k) => {
      if (f[name] === undefined) return;
      put(f[name], IMAGEHASH + 2 * k);
      present |= HAS_IMAGEHASH(k);
    });
    if (f.embedding) (put(f.embedding, EMBEDDING), (present |= HAS_EMBEDDING));
    if (f.pixelDigest) (put(f.pixelDigest, PIXELS), (present |= HAS_PIXELS));
    this.present[row] = present;
    const compact = Object.create(this.prototype) as Record<string | symbol, unknown>;
    compact[ROW] = row;
    for (const [key, value] of Object.entries(f)) if (!HASH_FIELDS.has(key)) compact[key] = value;
    return compact as unknown as Fingerprint;
  }

  private grow(): void {
    if (this.count <= this.present.length) return;
    const capacity = this.present.length * 2;
    const words = new Uint32Array(WORDS * capacity);
    words.set(this.words);
    const present = new Uint8Array(capacity);
    present.set(this.present);
    [this.words, this.present] = [words, present];
  }
}
