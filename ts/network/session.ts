/**
 * One client connection on the broker: its socket, frame splitter, subscriptions and outbound
 * accounting. It writes frames with corking per received chunk and applies the slow-consumer
 * policy when the socket's outbound buffer passes its limit; it never buffers without bound.
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
  #corked = false;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    maxFrame: number,
    private readonly outboundLimit: number,
    private readonly policy: SlowConsumerPolicy,
    private readonly onSlow: (session: Session, action: SlowConsumerPolicy) => void,
    records: Uint32Array,
  ) {
    this.splitter = new FrameSplitter({ maxFrame, records });
  }

  /**
   * Queues `bytes` on the socket unless its outbound buffer is past the limit; then the policy
   * applies (drop this frame, or disconnect). Returns whether the frame was queued.
   */
  send(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    if (this.socket.writableLength > this.outboundLimit) {
      this.dropped++;
      this.onSlow(this, this.policy);
      if (this.policy === 'disconnect') this.close();
      return false;
    }
    if (!this.#corked) {
      this.#corked = true;
      this.socket.cork();
      process.nextTick(uncork, this);
    }
    this.socket.write(bytes);
    return true;
  }

  /** Sends a control frame regardless of the outbound limit (errors, acks, pongs). */
  sendControl(bytes: Uint8Array): void {
    if (!this.closed) this.socket.write(bytes);
  }

  /** Sends an ERROR frame, then closes the connection once it is written. */
  fail(error: MessagingError): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end(errorFrame(error));
    this.socket.setTimeout(1000, () => this.socket.destroy());
  }

  /** Closes the connection at once. */
  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Flushes the writes corked during this tick. */
  uncork(): void {
    this.#corked = false;
    this.socket.uncork();
  }
}

function uncork(session: Session): void {
  session.uncork();
}
