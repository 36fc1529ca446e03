/**
 * TopicMatcher: the native trie matcher (crates/core/src/matcher) behind a Result API. Ids come
 * back in a Uint32Array this wrapper owns and reuses; a result view is valid until the next
 * call. Semantics and limits: docs/TOPICS.md. It never throws.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import { nativeBinding } from '../core/native.js';
import { type Result, err, ok } from '../core/result.js';

type NativeMatcher = InstanceType<ReturnType<typeof bindingClass>>;
function bindingClass() {
  return nativeBinding().unwrap().TopicMatcher;
}

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

/** Native topic matcher with reusable output buffers. */
export class TopicMatcher {
  #native: NativeMatcher;
  #out = new Uint32Array(256);
  #batchIds = new Uint32Array(64 * 1024);
  #batchCounts = new Uint32Array(4096);

  private constructor(native: NativeMatcher) {
    this.#native = native;
  }

  /** A new empty matcher; NATIVE_UNAVAILABLE when the addon is missing. */
  static create(syntax: TopicSyntax = 'amqp'): Result<TopicMatcher> {
    const binding = nativeBinding();
    if (binding.isErr()) return binding;
    if (syntax !== 'amqp' && syntax !== 'mqtt') {
      return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `unknown topic syntax "${String(syntax)}" (expected amqp or mqtt)`));
    }
    return ok(new TopicMatcher(new binding.value.TopicMatcher(syntax)));
  }

  /** Binds `pattern` to subscription `id` (an unsigned 32-bit integer). */
  add(pattern: string, id: number): Result<void> {
    if (!isId(id)) return err(badId(id));
    try {
      this.#native.add(pattern, id);
      return ok();
    } catch (e) {
      return err(toMessagingError(e, 'INVALID_ARGUMENT'));
    }
  }

  /** Unbinds `pattern` from `id`; ok(false) when the binding did not exist. */
  remove(pattern: string, id: number): Result<boolean> {
    try {
      return ok(this.#native.remove(pattern, id));
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
    try {
      let n = this.#native.matchInto(topic, this.#out);
      if (n > this.#out.length) {
        this.#out = new Uint32Array(Math.max(n, this.#out.length * 2));
        n = this.#native.matchInto(topic, this.#out);
      }
      return ok(this.#out.subarray(0, n));
    } catch (e) {
      return err(toMessagingError(e, 'INVALID_ARGUMENT'));
    }
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
      const [done = 0, ids = 0, bad = 0, , nextNeeds = 0] = this.#native.matchBatch(
        joined,
        this.#batchIds.subarray(idsAt),
        this.#batchCounts.subarray(topicsAt),
      );
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
