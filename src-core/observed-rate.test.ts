import { describe, expect, it } from 'vitest';
import { ObservedRate } from './observed-rate';

describe('ObservedRate', () => {
  it('measures the counter over its window, not since the start', () => {
    const rate = new ObservedRate(10_000);
    expect(rate.perSecond()).toBeUndefined();
    for (let s = 0; s <= 30; s++) rate.add(s * 1000, s < 20 ? s * 100 : 2000 + (s - 20) * 10);
    // 100 a second for 20 s, then 10 a second: the window sees only the slow part.
    expect(rate.perSecond()).toBeCloseTo(10, 5);
  });

  it('needs two seconds of samples, and starts over when the counter goes back', () => {
    const rate = new ObservedRate(10_000);
    rate.add(0, 0);
    rate.add(1000, 50);
    expect(rate.perSecond()).toBeUndefined();
    rate.add(3000, 150);
    expect(rate.perSecond()).toBeCloseTo(50, 5);
    rate.add(4000, 10);
    expect(rate.perSecond()).toBeUndefined();
  });

  it('says 0 when the count stood still for the whole window', () => {
    const rate = new ObservedRate(10_000);
    for (let s = 0; s <= 15; s++) rate.add(s * 1000, 42);
    expect(rate.perSecond()).toBe(0);
  });
});
