/**
 * Messages on the command line: builds a message from a topic, a JSON object body and options
 * (headers, priority, ttl, trace id, explicit value types), and writes a received message as
 * one JSON line, lossless (the type-tagged form of docs/WIRE_FORMAT.md) or plain. It never
 * talks to the broker and never prints.
 */
import { type Result, err, ok } from '../core/result.js';
import { MessageBuilder } from '../message/builder.js';
import { toJSON } from '../message/json.js';
import type { Message, MessageType } from '../message/message.js';
import { type InputValue, TYPE_NAMES, type ValueType } from '../message/value.js';
import { CliError, EXIT } from './cli-error.js';

/** What a command line says about the message to send. */
export interface MessageArgs {
  topic: string;
  /** The body as JSON text: an object whose keys become body values. */
  json?: string | undefined;
  /** `key=value` user headers. */
  headers?: readonly string[];
  /** `key=type` explicit wire types of top-level body values (`ratio=f64`, `id=i64`). */
  types?: readonly string[];
  priority?: number | undefined;
  ttlMs?: number | undefined;
  traceId?: string | undefined;
  type?: MessageType | undefined;
  source?: string | undefined;
}

function usage(message: string): Result<never, CliError> {
  return err(new CliError(EXIT.USAGE, message));
}

function pairs(list: readonly string[], option: string): Result<[string, string][], CliError> {
  const out: [string, string][] = [];
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) return usage(`--${option}: expected key=value, got ${JSON.stringify(item)}`);
    out.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  return ok(out);
}

/** Converts a JSON value for an explicit type: an i64 may be given as a decimal string. */
function forType(value: unknown, type: ValueType): unknown {
  if (type === 'i64' && typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (type === 'bytes' && typeof value === 'string' && /^(?:[0-9a-fA-F]{2})*$/.test(value)) return new Uint8Array(Buffer.from(value, 'hex'));
  return value;
}

/** Builds the message a publish or request command sends. */
export function buildMessage(args: MessageArgs): Result<Message, CliError> {
  let body: Record<string, unknown> = {};
  if (args.json !== undefined && args.json.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args.json);
    } catch (e) {
      return usage(`the body is not valid JSON: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return usage(`the body must be a JSON object such as '{"user_id":1}', got ${Array.isArray(parsed) ? 'a list' : JSON.stringify(parsed)}`);
    }
    body = parsed as Record<string, unknown>;
  }
  const types = pairs(args.types ?? [], 'type');
  if (types.isErr()) return types;
  const typeOf = new Map<string, ValueType>();
  for (const [key, type] of types.value) {
    if (!TYPE_NAMES.includes(type as ValueType)) return usage(`--type ${key}=${type}: unknown type (expected one of ${TYPE_NAMES.join(', ')})`);
    if (!(key in body)) return usage(`--type ${key}=${type}: the body has no key ${JSON.stringify(key)}`);
    typeOf.set(key, type as ValueType);
  }
  const headers = pairs(args.headers ?? [], 'header');
  if (headers.isErr()) return headers;

  const builder = new MessageBuilder().topic(args.topic);
  for (const [key, value] of Object.entries(body)) {
    const type = typeOf.get(key);
    if (type === undefined) builder.addBody(key, value as InputValue);
    else builder.addBody(key, forType(value, type) as InputValue, type);
  }
  for (const [key, value] of headers.value) builder.addHeader(key, value);
  if (args.priority !== undefined) builder.priority(args.priority);
  if (args.ttlMs !== undefined) builder.ttl(args.ttlMs);
  if (args.traceId !== undefined) builder.traceId(args.traceId);
  if (args.type !== undefined) builder.type(args.type);
  if (args.source !== undefined) builder.source(args.source);
  const built = builder.build();
  if (built.isErr()) return usage(built.error.message);
  return ok(built.value);
}

/** A body value as plain JSON: int64 beyond 2^53 as a decimal string, bytes as hex, NaN/±Infinity as strings. */
function plainJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
  if (Array.isArray(value)) return value.map(plainJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainJson(v);
    return out;
  }
  return value;
}

/** The plain form of `msg`: topic, id, type, ISO timestamp, the optional header fields and the body as an object. */
export function plainMessage(msg: Message): Record<string, unknown> {
  const h = msg.header;
  const ts = typeof h.timestamp === 'number' ? new Date(h.timestamp).toISOString() : String(h.timestamp);
  return {
    topic: h.topic,
    id: h.id,
    type: h.type,
    timestamp: ts,
    ...(h.source ? { source: h.source } : {}),
    ...(h.traceId ? { traceId: h.traceId } : {}),
    ...(h.correlationId ? { correlationId: h.correlationId } : {}),
    ...(h.headers.size > 0 ? { headers: Object.fromEntries(h.headers) } : {}),
    priority: msg.metadata.priority,
    ...(msg.metadata.ttl > 0 ? { ttl: msg.metadata.ttl } : {}),
    body: plainJson(msg.body.toObject()),
  };
}

/** One JSON line for `msg`: the lossless type-tagged form, or the plain form when `plain`. */
export function formatMessage(msg: Message, plain: boolean): string {
  return plain ? JSON.stringify(plainMessage(msg)) : toJSON(msg);
}
