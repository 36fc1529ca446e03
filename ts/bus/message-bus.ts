/**
 * MessageBus: publish → bounded queue → executor → topic router → subscribers, in process.
 * Publishers feel backpressure (QUEUE_FULL under `reject`, a waiting promise and then TIMEOUT
 * under `block`), expired messages (ttl) are dropped and counted, request/reply pairs messages
 * by correlation id. Delivery runs as executor jobs of up to `batchSize` messages, so the queue
 * is crossed per batch. A subscriber that throws, rejects or returns Err never stops delivery;
 * the bus never throws to its caller.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import type { Executor, Logger, Monitor } from '../core/interfaces.js';
import { NO_LOGGER } from '../core/interfaces.js';
import type { ServiceRegistry } from '../core/registry.js';
import { type Result, err, ok } from '../core/result.js';
import { EventLoopExecutor } from '../executor/event-loop-executor.js';
import { Fifo } from '../executor/fifo.js';
import { type QueueOptions, resolveQueueOptions } from '../executor/queue-config.js';
import { newId } from '../message/id.js';
import type { Message } from '../message/message.js';
import type { Metrics } from '../observability/metrics.js';
import { Tally, type TallyKind, TopicTally } from '../observability/topic-tally.js';
import { type MessageScope, TraceContext } from '../observability/trace-context.js';
import { type Handler, type Route, type SubscribeOptions, type Subscription, TopicRouter } from '../router/topic-router.js';
import { type DurableOptions, DurableTopics } from './durable-topics.js';
import { MessageQueue } from './message-queue.js';

/** Options of a MessageBus; every part can be injected. */
export interface MessageBusOptions {
  /** Name in logs and metrics (default `bus`). */
  name?: string;
  /** The router (default: a new AMQP-syntax TopicRouter). */
  router?: TopicRouter<Message>;
  /** Runs deliveries (default: the registry's `io` executor, else a new EventLoopExecutor). */
  executor?: Executor;
  /** Where `io` is looked up when no executor is given. */
  registry?: ServiceRegistry;
  /** The queue: capacity (10,000), policy (`block`), blockTimeoutMs (5,000), watermarks. */
  queue?: QueueOptions;
  /** Most messages delivered by one executor job (default 1,024). */
  batchSize?: number;
  /** Default time limit of `request` in ms (default 5,000). */
  requestTimeoutMs?: number;
  /** Topic patterns whose messages go through a durable queue before delivery. */
  durable?: DurableOptions;
  logger?: Logger;
  /** Receives `messaging_bus_*` counters once per delivered batch. */
  monitor?: Monitor;
  /**
   * The messaging metrics (ts/observability): messages by topic class, sampled routing and
   * handling latency, queue depth, errors by code. Default: none recorded.
   */
  metrics?: Metrics;
  /**
   * Give a message without a trace id one at publish (the current context's, else a new one) and
   * run its subscribers in its trace context (default true).
   */
  tracing?: boolean;
}

/** Counters and gauges of a bus. */
export interface BusStats {
  published: number;
  /** Messages handed to the router (whatever the number of subscribers). */
  delivered: number;
  /** Messages dropped at delivery because their ttl had passed. */
  expired: number;
  /** Messages no subscription matched. */
  unrouted: number;
  /** Messages refused with QUEUE_FULL (reject, or a synchronous publish under block). */
  rejected: number;
  /** Messages dropped by drop_newest / drop_oldest. */
  dropped: number;
  /** Blocked publishes that gave up with TIMEOUT. */
  timedOut: number;
  /** Requests whose reply did not come in time. */
  requestTimeouts: number;
  depth: number;
  capacity: number;
  utilization: number;
  /** Publishers waiting for room. */
  waiting: number;
}

/** Options of one request. */
export interface RequestOptions {
  /** How long to wait for the reply, in ms (default: the bus's requestTimeoutMs). */
  timeoutMs?: number;
}

