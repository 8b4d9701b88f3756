// Entry point of a worker process: it hashes files, verifies pairs and renders view images for
// the WorkerPool (hash/pool.ts). The same built file runs as an Electron
// utilityProcess (talking over process.parentPort) and as a child_process.fork child
// (talking over process.send), so the CLI, the headless host and tests use it unchanged.
import { dirname, join } from 'node:path';
import type { HashErrorInfo, HashOutcome } from '../../src-core/fingerprint';
import type { HashWorkerRequest, HashWorkerResponse } from '../../src-core/hash-protocol';
import { HashError } from './errors';
import { fingerprintFile } from './fingerprint-file';
import { DecodedElsewhere } from './same-pixels';
import { ResultPorts, type ResultPort } from './result-ports';
import { writeViewImage } from './view-image';
import { checkPair, checkPairs } from '../verify/check-pair';
import { FeatureSource } from '../verify/feature-cache';
import { FeatureStore } from '../verify/feature-store';

interface ParentPort {
  on(event: 'message', listener: (event: { data: HashWorkerRequest; ports?: ResultPort[] }) => void): void;
  postMessage(message: HashWorkerResponse): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
/** Set by the app and the host (not the CLI): where to cache thumbnails. */
const THUMBNAIL_DIR = process.env.DOPPEL_THUMBNAIL_DIR || undefined;
/** Set by the CLI's verifier: a store its workers share for one run, so an image one worker
 *  detected is read back, not detected again, by the other. */
const RUN_FEATURE_DIR = process.env.DOPPEL_RUN_FEATURE_DIR || undefined;
/** Verification features of the images this worker has seen, kept for its lifetime; in the
 *  app and the host also on disk, beside the thumbnails in the data folder, across runs. */
const featureDir = THUMBNAIL_DIR ? join(dirname(THUMBNAIL_DIR), 'features') : RUN_FEATURE_DIR;
const features = new FeatureSource({ thumbnailDir: THUMBNAIL_DIR, store: featureDir ? new FeatureStore(featureDir) : undefined });
/** Renderer windows this worker posts outcomes to directly (desktop app only). */
const windows = new ResultPorts();
/** Hash jobs waiting for the pool to say whether to decode (same-pixels.ts). */
const samePixelsAnswers = new Map<number, (decode: boolean) => void>();

function send(message: HashWorkerResponse): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

async function handle(request: HashWorkerRequest): Promise<void> {
  switch (request.type) {
    case 'hash':
      return hash(request);
    case 'verify': {
      const check = await checkPair(request.a, request.b, features, request.within).catch((error: unknown) => ({ error: (error as Error)?.message ?? String(error) }));
      return send({ type: 'verdict', id: request.id, check });
    }
    case 'verify-batch':
      return send({ type: 'verdicts', id: request.id, checks: await checkPairs(request.pairs, features, request.within) });
    case 'view': {
      const error = await writeViewImage(request.path, request.digest, request.output).then(() => undefined, errorInfo);
      return send({ type: 'view', id: request.id, ...(error ? { error } : {}) });
    }
    case 'same-pixels-answer':
      samePixelsAnswers.get(request.id)?.(request.decode);
      return void samePixelsAnswers.delete(request.id);
    case 'usage':
      return send({ type: 'usage', maxRssBytes: process.resourceUsage().maxRSS * 1024 });
    case 'results-port':
      return; // handled with its port below
  }
}

async function hash({ id, path, mode, embedding, localFeatures, within, samePixels }: Extract<HashWorkerRequest, { type: 'hash' }>): Promise<void> {
  // A copy that takes another file's fingerprint would have no thumbnail under its digest.
  const askPool = samePixels && !THUMBNAIL_DIR;
  try {
    const fingerprint = await fingerprintFile(path, mode, {
      thumbnailDir: THUMBNAIL_DIR,
      embedding,
      localFeatures,
      within,
      ...(askPool ? { samePixels: (key, file) => new Promise<boolean>((answer) => (samePixelsAnswers.set(id, answer), send({ type: 'same-pixels', id, key, file }))) } : {}),
    });
    report(id, { ok: true, fingerprint });
  } catch (error) {
    // The pool settles that job with the other decode's fingerprint.
    if (error instanceof DecodedElsewhere) return;
    report(id, { ok: false, path, error: errorInfo(error) });
  }
}

function errorInfo(error: unknown): HashErrorInfo {
  return error instanceof HashError ? error.toInfo() : { kind: 'corrupt', message: `unexpected error: ${(error as Error)?.message ?? String(error)}` };
}

/** To the windows first (if any), then to main: the job is done. */
function report(id: number, outcome: HashOutcome): void {
  send({ type: 'result', id, outcome, delivered: windows.deliver(outcome) });
}

if (parentPort) {
  parentPort.on('message', (event) => {
    if (event.data.type === 'results-port') for (const port of event.ports ?? []) windows.add(port);
    else void handle(event.data);
  });
} else {
  process.on('message', (message) => void handle(message as HashWorkerRequest));
  // A forked worker whose parent went away has nobody to report to.
  process.on('disconnect', () => process.exit(0));
}
send({ type: 'ready' });
