/**
 * The message model: a header (identity and routing), a body of named typed values and
 * metadata (delivery hints). Plain classes with public fields so codecs and builders fill them
 * without overhead; validation lives in the builder and the codecs, never here.
 *
 * Ids and trace ids may be held as 16 raw bytes (generated ones, decoded ones) and turned into
 * text on first read; a new random trace id given at publish is drawn only when first read; user
 * headers and metadata values are Maps created on first read. All of it is invisible to users:
 * `header.id`, `header.traceId`, `header.headers` and `metadata.values` read and write as plain
 * fields.
 */
import { copy16, hex16, uuidText, writeHex16 } from './hex.js';
import { traceSlab, traceSlot } from './trace-bytes.js';
import { Container } from './value.js';

/** What a message is for; the wire numbers are the index in MESSAGE_TYPES. */
export type MessageType = 'command' | 'event' | 'query' | 'reply' | 'notification';

/** Message types by wire number. */
export const MESSAGE_TYPES: readonly MessageType[] = ['command', 'event', 'query', 'reply', 'notification'];

/** Stands for the bytes of a trace id that is drawn on first read (with the offset -1). */
const DRAW_ON_READ = new Uint8Array(0);

/** Entries (keys and values) of the user header list before `setHeader` moves them to a Map. */
const MAX_HEADER_LIST = 16;

/** Identity and routing of a message. */
export class Header {
  #id: string | null = '';
  #idBytes: Uint8Array | null = null;
  #idAt = 0;
  /** What the message is for. */
  type: MessageType = 'event';
  /** Who sent it. */
  source = '';
  /** Who it is for. */
  target = '';
  /** The routing key: words separated by `.`, no wildcards. */
  topic = '';
  #traceId: string | null = null;
  #traceBytes: Uint8Array | null = null;
  #traceAt = 0;
  /** Links a reply to its request, or null. */
  correlationId: string | null = null;
  /** Where a reply should go, or null. */
  replyTo: string | null = null;
  /** Milliseconds since the Unix epoch. */
  timestamp = 0;
  /** Version of the message's schema. */
  version = '1.0.0';
  #headers: Map<string, string> | null = null;
  /** User headers added before any Map was asked for: key, value, key, value… (unique keys). */
  #headerList: string[] | null = null;

  /** Message id, a UUIDv7 in text form. */
  get id(): string {
    return this.#id ?? (this.#id = uuidText(this.#idBytes as Uint8Array, this.#idAt));
  }

  set id(id: string) {
    this.#id = id;
    this.#idBytes = null;
  }

  /** W3C trace id (32 lowercase hex characters), or null. */
  get traceId(): string | null {
    if (this.#traceId === null && this.#traceBytes !== null) {
      if (this.#traceAt < 0) this.#draw();
      this.#traceId = hex16(this.#traceBytes, this.#traceAt);
    }
    return this.#traceId;
  }

  set traceId(traceId: string | null) {
    this.#traceId = traceId;
    this.#traceBytes = null;
  }

  /** User headers, string to string, in insertion order. */
  get headers(): Map<string, string> {
    if (this.#headers === null) {
      const map = new Map<string, string>();
      const list = this.#headerList;
      if (list !== null) for (let i = 0; i < list.length; i += 2) map.set(list[i] as string, list[i + 1] as string);
      this.#headers = map;
      this.#headerList = null;
    }
    return this.#headers;
  }

  set headers(headers: Map<string, string>) {
    this.#headers = headers;
    this.#headerList = null;
  }

  /**
   * Sets a user header as `headers.set` would (a key set again keeps its place), without making
   * the Map for the first few: the builder's path.
   */
  setHeader(key: string, value: string): void {
    if (this.#headers === null) {
      const list = this.#headerList;
      if (list === null) {
        this.#headerList = [key, value];
        return;
      }
      if (list.length < MAX_HEADER_LIST) {
        for (let i = 0; i < list.length; i += 2) {
          if (list[i] === key) {
            list[i + 1] = value;
            return;
          }
        }
        list.push(key, value);
        return;
      }
    }
    this.headers.set(key, value);
  }

  /**
   * Sets the id to the 16 bytes at `bytes[at]`, which must not change afterwards; the text is
   * made on first read. For the builder and the decoders.
   */
  setIdBytes(bytes: Uint8Array, at: number): void {
    this.#id = null;
    this.#idBytes = bytes;
    this.#idAt = at;
  }

  /**
   * Sets the trace id to the 16 bytes at `bytes[at]` (not all zero), which must not change
   * afterwards; `text` is its text when known, else it is made on first read.
   */
  setTraceIdBytes(bytes: Uint8Array, at: number, text: string | null = null): void {
    this.#traceId = text;
    this.#traceBytes = bytes;
    this.#traceAt = at;
  }

  /**
   * Gives the header a new random trace id, drawn when something first reads it (its text, or
   * its bytes for the encoder): a message whose trace id nobody reads never pays for one.
   */
  setNewTraceId(): void {
    this.#traceId = null;
    this.#traceBytes = DRAW_ON_READ;
    this.#traceAt = -1;
  }

  #draw(): void {
    const at = traceSlot();
    this.#traceBytes = traceSlab;
    this.#traceAt = at;
  }

