// How fast a growing count moves over the last `windowMs`: files hashed per second in main
// (ProgressMeter), and files fingerprinted per second as the page's database records them
// (ScanProgress: when the page applies results more slowly than main hashes, only that one
// predicts the bar).
export class ObservedRate {
  private readonly samples: Array<[time: number, count: number]> = [];

  constructor(private readonly windowMs = 20_000) {}

  add(time: number, count: number): void {
    const last = this.samples.at(-1);
    if (last && count < last[1]) this.samples.length = 0; // counting restarted (files removed)
    this.samples.push([time, count]);
    while (this.samples.length > 2 && this.samples[0]![0] < time - this.windowMs) this.samples.shift();
  }

  /** Per second over the window (0: the count stood still); undefined until it spans at least
   *  two seconds. */
  perSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last[0] - first[0] < 2000) return undefined;
    return ((last[1] - first[1]) * 1000) / (last[0] - first[0]);
  }
}
