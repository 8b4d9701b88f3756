import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

// Custom folders (src-main, src-preload, src-renderer) need explicit inputs.
// Main builds four entries: the Electron main process, the hash worker (forked by
// the CLI/host as well as run as an Electron utility process), the pair-search thread and
// the CLI.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          'hash-worker': resolve(__dirname, 'src-main/hash/worker-entry.ts'),
          'pairs-worker': resolve(__dirname, 'src-main/cluster/pairs-worker-entry.ts'),
          cli: resolve(__dirname, 'src-main/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        // CommonJS so the renderer can stay sandboxed (an ESM preload needs sandbox: false).
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [vue()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
