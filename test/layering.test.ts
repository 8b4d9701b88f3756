// The layering of the source folders (test/layering.ts), and the checker itself on seeded violations.
import { describe, expect, it } from 'vitest';
import { importsOf, projectViolations, violations } from './layering';
import { PROJECT_ROOT } from './helpers';

/** The rules `source`, placed at `file`, breaks. */
function broken(file: string, source: string): string[] {
  return violations(importsOf(file, source)).map((v) => `${v.specifier}: ${v.rule}`);
}

describe('the source folders', () => {
  it('keep their layering', () => {
    expect(projectViolations(PROJECT_ROOT)).toEqual([]);
  });
});

describe('the layering checker', () => {
  it('finds static, type-only, re-exported, side-effect, dynamic and required imports', () => {
    const source = [
      "import { a } from 'node:fs';",
      "import type { B } from 'electron';",
      "export { c } from 'sharp';",
      "import 'os';",
      "const d = await import('node:path');",
      "const e = require('fs/promises');",
      "import {\n  f,\n  type G,\n} from '../src-main/library/service';",
    ].join('\n');
    expect(broken('src-core/x.ts', source)).toEqual([
      'node:fs: src-core imports no Node built-in module',
      'electron: src-core imports no electron module',
      'sharp: src-core imports no sharp module',
      'os: src-core imports no Node built-in module',
      'node:path: src-core imports no Node built-in module',
      'fs/promises: src-core imports no Node built-in module',
      '../src-main/library/service: src-core imports nothing from src-main',
    ]);
  });

  it('ignores imports written in comments and strings', () => {
    expect(broken('src-core/x.ts', "// import 'node:fs';\n/* require('electron') */\nconst s = \"import('sharp')\";\n")).toEqual([]);
  });

  it('lets src-core import itself and packages, and its tests use Node', () => {
    expect(broken('src-core/a/x.ts', "import { y } from '../b/y';\nimport Dexie from 'dexie';")).toEqual([]);
    expect(broken('src-core/a/x.test.ts', "import { tmpdir } from 'node:os';")).toEqual([]);
    expect(broken('src-core/a/x.test.ts', "import { y } from '../../src-renderer/src/y';")).toEqual(['../../src-renderer/src/y: src-core imports nothing from src-renderer']);
  });

  it('allows electron only in src-main/electron and src-preload', () => {
    expect(broken('src-main/electron/main.ts', "import { app } from 'electron';")).toEqual([]);
    expect(broken('src-preload/index.ts', "import { contextBridge } from 'electron/renderer';")).toEqual([]);
    expect(broken('src-main/library/service.ts', "import type { WebContents } from 'electron';")).toEqual(['electron: only src-main/electron and src-preload import electron']);
    expect(broken('src-renderer/src/a.ts', "const { ipcRenderer } = require('electron');")).toEqual(['electron: only src-main/electron and src-preload import electron']);
  });

  it('keeps src-renderer out of src-main, in Vue files too', () => {
    const component = "<template><p/></template>\n<script setup lang=\"ts\">\nimport type { X } from '../../../src-main/api-service';\nimport { y } from '../../../src-core/y';\n</script>\n";
    expect(broken('src-renderer/src/components/A.vue', component)).toEqual(['../../../src-main/api-service: src-renderer imports nothing from src-main']);
  });
});
