/**
 * TraceContext: the trace id, span id, message id and topic of the work in progress, carried
 * through callbacks and awaits by AsyncLocalStorage so every log line written inside can carry
 * them without the caller passing them. Never stores anything but these fields; never throws.
 */
import { AsyncLocalStorage, executionAsyncResource } from 'node:async_hooks';
import { isTraceId, newSpanId, newTraceId } from './trace-id.js';

/** The fields of a trace context (what a log line carries). */
export interface TraceFields {
  traceId: string;
  spanId: string;
  /** The span that started this one, if any. */
  parentSpanId?: string;
  messageId?: string;
  topic?: string;
}

/** What `run` accepts: a trace id, or fields of which only some are given. */
export type TraceInput = string | (Partial<TraceFields> & Record<string, unknown>);

/** What `stamp` needs of a message header. */
export interface StampableHeader {
  traceId: string | null;
  hasTraceId(): boolean;
  setNewTraceId(): void;
}

/** What a message header gives the context of its handling: trace id, message id and topic. */
export interface TracedHeader {
  readonly traceId: string | null;
  readonly id: string;
  readonly topic: string;
}

/**
 * The context of one message being handled is its header itself (no allocation per message);
 * its fields, with a span id, are built on first read (a log line, a child span) and kept for
 * that header.
 */
const headerSpans = new WeakMap<TracedHeader, Readonly<TraceFields>>();

function headerFields(header: TracedHeader): Readonly<TraceFields> {
  let fields = headerSpans.get(header);
  if (fields === undefined) {
    fields = Object.freeze({ traceId: header.traceId ?? newTraceId(), spanId: newSpanId(), messageId: header.id, topic: header.topic });
    headerSpans.set(header, fields);
  }
  return fields;
}

const storage = new AsyncLocalStorage<Readonly<TraceFields> | TracedHeader>();

/** A loop that handles messages one after another switches the current context per message. */
export interface MessageScope {
  /**
   * Makes the context of one message current: its trace id (which must not be null), a span of
   * its handling, its id and topic. The header itself becomes the store.
   */
  enter(header: TracedHeader): void;
  /** Makes the context the scope was opened in current again (between messages, and at the end). */
  leave(): void;
}

/**
 * Where AsyncLocalStorage keeps the store on the current async resource (Node 20 and 22); when
 * the runtime keeps it elsewhere, scopes fall back to `enterWith`.
 */
const RESOURCE_STORE: unknown = (storage as unknown as { kResourceStore?: unknown }).kResourceStore;
const ENABLE_STORE = Object.freeze({ traceId: '', spanId: '' });
const noop = (): undefined => undefined;

/** The scope of the current resource: a property write per message (what `run` does, minus its lookups). */
class ResourceScope implements MessageScope {
  readonly #resource: Record<symbol, unknown>;
  readonly #key: symbol;
  readonly #saved: unknown;
  constructor(key: symbol) {
    if (!(storage as unknown as { enabled?: boolean }).enabled) storage.run(ENABLE_STORE, noop);
    this.#key = key;
    this.#resource = executionAsyncResource() as Record<symbol, unknown>;
    this.#saved = this.#resource[key];
  }
  enter(header: TracedHeader): void {
    this.#resource[this.#key] = header;
  }
  leave(): void {
    this.#resource[this.#key] = this.#saved;
  }
}

/** The portable scope: `enterWith` per message. */
class EnterScope implements MessageScope {
  readonly #saved = storage.getStore();
  enter(header: TracedHeader): void {
    storage.enterWith(header);
  }
  leave(): void {
    storage.enterWith(this.#saved as Readonly<TraceFields>);
  }
}

function currentFields(): Readonly<TraceFields> | undefined {
  const store = storage.getStore();
  if (store === undefined || 'spanId' in store) return store;
  return headerFields(store);
}

function build(input: TraceInput | undefined): Readonly<TraceFields> {
  if (typeof input === 'string') return Object.freeze({ traceId: isTraceId(input) ? input : newTraceId(), spanId: newSpanId() });
  const fields: TraceFields = {
    traceId: input?.traceId && isTraceId(input.traceId) ? input.traceId : newTraceId(),
    spanId: input?.spanId ?? newSpanId(),
  };
  if (input?.parentSpanId !== undefined) fields.parentSpanId = input.parentSpanId;
  if (input?.messageId !== undefined) fields.messageId = input.messageId;
  if (input?.topic !== undefined) fields.topic = input.topic;
  return Object.freeze(fields);
}

/** The trace context of the current async execution. */
export const TraceContext = {
  /**
   * Runs `fn` inside a trace context and returns what it returns. A missing or invalid trace id
   * gets a fresh one; a missing span id gets a fresh one.
   */
  run<T>(input: TraceInput | undefined, fn: () => T): T {
    return storage.run(build(input), fn);
  },

  /** The fields of the current context, or undefined outside any. */
  current(): Readonly<TraceFields> | undefined {
    return currentFields();
  },

  /**
   * Runs `fn(a, b)` in the context of one message (its trace id, which must not be null, a span
   * of its handling, its id and topic) and returns what it returns. The hot-path form of `run`:
   * no closure, no validation (the trace id comes from a message header, which the codec and the
   * builder validate), and nothing is read from the header until something reads the context.
   */
  runMessage<A, B, R>(header: TracedHeader, fn: (a: A, b: B) => R, a: A, b: B): R {
    return storage.run(header, fn, a, b);
  },

  /**
   * Opens a scope for a synchronous loop over messages: `enter` before handing each message to
   * its handlers (work they start, awaits and timers included, keeps that message's context),
   * `leave` after the loop (in a finally). Cheaper than `runMessage` per message.
   */
  openScope(): MessageScope {
    return typeof RESOURCE_STORE === 'symbol' ? new ResourceScope(RESOURCE_STORE) : new EnterScope();
  },

  /** The trace id of the current context, or undefined outside any (cheap: no span is drawn). */
  currentTraceId(): string | undefined {
    return storage.getStore()?.traceId ?? undefined;
  },

  /**
   * Fields for a child span of the current context: the same trace id, a new span id, the current
   * span as parent. Outside any context, the root of a new trace. `overrides` sets message id/topic.
   */
  child(overrides: { messageId?: string; topic?: string } = {}): Readonly<TraceFields> {
    const parent = currentFields();
    if (!parent) return build(overrides);
    const fields: TraceFields = { traceId: parent.traceId, spanId: newSpanId(), parentSpanId: parent.spanId };
    const messageId = overrides.messageId ?? parent.messageId;
    const topic = overrides.topic ?? parent.topic;
    if (messageId !== undefined) fields.messageId = messageId;
    if (topic !== undefined) fields.topic = topic;
    return Object.freeze(fields);
  },

  /** Runs `fn` in a child span of the current context (see `child`). */
  runChild<T>(overrides: { messageId?: string; topic?: string }, fn: () => T): T {
    return storage.run(TraceContext.child(overrides), fn);
  },

  /**
   * Gives a message header without a trace id the one of the current context (a message
   * published while another is handled joins its trace), or a new random one, drawn only when
   * something reads it. A header with a trace id is left as it is.
   */
  stamp(header: StampableHeader): void {
    // Something that is not a message header is left for the codec to refuse.
    if (typeof header?.hasTraceId !== 'function' || header.hasTraceId()) return;
    const current = storage.getStore()?.traceId;
    if (current) header.traceId = current;
    else header.setNewTraceId();
  },

  /** The trace id of the current context, or a new one when there is none (e.g. at publish). */
  traceIdOrNew(): string {
    return storage.getStore()?.traceId ?? newTraceId();
  },
} as const;
