/**
 * MessageBuilder: the fluent way to make a valid message. Setters never throw; every problem
 * is collected and `build()` returns INVALID_MESSAGE naming the field (and listing all
 * problems in `details.problems`). Ids are generated (UUIDv7) when not given.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import { isUuid, writeTraceId } from './hex.js';
import { idSlab, idSlot, newIdSlot } from './id.js';
import { Header, MESSAGE_TYPES, Message, type MessageType, Metadata } from './message.js';
import { validateTopic, validateTraceId } from './validate.js';
import { Container, type InputValue, Tag, type ValueType, inferTag, toStored } from './value.js';

/** One problem found while building: the field and what is wrong with it. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/** Builds a `Message`; reuse is not allowed after `build()`. */
export class MessageBuilder {
  readonly #header = new Header();
  readonly #body = new Container();
  readonly #metadata = new Metadata();
  #problems: FieldProblem[] | null = null;
  #idGiven = false;
  #timestampGiven = false;

  #problem(field: string, problem: string): this {
    (this.#problems ??= []).push({ field, problem });
    return this;
  }

  /** Sets the message id (a lowercase UUID); generated when not given. */
  id(id: string): this {
    if (typeof id !== 'string' || !isUuid(id)) return this.#problem('id', `expected a lowercase UUID, got ${String(id)}`);
    this.#header.id = id;
    this.#idGiven = true;
    return this;
  }

  /** Sets who sends the message. */
  source(source: string): this {
    if (typeof source !== 'string') return this.#problem('source', 'expected a string');
    this.#header.source = source;
    return this;
  }

  /** Sets who the message is for. */
  target(target: string): this {
    if (typeof target !== 'string') return this.#problem('target', 'expected a string');
    this.#header.target = target;
    return this;
  }

  /** Sets the routing key (required; words separated by `.`, no `*` or `#` words). */
  topic(topic: string): this {
    const problem = validateTopic(topic);
    if (problem) return this.#problem('topic', problem);
    this.#header.topic = topic;
    return this;
  }

  /** Sets the W3C trace id (32 hex characters, not all zero). */
  traceId(traceId: string): this {
    const at = idSlot();
    const text = typeof traceId === 'string' ? writeTraceId(traceId, idSlab, at) : null;
    if (text === null) return this.#problem('traceId', validateTraceId(traceId) as string);
    this.#header.setTraceIdBytes(idSlab, at, text);
    return this;
  }

  /** Sets the correlation id that links a reply to its request. */
  correlationId(id: string): this {
    if (typeof id !== 'string') return this.#problem('correlationId', 'expected a string');
    this.#header.correlationId = id;
    return this;
  }

  /** Sets where a reply should go. */
  replyTo(topic: string): this {
    if (typeof topic !== 'string') return this.#problem('replyTo', 'expected a string');
    this.#header.replyTo = topic;
    return this;
  }

  /** Sets the message type: command, event (default), query, reply or notification. */
  type(type: MessageType): this {
    if (!MESSAGE_TYPES.includes(type)) {
      return this.#problem('type', `unknown message type ${JSON.stringify(type)} (expected ${MESSAGE_TYPES.join(', ')})`);
    }
    this.#header.type = type;
    return this;
  }

  /** Sets the timestamp in ms since the epoch; now when not given. */
  timestamp(ms: number): this {
    if (!Number.isSafeInteger(ms)) return this.#problem('timestamp', `expected an integer of ms, got ${ms}`);
    this.#header.timestamp = ms;
    this.#timestampGiven = true;
    return this;
  }

  /** Sets the version of the message's schema (default `1.0.0`). */
  version(version: string): this {
    if (typeof version !== 'string') return this.#problem('version', 'expected a string');
    this.#header.version = version;
    return this;
  }

  /** Adds a user header (string to string). */
  addHeader(key: string, value: string): this {
    if (typeof key !== 'string' || typeof value !== 'string') {
      return this.#problem(`headers.${String(key)}`, 'user headers are strings');
    }
    this.#header.setHeader(key, value);
    return this;
  }

  /**
   * Adds a named body value. Without `type` the type is inferred (docs/MESSAGES.md); with it
   * the value must fit (`addBody('ratio', 1, 'f64')` stores a float 1.0).
   */
  addBody(key: string, value: InputValue, type?: ValueType): this {
    if (typeof key !== 'string') return this.#problem('body', 'keys are strings');
    if (type === undefined) {
      // The common plain values need no conversion: store them as they are.
      if (typeof value === 'string') {
        this.#body.pushRaw(key, Tag.str, value);
        return this;
      }
      if (typeof value === 'number' && (value | 0) === value && !Object.is(value, -0)) {
        this.#body.pushRaw(key, Tag.i32, value);
        return this;
      }
    }
    let tag: number;
    if (type === undefined) {
      tag = inferTag(value);
      if (tag === -1) return this.#problem(`body.${key}`, `cannot store a ${typeof value}`);
    } else {
      const known = Tag[type as ValueType];
      if (known === undefined) return this.#problem(`body.${key}`, `unknown value type ${JSON.stringify(type)}`);
      tag = known;
    }
    const stored = toStored(value, tag, `body.${key}`);
    if (!('ok' in stored)) return this.#problem(stored.path, stored.problem);
    this.#body.pushRaw(key, tag, stored.value);
    return this;
  }

  /** Adds user metadata (string to string). */
  addMetadata(key: string, value: string): this {
    if (typeof key !== 'string' || typeof value !== 'string') {
      return this.#problem(`metadata.${String(key)}`, 'user metadata values are strings');
    }
    this.#metadata.values.set(key, value);
    return this;
  }

  /** Sets the priority, 0 (lowest) to 10 (highest); default 5. */
  priority(priority: number): this {
    if (!Number.isInteger(priority) || priority < 0 || priority > 10) {
      return this.#problem('priority', `expected an integer 0-10, got ${priority}`);
    }
    this.#metadata.priority = priority;
    return this;
  }

  /** Sets the time to live in ms (0 = none). */
  ttl(ms: number): this {
    if (!Number.isInteger(ms) || ms < 0 || ms > 0xffffffff) {
      return this.#problem('ttl', `expected an integer of ms 0-4294967295, got ${ms}`);
    }
    this.#metadata.ttl = ms;
    return this;
  }

  /** Sets the retry count. */
  retryCount(count: number): this {
    if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) {
      return this.#problem('retryCount', `expected a non-negative integer, got ${count}`);
    }
    this.#metadata.retryCount = count;
    return this;
  }

  /** The message, or INVALID_MESSAGE naming the first bad field (all of them in details). */
  build(): Result<Message> {
    if (this.#header.topic === '' && !this.#problems?.some((p) => p.field === 'topic')) {
      this.#problem('topic', 'a topic is required');
    }
    const problems = this.#problems;
    if (problems) {
      const first = problems[0] as FieldProblem;
      return err(
        new MessagingError(ErrorCode.INVALID_MESSAGE, `invalid message: ${first.field}: ${first.problem}`, {
          details: { field: first.field, problems },
        }),
      );
    }
    if (!this.#idGiven || !this.#timestampGiven) {
      const now = Date.now();
      if (!this.#idGiven) {
        const at = newIdSlot(now);
        this.#header.setIdBytes(idSlab, at);
      }
      if (!this.#timestampGiven) this.#header.timestamp = now;
    }
    return ok(new Message(this.#header, this.#body, this.#metadata));
  }
}
