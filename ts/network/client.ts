/**
 * MessagingClient: connects to the broker over TCP or TLS, publishes (batched per tick into
 * one socket write), subscribes, requests and replies; reconnects with capped exponential
 * backoff and jitter, re-subscribing what it had. Publishes while disconnected queue up to a
 * bound or fail fast. Every call returns a Result; nothing here throws to the caller.
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import { type Logger, NO_LOGGER } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';
import { decode } from '../message/codec/decode.js';
import { encodeInto } from '../message/codec/encode.js';
import { FRAME_HEADER_LEN, FrameKind, FrameSplitter, RECORD_WORDS, Rec, recordArray } from '../message/codec/frames.js';
import { newId } from '../message/id.js';
import type { Message } from '../message/message.js';
import type { Metrics } from '../observability/metrics.js';
import { TraceContext } from '../observability/trace-context.js';
import { type PublishResult, TopicRouter } from '../router/topic-router.js';
import { type ConnectOkPayload, PROTOCOL_VERSION, controlFrame, errorFromPayload, parseControl } from './protocol.js';

/** TLS settings of a client. */
export interface ClientTlsOptions {
  /** CA that signed the server certificate (PEM). */
  ca?: string | Buffer;
  /** Client certificate and key, for servers that ask for one. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Name to verify in the server certificate (default: the host). */
  servername?: string;
  /** Verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
}

/** Options of a client. */
export interface MessagingClientOptions {
  host?: string;
  port?: number;
  tls?: ClientTlsOptions | boolean;
  /** Name sent in CONNECT, for the broker's logs. */
  name?: string;
  /** Time limit of connect, subscribe and acknowledged publishes (default 5000 ms). */
  timeoutMs?: number;
  /** Reconnect attempts in a row before giving up (default 3; 0 never reconnects). */
  retryAttempts?: number;
  reconnect?: { initialMs?: number; maxMs?: number };
  /** Publishes kept while disconnected; 0 fails them fast (default 1000). */
  offlineQueueLimit?: number;
  logger?: Logger;
  /** The messaging metrics (ts/observability): sampled handling latency, errors by code. Default: none recorded. */
  metrics?: Metrics;
  /**
   * Give a published message without a trace id one (the current context's, else a new one) and
   * run subscribers in the trace context of the message they handle (default true).
   */
  tracing?: boolean;
  /** Called for errors that belong to no call (a handler that failed, a lost connection). */
  onError?: (error: MessagingError) => void;
}

/** A subscription of a client. */
export interface ClientSubscription {
  readonly id: number;
  readonly pattern: string;
}

/** A client subscriber: gets the message; a request may be answered with `client.reply`. */
export type ClientHandler = (message: Message, topic: string) => unknown;

interface Pending {
  resolve: (r: Result<unknown>) => void;
  timer: NodeJS.Timeout;
}

const OK_VOID: Promise<Result<void>> = Promise.resolve(ok());
/** Every client of the thread reads its frames synchronously per chunk, so they share records. */
const SHARED_RECORDS = recordArray();
const MAX_BATCH = 64 * 1024;
/** One handled message in this many has its handling timed. */
const SAMPLE_MASK = 63;

function dispatch(router: TopicRouter<Message>, m: Message): Result<PublishResult> {
  return router.publish(m.header.topic, m);
}

/** A connection to a broker. */
export class MessagingClient {
  readonly #o: Required<Omit<MessagingClientOptions, 'tls' | 'logger' | 'onError' | 'name' | 'reconnect' | 'metrics' | 'tracing'>> & {
    tls: ClientTlsOptions | null;
    name: string;
    initialMs: number;
    maxMs: number;
  };
  readonly #log: Logger;
  readonly #metrics: Metrics | undefined;
  readonly #tracing: boolean;
  #sampleTick = 0;
  readonly #onError: (error: MessagingError) => void;
  readonly #router: TopicRouter<Message>;
  readonly #subs = new Map<number, { pattern: string; routerSub: ReturnType<TopicRouter<Message>['subscribe']> }>();
  readonly #pending = new Map<string, Pending>();
  readonly #offline: Uint8Array[] = [];
  #socket: Socket | null = null;
  #splitter = new FrameSplitter({ records: SHARED_RECORDS });
  #session: ConnectOkPayload | null = null;
  #batch: Buffer = Buffer.alloc(0);
  #batchLen = 0;
  #flushQueued = false;
  #closed = false;
  #nextSub = 1;
  #heartbeat: NodeJS.Timeout | null = null;
  #lastSent = 0;
  #drainWaiters: (() => void)[] = [];

