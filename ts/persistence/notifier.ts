/**
 * Wakes waiting consumers: after a commit that made work ready, a local signal at once and a
 * NOTIFY on the schema's channel for other processes (on PGlite an in-process signal), sent
 * outside the producer's transaction and coalesced (at most one in flight, one more queued), so
 * producers never wait for it and never serialise on the NOTIFY lock; a poll timer is the
 * fallback when a notification is lost. It only ever shortens waits; it never claims or reads
 * messages.
 */
import type { Logger } from '../core/interfaces.js';
import { type Result, ok } from '../core/result.js';
import type { Listening, SqlDatabase } from './database.js';

/** Wake-ups of one queue. */
export class Notifier {
  #seq = 0;
  #waiters = new Set<() => void>();
  #listening: Listening | null = null;
  #closed = false;
  #sending = false;
  #again = false;

  constructor(
    private readonly db: SqlDatabase,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  /** A counter bumped by every wake-up; take it before a dequeue and pass it to `wait`. */
  get seq(): number {
    return this.#seq;
  }

  /** Starts listening; when that fails the queue still works by polling (logged, not an error). */
  async start(): Promise<Result<void>> {
    const listening = await this.db.listen(this.channel, () => this.signal());
    if (listening.isErr()) {
      this.logger.warn({ err: listening.error, channel: this.channel }, 'listening failed; consumers fall back to polling');
      return ok();
    }
    this.#listening = listening.value;
    return ok();
  }

  /** Wakes every waiter (new messages may be ready). */
  signal(): void {
    this.#seq++;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Work became ready: wakes local waiters now and other processes by a coalesced NOTIFY. */
  announce(): void {
    this.signal();
    if (this.#closed) return;
    if (this.#sending) {
      this.#again = true;
      return;
    }
    this.#sending = true;
    void this.#send();
  }

  async #send(): Promise<void> {
    do {
      this.#again = false;
      const sent = await this.db.notify(this.channel);
      if (sent.isErr()) this.logger.debug({ err: sent.error }, 'wake-up notify failed; consumers will poll');
    } while (this.#again && !this.#closed);
    this.#sending = false;
  }

  /** Resolves at the next signal after `seq`, or after `timeoutMs` (the poll), whichever is first. */
  wait(seq: number, timeoutMs: number): Promise<void> {
    if (this.#seq !== seq || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.#waiters.add(wake);
    });
  }

  /** Stops listening and releases every waiter. */
  async close(): Promise<Result<void>> {
    this.#closed = true;
    this.signal();
    const listening = this.#listening;
    this.#listening = null;
    return listening ? listening.close() : ok();
  }
}
