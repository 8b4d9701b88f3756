import { availableParallelism } from 'node:os';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** What both tiers share (this full suite and vitest.unit.config.ts). */
export const sharedTestOptions = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // One test file per core: worker-pool and CLI tests fork real processes of their own.
  fileParallelism: true,
  maxWorkers: availableParallelism(),
  reporters: ['default', './test/summary-reporter.ts'],
} satisfies ViteUserConfig['test'];

export default defineConfig({
  test: {
    ...sharedTestOptions,
    include: ['src-core/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts', 'e2e/**/*.spec.ts'],
  },
});
