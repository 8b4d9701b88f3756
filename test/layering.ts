// The layering rules of the source folders, checked on each file's imports: static, type-only,
// re-exports, dynamic import() and require, as TypeScript's own pre-parser finds them.
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

const SOURCE_FOLDERS = ['src-core', 'src-main', 'src-preload', 'src-renderer'];

/** One import of one file; paths are relative to the project root and '/'-separated. */
export interface Import {
  file: string;
  specifier: string;
  /** The top folder a relative import lands in; undefined for a package or built-in. */
  targetFolder: string | undefined;
}

export interface Violation extends Import {
  rule: string;
}

/** The module specifiers a TypeScript, JavaScript or Vue source imports, in order. */
export function importSpecifiers(fileName: string, source: string): string[] {
  const scripts = fileName.endsWith('.vue') ? [...source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!) : [source];
  return scripts.flatMap((script) => ts.preProcessFile(script, true, true).importedFiles.map((f) => f.fileName));
}

export function importsOf(file: string, source: string): Import[] {
  return importSpecifiers(file, source).map((specifier) => {
    const relativeImport = specifier.startsWith('./') || specifier.startsWith('../');
    const target = relativeImport ? posix.normalize(posix.join(posix.dirname(file), specifier)) : undefined;
    return { file, specifier, targetFolder: target?.split('/')[0] };
  });
}

/** 'electron' for 'electron/main', '@scope/name' for '@scope/name/sub'. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** The rule an import breaks, or undefined. Tests run in Node, so they may use its modules. */
export function ruleBroken({ file, specifier, targetFolder }: Import): string | undefined {
  const from = file.split('/')[0];
  const pkg = targetFolder === undefined ? packageName(specifier) : undefined;
  if (from === 'src-core') {
    if (pkg !== undefined && isBuiltin(specifier) && !file.endsWith('.test.ts')) return 'src-core imports no Node built-in module';
    if (pkg === 'electron' || pkg === 'sharp') return `src-core imports no ${pkg} module`;
    if (targetFolder !== undefined && targetFolder !== from && SOURCE_FOLDERS.includes(targetFolder)) return `src-core imports nothing from ${targetFolder}`;
  }
  if (pkg === 'electron' && from !== 'src-preload' && !file.startsWith('src-main/electron/')) return 'only src-main/electron and src-preload import electron';
  if (from === 'src-renderer' && targetFolder === 'src-main') return 'src-renderer imports nothing from src-main';
  return undefined;
}

export function violations(imports: Import[]): Violation[] {
  return imports.flatMap((entry) => {
    const rule = ruleBroken(entry);
    return rule === undefined ? [] : [{ ...entry, rule }];
  });
}

const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs|vue)$/;

/** Every source file below the source folders of `root`, relative to it. */
export function sourceFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.isFile() && SOURCE_FILE.test(entry.name) ? [relative(root, path).split(sep).join('/')] : [];
    });
  return SOURCE_FOLDERS.flatMap((folder) => walk(join(root, folder)));
}

export function projectViolations(root: string): Violation[] {
  return violations(sourceFiles(root).flatMap((file) => importsOf(file, readFileSync(join(root, file), 'utf8'))));
}
