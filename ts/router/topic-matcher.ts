/**
 * TopicMatcher: the native trie matcher (crates/core/src/matcher) behind a Result API. Ids come
 * back in a Uint32Array this wrapper owns and reuses; a result view is valid until the next
 * call. Semantics and limits: docs/TOPICS.md. It never throws.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import { nativeBinding } from '../core/native.js';
import { type Result, err, ok } from '../core/result.js';

type NativeBinding = ReturnType<typeof nativeBinding> extends Result<infer B> ? B : never;
type NativeMatcher = InstanceType<NativeBinding['TopicMatcher']>;

/** Pattern syntax: AMQP topic exchange (`.`, `*`, `#`) or MQTT (`/`, `+`, `#`). */
export type TopicSyntax = 'amqp' | 'mqtt';

/** Ids and per-topic counts of a batch match. */
export interface BatchMatch {
  /** Ids of all topics, topic after topic. */
  ids: Uint32Array;
  /** Ids per topic; `INVALID_TOPIC` for a topic that was refused. */
  counts: Uint32Array;
  /** Number of topics refused. */
  invalid: number;
}

/** Count reported for a topic the matcher refused. */
export const INVALID_TOPIC = 0xffffffff;

/** Options of a matcher. */
export interface TopicMatcherOptions {
  /** Pattern syntax (default `amqp`). */
  syntax?: TopicSyntax;
  /** Topics whose matches the native core remembers (default 0: off). */
  cache?: number;
}

/** Native topic matcher with reusable output buffers. */
export class TopicMatcher {
  readonly #native: NativeMatcher;
  readonly #handle: number;
  readonly #matchTopic: NativeBinding['matchTopic'];
  readonly #matchTopics: NativeBinding['matchTopics'];
  readonly #add: NativeBinding['matcherAdd'];
  readonly #remove: NativeBinding['matcherRemove'];
  #out = new Uint32Array(256);
  #views: Uint32Array[] = [];
  #batchIds = new Uint32Array(64 * 1024);
  #batchCounts = new Uint32Array(4096);
  readonly #summary = new Uint32Array(5);

  private constructor(native: NativeMatcher, binding: NativeBinding) {
    this.#native = native;
    this.#handle = native.handle;
    this.#matchTopic = binding.matchTopic;
    this.#matchTopics = binding.matchTopics;
    this.#add = binding.matcherAdd;
    this.#remove = binding.matcherRemove;
  }

