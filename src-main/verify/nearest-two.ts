// Each of a's ORB descriptors against all of b's: the nearest and second-nearest by Hamming
// distance, in WebAssembly SIMD (i8x16.popcnt over two 128-bit halves a descriptor), about
// four times faster than the same loop in JavaScript on 32-bit words. The module is small enough
// to write out by hand: its instructions are listed beside their bytes below.

/** ORB's binary descriptor, 256 bits: two v128 loads. */
export const DESCRIPTOR_BYTES = 32;
/** Above any Hamming distance of 256 bits: "none yet". */
const NONE = 1000;

const SIMD = 0xfd;
const [LOCAL_GET, LOCAL_SET, LOCAL_TEE] = [0x20, 0x21, 0x22];
const [I32_CONST, I32_ADD, I32_MUL, I32_SHL, I32_LT_U, I32_GE_U, I32_STORE] = [0x41, 0x6a, 0x6c, 0x74, 0x49, 0x4f, 0x36];
const [BLOCK, LOOP, IF, ELSE, END, BR, BR_IF, VOID] = [0x02, 0x03, 0x04, 0x05, 0x0b, 0x0c, 0x0d, 0x40];
const V128_LOAD = (offset: number) => [SIMD, 0x00, 4, offset];
const [V128_XOR, I8X16_POPCNT, I8X16_ADD, I16X8_EXTADD_PAIRWISE_U, I32X4_EXTADD_PAIRWISE_U] = [[SIMD, 0x51], [SIMD, 0x62], [SIMD, 0x6e], [SIMD, 0x7d], [SIMD, 0x7f]];
const I32X4_EXTRACT_LANE = (lane: number) => [SIMD, 0x1b, lane];

// Parameters: 0 na, 1 nb, 2 where b's descriptors start, 3 where the answers go (a's start at 0).
// Locals: 4 q, 5 q's address, 6 t, 7 t's address, 8 best, 9 second, 10 best's index, 11 d;
// v128: 12 and 13 the query's halves, 14 the lane sums.
const [NA, NB, B, OUT, Q, QA, T, TB, BEST, SECOND, BEST_T, D, V0, V1, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
const get = (local: number) => [LOCAL_GET, local];
const set = (local: number) => [LOCAL_SET, local];
const constant = (value: number) => [I32_CONST, ...signedLeb(value)];

const BODY = [
  [BLOCK, VOID, LOOP, VOID],
  [...get(Q), ...get(NA), I32_GE_U, BR_IF, 1], // all queries done
  [...get(Q), ...constant(5), I32_SHL, ...set(QA)],
  [...get(QA), ...V128_LOAD(0), ...set(V0), ...get(QA), ...V128_LOAD(16), ...set(V1)],
  [...constant(NONE), ...set(BEST), ...constant(NONE), ...set(SECOND), ...constant(-1), ...set(BEST_T), ...constant(0), ...set(T), ...get(B), ...set(TB)],
  [BLOCK, VOID, LOOP, VOID],
  [...get(T), ...get(NB), I32_GE_U, BR_IF, 1], // all of b tried
  // d = popcount(q ^ t), both halves, summed across lanes
  [...get(V0), ...get(TB), ...V128_LOAD(0), ...V128_XOR, ...I8X16_POPCNT, ...get(V1), ...get(TB), ...V128_LOAD(16), ...V128_XOR, ...I8X16_POPCNT, ...I8X16_ADD],
  [...I16X8_EXTADD_PAIRWISE_U, ...I32X4_EXTADD_PAIRWISE_U, LOCAL_TEE, X, ...I32X4_EXTRACT_LANE(0)],
  [...get(X), ...I32X4_EXTRACT_LANE(1), I32_ADD, ...get(X), ...I32X4_EXTRACT_LANE(2), I32_ADD, ...get(X), ...I32X4_EXTRACT_LANE(3), I32_ADD, LOCAL_TEE, D],
  // the first found wins a tie, as in OpenCV's knnMatch
  [...get(BEST), I32_LT_U, IF, VOID, ...get(BEST), ...set(SECOND), ...get(D), ...set(BEST), ...get(T), ...set(BEST_T)],
  [ELSE, ...get(D), ...get(SECOND), I32_LT_U, IF, VOID, ...get(D), ...set(SECOND), END, END],
  [...get(T), ...constant(1), I32_ADD, ...set(T), ...get(TB), ...constant(DESCRIPTOR_BYTES), I32_ADD, ...set(TB), BR, 0, END, END],
  // answers[q] = [best's index, best, second]
  [...get(OUT), ...get(Q), ...constant(12), I32_MUL, I32_ADD, ...set(QA)],
  [...get(QA), ...get(BEST_T), I32_STORE, 2, 0, ...get(QA), ...get(BEST), I32_STORE, 2, 4, ...get(QA), ...get(SECOND), I32_STORE, 2, 8],
  [...get(Q), ...constant(1), I32_ADD, ...set(Q), BR, 0, END, END],
].flat();

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    const byte = value & 0x7f;
    value >>>= 7;
    bytes.push(value === 0 ? byte : byte | 0x80);
  } while (value !== 0);
  return bytes;
}

const section = (id: number, content: number[]) => [id, ...unsignedLeb(content.length), ...content];
const name = (text: string) => [text.length, ...Buffer.from(text, 'latin1')];
const I32 = 0x7f;
const V128 = 0x7b;

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const locals = [2, 8, I32, 3, V128];
  const body = [...locals, ...BODY, END];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 4, I32, I32, I32, I32, 0]), // type: (i32 × 4) → ()
    ...section(3, [1, 0]), // one function of that type
    ...section(5, [1, 0, 1]), // one memory, 1 page to start
    ...section(7, [2, ...name('nearest'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...unsignedLeb(body.length), ...body]),
  ]);
}

interface Instance {
  nearest: (na: number, nb: number, b: number, out: number) => void;
  memory: WebAssembly.Memory;
}

let instance: Instance | undefined;

function load(): Instance {
  if (!instance) {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()));
    instance = exports as unknown as Instance;
  }
  return instance;
}

/** For each of a's descriptors, [index in b of the nearest, its distance, the second-nearest's
 *  distance] at 3q, 3q + 1 and 3q + 2. Both hold whole 32-byte descriptors; b at least two. */
export function nearestTwo(a: Uint8Array, b: Uint8Array): Int32Array {
  const { nearest, memory } = load();
  const [na, nb] = [a.length / DESCRIPTOR_BYTES, b.length / DESCRIPTOR_BYTES];
  const out = a.length + b.length;
  const needed = out + 12 * na;
  if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
  const bytes = new Uint8Array(memory.buffer);
  bytes.set(a, 0);
  bytes.set(b, a.length);
  nearest(na, nb, a.length, out);
  return new Int32Array(memory.buffer.slice(out, needed));
}
