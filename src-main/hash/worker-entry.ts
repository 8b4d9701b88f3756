// Entry point of a hash worker process. The same built file runs as an Electron
// utilityProcess (talking over process.parentPort) and as a child_process.fork child
// (talking over process.send), so the CLI, the headless host and tests use it unchanged.
import type { HashWorkerRequest, HashWorkerResponse } from '../../src-core/hash-protocol';
import { HashError } from './errors';
import { fingerprintFile } from './fingerprint-file';

interface ParentPort {
  on(event: 'message', listener: (event: { data: HashWorkerRequest }) => void): void;
  postMessage(message: HashWorkerResponse): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
/** Set by the app and the host (not the CLI): where to cache thumbnails. */
const THUMBNAIL_DIR = process.env.DOPPEL_THUMBNAIL_DIR || undefined;

function send(message: HashWorkerResponse): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

async function handle(request: HashWorkerRequest): Promise<void> {
  if (request.type === 'usage') {
    send({ type: 'usage', maxRssBytes: process.resourceUsage().maxRSS * 1024 });
    return;
  }
  try {
    const fingerprint = await fingerprintFile(request.path, request.mode, THUMBNAIL_DIR);
    send({ type: 'result', id: request.id, outcome: { ok: true, fingerprint } });
  } catch (error) {
    const info =
      error instanceof HashError
        ? error.toInfo()
        : { kind: 'corrupt' as const, message: `unexpected error: ${(error as Error)?.message ?? String(error)}` };
    send({ type: 'result', id: request.id, outcome: { ok: false, path: request.path, error: info } });
  }
}

if (parentPort) parentPort.on('message', (event) => void handle(event.data));
else {
  process.on('message', (message) => void handle(message as HashWorkerRequest));
  // A forked worker whose parent went away has nobody to report to.
  process.on('disconnect', () => process.exit(0));
}
send({ type: 'ready' });
