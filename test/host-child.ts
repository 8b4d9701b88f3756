// A headless host in a process of its own, for tests that must see whether a request ends the
// process, or that run it as another user (root reads every file: EACCES needs someone else).
// Options as JSON in argv[2]; prints one line `HOST {"port","token"}` once the roots are watched.
import { builtWorkerPath, forkWorkerFactory } from '../src-main/hash/fork-worker';
import { startHost, type HostOptions } from '../src-main/host/server';

export interface ChildHostOptions extends Pick<HostOptions, 'rendererDir' | 'thumbnailDir' | 'viewDir' | 'host'> {
  allowHosts?: string[];
  roots: string[];
}

const options = JSON.parse(process.argv[2]!) as ChildHostOptions;
const host = await startHost({
  ...options,
  createWorker: forkWorkerFactory(builtWorkerPath(), { env: { ...process.env, DOPPEL_THUMBNAIL_DIR: options.thumbnailDir } }),
  version: 'test',
  initialRoots: options.roots,
});
for (const root of options.roots) await host.service.call('watchRoot', [root]);
process.stdout.write(`HOST ${JSON.stringify({ port: host.port, token: host.token })}\n`);
process.once('SIGTERM', () => void host.close().then(() => process.exit(0)));