  /** Whether the message carries a trace id (without making its text). */
  hasTraceId(): boolean {
    return this.#traceBytes !== null || this.#traceId !== null;
  }

  /** Writes the id's 16 bytes at `out[at]`; false when the id is text that is not a UUID. */
  writeIdBytes(out: Uint8Array, at: number): boolean {
    const bytes = this.#idBytes;
    if (bytes === null) return writeHex16(this.#id as string, out, at);
    copy16(bytes, this.#idAt, out, at);
    return true;
  }

  /**
   * Writes the trace id's 16 bytes at `out[at]` (zeros when there is none); false when it is
   * text that is not 32 hex characters.
   */
  writeTraceIdBytes(out: Uint8Array, at: number): boolean {
    if (this.#traceBytes !== null) {
      if (this.#traceAt < 0) this.#draw();
      copy16(this.#traceBytes, this.#traceAt, out, at);
      return true;
    }
    const text = this.#traceId;
    if (text === null) {
      out.fill(0, at, at + 16);
      return true;
    }
    return text.length === 32 && writeHex16(text, out, at);
  }

  /**
   * Sets the user headers to `list` (key, value, key, value…), whose keys must be unique; the
   * Map is made on first read. For the decoders of validated bytes.
   */
  setHeaderList(list: string[]): void {
    this.#headers = null;
    this.#headerList = list;
  }

  /** The user headers as a Map, or null when no Map was made (see `headerList`). */
  headersOrNull(): Map<string, string> | null {
    return this.#headers;
  }

  /** The user headers set by `setHeader` while no Map was made (key, value…), or null. */
  headerList(): readonly string[] | null {
    return this.#headerList;
  }

  /** The fields as a plain object, in declaration order (what `JSON.stringify` sees). */
  toJSON(): Record<string, unknown> {
    const { type, source, target, topic, correlationId, replyTo, timestamp, version, ...rest } = this;
    const traceId = this.traceId;
    return { id: this.id, type, source, target, topic, traceId, correlationId, replyTo, timestamp, version, headers: this.headers, ...rest };
  }

  /** What `console.log` and `util.inspect` show: the fields, ids as text. */
  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON();
  }
}

/** Delivery hints of a message. */
export class Metadata {
  /** 0 (lowest) to 10 (highest); default 5. */
  priority = 5;
  /** Time to live in ms; 0 means none. */
  ttl = 0;
  /** How many times delivery was retried. */
  retryCount = 0;
  #values: Map<string, string> | null = null;

  /** User metadata, string to string, in insertion order. */
  get values(): Map<string, string> {
    return (this.#values ??= new Map());
  }

  set values(values: Map<string, string>) {
    this.#values = values;
  }

  /** The user metadata, or null when none was ever set or read (saves creating a Map). */
  valuesOrNull(): Map<string, string> | null {
    return this.#values;
  }

  /** The fields as a plain object (what `JSON.stringify` sees). */
  toJSON(): Record<string, unknown> {
    return { priority: this.priority, ttl: this.ttl, retryCount: this.retryCount, values: this.values };
  }

  /** What `console.log` and `util.inspect` show. */
  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON();
  }
}

/** Decodes the body of the validated message at `bytes[at]` (set by the codec). */
export type BodyDecoder = (bytes: Uint8Array, at: number) => Container;

/** Stands in for the body of a lazy message while it is constructed; never exposed. */
const PENDING = new Container();

/** A message: header, body and metadata. Build one with `MessageBuilder`. */
export class Message {
  #body: Container | undefined;
  #bytes: Uint8Array | undefined;
  #bytesAt = 0;
  #decodeBody: BodyDecoder | undefined;

  constructor(
    readonly header: Header = new Header(),
    body: Container = new Container(),
    readonly metadata: Metadata = new Metadata(),
  ) {
    this.#body = body;
  }

  /**
   * A message whose header and metadata are read and whose body is decoded on first access from
   * the message at `bytes[at]`. Those bytes must already be validated (the batch decoder does it
   * natively), so that access cannot fail, and must not change.
   */
  static lazy(header: Header, metadata: Metadata, bytes: Uint8Array, decodeBody: BodyDecoder, at = 0): Message {
    const msg = new Message(header, PENDING, metadata);
    msg.#body = undefined;
    msg.#bytes = bytes;
    msg.#bytesAt = at;
    msg.#decodeBody = decodeBody;
    return msg;
  }

  /** The body: named typed values. */
  get body(): Container {
    if (this.#body === undefined) {
      this.#body = (this.#decodeBody as BodyDecoder)(this.#bytes as Uint8Array, this.#bytesAt);
      this.#bytes = undefined;
    }
    return this.#body;
  }

  /** Whether the body is still undecoded bytes. */
  get isBodyPending(): boolean {
    return this.#body === undefined;
  }

  /** Shortcut for `header.topic`. */
  get topic(): string {
    return this.header.topic;
  }

  /** Shortcut for `header.id`. */
  get id(): string {
    return this.header.id;
  }

  /** Whether the ttl has run out at `now` (ms since the epoch). */
  isExpired(now: number = Date.now()): boolean {
    return this.metadata.ttl > 0 && now - this.header.timestamp > this.metadata.ttl;
  }
}
