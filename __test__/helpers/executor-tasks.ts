/**
 * Task module for WorkerPoolExecutor specs and benchmarks: each export is a task run in a
 * worker thread. Some misbehave on purpose (throw, hang, exit) to prove the pool survives.
 */
import { threadId } from 'node:worker_threads';

/** Returns its argument: the trivial job of the throughput benchmark. */
export function echo(data: unknown): unknown {
  return data;
}

/** Adds one to a number. */
export function inc(n: number): number {
  return n + 1;
}

/** Which worker thread ran the job. */
export function whoami(): number {
  return threadId;
}

/** Throws an Error with the given message. */
export function fail(message: string): never {
  throw new Error(message);
}

/** Rejects after `ms`. */
export async function failLater(ms: number): Promise<never> {
  await new Promise((r) => setTimeout(r, ms));
  throw new Error('failed later');
}

/** Resolves `data` after `ms`. */
export async function sleep(args: { ms: number; value?: unknown }): Promise<unknown> {
  await new Promise((r) => setTimeout(r, args.ms));
  return args.value;
}

/** Blocks its thread for `ms` (CPU busy). */
export function spin(ms: number): number {
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) n++;
  return n;
}

/** Never returns: a hung synchronous job. */
export function hang(): never {
  for (;;) {
    // busy forever, until the pool replaces this worker
  }
}

/** Kills its worker thread. */
export function crash(): never {
  process.exit(3);
}

/** Returns a structured value (Map and Date survive the copy). */
export function structured(): { when: Date; map: Map<string, number> } {
  return { when: new Date(0), map: new Map([['a', 1]]) };
}

/** Returns the lane tag it was given, recording order of execution in a shared array. */
export function tag(args: { lane: string; ms?: number }): string {
  if (args.ms) spin(args.ms);
  return args.lane;
}
