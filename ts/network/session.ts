/**
 * One client connection on the broker: its socket, frame splitter, subscriptions and outbound
 * accounting. Frames that follow each other in one received chunk go out as one write; the
 * slow-consumer policy applies when the socket's outbound buffer passes its limit. It never
 * buffers without bound.
 */
import type { Socket } from 'node:net';
import type { MessagingError } from '../core/errors.js';
import { FrameSplitter } from '../message/codec/frames.js';
import { errorFrame } from './protocol.js';

/** What a session does when a client reads slower than messages arrive. */
export type SlowConsumerPolicy = 'drop' | 'disconnect';

/** A connected client. */
export class Session {
  /** Subscription ids of the client, by id, with their patterns. */
  readonly subscriptions = new Map<number, string>();
  /** How many of this session's subscriptions use each pattern. */
  readonly patternUses = new Map<string, number>();
  readonly splitter: FrameSplitter;
  connected = false;
  closed = false;
  lastSeen = Date.now();
  dropped = 0;
  #pending: Uint8Array | null = null;
  #start = 0;
  #end = 0;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    maxFrame: number,
    private readonly outboundLimit: number,
    private readonly policy: SlowConsumerPolicy,
    private readonly onSlow: (session: Session, action: SlowConsumerPolicy) => void,
    records: Uint32Array,
    private readonly onDirty: (session: Session) => void,
  ) {
    this.splitter = new FrameSplitter({ maxFrame, records });
  }

  /**
   * Queues `bytes` for the socket unless its outbound buffer is past the limit; then the policy
   * applies (drop this frame, or disconnect). Frames that follow each other in the same
   * received chunk are coalesced into one write, made by `flush()` at the end of the chunk.
   * Returns whether the frame was queued.
   */
  send(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    if (this.socket.writableLength + (this.#end - this.#start) > this.outboundLimit) {
      this.dropped++;
      this.onSlow(this, this.policy);
      if (this.policy === 'disconnect') this.close();
      return false;
    }
    const pending = this.#pending;
    if (pending !== null && bytes.buffer === pending.buffer && bytes.byteOffset === this.#end) {
      this.#end += bytes.length;
      return true;
    }
    if (pending !== null) this.flush();
    this.onDirty(this);
    this.#pending = bytes;
    this.#start = bytes.byteOffset;
    this.#end = bytes.byteOffset + bytes.length;
    return true;
  }

  /** Writes the frames queued by `send` since the last flush, as one write. */
  flush(): void {
    const pending = this.#pending;
    if (pending === null) return;
    this.#pending = null;
    if (!this.closed) this.socket.write(new Uint8Array(pending.buffer, this.#start, this.#end - this.#start));
    this.#start = 0;
    this.#end = 0;
  }

  /** Sends a control frame regardless of the outbound limit (errors, acks, pongs), in order. */
  sendControl(bytes: Uint8Array): void {
    if (this.closed) return;
    this.flush();
    this.socket.write(bytes);
  }

  /** Sends an ERROR frame, then closes the connection once it is written. */
  fail(error: MessagingError): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.socket.end(errorFrame(error));
    this.socket.setTimeout(1000, () => this.socket.destroy());
  }

  /** Closes the connection at once. */
  close(): void {
    this.closed = true;
    this.#pending = null;
    this.socket.destroy();
  }
}
