// Runs one command to completion and measures it: wall time, the peak RSS of its largest process
// (GNU time's maximum resident set size, when /usr/bin/time is installed) and the peak of the
// summed RSS of its whole process tree (sampled from /proc: the peers run worker processes).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';
const SAMPLE_MS = 100;
const PAGE_BYTES = 4096;

export interface Measured {
  stdout: string;
  wallSeconds: number;
  /** Largest single process, MB; undefined without /usr/bin/time. */
  peakProcessMb?: number;
  /** Whole process tree, MB, sampled every 100 ms. */
  peakTreeMb: number;
}

/** Sum of RSS over `root` and its descendants, from /proc/PID/stat (ppid) and statm (resident pages). */
function treeRssBytes(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name, which may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
      rss.set(pid, resident * PAGE_BYTES);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let sum = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    sum += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return sum;
}

export function measure(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  const scratch = mkdtempSync(join(tmpdir(), 'doppel-peers-'));
  const timeOut = join(scratch, 'time.txt');
  const withTime = existsSync(GNU_TIME);
  const [file, argv] = withTime ? [GNU_TIME, ['-f', '%M', '-o', timeOut, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let peakTree = 0;
    const sampler = setInterval(() => {
      peakTree = Math.max(peakTree, treeRssBytes(child.pid!));
    }, SAMPLE_MS);
    child.on('error', reject);
    child.on('close', (status) => {
      const wallSeconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const kb = withTime && existsSync(timeOut) ? Number(readFileSync(timeOut, 'utf8').trim().split('\n').at(-1)) : NaN;
      rmSync(scratch, { recursive: true, force: true });
      // Exit status 3 from doppel: some files unreadable, still a result.
      if (status !== 0 && status !== 3) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${status}: ${Buffer.concat(err).toString().slice(-2000)}`));
        return;
      }
      resolve({ stdout: Buffer.concat(out).toString(), wallSeconds, peakProcessMb: Number.isFinite(kb) ? kb / 1024 : undefined, peakTreeMb: peakTree / (1 << 20) });
    });
  });
}