  private constructor(options: MessagingClientOptions, router: TopicRouter<Message>) {
    const tls = options.tls === true ? {} : options.tls || null;
    this.#o = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
      tls,
      name: options.name ?? `client-${process.pid}`,
      timeoutMs: options.timeoutMs ?? 5000,
      retryAttempts: options.retryAttempts ?? 3,
      initialMs: options.reconnect?.initialMs ?? 100,
      maxMs: options.reconnect?.maxMs ?? 10_000,
      offlineQueueLimit: options.offlineQueueLimit ?? 1000,
    };
    this.#log = options.logger ?? NO_LOGGER;
    this.#metrics = options.metrics?.enabled ? options.metrics : undefined;
    this.#tracing = options.tracing !== false;
    const onError = options.onError ?? ((e: MessagingError) => this.#log.warn({ err: e.message }, 'client error'));
    this.#onError = this.#metrics
      ? (e) => {
          this.#metrics?.recordError(e);
          onError(e);
        }
      : onError;
    this.#router = router;
  }

  /** Connects to `tcp://host:port`, `tls://host:port` or the given options. */
  static async connect(target: string | MessagingClientOptions, options: MessagingClientOptions = {}): Promise<Result<MessagingClient>> {
    const parsed = typeof target === 'string' ? parseUrl(target) : ok(target);
    if (parsed.isErr()) return parsed;
    const merged: MessagingClientOptions = { ...options, ...parsed.value, tls: options.tls ?? parsed.value.tls ?? false };
    let client: MessagingClient;
    const router = TopicRouter.create<Message>({
      onError: (e, sub) => client.#onError(new MessagingError(e.code, `subscriber of "${sub.pattern}" failed: ${e.message}`, { cause: e })),
    });
    if (router.isErr()) return router;
    client = new MessagingClient(merged, router.value);
    const connected = await client.#open();
    if (connected.isErr()) return connected;
    return ok(client);
  }

  /** The session the broker gave this connection (null while disconnected). */
  get session(): ConnectOkPayload | null {
    return this.#session;
  }

  /** Whether the client is connected. */
  get connected(): boolean {
    return this.#session !== null;
  }

