// A one-line progress bar on stderr for long runs; silent when stderr is not a terminal.
const BAR_WIDTH = 28;
const REDRAW_MS = 100;

export interface ProgressBarOptions {
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  /** Short runs finish before this and never show a bar. */
  showAfterMs?: number;
}

export class ProgressBar {
  private readonly started = Date.now();
  private readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  private readonly enabled: boolean;
  private readonly showAfterMs: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(options: ProgressBarOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = this.stream.isTTY === true;
    this.showAfterMs = options.showAfterMs ?? 1000;
  }

  /** `total` may still grow while folders are being listed (`listing` = true). */
  update(done: number, total: number, failed: number, listing: boolean): void {
    const now = Date.now();
    if (!this.enabled || now - this.started < this.showAfterMs || now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const fraction = total > 0 ? done / total : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const rate = done / (Math.max(now - this.started, 1) / 1000);
    const eta = !listing && rate > 0 ? ` · ${formatSeconds((total - done) / rate)} left` : '';
    const failures = failed > 0 ? ` · ${failed} unreadable` : '';
    const line = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${done}/${total}${listing ? '+' : ''} · ${rate.toFixed(1)} files/s${eta}${failures}`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
