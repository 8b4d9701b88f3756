// WorkerFactory over child_process.fork, for the CLI, the headless host and tests.
import { fork, type ForkOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HashWorkerRequest, HashWorkerResponse } from '../../src-core/hash-protocol';
import type { WorkerFactory } from './pool';

/** The built worker (out/main/hash-worker.js), found from wherever this module runs:
 *  the bundled CLI in out/main, or the TypeScript sources under test. */
export function builtWorkerPath(): string {
  return builtEntryPath('hash-worker.js');
}

/** A file of the main build (out/main/NAME), located from the doppel package root. */
export function builtEntryPath(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'doppel') {
      return join(dir, 'out/main', name);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the doppel package root to locate ${name}`);
    dir = parent;
  }
}

export function forkWorkerFactory(workerPath = builtWorkerPath(), options: ForkOptions = {}): WorkerFactory {
  if (!existsSync(workerPath)) {
    throw new Error(`the worker is not built: ${workerPath} is missing (run "npm run build")`);
  }
  return () => {
    // 'advanced' serialization keeps typed arrays and Maps intact across the channel.
    const child = fork(workerPath, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...options });
    return {
      send: (message: HashWorkerRequest) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as HashWorkerResponse)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
