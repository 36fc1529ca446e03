/**
 * The bus's in-process bounded queue of messages waiting for delivery: a ring of Message
 * objects (no encoding: delivery stays in this thread) with the same overflow policies and
 * watermarks as the native queue. `block` is honoured by the bus, which parks publishers here
 * until there is room. It never grows past its capacity and never throws.
 */
import type { Message } from '../message/message.js';
import { Fifo } from '../executor/fifo.js';
import { type ResolvedQueueOptions, Watermarks } from '../executor/queue-config.js';

/** Totals of a message queue. */
export interface MessageQueueCounters {
  enqueued: number;
  dequeued: number;
  dropped: number;
  rejected: number;
}

/** A bounded FIFO of messages. */
export class MessageQueue {
  readonly #ring: Fifo<Message>;
  readonly #watermarks: Watermarks;
  readonly #high: number;
  readonly capacity: number;
  readonly counters: MessageQueueCounters = { enqueued: 0, dequeued: 0, dropped: 0, rejected: 0 };

  constructor(readonly options: ResolvedQueueOptions) {
    this.capacity = options.capacity;
    this.#ring = new Fifo<Message>(Math.min(options.capacity, 1024));
    this.#watermarks = new Watermarks(options);
    this.#high = Math.max(1, Math.ceil(options.capacity * options.highWatermark));
  }

  /** Messages waiting. */
  get size(): number {
    return this.#ring.size;
  }

  /** Whether there is room for one more. */
  get hasRoom(): boolean {
    return this.#ring.size < this.capacity;
  }

  /** Appends `message`; the caller has checked for room or applies a drop policy. */
  push(message: Message): void {
    this.#ring.push(message);
    this.counters.enqueued++;
    if (this.#ring.size === this.#high) this.#watermarks.check(this.#ring.size);
  }

  /** Evicts the oldest message (drop_oldest) and returns it. */
  evictOldest(): Message | undefined {
    const evicted = this.#ring.shift();
    if (evicted !== undefined) this.counters.dropped++;
    return evicted;
  }

  /** Removes and returns the oldest message. */
  shift(): Message | undefined {
    return this.#ring.shift();
  }

  /** Counts `n` messages taken by the consumer and checks the low watermark. */
  taken(n: number): void {
    this.counters.dequeued += n;
    if (this.#watermarks.above) this.#watermarks.check(this.#ring.size);
  }

  /** Removes every waiting message. */
  clear(): Message[] {
    return this.#ring.drain();
  }
}
