/**
 * Group commit for single enqueues: while `maxInFlight` statements are running, further
 * `enqueue` calls wait and then go out together in one statement (one commit), each caller
 * answered with its own id. At a low rate every call goes out at once, so nothing waits; under
 * load the commits (and their WAL flushes) are shared. A call is answered only after the
 * statement holding it committed, and with the same error when it failed: never a false ok.
 */
import { toMessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import type { EncodedMessage } from './payload-batch.js';

/** One waiting call. */
interface Waiting {
  encoded: EncodedMessage;
  key: string;
  resolve: (result: Result<number>) => void;
}

/** Writes a group of encoded messages with the same options; resolves with their ids in order. */
export type GroupWriter = (group: EncodedMessage[], maxAttempts: number, delayMs: number) => Promise<Result<number[]>>;

/** Most messages one shared statement carries. */
const MAX_GROUP = 1000;

/** Coalesces single enqueues into shared statements. */
export class EnqueueCoalescer {
  #waiting: Waiting[] = [];
  #inFlight = 0;

  constructor(
    private readonly write: GroupWriter,
    private readonly maxInFlight: number,
  ) {}

  /** Enqueues one encoded message; resolves after its statement committed. */
  submit(encoded: EncodedMessage, maxAttempts: number, delayMs: number): Promise<Result<number>> {
    return new Promise((resolve) => {
      this.#waiting.push({ encoded, key: `${maxAttempts}:${delayMs}`, resolve });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.maxInFlight && this.#waiting.length > 0) {
      const key = (this.#waiting[0] as Waiting).key;
      const group: Waiting[] = [];
      const rest: Waiting[] = [];
      for (const w of this.#waiting) (w.key === key && group.length < MAX_GROUP ? group : rest).push(w);
      this.#waiting = rest;
      const [maxAttempts, delayMs] = key.split(':').map(Number) as [number, number];
      this.#inFlight++;
      void this.write(
        group.map((w) => w.encoded),
        maxAttempts,
        delayMs,
      )
        .then(
          (ids) => {
            group.forEach((w, i) => w.resolve(ids.isErr() ? ids : ok(ids.value[i] as number)));
          },
          (e: unknown) => {
            const failure = err(toMessagingError(e, 'DATABASE_ERROR'));
            for (const w of group) w.resolve(failure);
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#pump();
        });
    }
  }
}
