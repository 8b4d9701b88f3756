// `doppel serve` started with its pid exposed, and memory readings from /proc (Linux only).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { CLI, PROJECT_ROOT } from '../../test/helpers';

export interface Host {
  url: string;
  pid: number;
  /** Last lines the host wrote to stderr (for error messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Runs `doppel serve --port PORT --data DATA` the way e2e/browser.ts does, keeping the child. */
export function startHost(port: number, dataDir: string, timeoutMs = 30_000): Promise<Host> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data', dataDir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stderr!.on('data', keep);
  const log = () => lines.join('\n');
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`doppel serve printed no URL within ${timeoutMs / 1000} s:\n${out}\n${log()}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      keep(chunk);
      const url = /http:\/\/\S+/.exec(out)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ url, pid: child.pid!, log, stop: () => stopChild(child) });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`doppel serve exited with ${code}:\n${out}\n${log()}`));
    });
  });
}

/** SIGTERM, then SIGKILL after 15 s; also ends any of its child processes left behind. */
function stopChild(child: ChildProcess): Promise<void> {
  const pid = child.pid!;
  const children = childPids(pid);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      for (const c of children) {
        try {
          process.kill(c, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes; undefined once it is gone. */
export function memoryOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Direct children of a process (from every thread's children list). */
export function childPids(pid: number): number[] {
  const found = new Set<number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/).filter(Boolean)) found.add(Number(c));
    }
  } catch {
    // the process is gone
  }
  return [...found];
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    for (const c of childPids(stack.pop()!)) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/** Chromium's renderer processes of the browser using this profile directory. */
export function rendererPids(profileDir: string): number[] {
  const browsers = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      const cmd = cmdline(pid);
      return cmd.includes(`--user-data-dir=${profileDir}`) && !cmd.includes('--type=');
    });
  return browsers.flatMap(descendants).filter((pid) => cmdline(pid).includes('--type=renderer'));
}

/** Peaks of periodic readings. */
export class MemorySampler {
  hostRss = 0;
  workersRss = 0;
  workerCount = 0;
  /** Peak RSS of the largest Chromium renderer process (the app's page and its Web Worker). */
  rendererRss = 0;
  private readonly workerPeaks = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly hostPid: number,
    private readonly profileDir: string,
  ) {}

  start(intervalMs = 250): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    return this;
  }

  sample(): void {
    const host = memoryOf(this.hostPid);
    if (host) this.hostRss = Math.max(this.hostRss, host.rss, host.hwm);
    let workers = 0;
    for (const pid of childPids(this.hostPid)) {
      const m = memoryOf(pid);
      if (!m) continue;
      workers += m.rss;
      this.workerPeaks.set(pid, Math.max(this.workerPeaks.get(pid) ?? 0, m.hwm, m.rss));
    }
    this.workersRss = Math.max(this.workersRss, workers);
    this.workerCount = Math.max(this.workerCount, this.workerPeaks.size);
    // The largest renderer is the app's page (another may be a spare or the closed page's).
    for (const pid of rendererPids(this.profileDir)) this.rendererRss = Math.max(this.rendererRss, memoryOf(pid)?.rss ?? 0);
  }

  /** Largest peak RSS (VmHWM) of any single hash worker seen. */
  get workerPeak(): number {
    return Math.max(0, ...this.workerPeaks.values());
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}
