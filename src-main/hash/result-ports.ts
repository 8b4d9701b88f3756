// Desktop app only: a hash worker (an Electron utility process) posts each outcome straight to
// every renderer window over a MessagePort, so fingerprints do not pass through the main
// process. Main still gets the outcome of each job (it schedules the next one, and reports
// crashes and hangs, which no worker can deliver), marked as delivered.
import type { HashOutcome } from '../../src-core/fingerprint';
import type { PortedOutcome } from '../../src-core/hash-protocol';

/** The part of Electron's MessagePortMain (and Node's MessagePort) used here. */
export interface ResultPort {
  postMessage(message: PortedOutcome): void;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
}

export class ResultPorts {
  private readonly ports = new Set<ResultPort>();

  /** A window's port; it is dropped when the window goes away. */
  add(port: ResultPort): void {
    this.ports.add(port);
    port.on('close', () => this.ports.delete(port));
    port.start();
  }

  /** Posts `outcome` to every window; false when no window is connected (main then relays it). */
  deliver(outcome: HashOutcome): boolean {
    for (const port of this.ports) port.postMessage({ outcome });
    return this.ports.size > 0;
  }
}
