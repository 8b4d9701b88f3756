// `doppel serve [--port N] [--host 127.0.0.1] [--allow-host NAME]... [--open] [--new-token] [DIR...]`
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { builtEntryPath, builtWorkerPath, forkWorkerFactory } from '../hash/fork-worker';
import { hostHeaderName, storedToken } from '../host/auth';
import { startHost } from '../host/server';
import { EXIT, UsageError } from './usage';

export const SERVE_HELP = `Usage: doppel serve [--port N] [--host ADDRESS] [--allow-host NAME]... [--open] [--new-token] [DIR...]

Runs Doppel without a window: watches and hashes here, and serves the app to a browser.
Use it on a NAS or a server, then review in any browser. It prints one URL with a secret
token; requests without it, or from another site, are refused. The token is kept (readable
only by you) beside the journal, so the URL and any open tab keep working after a restart.

Options:
  --port N        port to listen on (default: a free one)
  --host ADDRESS  address to bind (default 127.0.0.1: this machine only). Bound beyond
                  loopback (0.0.0.0), browsers may name it by any of the machine's addresses,
                  its host name or NAME.local; other names are refused
  --allow-host NAME
                  also accept NAME (a DNS name, a reverse proxy's name) at the port;
                  repeatable
  --open          open the URL in the default browser
  --new-token     make a new token: URLs and tabs holding the old one are refused
  --data DIR      where to cache thumbnails and view images, and to keep the token and the
                  journal of moves to a folder that History restores (default: thumbnails
                  and views in $XDG_CACHE_HOME/doppel or ~/.cache/doppel, the token and the
                  journal in $XDG_STATE_HOME/doppel or ~/.local/state/doppel, which cache
                  cleaners keep)
  DIR...          folders to add to the library on first start

Stop it with Ctrl-C.`;

/** The command line of `doppel serve`, checked (UsageError otherwise). */
export function parseServeArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-host': { type: 'string', multiple: true, default: [] },
      open: { type: 'boolean', default: false },
      'new-token': { type: 'boolean', default: false },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a number from 0 to 65535');
  const allowHosts = values['allow-host'];
  const bad = allowHosts.find((name) => hostHeaderName(name) === undefined);
  if (bad !== undefined) throw new UsageError(`--allow-host takes a host name or address, without a port or scheme: "${bad}"`);
  return { values, positionals, port, allowHosts };
}

export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals, port, allowHosts } = parseServeArgs(argv);
  if (values.help) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return EXIT.ok;
  }
  const packageRoot = resolve(dirname(builtEntryPath('cli.js')), '../..');
  const dataDir = resolve(values.data ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'doppel'));
  const thumbnailDir = join(dataDir, 'thumbnails');
  // What must outlive a cache cleaner: the journal, and the token open tabs hold.
  const stateDir = values.data === undefined ? join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'doppel') : dataDir;
  const host = await startHost({
    rendererDir: join(packageRoot, 'out/renderer'),
    thumbnailDir,
    viewDir: join(dataDir, 'views'),
    journalPath: join(stateDir, 'moves.jsonl'),
    createWorker: forkWorkerFactory(builtWorkerPath(), { env: { ...process.env, DOPPEL_THUMBNAIL_DIR: thumbnailDir } }),
    version: JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version,
    initialRoots: positionals.map((p) => resolve(p)),
    host: values.host,
    port,
    allowHosts,
    token: storedToken(join(stateDir, 'token'), values['new-token']),
  });
  process.stdout.write(`Doppel is running at ${host.url}\n`);
  if (values.open) openInBrowser(host.url);
  await new Promise<void>((done) => {
    const stop = () => {
      process.stderr.write('Stopping Doppel…\n');
      void host.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`Could not open a browser; open ${url} yourself.\n`));
  child.unref();
}
