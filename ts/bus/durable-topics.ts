/**
 * Durable topics of a MessageBus: messages whose topic matches a durable pattern go through a
 * PersistentMessageQueue before delivery. `publishAsync` resolves only once the row is
 * committed; a consume loop delivers each message to the bus's subscribers and completes it
 * only when every subscriber succeeded, so a failure is retried with backoff and ends in the
 * dead letters (at-least-once). It never acknowledges what is not committed.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import type { Logger } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';
import type { Message } from '../message/message.js';
import { type ConsumeOptions, PartialFailure, type QueueConsumer } from '../persistence/consumer.js';
import type { PersistentMessageQueue, QueueEntry } from '../persistence/persistent-message-queue.js';
import { TopicMatcher } from '../router/topic-matcher.js';
import type { Subscription, TopicRouter } from '../router/topic-router.js';

/** Which topics are durable and where they are kept. */
export interface DurableOptions {
  /** The queue durable messages go through (opened and closed by the caller). */
  queue: PersistentMessageQueue;
  /** AMQP patterns of the durable topics, e.g. `orders.#`. */
  patterns: readonly string[];
  /** How the delivery loop claims (batch size, lease). */
  consume?: ConsumeOptions;
}

/** Counters of durable delivery. */
export interface DurableStats {
  enqueued: number;
  delivered: number;
  failed: number;
  expired: number;
}

/** The durable side of a bus. */
export class DurableTopics {
  readonly stats: DurableStats = { enqueued: 0, delivered: 0, failed: 0, expired: 0 };
  readonly #matcher: TopicMatcher;
  readonly #covered = new Map<string, boolean>();
  #consumer: QueueConsumer | null = null;

  private constructor(
    private readonly options: DurableOptions,
    matcher: TopicMatcher,
    private readonly router: TopicRouter<Message>,
    private readonly logger: Logger,
  ) {
    this.#matcher = matcher;
  }

  /** Checks the patterns; INVALID_ARGUMENT names a bad one. */
  static create(options: DurableOptions, router: TopicRouter<Message>, logger: Logger): Result<DurableTopics> {
    const matcher = TopicMatcher.create();
    if (matcher.isErr()) return matcher;
    for (const [i, pattern] of options.patterns.entries()) {
      const added = matcher.value.add(pattern, i);
      if (added.isErr()) return err(new MessagingError(ErrorCode.CONFIG_ERROR, `durable pattern "${pattern}": ${added.error.message}`));
    }
    return ok(new DurableTopics(options, matcher.value, router, logger));
  }

  /** Whether `topic` is durable. */
  covers(topic: string): boolean {
    let covered = this.#covered.get(topic);
    if (covered === undefined) {
      const ids = this.#matcher.match(topic);
      covered = ids.isOk() && ids.value.length > 0;
      if (this.#covered.size >= 10_000) this.#covered.clear();
      this.#covered.set(topic, covered);
    }
    return covered;
  }

  /** Stores `message`; resolves once it is committed (DATABASE_ERROR otherwise). */
  async enqueue(message: Message): Promise<Result<void>> {
    const r = await this.options.queue.enqueue(message);
    if (r.isErr()) return r;
    this.stats.enqueued++;
    return ok();
  }

  /** Starts the delivery loop. */
  start(): Result<void> {
    if (this.#consumer) return ok();
    const consumer = this.options.queue.consume((entries) => this.#deliver(entries), this.options.consume);
    if (consumer.isErr()) return consumer;
    this.#consumer = consumer.value;
    return ok();
  }

  /** Stops the delivery loop after the batch in hand. */
  async stop(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = null;
    await consumer?.stop();
  }

  async #deliver(entries: QueueEntry[]): Promise<Result<PartialFailure | undefined>> {
    const failed: number[] = [];
    let firstError: MessagingError | undefined;
    const now = Date.now();
    for (const entry of entries) {
      const message = entry.message;
      if (message.isExpired(now)) {
        this.stats.expired++;
        continue;
      }
      const topic = message.header.topic;
      const subs = this.router.matching(topic);
      if (subs.isErr()) {
        this.logger.error({ topic, err: subs.error.message }, 'a durable message has a topic that cannot be routed');
        continue;
      }
      const error = await deliverAll(subs.value, message, topic);
      if (error === undefined) this.stats.delivered++;
      else {
        this.stats.failed++;
        failed.push(entry.id);
        firstError ??= error;
        this.logger.warn({ topic, messageId: message.header.id, attempts: entry.attempts, err: error.message }, 'durable delivery failed; it will be retried');
      }
    }
    return ok(failed.length > 0 ? new PartialFailure(failed, firstError as MessagingError) : undefined);
  }
}

/** Hands `message` to every subscription and waits for them; the first failure, if any. */
async function deliverAll(subs: readonly Subscription<Message>[], message: Message, topic: string): Promise<MessagingError | undefined> {
  let failure: MessagingError | undefined;
  for (const sub of subs) {
    try {
      if (sub.filter !== undefined && sub.filter(message, topic) !== true) continue;
      const r = await sub.handler(message, topic);
      if (r !== undefined && r !== null && typeof r === 'object' && 'isErr' in r && r.isErr()) failure ??= r.error;
    } catch (e) {
      failure ??= toMessagingError(e);
    }
  }
  return failure;
}
