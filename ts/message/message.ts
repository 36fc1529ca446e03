/**
 * The message model: a header (identity and routing), a body of named typed values and
 * metadata (delivery hints). Plain classes with public fields so codecs and builders fill them
 * without overhead; validation lives in the builder and the codecs, never here.
 */
import { Container } from './value.js';

/** What a message is for; the wire numbers are the index in MESSAGE_TYPES. */
export type MessageType = 'command' | 'event' | 'query' | 'reply' | 'notification';

/** Message types by wire number. */
export const MESSAGE_TYPES: readonly MessageType[] = ['command', 'event', 'query', 'reply', 'notification'];

/** Identity and routing of a message. */
export class Header {
  /** Message id, a UUIDv7 in text form. */
  id = '';
  /** What the message is for. */
  type: MessageType = 'event';
  /** Who sent it. */
  source = '';
  /** Who it is for. */
  target = '';
  /** The routing key: words separated by `.`, no wildcards. */
  topic = '';
  /** W3C trace id (32 lowercase hex characters), or null. */
  traceId: string | null = null;
  /** Links a reply to its request, or null. */
  correlationId: string | null = null;
  /** Where a reply should go, or null. */
  replyTo: string | null = null;
  /** Milliseconds since the Unix epoch. */
  timestamp = 0;
  /** Version of the message's schema. */
  version = '1.0.0';
  /** User headers, string to string, in insertion order. */
  headers: Map<string, string> = new Map();
}

/** Delivery hints of a message. */
export class Metadata {
  /** 0 (lowest) to 10 (highest); default 5. */
  priority = 5;
  /** Time to live in ms; 0 means none. */
  ttl = 0;
  /** How many times delivery was retried. */
  retryCount = 0;
  /** User metadata, string to string, in insertion order. */
  values: Map<string, string> = new Map();
}

/** Decodes the body of validated message bytes (set by the codec). */
export type BodyDecoder = (bytes: Uint8Array) => Container;

/** A message: header, body and metadata. Build one with `MessageBuilder`. */
export class Message {
  #body: Container | undefined;
  #bytes: Uint8Array | undefined;
  #decodeBody: BodyDecoder | undefined;

  constructor(
    readonly header: Header = new Header(),
    body: Container = new Container(),
    readonly metadata: Metadata = new Metadata(),
  ) {
    this.#body = body;
  }

  /**
   * A message whose header and metadata are read and whose body is decoded from `bytes` on
   * first access. `bytes` must already be validated (the batch decoder does it natively), so
   * that access cannot fail.
   */
  static lazy(header: Header, metadata: Metadata, bytes: Uint8Array, decodeBody: BodyDecoder): Message {
    const msg = new Message(header, undefined, metadata);
    msg.#body = undefined;
    msg.#bytes = bytes;
    msg.#decodeBody = decodeBody;
    return msg;
  }

  /** The body: named typed values. */
  get body(): Container {
    if (this.#body === undefined) {
      this.#body = (this.#decodeBody as BodyDecoder)(this.#bytes as Uint8Array);
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
