import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-core/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts', 'e2e/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Worker-pool and CLI tests fork real processes; two cores are all we have.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
