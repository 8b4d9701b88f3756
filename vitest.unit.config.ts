// The fast tier (npm run test:unit): src-core, renderer and main logic with fakes. Nothing here
// needs the build (out/) or a browser; what it reads from ../shared is small (the reference
// vectors, one photo's EXIF).
import { configDefaults, defineConfig } from 'vitest/config';
import { sharedTestOptions } from './vitest.config';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    include: ['src-core/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'test/layering.test.ts', 'test/cli-reference.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      // Slow: they decode and edit photos from ../shared/bench-data, then run MobileNet or OpenCV on them.
      'src-main/embed/mobilenet.test.ts',
      'src-main/verify/verify-pair.test.ts',
    ],
  },
});
