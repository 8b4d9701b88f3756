// OpenCV.js (WebAssembly), loaded once on first use, with a narrow type for the few calls the
// verifier makes: the package's own types (mirada) describe the C++ API, not what the JS
// build actually exposes (no estimateAffinePartial2D, no ORB constructor beyond 6 arguments).
import { createRequire } from 'node:module';

export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Uint8Array;
  delete(): void;
}

interface KeyPointVector {
  size(): number;
  get(i: number): { pt: { x: number; y: number }; octave: number };
  delete(): void;
}

interface DMatchVector {
  size(): number;
  get(i: number): { queryIdx: number; trainIdx: number; distance: number };
  delete(): void;
}

interface DMatchVectorVector {
  size(): number;
  get(i: number): DMatchVector;
  delete(): void;
}

interface Orb {
  detectAndCompute(image: Mat, mask: Mat, keypoints: KeyPointVector, descriptors: Mat): void;
  delete(): void;
}

interface BfMatcher {
  knnMatch(query: Mat, train: Mat, matches: DMatchVectorVector, k: number): void;
  delete(): void;
}

interface Clahe {
  apply(src: Mat, dst: Mat): void;
  delete(): void;
}

interface Size {
  width: number;
  height: number;
}

export interface OpenCv {
  Mat: { new (): Mat; new (rows: number, cols: number, type: number): Mat };
  matFromArray(rows: number, cols: number, type: number, values: ArrayLike<number>): Mat;
  KeyPointVector: new () => KeyPointVector;
  DMatchVectorVector: new () => DMatchVectorVector;
  /** nfeatures, scaleFactor, nlevels, edgeThreshold, firstLevel, WTA_K (a 7th argument, the
   *  score type, is an enum the JS build cannot construct). */
  ORB: new (nfeatures: number, scaleFactor?: number, nlevels?: number, edgeThreshold?: number, firstLevel?: number, wtaK?: number) => Orb;
  BFMatcher: new (normType: number, crossCheck: boolean) => BfMatcher;
  Size: new (width: number, height: number) => Size;
  CLAHE: new (clipLimit: number, tileGridSize: Size) => Clahe;
  GaussianBlur(src: Mat, dst: Mat, ksize: Size, sigmaX: number, sigmaY: number, borderType: number): void;
  warpAffine(src: Mat, dst: Mat, m: Mat, dsize: Size, flags: number, borderMode: number, borderValue: number[]): void;
  CV_8UC1: number;
  CV_64FC1: number;
  NORM_HAMMING: number;
  INTER_LINEAR: number;
  BORDER_CONSTANT: number;
  BORDER_REFLECT_101: number;
}

/** The Emscripten module object, as the package exports it. */
interface EmscriptenModule {
  then(callback: () => void): unknown;
}

/** Boxed: the module itself is a thenable that resolves to itself, so a promise of it never
 *  settles (each resolution calls its `then` again). */
export interface OpenCvBox {
  cv: OpenCv;
}

let ready: Promise<OpenCvBox> | undefined;

export function loadOpenCv(): Promise<OpenCvBox> {
  ready ??= init();
  return ready;
}

async function init(): Promise<OpenCvBox> {
  // In Node the Emscripten glue installs process-wide handlers that turn any unhandled
  // rejection into a WebAssembly abort (after which every OpenCV call fails) and rethrow
  // uncaught exceptions: the host process keeps its own policy, so they are removed again.
  const before = { rejection: process.listeners('unhandledRejection'), exception: process.listeners('uncaughtException') };
  // require, not import(): a loader that copies the CommonJS exports onto the namespace (as
  // vitest's does) gives the namespace that `then` too, and awaiting it then never settles.
  const module = createRequire(import.meta.url)('@techstark/opencv-js') as EmscriptenModule;
  for (const listener of process.listeners('unhandledRejection')) if (!before.rejection.includes(listener)) process.off('unhandledRejection', listener);
  for (const listener of process.listeners('uncaughtException')) if (!before.exception.includes(listener)) process.off('uncaughtException', listener);
  // Its `then` runs the callback once the WebAssembly runtime is initialised.
  await new Promise<void>((resolve) => void module.then(() => resolve()));
  return { cv: module as unknown as OpenCv };
}
