/**
 * A promise with its resolve function outside, for commands that wait for a signal or the n-th
 * message. It holds no timers and never rejects.
 */

/** A promise and the function that settles it (later calls are ignored). */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

/** A new unsettled Deferred. */
export function deferred<T>(): Deferred<T> {
  let settle: ((value: T) => void) | undefined;
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { promise, resolve: (value) => settle?.(value) };
}
