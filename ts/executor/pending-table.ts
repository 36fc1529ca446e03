/**
 * The jobs a WorkerPoolExecutor has handed out and not yet settled, in flat arrays indexed by
 * slot (no object or map entry per job). An id is `generation << 22 | slot`, so a late result
 * for a slot that was since reused is recognised and ignored. A job settles exactly once.
 */
import type { Result } from '../core/result.js';
import { ok } from '../core/result.js';

const SLOT_BITS = 22;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
/** Most jobs pending at once. */
export const MAX_PENDING = SLOT_MASK;

/** The results of a group of jobs submitted together. */
export interface Group {
  results: Result<unknown>[];
  left: number;
  resolve: (r: Result<Result<unknown>[]>) => void;
}

type Resolve = (r: Result<unknown>) => void;

/** Pending jobs by id. */
export class PendingTable {
  #ids: number[] = [];
  #resolve: (Resolve | Group | undefined)[] = [];
  #index: number[] = [];
  #task: number[] = [];
  #data: unknown[] = [];
  #lane: number[] = [];
  #deadline: number[] = [];
  #free: number[] = [];
  #size = 0;

  /** Jobs pending. */
  get size(): number {
    return this.#size;
  }

  /** Records a job; returns its id, or -1 when MAX_PENDING jobs are already pending. */
  add(resolve: Resolve | Group, index: number, task: number, data: unknown, lane: number, deadline: number): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#ids.length;
      if (slot >= SLOT_MASK) return -1;
      this.#ids.push(slot + 1);
      this.#resolve.push(undefined);
      this.#index.push(0);
      this.#task.push(0);
      this.#data.push(undefined);
      this.#lane.push(0);
      this.#deadline.push(0);
    }
    const gen = (((this.#ids[slot] as number) >>> SLOT_BITS) + 1) & 0x3ff;
    const id = ((gen << SLOT_BITS) | (slot + 1)) >>> 0;
    this.#ids[slot] = id;
    this.#resolve[slot] = resolve;
    this.#index[slot] = index;
    this.#task[slot] = task;
    this.#data[slot] = data;
    this.#lane[slot] = lane;
    this.#deadline[slot] = deadline;
    this.#size++;
    return id;
  }

  #slot(id: number): number {
    const slot = (id & SLOT_MASK) - 1;
    return this.#ids[slot] === id && this.#resolve[slot] !== undefined ? slot : -1;
  }

  /** Whether job `id` is pending. */
  has(id: number): boolean {
    return this.#slot(id) >= 0;
  }

  /** Deadline of job `id` (0 = none, -1 = not pending). */
  deadline(id: number): number {
    const s = this.#slot(id);
    return s < 0 ? -1 : (this.#deadline[s] as number);
  }

  /** Task, data and lane of job `id`, to run it again. */
  job(id: number): { task: number; data: unknown; lane: number } | undefined {
    const s = this.#slot(id);
    return s < 0 ? undefined : { task: this.#task[s] as number, data: this.#data[s], lane: this.#lane[s] as number };
  }

  /** Settles job `id` with `result`; false when it was not pending. */
  settle(id: number, result: Result<unknown>): boolean {
    const slot = (id & SLOT_MASK) - 1;
    if (this.#ids[slot] !== id) return false;
    const target = this.#resolve[slot];
    if (target === undefined) return false;
    this.#resolve[slot] = undefined;
    this.#data[slot] = undefined;
    this.#free.push(slot);
    this.#size--;
    if (typeof target === 'function') target(result);
    else {
      target.results[this.#index[slot] as number] = result;
      if (--target.left === 0) target.resolve(ok(target.results));
    }
    return true;
  }

  /** Settles every pending job with `result`. */
  settleAll(result: Result<unknown>): void {
    for (let slot = 0; slot < this.#ids.length; slot++) {
      if (this.#resolve[slot] !== undefined) this.settle(this.#ids[slot] as number, result);
    }
  }
}