  #open(): Promise<Result<void>> {
    return new Promise((resolve) => {
      const o = this.#o;
      const socket = o.tls
        ? tlsConnect({ host: o.host, port: o.port, ...o.tls, servername: o.tls.servername ?? (isIp(o.host) ? undefined : o.host) })
        : tcpConnect({ host: o.host, port: o.port });
      socket.setNoDelay(true);
      const splitter = new FrameSplitter({ records: SHARED_RECORDS });
      let settled = false;
      const finish = (r: Result<void>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (r.isErr()) socket.destroy();
        resolve(r);
      };
      const timer = setTimeout(() => finish(err(new MessagingError(ErrorCode.TIMEOUT, `no answer from ${o.host}:${o.port} within ${o.timeoutMs} ms`))), o.timeoutMs);
      socket.once(o.tls ? 'secureConnect' : 'connect', () => {
        socket.write(controlFrame(FrameKind.CONNECT, { protocol: PROTOCOL_VERSION, client: o.name }));
      });
      socket.on('error', (e) => {
        finish(err(new MessagingError(ErrorCode.NETWORK_ERROR, `cannot reach ${o.host}:${o.port}: ${e.message}`, { cause: e })));
      });
      socket.on('close', () => {
        finish(err(new MessagingError(ErrorCode.CONNECTION_CLOSED, `the broker at ${o.host}:${o.port} closed the connection`)));
        if (this.#socket === socket) this.#lost();
      });
      socket.on('drain', () => this.#drained());
      socket.on('data', (chunk: Buffer) => {
        if (this.#socket === socket) return this.#receive(chunk);
        splitter.push(chunk);
        const n = splitter.next();
        if (n.isErr()) return finish(err(n.error));
        if (n.value === 0) return;
        const { buffer, records } = splitter;
        const kind = records[Rec.KIND] as number;
        const at = records[Rec.PAYLOAD] as number;
        const payload = buffer.subarray(at, at + (records[Rec.LENGTH] as number));
        if (kind === FrameKind.ERROR) {
          const e = parseControl(FrameKind.ERROR, payload);
          return finish(err(e.isOk() ? errorFromPayload(e.value) : e.error));
        }
        if (kind !== FrameKind.CONNECT_OK) return finish(err(new MessagingError(ErrorCode.PROTOCOL_ERROR, `expected CONNECT_OK, got frame kind ${kind}`)));
        const hello = parseControl(FrameKind.CONNECT_OK, payload);
        if (hello.isErr()) return finish(err(hello.error));
        this.#session = hello.value;
        this.#socket = socket;
        this.#splitter = splitter;
        // Frames after CONNECT_OK in the same chunk belong to the session.
        for (let i = 1; i < n.value; i++) this.#frame(buffer, records, i * RECORD_WORDS);
        for (let more = splitter.next(); more.isOk() && more.value > 0; more = splitter.next()) {
          for (let i = 0; i < more.value; i++) this.#frame(splitter.buffer, splitter.records, i * RECORD_WORDS);
        }
        this.#startHeartbeat(hello.value.heartbeatMs);
        finish(ok());
        this.#resume();
      });
    });
  }

  /** After a (re)connect: re-subscribe and send what queued while offline. */
  #resume(): void {
    for (const [id, s] of this.#subs) this.#write(controlFrame(FrameKind.SUBSCRIBE, { id, pattern: s.pattern }));
    this.#write(controlFrame(FrameKind.SUBSCRIBE, { id: 0, pattern: `${this.#session?.inbox}` }));
    for (const frame of this.#offline.splice(0)) this.#write(frame);
  }

  #startHeartbeat(ms: number): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (ms <= 0) return;
    this.#heartbeat = setInterval(() => {
      if (Date.now() - this.#lastSent >= ms) this.#write(PING);
    }, Math.max(10, ms / 2));
    this.#heartbeat.unref();
  }

  #lost(): void {
    this.#socket = null;
    this.#session = null;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#batchLen = 0;
    this.#drained();
    if (this.#closed) return;
    this.#onError(new MessagingError(ErrorCode.CONNECTION_CLOSED, 'the connection to the broker was lost'));
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    for (let attempt = 0; attempt < this.#o.retryAttempts && !this.#closed; attempt++) {
      const base = Math.min(this.#o.maxMs, this.#o.initialMs * 2 ** attempt);
      await new Promise((r) => setTimeout(r, base / 2 + (Math.random() * base) / 2));
      if (this.#closed) return;
      const r = await this.#open();
      if (r.isOk()) {
        this.#log.info({ attempt: attempt + 1 }, 'reconnected to the broker');
        return;
      }
    }
    if (!this.#closed) {
      this.#failOffline(new MessagingError(ErrorCode.CONNECTION_CLOSED, `gave up reconnecting after ${this.#o.retryAttempts} attempts`));
    }
  }

  #failOffline(error: MessagingError): void {
    this.#offline.length = 0;
    for (const [ref, p] of this.#pending) {
      clearTimeout(p.timer);
      p.resolve(err(error));
      this.#pending.delete(ref);
    }
    this.#onError(error);
  }

  /** Appends a frame to this tick's batch; the batch goes out in one write. */
  #write(frame: Uint8Array): void {
    if (!this.#socket) {
      if (this.#offline.length < this.#o.offlineQueueLimit) this.#offline.push(frame);
      return;
    }
    if (this.#batchLen + frame.length > this.#batch.length) this.#flush();
    if (this.#batch.length === 0) this.#batch = Buffer.allocUnsafe(MAX_BATCH);
    if (frame.length > this.#batch.length) {
      this.#socket.write(frame);
      return;
    }
    this.#batch.set(frame, this.#batchLen);
    this.#batchLen += frame.length;
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      process.nextTick(flush, this);
    }
  }

  /** Writes the batch of this tick. */
  flushNow(): void {
    this.#flushQueued = false;
    this.#flush();
  }

  #flush(): void {
    if (this.#batchLen === 0 || !this.#socket) return;
    const full = this.#batchLen > MAX_BATCH / 2;
    this.#socket.write(this.#batch.subarray(0, this.#batchLen));
    this.#lastSent = Date.now();
    // The written bytes belong to the socket now; the rest of a large buffer is reused.
    this.#batch = full || this.#batch.length > MAX_BATCH ? Buffer.alloc(0) : this.#batch.subarray(this.#batchLen);
    this.#batchLen = 0;
  }

  #drained(): void {
    for (const w of this.#drainWaiters.splice(0)) w();
  }

  /** Encodes `msg` as a frame of `kind` straight into the batch. */
  #writeMessage(kind: number, msg: Message): Result<void> {
    if (this.#tracing) TraceContext.stamp(msg.header);
    if (!this.#socket) {
      if (this.#offline.length >= this.#o.offlineQueueLimit) {
        return err(new MessagingError(ErrorCode.CONNECTION_CLOSED, this.#o.offlineQueueLimit === 0 ? 'not connected to the broker' : `not connected and ${this.#o.offlineQueueLimit} messages already wait`));
      }
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.#batch.length === 0) this.#batch = Buffer.allocUnsafe(MAX_BATCH);
      const room = this.#batch.length - this.#batchLen - FRAME_HEADER_LEN;
      const written = encodeInto(msg, this.#batch, this.#batchLen + FRAME_HEADER_LEN);
      if (written.isErr()) return written;
      const n = written.value;
      if (n >= 0 && n <= room) {
        if (!this.#socket) {
          this.#offline.push(Buffer.from(frameHeader(this.#batch, this.#batchLen, kind, n).subarray(this.#batchLen, this.#batchLen + FRAME_HEADER_LEN + n)));
          return ok();
        }
        frameHeader(this.#batch, this.#batchLen, kind, n);
        this.#batchLen += FRAME_HEADER_LEN + n;
        this.#scheduleFlush();
        return ok();
      }
      if (this.#batchLen === 0) {
        const size = FRAME_HEADER_LEN - n;
        this.#batch = Buffer.allocUnsafe(size);
      } else this.#flush();
    }
    return err(new MessagingError(ErrorCode.INTERNAL_ERROR, 'could not place the message in the write batch'));
  }

  /**
   * Publishes `msg`. Resolves once it is queued on the connection (waiting only when the socket
   * pushes back), or with `{ ack: true }` once the broker acknowledged it.
   */
  publish(msg: Message, options?: { ack?: boolean }): Promise<Result<void>> {
    if (this.#closed) return Promise.resolve(err(closedError()));
    if (options?.ack) return this.#confirmed(msg);
    const written = this.#writeMessage(FrameKind.PUBLISH, msg);
    if (written.isErr()) return Promise.resolve(written);
    const socket = this.#socket;
    if (socket !== null && socket.writableNeedDrain) return new Promise((resolve) => this.#drainWaiters.push(() => resolve(ok())));
    return OK_VOID;
  }

  #confirmed(msg: Message): Promise<Result<void>> {
    const wait = this.#expect<void>(msg.header.id, `acknowledgement of message ${msg.header.id}`);
    const written = this.#writeMessage(FrameKind.PUBLISH_CONFIRM, msg);
    if (written.isErr()) {
      this.#settle(msg.header.id, written);
      return wait;
    }
    return wait.then((r) => (r.isErr() ? r : ok()));
  }

  #expect<T>(ref: string, what: string): Promise<Result<T>> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(ref);
        resolve(err(new MessagingError(ErrorCode.TIMEOUT, `no ${what} within ${this.#o.timeoutMs} ms`)));
      }, this.#o.timeoutMs);
      this.#pending.set(ref, { resolve: resolve as (r: Result<unknown>) => void, timer });
    });
  }

  #settle(ref: string, result: Result<unknown>): boolean {
    const p = this.#pending.get(ref);
    if (!p) return false;
    this.#pending.delete(ref);
    clearTimeout(p.timer);
    p.resolve(result);
    return true;
  }

  /** Subscribes `handler` to `pattern`; resolves once the broker confirmed it. */
  async subscribe(pattern: string, handler: ClientHandler): Promise<Result<ClientSubscription>> {
    if (this.#closed) return err(closedError());
    const id = this.#nextSub++;
    const routerSub = this.#router.subscribe(pattern, (m, topic) => {
      handler(m, topic);
    });
    if (routerSub.isErr()) return routerSub;
    this.#subs.set(id, { pattern, routerSub });
    const wait = this.#expect<void>(`sub:${id}`, `confirmation of subscription "${pattern}"`);
    this.#write(controlFrame(FrameKind.SUBSCRIBE, { id, pattern }));
    const confirmed = await wait;
    if (confirmed.isErr()) {
      this.#subs.delete(id);
      this.#router.unsubscribe(routerSub.value);
      return confirmed;
    }
    return ok({ id, pattern });
  }

  /** Removes a subscription; resolves once the broker confirmed it. */
  async unsubscribe(subscription: ClientSubscription): Promise<Result<void>> {
    const s = this.#subs.get(subscription.id);
    if (!s) return err(new MessagingError(ErrorCode.NOT_FOUND, `subscription ${subscription.id} is not active`));
    this.#subs.delete(subscription.id);
    if (s.routerSub.isOk()) this.#router.unsubscribe(s.routerSub.value);
    if (!this.#socket) return ok();
    const wait = this.#expect<void>(`unsub:${subscription.id}`, 'confirmation of unsubscribe');
    this.#write(controlFrame(FrameKind.UNSUBSCRIBE, { id: subscription.id, pattern: s.pattern }));
    return wait;
  }

  /** Sends `msg` as a request and resolves with the reply, or TIMEOUT after `timeoutMs`. */
  request(msg: Message, options: { timeoutMs?: number } = {}): Promise<Result<Message>> {
    if (this.#closed) return Promise.resolve(err(closedError()));
    if (!this.#session) return Promise.resolve(err(new MessagingError(ErrorCode.CONNECTION_CLOSED, 'not connected to the broker')));
    const correlation = msg.header.correlationId ?? newId();
    msg.header.correlationId = correlation;
    msg.header.replyTo = this.#session.inbox;
    if (msg.header.type === 'event') msg.header.type = 'query';
    const timeoutMs = options.timeoutMs ?? this.#o.timeoutMs;
    const wait = new Promise<Result<Message>>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(correlation);
        resolve(err(new MessagingError(ErrorCode.TIMEOUT, `no reply to "${msg.header.topic}" within ${timeoutMs} ms`, { details: { correlationId: correlation } })));
      }, timeoutMs);
      this.#pending.set(correlation, { resolve: resolve as (r: Result<unknown>) => void, timer });
    });
    const written = this.#writeMessage(FrameKind.REQUEST, msg);
    if (written.isErr()) this.#settle(correlation, written);
    return wait;
  }

  /** Answers `request` with `reply` (topic, correlation id and type are set from the request). */
  reply(request: Message, reply: Message): Promise<Result<void>> {
    const { replyTo, correlationId } = request.header;
    if (!replyTo || !correlationId) {
      return Promise.resolve(err(new MessagingError(ErrorCode.INVALID_MESSAGE, 'the message is not a request: it has no reply-to or correlation id')));
    }
    reply.header.topic = replyTo;
    reply.header.correlationId = correlationId;
    reply.header.type = 'reply';
    if (reply.header.traceId === null) reply.header.traceId = request.header.traceId;
    const written = this.#writeMessage(FrameKind.REPLY, reply);
    return Promise.resolve(written);
  }

  #receive(chunk: Buffer): void {
    const splitter = this.#splitter;
    splitter.push(chunk);
    for (;;) {
      const n = splitter.next();
      if (n.isErr()) {
        this.#onError(n.error);
        this.#socket?.destroy();
        return;
      }
      if (n.value === 0) return;
      for (let i = 0; i < n.value; i++) this.#frame(splitter.buffer, splitter.records, i * RECORD_WORDS);
    }
  }

