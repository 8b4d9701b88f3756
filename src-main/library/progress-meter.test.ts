import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter';

/** A meter on a clock the test moves. */
function meterAt(start = 1_000_000) {
  let t = start;
  const meter = new ProgressMeter(() => t);
  return { meter, advance: (ms: number) => (t += ms) };
}

describe('ProgressMeter', () => {
  it('knows no rate and no ETA before files finish, and 0 s when nothing is left', () => {
    const { meter } = meterAt();
    expect(meter.filesPerSecond()).toBe(0);
    expect(meter.etaSeconds(new Map([['/a', 10]]))).toBeNull();
    expect(meter.etaSeconds(new Map([['/a', 0]]))).toBe(0);
  });

  it('gives the ETA of the slowest root, not all files at the combined rate', () => {
    const { meter, advance } = meterAt();
    // 10 s: the local root finishes 20 files a second, the network root 1.
    for (let s = 0; s < 10; s++) {
      for (let k = 0; k < 20; k++) meter.record('/local');
      meter.record('/share');
      advance(1000);
    }
    expect(meter.filesPerSecond()).toBeCloseTo(21, 0);
    // 200 local files (10 s at 20/s) and 100 on the share (100 s at 1/s): the share decides.
    const eta = meter.etaSeconds(new Map([['/local', 200], ['/share', 100]]))!;
    expect(eta).toBeGreaterThan(90);
    expect(eta).toBeLessThan(110);
    // The combined rate alone would have said (200 + 100) / 21 ≈ 14 s.
  });

  it('counts a root without a rate yet at the overall rate', () => {
    const { meter, advance } = meterAt();
    for (let s = 0; s < 5; s++) {
      for (let k = 0; k < 10; k++) meter.record('/a');
      advance(1000);
    }
    const eta = meter.etaSeconds(new Map([['/a', 10], ['/new', 90]]))!;
    expect(eta).toBeCloseTo(100 / 10, 0);
  });

  it('forgets completions older than its window', () => {
    const { meter, advance } = meterAt();
    for (let k = 0; k < 50; k++) meter.record('/a');
    advance(30_000);
    expect(meter.filesPerSecond()).toBe(0);
    expect(meter.etaSeconds(new Map([['/a', 5]]))).toBeNull();
  });
});
