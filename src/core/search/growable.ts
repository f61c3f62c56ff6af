/** Typed arrays that grow: the index holds tens of millions of numbers, too many for plain arrays. */

export function grow<T extends Int32Array | Uint16Array | Uint8Array | Float64Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(size);
  bigger.set(array);
  return bigger;
}

export class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(1, Math.ceil(capacity)));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.data = grow(this.data, this.length * 2);
    this.data[this.length++] = value;
  }
}
