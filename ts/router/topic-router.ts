/**
 * TopicRouter: delivers a message to every subscription whose pattern matches its topic, in
 * priority order (higher first, then subscription order), with optional filters. Matches are
 * cached per topic and the cache is dropped on any subscription change. A callback that throws
 * or returns an error never stops delivery to the others; it is reported through `onError`.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import { type TopicMatcher as Matcher, TopicMatcher, type TopicSyntax } from './topic-matcher.js';

/** What a subscriber returns: a Result, a promise of one, or nothing. */
export type HandlerResult = Result<void> | Promise<Result<void> | undefined | void> | undefined | void;

/** A subscriber callback. */
export type Handler<M> = (message: M, topic: string) => HandlerResult;

/** Options of one subscription. */
export interface SubscribeOptions<M> {
  /** Only messages for which this returns true are delivered. */
  filter?: (message: M, topic: string) => boolean;
  /** 0 (lowest) to 10 (highest); default 5. */
  priority?: number;
}

/** A subscription made by `subscribe`. */
export class Subscription<M = unknown> {
  constructor(
    /** Unique id of the subscription in its router. */
    readonly id: number,
    /** The pattern it was made with. */
    readonly pattern: string,
    /** Its priority, 0-10. */
    readonly priority: number,
    readonly handler: Handler<M>,
    readonly filter: ((message: M, topic: string) => boolean) | undefined,
  ) {}
}

/** Options of a router. */
export interface TopicRouterOptions<M> {
  /** Pattern syntax (default `amqp`). */
  syntax?: TopicSyntax;
  /** Called when a subscriber throws, rejects or returns an error. */
  onError?: (error: MessagingError, subscription: Subscription<M>, message: M) => void;
  /** Most topics whose matches are cached (default 10,000). */
  cacheSize?: number;
}

/** Options of one publish. */
export interface PublishOptions {
  /** Fail with ROUTING_FAILED when no subscription receives the message. */
  mandatory?: boolean;
}

/** Outcome of one publish. */
export interface PublishResult {
  /** Subscriptions the message was handed to. */
  delivered: number;
}

/**
 * The subscriptions one topic reaches, in delivery order, as the router caches them. `tag` and
 * `count` are the caller's, kept with the topic while it stays cached, so that per-topic
 * bookkeeping costs no lookup of its own (the bus keeps the metrics slot of the topic in `tag`,
 * -1 until set, and counts a batch's deliveries in `count`).
 */
export class Route<M = unknown> {
  tag = -1;
  count = 0;
  constructor(
    readonly topic: string,
    readonly subscriptions: readonly Subscription<M>[],
  ) {}
}

const NO_SUBSCRIBERS: Subscription<never>[] = [];

/** Routes messages to subscriptions by topic pattern. */
export class TopicRouter<M = unknown> {
  readonly #matcher: Matcher;
  readonly #subscriptions = new Map<number, Subscription<M>>();
  readonly #cache = new Map<string, Route<M>>();
  readonly #cacheSize: number;
  readonly #onError: TopicRouterOptions<M>['onError'];
  #nextId = 1;

  private constructor(matcher: Matcher, options: TopicRouterOptions<M>) {
    this.#matcher = matcher;
    this.#onError = options.onError;
    this.#cacheSize = options.cacheSize ?? 10_000;
  }

  /** A new router; NATIVE_UNAVAILABLE when the addon is missing. */
  static create<M = unknown>(options: TopicRouterOptions<M> = {}): Result<TopicRouter<M>> {
    return TopicMatcher.create({ syntax: options.syntax ?? 'amqp' }).map((m) => new TopicRouter<M>(m, options));
  }

