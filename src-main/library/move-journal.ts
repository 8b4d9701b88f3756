// Main's own record of every move-to-folder, in its data folder: restore performs only the
// moves written here (the renderer names them by id and cannot name paths). JSON lines,
// appended only. A move's line is written and fsync'd before the file moves; the lines that
// follow it (moved, failed, restored) are not waited for: restore re-checks the file at both
// ends, so a lost status line can only make it look again.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface MoveRecord {
  id: string;
  /** Where the file was (its real path, symlinks resolved). */
  from: string;
  /** Where it was put (a real path too). */
  to: string;
  size: number;
  digest: string;
  at: string;
}

/** 'planned': journaled, and main stopped before saying how it went (a crash). */
export type MoveState = 'planned' | 'moved' | 'failed' | 'restored';

type Line = ({ type: 'move' } & MoveRecord) | { type: 'moved' | 'failed' | 'restored'; id: string; at: string };

const APPEND = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

export class MoveJournal {
  /** Whether this process already made sure the journal ends with a whole line. */
  private ended = false;

  constructor(readonly path: string) {}

  /** Journals a move about to happen (fsync'd before it returns) and returns its record. */
  async plan(move: Omit<MoveRecord, 'id' | 'at'>): Promise<MoveRecord> {
    const record = { id: randomUUID(), ...move, at: new Date().toISOString() };
    await this.append({ type: 'move', ...record }, true);
    return record;
  }

  async mark(id: string, state: Exclude<MoveState, 'planned'>): Promise<void> {
    await this.append({ type: state, id, at: new Date().toISOString() }, false);
  }

  /** The recorded moves among `ids`, each with its last state. */
  async find(ids: readonly string[]): Promise<Map<string, { record: MoveRecord; state: MoveState }>> {
    const wanted = new Set(ids);
    const found = new Map<string, { record: MoveRecord; state: MoveState }>();
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const raw of text.split('\n')) {
      const line = parse(raw);
      if (!line || !wanted.has(line.id)) continue;
      if (line.type === 'move') {
        const { type: _type, ...record } = line;
        found.set(line.id, { record, state: 'planned' });
      } else {
        const entry = found.get(line.id);
        if (entry) entry.state = line.type;
      }
    }
    return found;
  }

  private async append(line: Line, durable: boolean): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, APPEND, 0o600);
    try {
      // A line torn by a crash is ended first, so it cannot swallow the next one.
      let text = `${JSON.stringify(line)}\n`;
      if (!this.ended) {
        const { size } = await handle.stat();
        const last = Buffer.alloc(1);
        if (size > 0 && (await handle.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 0x0a) text = `\n${text}`;
      }
      await handle.write(text);
      this.ended = true;
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** One journal line, or undefined for a torn or foreign one (a crash mid-write). */
function parse(raw: string): Line | undefined {
  if (!raw.trim()) return undefined;
  try {
    const line = JSON.parse(raw) as Partial<Line> & Record<string, unknown>;
    if (typeof line.id !== 'string') return undefined;
    if (line.type === 'move') {
      const { from, to, size, digest, at } = line;
      return typeof from === 'string' && typeof to === 'string' && typeof size === 'number' && typeof digest === 'string' && typeof at === 'string' ? (line as Line) : undefined;
    }
    return line.type === 'moved' || line.type === 'failed' || line.type === 'restored' ? (line as Line) : undefined;
  } catch {
    return undefined;
  }
}
