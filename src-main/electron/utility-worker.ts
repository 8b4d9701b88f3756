// WorkerFactory over Electron's utilityProcess (the desktop app's transport).
import { utilityProcess } from 'electron';
import type { HashWorkerRequest, HashWorkerResponse } from '../../src-core/hash-protocol';
import type { WorkerFactory } from '../hash/pool';

export function utilityWorkerFactory(workerPath: string, env: NodeJS.ProcessEnv = process.env): WorkerFactory {
  return () => {
    const child = utilityProcess.fork(workerPath, [], { serviceName: 'Doppel hasher', stdio: 'inherit', env });
    return {
      send: (message: HashWorkerRequest) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (m: HashWorkerResponse) => listener(m)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  };
}