  /** Subscribes `handler` to `pattern`; INVALID_ARGUMENT for a bad pattern or priority. */
  subscribe(pattern: string, handler: Handler<M>, options: SubscribeOptions<M> = {}): Result<Subscription<M>> {
    const priority = options.priority ?? 5;
    if (!Number.isInteger(priority) || priority < 0 || priority > 10) {
      return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `priority must be an integer 0-10, got ${priority}`));
    }
    if (typeof handler !== 'function') return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, 'handler must be a function'));
    const id = this.#nextId++;
    const added = this.#matcher.add(pattern, id);
    if (added.isErr()) return added;
    const sub = new Subscription<M>(id, pattern, priority, handler, options.filter);
    this.#subscriptions.set(id, sub);
    this.#cache.clear();
    return ok(sub);
  }

  /** Removes `subscription`; NOT_FOUND when it is not (or no longer) subscribed here. */
  unsubscribe(subscription: Subscription<M>): Result<void> {
    if (this.#subscriptions.get(subscription?.id) !== subscription) {
      return err(new MessagingError(ErrorCode.NOT_FOUND, `subscription ${subscription?.id} is not active on this router`));
    }
    const removed = this.#matcher.remove(subscription.pattern, subscription.id);
    if (removed.isErr()) return removed;
    this.#subscriptions.delete(subscription.id);
    this.#cache.clear();
    return ok();
  }

  /** The subscriptions `topic` reaches, in delivery order. */
  matching(topic: string): Result<readonly Subscription<M>[]> {
    return this.route(topic).map((r) => r.subscriptions);
  }

  /** The cached route of `topic`: its subscriptions in delivery order and the caller's tag. */
  route(topic: string): Result<Route<M>> {
    const cached = this.#cache.get(topic);
    if (cached !== undefined) return ok(cached);
    const ids = this.#matcher.match(topic);
    if (ids.isErr()) return ids;
    let subs: Subscription<M>[];
    if (ids.value.length === 0) subs = NO_SUBSCRIBERS as Subscription<M>[];
    else {
      subs = [];
      for (const id of ids.value) subs.push(this.#subscriptions.get(id) as Subscription<M>);
      subs.sort((a, b) => b.priority - a.priority || a.id - b.id);
    }
    const route = new Route<M>(topic, subs);
    if (this.#cache.size >= this.#cacheSize) this.#cache.clear();
    this.#cache.set(topic, route);
    return ok(route);
  }

  /**
   * Delivers `message` to every subscription matching `topic`, synchronously, in priority
   * order. Returns how many received it; ROUTING_FAILED only for `mandatory` with none.
   */
  publish(topic: string, message: M, options?: PublishOptions): Result<PublishResult> {
    const route = this.route(topic);
    if (route.isErr()) return route;
    const delivered = this.deliver(route.value, topic, message);
    if (delivered === 0 && options?.mandatory) {
      return err(new MessagingError(ErrorCode.ROUTING_FAILED, `no subscriber received the mandatory message on "${topic}"`, { details: { topic } }));
    }
    return ok({ delivered });
  }

  /** Hands `message` to the subscriptions of `route` (from `route(topic)`) whose filter passes; returns how many. */
  deliver(route: Route<M>, topic: string, message: M): number {
    const subs = route.subscriptions;
    let delivered = 0;
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i] as Subscription<M>;
      if (sub.filter !== undefined && !this.#passes(sub, message, topic)) continue;
      delivered++;
      this.#deliver(sub, message, topic);
    }
    return delivered;
  }

  #passes(sub: Subscription<M>, message: M, topic: string): boolean {
    try {
      return sub.filter?.(message, topic) === true;
    } catch (e) {
      this.#report(toMessagingError(e), sub, message);
      return false;
    }
  }

  #deliver(sub: Subscription<M>, message: M, topic: string): void {
    let result: HandlerResult;
    try {
      result = sub.handler(message, topic);
    } catch (e) {
      this.#report(toMessagingError(e), sub, message);
      return;
    }
    if (result === undefined) return;
    if (result instanceof Promise) {
      result.then(
        (r) => {
          if (r?.isErr()) this.#report(r.error, sub, message);
        },
        (e: unknown) => this.#report(toMessagingError(e), sub, message),
      );
    } else if (result.isErr()) this.#report(result.error, sub, message);
  }

  #report(error: MessagingError, sub: Subscription<M>, message: M): void {
    try {
      this.#onError?.(error, sub, message);
    } catch {
      // An onError hook that throws must not stop delivery either.
    }
  }

  /** Number of active subscriptions. */
  get size(): number {
    return this.#subscriptions.size;
  }

  /** Removes every subscription. */
  clear(): void {
    this.#matcher.clear();
    this.#subscriptions.clear();
    this.#cache.clear();
  }
}