interface Waiter {
  message: Message;
  resolve: (r: Result<void>) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  done: boolean;
}

interface PendingRequest {
  resolve: (r: Result<Message>) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** What one delivery job did, filled in by its loops. */
interface BatchCounts {
  taken: number;
  delivered: number;
  expired: number;
  unrouted: number;
}

const OK: Result<void> = ok();
const NOTHING = (): undefined => undefined;
const NOT_STARTED = 0;
const RUNNING = 1;
const STOPPING = 2;
const STOPPED = 3;
let busCount = 0;

/** An in-process message bus. `new MessageBus()` works with defaults; problems surface as Err from its methods. */
export class MessageBus {
  readonly name: string;
  readonly #router: TopicRouter<Message> | undefined;
  readonly #executor: Executor | undefined;
  readonly #ownsExecutor: boolean;
  readonly #queue: MessageQueue | undefined;
  readonly #broken: MessagingError | undefined;
  readonly #batchSize: number;
  readonly #requestTimeoutMs: number;
  readonly #blockTimeoutMs: number;
  readonly #policy: string;
  readonly #logger: Logger;
  readonly #monitor: Monitor | undefined;
  readonly #metrics: Metrics | undefined;
  readonly #tally: TopicTally | null;
  readonly #tracing: boolean;
  readonly #queueLabels: { queue: string };
  /** Routes that delivered messages in the current batch; their counts go to the tally once per batch. */
  readonly #counted: Route<Message>[] = [];
  readonly #waiters = new Fifo<Waiter>();
  readonly #requests = new Map<string, PendingRequest>();
  readonly #replyTopic: string;
  #replySubscription: Subscription<Message> | undefined;
  #state = NOT_STARTED;
  #scheduled = false;
  #published = 0;
  #delivered = 0;
  #expired = 0;
  #unrouted = 0;
  #rejectedSync = 0;
  #timedOut = 0;
  #requestTimeouts = 0;
  #idle: (() => void)[] = [];
  readonly #deliverJob = () => this.#deliverBatch();
  #unwatchExecutor: () => void = NOTHING;
  #uncollect: () => void = NOTHING;
  #durable: DurableTopics | undefined;

