// The fast tier (npm run test:unit): src-core, renderer and main logic with fakes. Nothing here
// needs the build (out/), a browser, or the photos in ../shared/bench-data; the reference vectors
// the hash tests compare against are small JSON files and stay in.
import { configDefaults, defineConfig } from 'vitest/config';
import { sharedTestOptions } from './vitest.config';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    include: ['src-core/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'test/layering.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      // Decode and edit photos from ../shared/bench-data with sharp (the MobileNet model too).
      'src-main/embed/mobilenet.test.ts',
      'src-main/verify/verify-pair.test.ts',
      'src-main/hash/exif.test.ts',
    ],
  },
});