  /** A new empty matcher; NATIVE_UNAVAILABLE when the addon is missing. */
  static create(options: TopicSyntax | TopicMatcherOptions = {}): Result<TopicMatcher> {
    const { syntax = 'amqp', cache = 0 } = typeof options === 'string' ? { syntax: options } : options;
    const binding = nativeBinding();
    if (binding.isErr()) return binding;
    if (syntax !== 'amqp' && syntax !== 'mqtt') {
      return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `unknown topic syntax "${String(syntax)}" (expected amqp or mqtt)`));
    }
    if (!Number.isInteger(cache) || cache < 0 || cache > 65_536) {
      return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `cache must be an integer 0-65536, got ${cache}`));
    }
    return ok(new TopicMatcher(new binding.value.TopicMatcher(syntax, cache), binding.value));
  }

  /** Binds `pattern` to subscription `id` (an unsigned 32-bit integer). */
  add(pattern: string, id: number): Result<void> {
    if (!isId(id)) return err(badId(id));
    try {
      this.#add(this.#handle, pattern, id);
      return ok();
    } catch (e) {
      return err(toMessagingError(e, 'INVALID_ARGUMENT'));
    }
  }

  /** Unbinds `pattern` from `id`; ok(false) when the binding did not exist. */
  remove(pattern: string, id: number): Result<boolean> {
    try {
      return ok(this.#remove(this.#handle, pattern, id));
    } catch (e) {
      return err(toMessagingError(e, 'INVALID_ARGUMENT'));
    }
  }

  /** Binds a regular expression (Rust `regex` syntax, linear time) to `id`. */
  addRegex(regex: string, id: number): Result<void> {
    if (!isId(id)) return err(badId(id));
    try {
      this.#native.addRegex(regex, id);
      return ok();
    } catch (e) {
      return err(toMessagingError(e, 'INVALID_ARGUMENT'));
    }
  }

  /** Unbinds a regular expression from `id`. */
  removeRegex(regex: string, id: number): Result<boolean> {
    try {
      return ok(this.#native.removeRegex(regex, id));
    } catch (e) {
      return err(toMessagingError(e, 'INVALID_ARGUMENT'));
    }
  }

  /** The ids `topic` reaches, each once, as a view valid until the next call. */
  match(topic: string): Result<Uint32Array> {
    let n: number;
    try {
      n = this.#matchTopic(this.#handle, topic, this.#out);
      if (n > this.#out.length) {
        this.#out = new Uint32Array(Math.max(n, this.#out.length * 2));
        this.#views = [];
        n = this.#matchTopic(this.#handle, topic, this.#out);
      }
    } catch (e) {
      return err(toMessagingError(e, 'INVALID_ARGUMENT'));
    }
    return ok(this.#views[n] ?? this.#view(n));
  }

  #view(n: number): Uint32Array {
    const view = this.#out.subarray(0, n);
    if (n < 1024) this.#views[n] = view;
    return view;
  }

  /**
   * Matches every topic of `topics` in as few native calls as the buffers allow (one for most
   * batches). Views are valid until the next call.
   */
  matchBatch(topics: readonly string[]): Result<BatchMatch> {
    for (const t of topics) {
      if (t.includes('\n')) return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, 'a topic cannot contain a newline'));
    }
    if (this.#batchCounts.length < topics.length) this.#batchCounts = new Uint32Array(topics.length);
    let joined = `${topics.join('\n')}\n`;
    let idsAt = 0;
    let topicsAt = 0;
    let invalid = 0;
    while (topicsAt < topics.length) {
      let done: number;
      try {
        done = this.#matchTopics(this.#handle, joined, this.#batchIds.subarray(idsAt), this.#batchCounts.subarray(topicsAt), this.#summary);
      } catch (e) {
        return err(toMessagingError(e, 'INVALID_ARGUMENT'));
      }
      const ids = this.#summary[1] as number;
      const bad = this.#summary[2] as number;
      const nextNeeds = this.#summary[4] as number;
      topicsAt += done;
      idsAt += ids;
      invalid += bad;
      if (topicsAt < topics.length) {
        const grown = new Uint32Array(Math.max(this.#batchIds.length * 2, idsAt + nextNeeds));
        grown.set(this.#batchIds.subarray(0, idsAt));
        this.#batchIds = grown;
        joined = `${topics.slice(topicsAt).join('\n')}\n`;
      }
    }
    return ok({ ids: this.#batchIds.subarray(0, idsAt), counts: this.#batchCounts.subarray(0, topics.length), invalid });
  }

  /** Checks a pattern without binding it. */
  checkPattern(pattern: string): Result<void> {
    try {
      this.#native.checkPattern(pattern);
      return ok();
    } catch (e) {
      return err(toMessagingError(e, 'INVALID_ARGUMENT'));
    }
  }

  /** Removes every binding. */
  clear(): void {
    this.#native.clear();
  }

  /** Number of `(pattern, id)` bindings. */
  get size(): number {
    return this.#native.size;
  }

  /** Bytes of native heap the matcher holds. */
  heapBytes(): number {
    return this.#native.heapBytes();
  }
}

function isId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id <= 0xffffffff;
}

function badId(id: number): MessagingError {
  return new MessagingError(ErrorCode.INVALID_ARGUMENT, `subscription id must be an integer 0-4294967295, got ${id}`);
}
