/**
 * `Atomics.waitAsync`, typed (the project's TypeScript lib predates it; Node 16+ has it).
 * Resolves when the word at `index` changes from `value` and is notified, or after `timeoutMs`.
 * It never blocks the thread.
 */

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

const waitAsyncFn = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Waits without blocking until `array[index]` is notified while it holds `value`, or `timeoutMs` passes. */
export function waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): Promise<string> | undefined {
  const w = waitAsyncFn(array, index, value, timeoutMs);
  return w.async ? w.value : undefined;
}