  #frame(buffer: Uint8Array, records: Uint32Array, r: number): void {
    const kind = records[r + Rec.KIND] as number;
    const at = records[r + Rec.PAYLOAD] as number;
    const payload = buffer.subarray(at, at + (records[r + Rec.LENGTH] as number));
    switch (kind) {
      case FrameKind.PUBLISH:
      case FrameKind.REQUEST:
      case FrameKind.REPLY: {
        const msg = decode(payload);
        if (msg.isErr()) return this.#onError(msg.error);
        const m = msg.value;
        if (kind === FrameKind.REPLY && m.header.correlationId !== null && this.#settle(m.header.correlationId, ok(m))) return;
        if (m.header.topic === this.#session?.inbox) return;
        this.#deliver(m);
        return;
      }
      case FrameKind.ACK: {
        const ack = parseControl(FrameKind.ACK, payload);
        if (ack.isOk()) this.#settle(ack.value.ref, ok());
        return;
      }
      case FrameKind.ERROR: {
        const e = parseControl(FrameKind.ERROR, payload);
        if (e.isErr()) return this.#onError(e.error);
        const error = errorFromPayload(e.value);
        if (!(e.value.ref && this.#settle(e.value.ref, err(error)))) this.#onError(error);
        return;
      }
      case FrameKind.PING:
        this.#write(PONG);
        return;
      default:
        return;
    }
  }

  /** Hands `m` to the subscribers, in its trace context, timing one message in SAMPLE_MASK + 1. */
  #deliver(m: Message): void {
    const h = m.header;
    const timed = this.#metrics !== undefined && (++this.#sampleTick & SAMPLE_MASK) === 0;
    const t0 = timed ? performance.now() : 0;
    if (this.#tracing && h.hasTraceId()) TraceContext.runMessage(h, dispatch, this.#router, m);
    else this.#router.publish(h.topic, m);
    if (timed) {
      const metrics = this.#metrics as Metrics;
      metrics.handlingDuration.observe({ class: metrics.topicClass(h.topic) }, (performance.now() - t0) / 1000);
    }
  }

  /** Flushes, closes the connection and fails whatever still waits. */
  async close(): Promise<Result<void>> {
    if (this.#closed) return ok();
    this.#closed = true;
    this.#flush();
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    const socket = this.#socket;
    this.#failOffline(closedError());
    if (socket) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 1000).unref();
      });
    }
    this.#socket = null;
    this.#session = null;
    return ok();
  }
}

function flush(client: MessagingClient): void {
  client.flushNow();
}

function frameHeader(buf: Uint8Array, at: number, kind: number, n: number): Uint8Array {
  buf[at] = n & 0xff;
  buf[at + 1] = (n >>> 8) & 0xff;
  buf[at + 2] = (n >>> 16) & 0xff;
  buf[at + 3] = (n >>> 24) & 0xff;
  buf[at + 4] = kind;
  return buf;
}

function closedError(): MessagingError {
  return new MessagingError(ErrorCode.CONNECTION_CLOSED, 'the client is closed');
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** Parses `tcp://host:port` or `tls://host:port`. */
export function parseUrl(url: string): Result<MessagingClientOptions> {
  const m = /^(tcp|tls):\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(url);
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) {
    return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `broker URL must look like tcp://host:port or tls://host:port, got "${url}"`));
  }
  return ok({ host: (m[2] as string).replace(/^\[|\]$/g, ''), port, ...(m[1] === 'tls' ? { tls: true } : {}) });
}

const PING = new Uint8Array([0, 0, 0, 0, FrameKind.PING]);
const PONG = new Uint8Array([0, 0, 0, 0, FrameKind.PONG]);
