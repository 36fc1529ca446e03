/**
 * TraceContext: the trace id, span id, message id and topic of the work in progress, carried
 * through callbacks and awaits by AsyncLocalStorage so every log line written inside can carry
 * them without the caller passing them. Never stores anything but these fields; never throws.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
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

const storage = new AsyncLocalStorage<Readonly<TraceFields>>();

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
    return storage.getStore();
  },

  /**
   * Fields for a child span of the current context: the same trace id, a new span id, the current
   * span as parent. Outside any context, the root of a new trace. `overrides` sets message id/topic.
   */
  child(overrides: { messageId?: string; topic?: string } = {}): Readonly<TraceFields> {
    const parent = storage.getStore();
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

  /** The trace id of the current context, or a new one when there is none (e.g. at publish). */
  traceIdOrNew(): string {
    return storage.getStore()?.traceId ?? newTraceId();
  },
} as const;
