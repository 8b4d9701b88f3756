import { describe, expect, it } from 'vitest';
import { formatSeconds, ProgressBar } from './progress';

function fakeTerminal(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (chunk: string) => (writes.push(chunk), true) } };
}

describe('ProgressBar', () => {
  it('draws done/total, rate, ETA and failures on a terminal, then clears the line', () => {
    const { writes, stream } = fakeTerminal(true);
    const bar = new ProgressBar({ stream, showAfterMs: 0 });
    bar.update(3, 10, 1, false);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/3\/10 · [\d.]+ files\/s · .* left · 1 unreadable/);
    bar.clear();
    expect(writes[1]).toBe('\r\x1b[2K');
  });

  it('marks the total as growing while folders are still being listed', () => {
    const { writes, stream } = fakeTerminal(true);
    new ProgressBar({ stream, showAfterMs: 0 }).update(2, 5, 0, true);
    expect(writes[0]).toMatch(/2\/5\+/);
    expect(writes[0]).not.toMatch(/left/);
  });

  it('stays silent when stderr is not a terminal, and during short runs', () => {
    const piped = fakeTerminal(false);
    new ProgressBar({ stream: piped.stream, showAfterMs: 0 }).update(1, 2, 0, false);
    const short = fakeTerminal(true);
    new ProgressBar({ stream: short.stream, showAfterMs: 60_000 }).update(1, 2, 0, false);
    expect(piped.writes).toEqual([]);
    expect(short.writes).toEqual([]);
  });
});

describe('formatSeconds', () => {
  it('uses the largest sensible unit', () => {
    expect(formatSeconds(4.2)).toBe('5 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(7260)).toBe('2 h 1 min');
    expect(formatSeconds(Infinity)).toBe('?');
  });
});
