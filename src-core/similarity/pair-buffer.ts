// A growable list of candidate pairs (i, j, distance) in typed arrays: millions of pairs
// without millions of objects, and transferable between threads.

export interface PairArrays {
  count: number;
  first: Int32Array;
  second: Int32Array;
  distance: Uint16Array;
}

export class PairBuffer implements PairArrays {
  count = 0;
  first = new Int32Array(1024);
  second = new Int32Array(1024);
  distance = new Uint16Array(1024);

  push(i: number, j: number, d: number): void {
    if (this.count === this.first.length) this.grow();
    this.first[this.count] = i;
    this.second[this.count] = j;
    this.distance[this.count] = d;
    this.count++;
  }

  /** The filled part only (copies, so the result can be transferred). */
  toArrays(): PairArrays {
    return { count: this.count, first: this.first.slice(0, this.count), second: this.second.slice(0, this.count), distance: this.distance.slice(0, this.count) };
  }

  private grow(): void {
    const size = this.first.length * 2;
    const first = new Int32Array(size);
    const second = new Int32Array(size);
    const distance = new Uint16Array(size);
    first.set(this.first);
    second.set(this.second);
    distance.set(this.distance);
    Object.assign(this, { first, second, distance });
  }
}
