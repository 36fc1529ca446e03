/**
 * ConnectionGate: the pool's acquire step. postgres.js queues a statement without limit when all
 * its connections are busy; the gate lets at most `max` statements or transactions hold a
 * connection, queues the rest in arrival order, and turns a wait longer than the acquire timeout
 * into DATABASE_ERROR before the statement is ever sent (so a timed-out statement never runs
 * later). It also counts what the pool metrics report: connections in use and callers waiting.
 */
import { MessagingError } from '../core/errors.js';
import { Fifo } from '../executor/fifo.js';

/** One caller waiting for a connection. */
interface Waiter {
  resolve: (admitted: boolean) => void;
  timer: NodeJS.Timeout;
  settled: boolean;
}

/** How busy the pool is. */
export interface PoolUsage {
  /** Statements or transactions holding a connection now. */
  inUse: number;
  /** Callers waiting for one. */
  waiting: number;
  /** Most connections at once. */
  max: number;
}

/** Admits at most `max` holders; the others wait up to `acquireTimeoutMs`. */
export class ConnectionGate {
  #inUse = 0;
  #waiting = 0;
  readonly #queue = new Fifo<Waiter>();

  constructor(
    readonly max: number,
    readonly acquireTimeoutMs: number,
  ) {}

  /** Takes a connection slot at once when one is free (the common case: no promise made). */
  tryAcquire(): boolean {
    if (this.#inUse < this.max && this.#waiting === 0) {
      this.#inUse++;
      return true;
    }
    return false;
  }

  /** Waits for a slot; false when the acquire timeout ran out first (nothing is held then). */
  wait(): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve, settled: false, timer: undefined as unknown as NodeJS.Timeout };
      waiter.timer = setTimeout(() => {
        waiter.settled = true;
        this.#waiting--;
        resolve(false);
      }, this.acquireTimeoutMs);
      this.#waiting++;
      this.#queue.push(waiter);
    });
  }

  /** Gives a slot back: to the longest waiter still waiting, else to the free count. */
  release(): void {
    for (;;) {
      const next = this.#queue.shift();
      if (next === undefined) break;
      if (next.settled) continue;
      next.settled = true;
      clearTimeout(next.timer);
      this.#waiting--;
      next.resolve(true);
      return;
    }
    this.#inUse--;
  }

  /** The DATABASE_ERROR of a caller that waited the whole acquire timeout. */
  timeoutError(): MessagingError {
    return new MessagingError(
      'DATABASE_ERROR',
      `no database connection became free within ${this.acquireTimeoutMs} ms (all ${this.max} in use, ${this.#waiting} more waiting); raise database.pool.max or database.pool.acquire_timeout_ms, or find what holds connections`,
      { details: { action: 'acquire', reason: 'acquire_timeout', ...this.usage() } },
    );
  }

  /** Connections in use, callers waiting, and the maximum. */
  usage(): PoolUsage {
    return { inUse: this.#inUse, waiting: this.#waiting, max: this.max };
  }
}
