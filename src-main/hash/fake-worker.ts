// A worker for WorkerPool tests without a process: it says ready, hands each request to
// `onRequest` with the means to answer or die, and exits when killed.
import type { HashWorkerRequest, HashWorkerResponse } from '../../src-core/hash-protocol';
import type { WorkerFactory } from './pool';

export interface FakeWorkerControls {
  reply(message: HashWorkerResponse): void;
  /** The process dies with this exit code. */
  exit(code: number | null): void;
}

export function fakeWorkerFactory(onRequest: (request: HashWorkerRequest, worker: FakeWorkerControls) => void): WorkerFactory {
  return () => {
    let message: (m: HashWorkerResponse) => void = () => undefined;
    let exit: (code: number | null) => void = () => undefined;
    const controls: FakeWorkerControls = { reply: (m) => message(m), exit: (code) => exit(code) };
    queueMicrotask(() => message({ type: 'ready' }));
    return {
      send: (request: HashWorkerRequest) => onRequest(request, controls),
      onMessage: (listener) => void (message = listener),
      onExit: (listener) => void (exit = listener),
      kill: () => queueMicrotask(() => exit(null)),
    };
  };
}
