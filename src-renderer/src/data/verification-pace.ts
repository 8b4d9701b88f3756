// The time left for the verification stage, from how fast pairs have actually been verified:
// the page only sees how many pairs remain (it grows when a clustering finds new candidates),
// so each drop in that count is counted as pairs verified and fed to an ObservedRate.
import { ObservedRate } from '../../../src-core/observed-rate';

export class VerificationPace {
  private readonly rate: ObservedRate;
  private verified = 0;
  private lastRemaining: number | undefined;

  constructor(windowMs?: number) {
    this.rate = new ObservedRate(windowMs);
  }

  /** Records how many pairs remain at `time` (ms). */
  sample(time: number, remaining: number): void {
    if (this.lastRemaining !== undefined && remaining < this.lastRemaining) this.verified += this.lastRemaining - remaining;
    this.lastRemaining = remaining;
    this.rate.add(time, this.verified);
  }

  /** Seconds until `remaining` pairs are verified at the observed pace; undefined while there is
   *  no pace yet (under two seconds of samples, or nothing verified in the window). */
  secondsLeft(remaining: number): number | undefined {
    const perSecond = this.rate.perSecond();
    if (!perSecond || remaining <= 0) return undefined;
    return remaining / perSecond;
  }
}

/** "about 40 s left", "about 3 min left"; '' without an estimate. */
export function describeTimeLeft(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  return seconds < 60 ? `about ${Math.max(1, Math.ceil(seconds))} s left` : `about ${Math.ceil(seconds / 60)} min left`;
}
