// Hash workers as Electron utility processes (the desktop app's transport), each connected to
// every renderer window by its own MessageChannelMain, so outcomes go straight to the windows
// (see hash/result-ports.ts); main only learns that each job is done.
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { IPC_CHANNELS } from '../../src-core/api';
import type { HashWorkerRequest, HashWorkerResponse } from '../../src-core/hash-protocol';
import type { WorkerFactory } from '../hash/pool';

export class UtilityWorkers {
  private readonly children = new Set<UtilityProcess>();
  private readonly windows = new Set<WebContents>();

  constructor(
    private readonly workerPath: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  readonly factory: WorkerFactory = () => {
    const child = utilityProcess.fork(this.workerPath, [], { serviceName: 'Doppel hasher', stdio: 'inherit', env: this.env });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    for (const window of this.windows) connect(child, window);
    return {
      send: (message: HashWorkerRequest) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (m: HashWorkerResponse) => listener(m)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  };

  /** Call on every page load of a window: its new page gets a port to every worker (running
   *  now or started later); the ports of the page it replaced closed with it. */
  connectWindow(window: WebContents): void {
    if (!this.windows.has(window)) {
      this.windows.add(window);
      window.once('destroyed', () => this.windows.delete(window));
    }
    for (const child of this.children) connect(child, window);
  }
}

function connect(child: UtilityProcess, window: WebContents): void {
  const { port1, port2 } = new MessageChannelMain();
  child.postMessage({ type: 'results-port' } satisfies HashWorkerRequest, [port1]);
  window.postMessage(IPC_CHANNELS.resultsPort, null, [port2]);
}