  constructor(options: MessageBusOptions = {}) {
    this.name = options.name ?? 'bus';
    this.#logger = options.logger ?? NO_LOGGER;
    this.#monitor = options.monitor;
    this.#metrics = options.metrics?.enabled ? options.metrics : undefined;
    this.#tally = this.#metrics ? new TopicTally(this.#metrics) : null;
    this.#tracing = options.tracing !== false;
    this.#queueLabels = { queue: `${this.name}.queue` };
    this.#batchSize = options.batchSize ?? 1024;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.#replyTopic = `_reply.${process.pid}.${++busCount}.${newId().slice(-12)}`;
    let broken: MessagingError | undefined;
    const queue = resolveQueueOptions({ name: `${this.name}.queue`, logger: options.logger, ...options.queue });
    if (queue.isErr()) broken = queue.error;
    if (!Number.isInteger(this.#batchSize) || this.#batchSize < 1) {
      broken ??= new MessagingError(ErrorCode.CONFIG_ERROR, `batchSize must be an integer >= 1, got ${String(options.batchSize)}`, { details: { key: 'batchSize' } });
    }
    this.#queue = queue.isOk() ? new MessageQueue(queue.value) : undefined;
    this.#policy = queue.isOk() ? queue.value.policy : 'block';
    this.#blockTimeoutMs = queue.isOk() ? queue.value.blockTimeoutMs : 0;
    let router = options.router;
    if (router === undefined) {
      const created = TopicRouter.create<Message>({
        onError: (error, sub, message) => {
          this.#metrics?.recordError(error);
          this.#logger.error({ bus: this.name, pattern: sub.pattern, topic: message.header.topic, err: error }, 'a subscriber failed');
        },
      });
      if (created.isErr()) broken ??= created.error;
      else router = created.value;
    }
    this.#router = router;
    let executor = options.executor;
    let owns = false;
    if (executor === undefined && options.registry?.has('io')) {
      const io = options.registry.resolve<Executor>('io');
      if (io.isOk()) executor = io.value;
    }
    if (executor === undefined) {
      const created = EventLoopExecutor.create({ name: `${this.name}.io` });
      if (created.isErr()) broken ??= created.error;
      else {
        executor = created.value;
        owns = true;
      }
    }
    this.#executor = executor;
    this.#ownsExecutor = owns;
    if (this.#metrics && executor) this.#unwatchExecutor = this.#metrics.watchExecutor(executor);
    if (this.#metrics) this.#uncollect = this.#metrics.beforeCollect(() => this.#collect());
    if (options.durable && router && !broken) {
      const durable = DurableTopics.create(options.durable, router, this.#logger);
      if (durable.isErr()) broken = durable.error;
      else this.#durable = durable.value;
    }
    this.#broken = broken;
  }

  /** The durable side of the bus, when durable patterns are configured. */
  get durable(): DurableTopics | undefined {
    return this.#durable;
  }

  /** A bus, or the configuration error that would make it unusable. */
  static create(options: MessageBusOptions = {}): Result<MessageBus> {
    const bus = new MessageBus(options);
    return bus.#broken ? err(bus.#broken) : ok(bus);
  }

  /** The router subscriptions live in. */
  get router(): TopicRouter<Message> | undefined {
    return this.#router;
  }

  /** Whether the bus delivers messages now. */
  get running(): boolean {
    return this.#state === RUNNING;
  }

  /** Starts delivery (messages published before are delivered now). */
  start(): Result<void> {
    if (this.#broken) return err(this.#broken);
    if (this.#state === RUNNING) return OK;
    if (this.#state !== NOT_STARTED) return err(this.#closed());
    if (this.#durable) {
      const started = this.#durable.start();
      if (started.isErr()) return started;
    }
    this.#state = RUNNING;
    if ((this.#queue as MessageQueue).size > 0) this.#schedule();
    return OK;
  }

  /**
   * Stops the bus: new publishes get QUEUE_CLOSED; with `drain` (default) queued messages are
   * delivered first, up to `timeoutMs` (default 10,000). Blocked publishers and open requests
   * fail. Returns how many messages were left undelivered.
   */
  async stop(options: { drain?: boolean; timeoutMs?: number } = {}): Promise<Result<{ abandoned: number }>> {
    if (this.#broken) return err(this.#broken);
    const queue = this.#queue as MessageQueue;
    if (this.#state === STOPPED) return ok({ abandoned: 0 });
    const wasRunning = this.#state === RUNNING;
    this.#state = STOPPING;
    for (let w = this.#waiters.shift(); w !== undefined; w = this.#waiters.shift()) this.#finishWaiter(w, err(this.#closed()));
    await this.#durable?.stop();
    if ((options.drain ?? true) && wasRunning && (queue.size > 0 || this.#scheduled)) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#idle.push(resolve);
        timer = setTimeout(resolve, options.timeoutMs ?? 10_000);
      });
      clearTimeout(timer);
    }
    this.#state = STOPPED;
    this.#unwatchExecutor();
    if (this.#tally !== null) this.#collect();
    this.#uncollect();
    const abandoned = queue.clear().length;
    for (const [, r] of this.#requests) {
      clearTimeout(r.timer);
      r.resolve(err(this.#closed()));
    }
    this.#requests.clear();
    if (this.#ownsExecutor) await (this.#executor as Executor).shutdown({ drain: true, timeoutMs: options.timeoutMs ?? 10_000 });
    return ok({ abandoned });
  }

  /** Queues `message` for delivery to the subscriptions matching its topic. */
  publish(message: Message): Result<void> {
    if (this.#state >= STOPPING || this.#broken) return err(this.#broken ?? this.#closed());
    if (this.#durable?.covers(message.header.topic)) {
      return err(new MessagingError(ErrorCode.INVALID_STATE, `"${message.header.topic}" is a durable topic: use publishAsync, which resolves once the message is stored`));
    }
    const queue = this.#queue as MessageQueue;
    if (this.#tracing && !message.header.hasTraceId()) TraceContext.stamp(message.header);
    if (queue.size >= queue.capacity || this.#waiters.size > 0) {
      const full = this.#overflow(queue, message);
      if (full !== undefined) return full;
    }
    queue.push(message);
    this.#published++;
    if (!this.#scheduled && this.#state === RUNNING) this.#schedule();
    return OK;
  }

  /** Applies the overflow policy to a publish that found the queue full; undefined = push it. */
  #overflow(queue: MessageQueue, message: Message): Result<void> | undefined {
    const tally = this.#tally;
    switch (this.#policy) {
      case 'drop_newest':
        queue.counters.dropped++;
        this.#published++;
        if (tally !== null) {
          const slot = tally.slotOf(message.header.topic);
          tally.add(Tally.PUBLISHED, slot);
          tally.add(Tally.DROPPED_NEWEST, slot);
        }
        return OK;
      case 'drop_oldest': {
        const evicted = queue.evictOldest();
        if (tally !== null && evicted !== undefined) {
          const slot = tally.slotOf(evicted.header.topic);
          tally.add(Tally.PUBLISHED, slot);
          tally.add(Tally.DROPPED_OLDEST, slot);
        }
        return undefined;
      }
      default:
        this.#rejectedSync++;
        if (tally !== null) {
          tally.count(Tally.DROPPED_QUEUE_FULL, message.header.topic);
          (this.#metrics as Metrics).recordError('QUEUE_FULL');
          tally.flush();
        }
        return err(
          new MessagingError(
            ErrorCode.QUEUE_FULL,
            `the queue of bus ${this.name} is full (${queue.capacity} messages, policy ${this.#policy})${this.#policy === 'block' ? '; publishAsync waits for room' : ''}`,
            { details: { capacity: queue.capacity, policy: this.#policy } },
          ),
        );
    }
  }

  /** Queues `message`; under `block` a full queue makes the promise wait for room, then TIMEOUT. */
  publishAsync(message: Message, options: { timeoutMs?: number } = {}): Promise<Result<void>> {
    if (this.#durable?.covers(message.header.topic) && !this.#broken && this.#state < STOPPING) return this.#durable.enqueue(message);
    if (this.#policy !== 'block' || this.#broken || this.#state >= STOPPING) return Promise.resolve(this.publish(message));
    const queue = this.#queue as MessageQueue;
    if (queue.size < queue.capacity && this.#waiters.size === 0) return Promise.resolve(this.publish(message));
    const timeoutMs = options.timeoutMs ?? this.#blockTimeoutMs;
    return new Promise<Result<void>>((resolve) => {
      const waiter: Waiter = { message, resolve, timer: undefined, done: false };
      waiter.timer = setTimeout(() => {
        this.#timedOut++;
        if (this.#tally !== null) {
          this.#tally.count(Tally.DROPPED_BLOCK_TIMEOUT, message.header.topic);
          this.#tally.flush();
          (this.#metrics as Metrics).recordError('TIMEOUT');
        }
        this.#finishWaiter(
          waiter,
          err(new MessagingError(ErrorCode.TIMEOUT, `no room in the queue of bus ${this.name} within ${timeoutMs} ms`, { details: { timeoutMs } })),
        );
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  #finishWaiter(w: Waiter, result: Result<void>): void {
    if (w.done) return;
    w.done = true;
    if (w.timer !== undefined) clearTimeout(w.timer);
    w.resolve(result);
  }

  /** Moves waiting publishers into the room delivery freed, oldest first. */
  #admitWaiters(queue: MessageQueue): void {
    while (this.#waiters.size > 0 && queue.size < queue.capacity) {
      const w = this.#waiters.shift() as Waiter;
      if (w.done) continue;
      queue.push(w.message);
      this.#published++;
      this.#finishWaiter(w, OK);
    }
  }

  /** Subscribes `handler` to `pattern` (AMQP topic syntax); see TopicRouter.subscribe. */
  subscribe(pattern: string, handler: Handler<Message>, options?: SubscribeOptions<Message>): Result<Subscription<Message>> {
    if (this.#broken) return err(this.#broken);
    return (this.#router as TopicRouter<Message>).subscribe(pattern, handler, options);
  }

  /** Removes a subscription. */
  unsubscribe(subscription: Subscription<Message>): Result<void> {
    if (this.#broken) return err(this.#broken);
    return (this.#router as TopicRouter<Message>).unsubscribe(subscription);
  }

  /**
   * Publishes `message` as a request (reply-to set to this bus, correlation id = its id unless
   * set) and resolves with the reply, or TIMEOUT when none comes within `timeoutMs`.
   */
  request(message: Message, options: RequestOptions = {}): Promise<Result<Message>> {
    if (this.#broken) return Promise.resolve(err(this.#broken));
    if (this.#replySubscription === undefined) {
      const sub = (this.#router as TopicRouter<Message>).subscribe(this.#replyTopic, (reply) => this.#onReply(reply), { priority: 10 });
      if (sub.isErr()) return Promise.resolve(sub);
      this.#replySubscription = sub.value;
    }
    const header = message.header;
    const correlationId = header.correlationId ?? (header.id || newId());
    header.correlationId = correlationId;
    header.replyTo = this.#replyTopic;
    if (this.#requests.has(correlationId)) {
      return Promise.resolve(err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `a request with correlation id ${correlationId} is already waiting`)));
    }
    const timeoutMs = options.timeoutMs ?? this.#requestTimeoutMs;
    return new Promise<Result<Message>>((resolve) => {
      const timer = setTimeout(() => {
        this.#requests.delete(correlationId);
        this.#requestTimeouts++;
        this.#metrics?.recordError('TIMEOUT');
        resolve(
          err(new MessagingError(ErrorCode.TIMEOUT, `no reply to ${header.topic} within ${timeoutMs} ms`, { details: { correlationId, timeoutMs, topic: header.topic } })),
        );
      }, timeoutMs);
      this.#requests.set(correlationId, { resolve, timer });
      const published = this.publish(message);
      if (published.isErr()) {
        clearTimeout(timer);
        this.#requests.delete(correlationId);
        resolve(published);
      }
    });
  }

  /** Publishes `reply` to the requester of `request` (its reply-to topic, its correlation id). */
  reply(request: Message, reply: Message): Result<void> {
    const to = request.header.replyTo;
    if (!to) return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `message ${request.header.id} has no reply-to: it is not a request`));
    reply.header.topic = to;
    reply.header.correlationId = request.header.correlationId ?? request.header.id;
    reply.header.type = 'reply';
    if (reply.header.traceId === null) reply.header.traceId = request.header.traceId;
    return this.publish(reply);
  }

  #onReply(reply: Message): undefined {
    const id = reply.header.correlationId;
    const pending = id === null ? undefined : this.#requests.get(id);
    if (pending === undefined) return undefined;
    this.#requests.delete(id as string);
    clearTimeout(pending.timer);
    pending.resolve(ok(reply));
    return undefined;
  }

  #schedule(): void {
    this.#scheduled = true;
    (this.#executor as Executor).submit(this.#deliverJob).then((r) => {
      if (r.isErr()) {
        this.#scheduled = false;
        this.#logger.error({ bus: this.name, err: r.error }, 'the bus executor refused a delivery job');
        this.#wakeIdle();
      }
    }, undefined);
  }

  /**
   * One executor job: delivers up to batchSize messages, then reschedules itself if more wait.
   * With metrics on, the first message of the batch has its routing and handling timed and every
   * delivered message costs one counter increment on its cached route; the counts reach the
   * tally by topic class once per batch. With tracing on, each message's header becomes the
   * current trace context while its subscribers run.
   */
  #deliverBatch(): void {
    const queue = this.#queue as MessageQueue;
    const tally = this.#tally;
    const scope = this.#tracing ? TraceContext.openScope() : null;
    const batch = { taken: 0, delivered: 0, expired: 0, unrouted: 0 };
    try {
      if (tally !== null && queue.size > 0) this.#deliverTimed(queue, scope, batch);
      this.#deliverMessages(queue, scope, batch);
    } catch (e) {
      this.#logger.error({ bus: this.name, err: toMessagingError(e) }, 'delivery failed');
    } finally {
      if (scope !== null) scope.leave();
    }
    const { taken, delivered, expired, unrouted } = batch;
    queue.taken(taken);
    this.#delivered += delivered;
    this.#expired += expired;
    this.#unrouted += unrouted;
    if (this.#monitor !== undefined && taken > 0) this.#report(delivered, expired, unrouted, queue);
    if (tally !== null) this.#recordBatch(tally);
    if (this.#waiters.size > 0) this.#admitWaiters(queue);
    if (queue.size > 0 && this.#state !== STOPPED) this.#schedule();
    else {
      this.#scheduled = false;
      this.#wakeIdle();
    }
  }

  /**
   * The delivery loop: takes messages until the batch is full or the queue is empty. Nothing is
   * timed here, so the loop stays the same whether metrics are on or off.
   */
  #deliverMessages(queue: MessageQueue, scope: MessageScope | null, batch: BatchCounts): void {
    const router = this.#router as TopicRouter<Message>;
    const tally = this.#tally;
    const counted = this.#counted;
    const now = Date.now();
    let taken = batch.taken;
    let delivered = 0;
    let expired = 0;
    let unrouted = 0;
    try {
      for (let budget = this.#batchSize - taken; budget > 0; budget--) {
        const m = queue.shift();
        if (m === undefined) break;
        taken++;
        const h = m.header;
        const route = router.route(h.topic);
        if (route.isErr()) {
          unrouted++;
          this.#unroutable(h.topic, route.error);
          continue;
        }
        const r = route.value;
        const meta = m.metadata;
        if (meta.ttl > 0 && now - h.timestamp > meta.ttl) {
          expired++;
          if (tally !== null) this.#countMissed(tally, Tally.EXPIRED, h.topic);
          continue;
        }
        // With tracing on, publish gave every message a trace id.
        if (scope !== null) scope.enter(h);
        if (router.deliver(r, h.topic, m) === 0) {
          unrouted++;
          if (tally !== null) this.#countMissed(tally, Tally.UNROUTED, h.topic);
        } else {
          delivered++;
          if (tally !== null && r.count++ === 0) counted.push(r);
        }
      }
    } finally {
      batch.taken = taken;
      batch.delivered += delivered;
      batch.expired += expired;
      batch.unrouted += unrouted;
    }
  }

  /**
   * Delivers the first message of a batch with its route lookup (cache hit or native match)
   * and the synchronous part of its subscribers timed: the latency sample of the batch.
   */
  #deliverTimed(queue: MessageQueue, scope: MessageScope | null, batch: BatchCounts): void {
    const m = queue.shift();
    if (m === undefined) return;
    batch.taken++;
    const router = this.#router as TopicRouter<Message>;
    const tally = this.#tally as TopicTally;
    const metrics = this.#metrics as Metrics;
    const h = m.header;
    const t0 = performance.now();
    const route = router.route(h.topic);
    if (route.isErr()) {
      batch.unrouted++;
      this.#unroutable(h.topic, route.error);
      return;
    }
    const r = route.value;
    if (m.isExpired()) {
      batch.expired++;
      this.#countMissed(tally, Tally.EXPIRED, h.topic);
      return;
    }
    if (scope !== null) scope.enter(h);
    const t1 = performance.now();
    const n = router.deliver(r, h.topic, m);
    const t2 = performance.now();
    metrics.routingDuration.observe((t1 - t0) / 1000);
    metrics.handlingDuration.observe(tally.labelsOf(this.#slotOf(r)), (t2 - t1) / 1000);
    if (n === 0) {
      batch.unrouted++;
      this.#countMissed(tally, Tally.UNROUTED, h.topic);
    } else {
      batch.delivered++;
      if (r.count++ === 0) this.#counted.push(r);
    }
  }

  /** A topic the router refused (cannot happen for a topic the builder or codec accepted): logged and counted. */
  #unroutable(topic: string, error: MessagingError): void {
    this.#logger.warn({ bus: this.name, topic, err: error }, 'a message could not be routed');
    if (this.#tally !== null) this.#countMissed(this.#tally, Tally.UNROUTED, topic);
  }

  /** Counts a message that left the queue without being delivered: published, and `kind`. */
  #countMissed(tally: TopicTally, kind: TallyKind, topic: string): void {
    const slot = tally.slotOf(topic);
    tally.add(Tally.PUBLISHED, slot);
    tally.add(kind, slot);
  }

  /** The tally's class slot of a route's topic, kept on the route while it stays cached. */
  #slotOf(route: Route<Message>): number {
    return route.tag >= 0 ? route.tag : (route.tag = (this.#tally as TopicTally).slotOf(route.topic));
  }

  /** Once per delivered batch: the counts of the routes that delivered go to the tally by topic class. */
  #recordBatch(tally: TopicTally): void {
    const counted = this.#counted;
    for (let i = 0; i < counted.length; i++) {
      const route = counted[i] as Route<Message>;
      const slot = this.#slotOf(route);
      tally.add(Tally.PUBLISHED, slot, route.count);
      tally.add(Tally.DELIVERED, slot, route.count);
      route.count = 0;
    }
    counted.length = 0;
  }

  /** When the metrics are read: the tally's sums to the counters, and the queue gauges. */
  #collect(): void {
    const metrics = this.#metrics as Metrics;
    (this.#tally as TopicTally).flush();
    const queue = this.#queue;
    if (queue === undefined) return;
    metrics.queueDepth.set(this.#queueLabels, queue.size);
    metrics.queueUtilization.set(this.#queueLabels, queue.size / queue.capacity);
  }

  #report(delivered: number, expired: number, unrouted: number, queue: MessageQueue): void {
    const monitor = this.#monitor as Monitor;
    const labels = { bus: this.name };
    try {
      monitor.increment('messaging_bus_delivered_total', delivered, labels);
      if (expired > 0) monitor.increment('messaging_bus_expired_total', expired, labels);
      if (unrouted > 0) monitor.increment('messaging_bus_unrouted_total', unrouted, labels);
      monitor.gauge('messaging_bus_queue_depth', queue.size, labels);
    } catch {
      // A monitor that fails must not stop delivery.
    }
  }

  #wakeIdle(): void {
    if (this.#idle.length > 0) for (const w of this.#idle.splice(0)) w();
  }

  #closed(): MessagingError {
    return new MessagingError(ErrorCode.QUEUE_CLOSED, `bus ${this.name} is stopped`);
  }

  /** Counters and gauges. */
  stats(): BusStats {
    const q = this.#queue;
    const c = q?.counters;
    return {
      published: this.#published,
      delivered: this.#delivered,
      expired: this.#expired,
      unrouted: this.#unrouted,
      rejected: this.#rejectedSync,
      dropped: c?.dropped ?? 0,
      timedOut: this.#timedOut,
      requestTimeouts: this.#requestTimeouts,
      depth: q?.size ?? 0,
      capacity: q?.capacity ?? 0,
      utilization: q ? q.size / q.capacity : 0,
      waiting: this.#waiters.size,
    };
  }
}
