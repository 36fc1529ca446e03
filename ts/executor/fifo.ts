/**
 * A growable first-in first-out ring of values: O(1) push and shift without the array
 * shifting that `Array.prototype.shift` does. Internal; it never bounds itself (callers do).
 */

/** A FIFO ring that doubles when full. */
export class Fifo<T> {
  #items: (T | undefined)[];
  #mask: number;
  #head = 0;
  #size = 0;

  constructor(initialCapacity = 16) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.#items = Array.from<T | undefined>({ length: cap });
    this.#mask = cap - 1;
  }

  /** Items held. */
  get size(): number {
    return this.#size;
  }

  /** Appends `value`. */
  push(value: T): void {
    if (this.#size > this.#mask) this.#grow();
    this.#items[(this.#head + this.#size) & this.#mask] = value;
    this.#size++;
  }

  /** Removes and returns the oldest value. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const value = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#size--;
    return value;
  }

  /** The oldest value, left in place. */
  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  /** Removes every value and returns them, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.#size > 0) out.push(this.shift() as T);
    return out;
  }

  #grow(): void {
    const old = this.#items;
    const cap = old.length * 2;
    const items = Array.from<T | undefined>({ length: cap });
    for (let i = 0; i < this.#size; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#mask = cap - 1;
    this.#head = 0;
  }
}
