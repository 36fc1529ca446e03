/**
 * TopicTally: message counters by topic class for hot paths. Components count into plain
 * arrays (one map lookup per message once a topic is known) and flush the sums to the
 * prom-client counters once per batch or chunk, so a message never costs a label hash. It never
 * allocates per message for a known topic, never keeps more than `maxTopics` topics, and never
 * throws.
 */
import type { DropReason, Metrics } from './metrics.js';

/** What a tally counts, by slot. */
export const Tally = {
  PUBLISHED: 0,
  DELIVERED: 1,
  EXPIRED: 2,
  UNROUTED: 3,
  DROPPED_QUEUE_FULL: 4,
  DROPPED_NEWEST: 5,
  DROPPED_OLDEST: 6,
  DROPPED_SLOW_CONSUMER: 7,
  DROPPED_BLOCK_TIMEOUT: 8,
  DROPPED_MAX_ATTEMPTS: 9,
} as const;

/** A slot of `Tally`. */
export type TallyKind = (typeof Tally)[keyof typeof Tally];

const KINDS = 10;
const REASONS: readonly DropReason[] = ['queue_full', 'drop_newest', 'drop_oldest', 'slow_consumer', 'block_timeout', 'max_attempts'];

/** Counts messages by kind and topic class between flushes. */
export class TopicTally {
  readonly #metrics: Metrics;
  readonly #maxTopics: number;
  /** Topic → class slot. */
  readonly #topics = new Map<string, number>();
  /** Class name → class slot. */
  readonly #slots = new Map<string, number>();
  /** Label objects by class slot, made once. */
  readonly #labels: { class: string }[] = [];
  readonly #dropLabels: { class: string; reason: DropReason }[][] = [];
  /** Counts by kind * classes + class slot; grows with new classes. */
  #counts = new Float64Array(KINDS * 8);
  #width = 8;
  #dirty = false;

  constructor(metrics: Metrics, maxTopics = 10_000) {
    this.#metrics = metrics;
    this.#maxTopics = maxTopics;
  }

  /** The class slot of `topic`, for `add`. */
  slotOf(topic: string): number {
    const known = this.#topics.get(topic);
    if (known !== undefined) return known;
    const name = this.#metrics.topicClass(topic);
    let slot = this.#slots.get(name);
    if (slot === undefined) {
      slot = this.#labels.length;
      this.#slots.set(name, slot);
      this.#labels.push({ class: name });
      this.#dropLabels.push(REASONS.map((reason) => ({ class: name, reason })));
      if (slot >= this.#width) this.#grow();
    }
    if (this.#topics.size >= this.#maxTopics) this.#topics.clear();
    this.#topics.set(topic, slot);
    return slot;
  }

  /** The `{ class }` label object of a class slot (made once per class). */
  labelsOf(slot: number): { class: string } {
    return this.#labels[slot] as { class: string };
  }

  #grow(): void {
    const width = this.#width * 2;
    const counts = new Float64Array(KINDS * width);
    for (let k = 0; k < KINDS; k++) counts.set(this.#counts.subarray(k * this.#width, (k + 1) * this.#width), k * width);
    this.#counts = counts;
    this.#width = width;
  }

  /** Adds `n` (default 1) messages of `topic` to `kind`. */
  count(kind: TallyKind, topic: string, n = 1): void {
    this.add(kind, this.slotOf(topic), n);
  }

  /** Adds `n` (default 1) messages of the class slot `slot` (from `slotOf`) to `kind`. */
  add(kind: TallyKind, slot: number, n = 1): void {
    const i = kind * this.#width + slot;
    this.#counts[i] = (this.#counts[i] as number) + n;
    this.#dirty = true;
  }

  /** Adds the sums since the last flush to the counters and starts again from zero. */
  flush(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    const m = this.#metrics;
    const counts = this.#counts;
    const width = this.#width;
    try {
      for (let slot = 0; slot < this.#labels.length; slot++) {
        const labels = this.#labels[slot] as { class: string };
        for (let k = 0; k < KINDS; k++) {
          const n = counts[k * width + slot] as number;
          if (n === 0) continue;
          counts[k * width + slot] = 0;
          if (k === Tally.PUBLISHED) m.messagesPublished.inc(labels, n);
          else if (k === Tally.DELIVERED) m.messagesDelivered.inc(labels, n);
          else if (k === Tally.EXPIRED) m.messagesExpired.inc(labels, n);
          else if (k === Tally.UNROUTED) m.messagesUnrouted.inc(labels, n);
          else m.messagesDropped.inc((this.#dropLabels[slot] as { class: string; reason: DropReason }[])[k - Tally.DROPPED_QUEUE_FULL] as never, n);
        }
      }
    } catch {
      // A counter that fails must never stop the path that flushes it.
    }
  }
}
