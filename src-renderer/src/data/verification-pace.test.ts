import { describe, expect, it } from 'vitest';
import { describeTimeLeft, VerificationPace } from './verification-pace';

describe('VerificationPace', () => {
  it('promises no time until pairs have been verified over at least two seconds', () => {
    const pace = new VerificationPace();
    pace.sample(0, 853);
    expect(pace.secondsLeft(853)).toBeUndefined();
    pace.sample(1000, 843);
    expect(pace.secondsLeft(843)).toBeUndefined();
    pace.sample(2000, 853 - 20);
    // 20 pairs in 2 s: 10 a second, 833 left.
    expect(pace.secondsLeft(833)).toBeCloseTo(83.3, 5);
  });

  it('gives no time while the count stands still for the whole window', () => {
    const pace = new VerificationPace(5000);
    for (let t = 0; t <= 10_000; t += 1000) pace.sample(t, 500);
    expect(pace.secondsLeft(500)).toBeUndefined();
  });

  it('counts only pairs verified: new candidates arriving do not slow or reverse the pace', () => {
    const pace = new VerificationPace();
    pace.sample(0, 100);
    pace.sample(1000, 36); // 64 verified
    pace.sample(1500, 500); // a clustering found more candidates
    pace.sample(2000, 436); // 64 more verified
    // 128 pairs in 2 s.
    expect(pace.secondsLeft(436)).toBeCloseTo(436 / 64, 5);
  });

  it('follows the recent pace, not the whole history', () => {
    const pace = new VerificationPace(4000);
    pace.sample(0, 10_000);
    pace.sample(1000, 9000); // a fast start
    for (let t = 2000; t <= 10_000; t += 1000) pace.sample(t, 9000 - (t - 1000) / 100);
    // 10 pairs a second over the last window.
    expect(pace.secondsLeft(100)).toBeCloseTo(10, 5);
  });
});

describe('describeTimeLeft', () => {
  it('says seconds under a minute and minutes above, rounded up', () => {
    expect(describeTimeLeft(undefined)).toBe('');
    expect(describeTimeLeft(39.2)).toBe('about 40 s left');
    expect(describeTimeLeft(0.2)).toBe('about 1 s left');
    expect(describeTimeLeft(61)).toBe('about 2 min left');
  });
});
