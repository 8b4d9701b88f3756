import { describe, expect, it } from 'vitest';
import { coalesced } from './coalesced';

describe('coalesced', () => {
  it('runs once more after overlapping calls, and every caller sees a run that started after its call', async () => {
    const runs: number[] = [];
    let state = 0;
    let release: () => void = () => undefined;
    const refresh = coalesced(async () => {
      const seen = state;
      await new Promise<void>((resolve) => (release = resolve));
      runs.push(seen);
    });
    const first = refresh();
    state = 1;
    const second = refresh();
    state = 2;
    const third = refresh();
    release();
    await first;
    await Promise.resolve();
    release();
    await Promise.all([second, third]);
    // Three calls, two runs: the second saw the last state.
    expect(runs).toEqual([0, 2]);
    const fourth = refresh();
    release();
    await fourth;
    expect(runs).toEqual([0, 2, 2]);
  });

  it('runs again after a failed run', async () => {
    let calls = 0;
    const task = coalesced(async () => {
      calls++;
      if (calls === 1) throw new Error('first fails');
    });
    const first = task();
    const second = task();
    await expect(first).rejects.toThrow('first fails');
    await second;
    expect(calls).toBe(2);
  });
});
