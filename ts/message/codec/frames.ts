/**
 * Network frames (u32 payload length, u8 kind, payload) and the splitter that turns socket
 * chunks into frames with ONE native call per chunk: offsets and the peeked routing fields of
 * every complete frame land in a reused Uint32Array; a partial tail waits for the next chunk.
 * It never copies a complete frame and never buffers more than one partial frame.
 */
import { ErrorCode } from '../../core/error-codes.js';
import { MessagingError, toMessagingError } from '../../core/errors.js';
import { nativeBinding } from '../../core/native.js';
import { type Result, err, ok } from '../../core/result.js';

/** Frame kinds (docs/WIRE_FORMAT.md section 3). */
export const FrameKind = {
  CONNECT: 1,
  CONNECT_OK: 2,
  PUBLISH: 3,
  SUBSCRIBE: 4,
  UNSUBSCRIBE: 5,
  REQUEST: 6,
  REPLY: 7,
  ACK: 8,
  ERROR: 9,
  PING: 10,
  PONG: 11,
  PUBLISH_CONFIRM: 12,
} as const;

/** Bytes before a frame's payload. */
export const FRAME_HEADER_LEN = 5;
/** Words per frame record. */
export const RECORD_WORDS = 8;
/** Record word offsets: payload offset, payload length, kind, topic offset, topic length, ttl, trace offset, packed. */
export const Rec = { PAYLOAD: 0, LENGTH: 1, KIND: 2, TOPIC: 3, TOPIC_LEN: 4, TTL: 5, TRACE: 6, PACKED: 7 } as const;
/** Trace offset of a frame whose message has no trace id. */
export const NO_TRACE = 0xffffffff;
/** Default largest frame payload: 16 MiB. */
export const MAX_FRAME_PAYLOAD = 16 * 1024 * 1024;

const HEADER_WORDS = 4;

/** Writes a frame of `kind` around `payload` at `out[at]`; returns the bytes written. */
export function writeFrame(kind: number, payload: Uint8Array, out: Uint8Array, at = 0): number {
  const n = payload.length;
  out[at] = n & 0xff;
  out[at + 1] = (n >>> 8) & 0xff;
  out[at + 2] = (n >>> 16) & 0xff;
  out[at + 3] = (n >>> 24) & 0xff;
  out[at + 4] = kind;
  out.set(payload, at + FRAME_HEADER_LEN);
  return FRAME_HEADER_LEN + n;
}

/** A frame of `kind` around `payload`, as a new Uint8Array. */
export function frame(kind: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LEN + payload.length);
  writeFrame(kind, payload, out);
  return out;
}

/** A record array for `maxFrames` frames per pass, shareable between splitters. */
export function recordArray(maxFrames = 1024): Uint32Array {
  return new Uint32Array(HEADER_WORDS + RECORD_WORDS * maxFrames);
}

/** Splits a byte stream into frames, one native call per pass over a chunk. */
export class FrameSplitter {
  #out: Uint32Array;
  /** Records of the last `next()`: frame `i` at words `[8i, 8i + 8)`. */
  readonly records: Uint32Array;
  #buffer: Uint8Array = new Uint8Array(0);
  #at = 0;
  #maxFrame: number;
  #split: ((chunk: Uint8Array, maxFrame: number, out: Uint32Array) => number) | null = null;

  /**
   * `maxFrame`: largest payload accepted; `maxFrames`: records per pass. Splitters whose
   * records are always read before another splitter runs (all on one thread, read
   * synchronously) may share one record array: pass it as `records` (from `recordArray`).
   */
  constructor(options: { maxFrame?: number; maxFrames?: number; records?: Uint32Array } = {}) {
    this.#maxFrame = options.maxFrame ?? MAX_FRAME_PAYLOAD;
    this.#out = options.records ?? recordArray(options.maxFrames ?? 1024);
    this.records = this.#out.subarray(HEADER_WORDS);
  }

  /** Adds a chunk read from the socket; frames are then read with `next()`. */
  push(chunk: Uint8Array): void {
    if (this.#at < this.#buffer.length) {
      const rest = this.#buffer.subarray(this.#at);
      const joined = new Uint8Array(rest.length + chunk.length);
      joined.set(rest);
      joined.set(chunk, rest.length);
      this.#buffer = joined;
    } else {
      this.#buffer = chunk;
    }
    this.#at = 0;
  }

  /**
   * Splits the next run of complete frames; returns how many (0 when only a partial frame or
   * nothing is left). Read them from `buffer` with the offsets in `records`. PROTOCOL_ERROR
   * for a frame over the limit, of an unknown kind or with a malformed message preamble.
   */
  next(): Result<number> {
    if (this.#at >= this.#buffer.length) return ok(0);
    if (this.#split === null) {
      const binding = nativeBinding();
      if (binding.isErr()) return binding;
      this.#split = binding.value.splitFrames;
    }
    const view = this.#at === 0 ? this.#buffer : this.#buffer.subarray(this.#at);
    try {
      const n = this.#split(view, this.#maxFrame, this.#out);
      this.#view = view;
      this.#at += this.#out[1] as number;
      return ok(n);
    } catch (e) {
      const error = toMessagingError(e, 'PROTOCOL_ERROR');
      return err(error.code === ErrorCode.PROTOCOL_ERROR ? error : new MessagingError(ErrorCode.PROTOCOL_ERROR, error.message, { cause: e }));
    }
  }

  #view: Uint8Array = new Uint8Array(0);

  /** The bytes the offsets of the last `next()` refer to. */
  get buffer(): Uint8Array {
    return this.#view;
  }

  /** Bytes of the partial frame waiting for more data. */
  get pending(): number {
    return this.#buffer.length - this.#at;
  }
}
