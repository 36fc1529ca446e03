/**
 * MessagingServer: the TCP/TLS broker. I/O on the event loop; each socket chunk is split into
 * frames by ONE native call, message frames are routed by their peeked topic and forwarded as
 * the bytes they arrived as (the broker never decodes a body). Bad peers get an ERROR frame and
 * are closed; every other client keeps being served. It must never buffer without bound.
 */
import { type Server, type Socket, createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import { type Executor, type Logger, NO_LOGGER } from '../core/interfaces.js';
import type { ServiceRegistry } from '../core/registry.js';
import { type Result, err, ok } from '../core/result.js';
import { decode } from '../message/codec/decode.js';
import { FrameKind, NO_TRACE, RECORD_WORDS, Rec, recordArray } from '../message/codec/frames.js';
import { readUtf8 } from '../message/codec/utf8.js';
import type { Message } from '../message/message.js';
import type { Metrics } from '../observability/metrics.js';
import { Tally, TopicTally } from '../observability/topic-tally.js';
import { TraceContext } from '../observability/trace-context.js';
import { TopicMatcher } from '../router/topic-matcher.js';
import { type ConnectOkPayload, PROTOCOL_VERSION, controlFrame, errorFrame, parseControl } from './protocol.js';
import { Session, type SlowConsumerPolicy } from './session.js';

/** TLS settings of the server: PEM strings or buffers. */
export interface ServerTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** CA bundle that client certificates must chain to. */
  ca?: string | Buffer;
  /** Ask clients for a certificate and refuse those without a valid one. */
  requestClientCert?: boolean;
  /** Lowest TLS version accepted (default TLSv1.2). */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** Options of a server; every one has a default from config/messaging_system.yaml. */
export interface MessagingServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  tls?: ServerTlsOptions;
  maxConnections?: number;
  maxFrameBytes?: number;
  /** A connection silent for this long is closed (0: never). */
  idleTimeoutMs?: number;
  /** Heartbeat interval announced to clients. */
  heartbeatMs?: number;
  /** Bytes queued to one connection before the slow-consumer policy applies. */
  outboundLimitBytes?: number;
  slowConsumerPolicy?: SlowConsumerPolicy;
  /** Subscriptions one connection may hold. */
  maxSubscriptionsPerConnection?: number;
  logger?: Logger;
  /**
   * The messaging metrics (ts/observability): messages by topic class, sampled routing latency,
   * connections, bytes in and out, errors by code. Default: none recorded.
   */
  metrics?: Metrics;
  /** Runs in-process subscribers (default: the registry's `work` executor, else inline). */
  executor?: Executor;
  /** Where `work` is looked up when no executor is given. */
  registry?: ServiceRegistry;
}

/** Counters of a running server. */
export interface ServerStats {
  connections: number;
  refused: number;
  framesIn: number;
  bytesIn: number;
  published: number;
  delivered: number;
  expired: number;
  unrouted: number;
  dropped: number;
  slowConsumers: number;
  protocolErrors: number;
}

/** An in-process subscriber of the broker. */
export type LocalHandler = (message: Message, topic: string) => void;

const LOCAL_BASE = 0x80000000;
/** One routed frame in this many has its match timed. */
const SAMPLE_MASK = 63;
/** Levels at which the broker logs every routed frame. */
const ROUTE_LOG_LEVELS: ReadonlySet<string> = new Set(['trace', 'debug']);
const SERVER_NAME = 'messaging-system/0.1.0';

/** The broker. */
export class MessagingServer {
  readonly #options: Required<Omit<MessagingServerOptions, 'tls' | 'logger' | 'executor' | 'registry' | 'metrics'>> & Pick<MessagingServerOptions, 'tls'>;
  readonly #executor: Executor | null;
  #unwatchExecutor: () => void = () => undefined;
  readonly #log: Logger;
  readonly #metrics: Metrics | undefined;
  readonly #tally: TopicTally | null;
  /** Bytes queued to sessions since the last flush of the counters. */
  #bytesOut = 0;
  #sampleTick = 0;
  /** Whether routing is logged (debug or lower), read once per chunk. */
  #logRoutes = false;
  readonly #sessions = new Map<number, Session>();
  readonly #local = new Map<number, { pattern: string; handler: LocalHandler }>();
  readonly #cache = new Map<string, Uint32Array>();
  /** One record array for every session: a chunk's frames are handled before the next chunk. */
  readonly #records = recordArray();
  /** Sessions with frames queued while handling the current chunk. */
  readonly #dirty: Session[] = [];
  readonly #markDirty = (session: Session): void => {
    this.#dirty.push(session);
  };
  #matcher: TopicMatcher | null = null;
  #server: Server | null = null;
  #nextSession = 1;
  #nextLocal = LOCAL_BASE;
  #idleTimer: NodeJS.Timeout | null = null;
  #stopping = false;
  readonly #stats: ServerStats = {
    connections: 0, refused: 0, framesIn: 0, bytesIn: 0, published: 0, delivered: 0,
    expired: 0, unrouted: 0, dropped: 0, slowConsumers: 0, protocolErrors: 0,
  };

  constructor(options: MessagingServerOptions = {}) {
    this.#options = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
      tls: options.tls,
      maxConnections: options.maxConnections ?? 10_000,
      maxFrameBytes: options.maxFrameBytes ?? 16 * 1024 * 1024,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      heartbeatMs: options.heartbeatMs ?? 15_000,
      outboundLimitBytes: options.outboundLimitBytes ?? 8 * 1024 * 1024,
      slowConsumerPolicy: options.slowConsumerPolicy ?? 'disconnect',
      maxSubscriptionsPerConnection: options.maxSubscriptionsPerConnection ?? 10_000,
    };
    this.#log = options.logger ?? NO_LOGGER;
    this.#metrics = options.metrics?.enabled ? options.metrics : undefined;
    this.#tally = this.#metrics ? new TopicTally(this.#metrics) : null;
    const work = options.executor ?? (options.registry?.has('work') ? options.registry.resolve<Executor>('work').unwrap() : null);
    this.#executor = work;
  }

  /** Listens on host:port; NETWORK_ERROR when the port cannot be bound. */
  async start(): Promise<Result<void>> {
    if (this.#server) return err(new MessagingError(ErrorCode.INVALID_STATE, 'the server is already started'));
    const matcher = TopicMatcher.create();
    if (matcher.isErr()) return matcher;
    this.#matcher = matcher.value;
    const tls = this.#options.tls;
    const server = tls
      ? createTlsServer({
          cert: tls.cert,
          key: tls.key,
          ...(tls.ca ? { ca: tls.ca } : {}),
          requestCert: tls.requestClientCert === true,
          rejectUnauthorized: tls.requestClientCert === true,
          minVersion: tls.minVersion ?? 'TLSv1.2',
        })
      : createServer();
    server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => this.#accept(socket));
    server.on('tlsClientError', (e: Error) => this.#log.warn({ err: e.message }, 'TLS handshake failed'));
    const listening = await new Promise<Result<void>>((resolve) => {
      server.once('error', (e) => resolve(err(new MessagingError(ErrorCode.NETWORK_ERROR, `cannot listen on ${this.#options.host}:${this.#options.port}: ${e.message}`, { cause: e }))));
      server.listen(this.#options.port, this.#options.host, () => resolve(ok()));
    });
    if (listening.isErr()) return listening;
    server.on('error', (e) => this.#log.error({ err: e.message }, 'server error'));
    this.#server = server;
    if (this.#options.idleTimeoutMs > 0) {
      this.#idleTimer = setInterval(() => this.#closeIdle(), Math.max(50, Math.min(this.#options.idleTimeoutMs / 2, 5000)));
      this.#idleTimer.unref();
    }
    if (this.#metrics && this.#executor) this.#unwatchExecutor = this.#metrics.watchExecutor(this.#executor);
    this.#log.info({ url: this.url }, 'broker listening');
    return ok();
  }

  /** The bound address. */
  get address(): { host: string; port: number } {
    const a = this.#server?.address();
    return typeof a === 'object' && a ? { host: a.address, port: a.port } : { host: this.#options.host, port: this.#options.port };
  }

  /** The URL clients connect to, e.g. `tcp://127.0.0.1:8080`. */
  get url(): string {
    const { host, port } = this.address;
    return `${this.#options.tls ? 'tls' : 'tcp'}://${host}:${port}`;
  }

  /** A snapshot of the counters. */
  stats(): ServerStats {
    return { ...this.#stats, connections: this.#sessions.size };
  }

  /** Whether the server is listening. */
  get listening(): boolean {
    return this.#server?.listening === true && !this.#stopping;
  }

  /** Subscribes an in-process handler; it receives decoded messages. */
  subscribe(pattern: string, handler: LocalHandler): Result<{ unsubscribe: () => Result<void> }> {
    const matcher = this.#matcher;
    if (!matcher) return err(new MessagingError(ErrorCode.INVALID_STATE, 'start the server first'));
    const id = this.#nextLocal++;
    const added = matcher.add(pattern, id);
    if (added.isErr()) return added;
    this.#local.set(id, { pattern, handler });
    this.#cache.clear();
    return ok({
      unsubscribe: () => {
        if (!this.#local.delete(id)) return err(new MessagingError(ErrorCode.NOT_FOUND, 'already unsubscribed'));
        this.#cache.clear();
        return matcher.remove(pattern, id).map(() => undefined);
      },
    });
  }

  /** Stops accepting, tells clients, waits up to `drainMs` for their buffers to flush, closes. */
  async stop(options: { drainMs?: number } = {}): Promise<Result<void>> {
    const server = this.#server;
    if (!server) return ok();
    this.#stopping = true;
    if (this.#idleTimer) clearInterval(this.#idleTimer);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const bye = new MessagingError(ErrorCode.CONNECTION_CLOSED, 'the broker is shutting down');
    for (const s of this.#sessions.values()) s.fail(bye);
    const deadline = Date.now() + (options.drainMs ?? 1000);
    while (this.#sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const s of this.#sessions.values()) s.close();
    await closed;
    this.#server = null;
    this.#unwatchExecutor();
    this.#matcher?.clear();
    this.#cache.clear();
    this.#log.info('broker stopped');
    return ok();
  }

  #accept(socket: Socket): void {
    if (this.#stopping || this.#sessions.size >= this.#options.maxConnections) {
      this.#stats.refused++;
      this.#metrics?.connectionsRefused.inc({ reason: this.#stopping ? 'shutting_down' : 'max_connections' });
      const why = this.#stopping ? 'the broker is shutting down' : `the broker holds its maximum of ${this.#options.maxConnections} connections`;
      socket.end(errorFrame(new MessagingError(ErrorCode.CONNECTION_CLOSED, why)));
      socket.setTimeout(1000, () => socket.destroy());
      socket.on('error', () => undefined);
      return;
    }
    socket.setNoDelay(true);
    const o = this.#options;
    const session = new Session(this.#nextSession++, socket, o.maxFrameBytes, o.outboundLimitBytes, o.slowConsumerPolicy, (s, action) => this.#slow(s, action), this.#records, this.#markDirty);
    this.#sessions.set(session.id, session);
    if (this.#metrics) {
      this.#metrics.connectionsAccepted.inc();
      this.#metrics.connectionsOpen.set(this.#sessions.size);
    }
    socket.on('data', (chunk: Buffer) => this.#receive(session, chunk));
    socket.on('error', (e) => this.#log.debug({ session: session.id, err: e.message }, 'connection error'));
    socket.on('close', () => this.#drop(session));
  }

  #slow(session: Session, action: SlowConsumerPolicy): void {
    this.#stats.dropped++;
    if (this.#metrics) this.#metrics.messagesDropped.inc({ class: 'other', reason: 'slow_consumer' });
    if (action === 'disconnect' || session.dropped === 1) {
      this.#stats.slowConsumers++;
      this.#log.warn({ session: session.id, action }, 'slow consumer');
    }
  }

  #drop(session: Session): void {
    session.closed = true;
    if (!this.#sessions.delete(session.id)) return;
    this.#metrics?.connectionsOpen.set(this.#sessions.size);
    for (const pattern of session.patternUses.keys()) this.#matcher?.remove(pattern, session.id);
    if (session.patternUses.size > 0) this.#cache.clear();
  }

  #protocolError(session: Session, error: MessagingError): void {
    this.#stats.protocolErrors++;
    this.#metrics?.recordError(error);
    this.#log.warn({ session: session.id, err: error.message }, 'protocol error; closing the connection');
    session.fail(error);
  }

  #receive(session: Session, chunk: Buffer): void {
    if (session.closed) return;
    this.#logRoutes = this.#log !== NO_LOGGER && ROUTE_LOG_LEVELS.has(this.#log.level);
    this.#split(session, chunk);
    const dirty = this.#dirty;
    for (let i = 0; i < dirty.length; i++) (dirty[i] as Session).flush();
    dirty.length = 0;
    if (this.#metrics) this.#flushMetrics(chunk.length);
  }

  /** Once per received chunk: bytes in and out, and the message counters by topic class. */
  #flushMetrics(bytesIn: number): void {
    const metrics = this.#metrics as Metrics;
    metrics.bytesReceived.inc(bytesIn);
    if (this.#bytesOut > 0) {
      metrics.bytesSent.inc(this.#bytesOut);
      this.#bytesOut = 0;
    }
    this.#tally?.flush();
  }

  #split(session: Session, chunk: Buffer): void {
    this.#stats.bytesIn += chunk.length;
    session.lastSeen = Date.now();
    const splitter = session.splitter;
    splitter.push(chunk);
    for (;;) {
      const next = splitter.next();
      if (next.isErr()) return this.#protocolError(session, next.error);
      const n = next.value;
      if (n === 0) return;
      this.#stats.framesIn += n;
      const { buffer, records } = splitter;
      for (let i = 0; i < n; i++) {
        if (!this.#frame(session, buffer, records, i * RECORD_WORDS)) return;
      }
    }
  }

  /** Handles one frame; false when the session was closed and the rest must be ignored. */
  #frame(session: Session, buffer: Uint8Array, records: Uint32Array, r: number): boolean {
    const kind = records[r + Rec.KIND] as number;
    const at = records[r + Rec.PAYLOAD] as number;
    const len = records[r + Rec.LENGTH] as number;
    if (!session.connected) {
      if (kind !== FrameKind.CONNECT) {
        this.#protocolError(session, new MessagingError(ErrorCode.PROTOCOL_ERROR, `expected CONNECT first, got frame kind ${kind}`));
        return false;
      }
      return this.#connect(session, buffer.subarray(at, at + len));
    }
    switch (kind) {
      case FrameKind.PUBLISH:
      case FrameKind.REQUEST:
      case FrameKind.REPLY:
        this.#route(buffer, records, r, session);
        return true;
      case FrameKind.PUBLISH_CONFIRM: {
        buffer[at - 1] = FrameKind.PUBLISH; // subscribers see a plain publish
        const delivered = this.#route(buffer, records, r, session);
        const idAt = at + 36;
        const id = Buffer.from(buffer.buffer, buffer.byteOffset + idAt, 16).toString('hex');
        session.sendControl(controlFrame(FrameKind.ACK, { ref: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`, delivered }));
        return true;
      }
      case FrameKind.SUBSCRIBE:
      case FrameKind.UNSUBSCRIBE:
        return this.#subscription(session, kind, buffer.subarray(at, at + len));
      case FrameKind.PING:
        session.sendControl(PONG);
        return true;
      case FrameKind.PONG:
        return true;
      default:
        this.#protocolError(session, new MessagingError(ErrorCode.PROTOCOL_ERROR, `frame kind ${kind} is not accepted from a client`));
        return false;
    }
  }

  #connect(session: Session, payload: Uint8Array): boolean {
    const hello = parseControl(FrameKind.CONNECT, payload);
    if (hello.isErr()) {
      this.#protocolError(session, hello.error);
      return false;
    }
    if (hello.value.protocol !== PROTOCOL_VERSION) {
      this.#protocolError(session, new MessagingError(ErrorCode.PROTOCOL_ERROR, `protocol version ${hello.value.protocol} is not supported (this broker speaks ${PROTOCOL_VERSION})`));
      return false;
    }
    session.connected = true;
    const answer: ConnectOkPayload = {
      protocol: PROTOCOL_VERSION,
      server: SERVER_NAME,
      session: session.id,
      inbox: `_inbox.${session.id}`,
      heartbeatMs: this.#options.heartbeatMs,
      maxFrame: this.#options.maxFrameBytes,
    };
    session.sendControl(controlFrame(FrameKind.CONNECT_OK, answer));
    this.#log.debug({ session: session.id, client: hello.value.client }, 'client connected');
    return true;
  }

  #subscription(session: Session, kind: typeof FrameKind.SUBSCRIBE | typeof FrameKind.UNSUBSCRIBE, payload: Uint8Array): boolean {
    const parsed = parseControl(kind, payload);
    if (parsed.isErr()) {
      this.#protocolError(session, parsed.error);
      return false;
    }
    const { id, pattern } = parsed.value;
    const matcher = this.#matcher as TopicMatcher;
    if (kind === FrameKind.SUBSCRIBE) {
      if (session.subscriptions.size >= this.#options.maxSubscriptionsPerConnection) {
        this.#protocolError(session, new MessagingError(ErrorCode.PROTOCOL_ERROR, `more than ${this.#options.maxSubscriptionsPerConnection} subscriptions on one connection`));
        return false;
      }
      const uses = session.patternUses.get(pattern) ?? 0;
      if (uses === 0) {
        const added = matcher.add(pattern, session.id);
        if (added.isErr()) {
          session.sendControl(errorFrame(added.error, `sub:${id}`));
          return true;
        }
        this.#cache.clear();
      }
      session.patternUses.set(pattern, uses + 1);
      session.subscriptions.set(id, pattern);
      session.sendControl(controlFrame(FrameKind.ACK, { ref: `sub:${id}` }));
      return true;
    }
    const known = session.subscriptions.get(id);
    if (known === undefined) {
      session.sendControl(errorFrame(new MessagingError(ErrorCode.NOT_FOUND, `no subscription ${id} on this connection`), `unsub:${id}`));
      return true;
    }
    session.subscriptions.delete(id);
    const uses = (session.patternUses.get(known) ?? 1) - 1;
    if (uses === 0) {
      session.patternUses.delete(known);
      matcher.remove(known, session.id);
      this.#cache.clear();
    } else session.patternUses.set(known, uses);
    session.sendControl(controlFrame(FrameKind.ACK, { ref: `unsub:${id}` }));
    return true;
  }

  #targets(topic: string): Uint32Array | null {
    let ids = this.#cache.get(topic);
    if (ids === undefined) {
      const matched = (this.#matcher as TopicMatcher).match(topic);
      if (matched.isErr()) return null;
      ids = matched.value.slice();
      if (this.#cache.size >= 10_000) this.#cache.clear();
      this.#cache.set(topic, ids);
    }
    return ids;
  }

  /** Forwards one message frame to every session and local handler its topic reaches. */
  #route(buffer: Uint8Array, records: Uint32Array, r: number, from: Session): number {
    this.#stats.published++;
    const at = records[r + Rec.PAYLOAD] as number;
    const len = records[r + Rec.LENGTH] as number;
    const ttl = records[r + Rec.TTL] as number;
    const tally = this.#tally;
    const topic = readUtf8(buffer, records[r + Rec.TOPIC] as number, records[r + Rec.TOPIC_LEN] as number) ?? '';
    const slot = tally === null ? 0 : tally.slotOf(topic);
    if (tally !== null) tally.add(Tally.PUBLISHED, slot);
    if (ttl > 0) {
      const ts = (buffer[at + 16]! | (buffer[at + 17]! << 8) | (buffer[at + 18]! << 16)) + buffer[at + 19]! * 0x1000000 + (buffer[at + 20]! | (buffer[at + 21]! << 8) | (buffer[at + 22]! << 16) | (buffer[at + 23]! << 24)) * 4294967296;
      if (Date.now() - ts > ttl) {
        this.#stats.expired++;
        if (tally !== null) tally.add(Tally.EXPIRED, slot);
        if (this.#logRoutes) this.#logRoute(buffer, records, r, topic, 'expired', 0);
        return 0;
      }
    }
    const timed = tally !== null && (++this.#sampleTick & SAMPLE_MASK) === 0;
    const t0 = timed ? performance.now() : 0;
    const ids = this.#targets(topic);
    if (timed) (this.#metrics as Metrics).routingDuration.observe((performance.now() - t0) / 1000);
    if (ids === null) {
      this.#metrics?.recordError('INVALID_ARGUMENT');
      from.sendControl(errorFrame(new MessagingError(ErrorCode.INVALID_ARGUMENT, `topic "${topic.slice(0, 64)}" cannot be routed`)));
      return 0;
    }
    if (ids.length === 0) {
      this.#stats.unrouted++;
      if (tally !== null) tally.add(Tally.UNROUTED, slot);
      if (this.#logRoutes) this.#logRoute(buffer, records, r, topic, 'unrouted', 0);
      return 0;
    }
    const bytes = buffer.subarray(at - 5, at + len);
    let delivered = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (id >= LOCAL_BASE) {
        if (this.#deliverLocal(id, bytes.subarray(5), topic)) delivered++;
        continue;
      }
      const target = this.#sessions.get(id);
      if (target !== undefined && target.send(bytes)) delivered++;
    }
    this.#stats.delivered += delivered;
    if (tally !== null) {
      tally.add(Tally.DELIVERED, slot, delivered);
      this.#bytesOut += bytes.length * delivered;
    }
    if (this.#logRoutes) this.#logRoute(buffer, records, r, topic, 'routed', delivered);
    return delivered;
  }

  /** The debug line of one routed frame, with the trace id read from the frame's bytes. */
  #logRoute(buffer: Uint8Array, records: Uint32Array, r: number, topic: string, outcome: string, delivered: number): void {
    const traceAt = records[r + Rec.TRACE] as number;
    const traceId = traceAt === NO_TRACE ? null : Buffer.from(buffer.buffer, buffer.byteOffset + traceAt, 16).toString('hex');
    this.#log.debug({ traceId, topic, delivered, kind: records[r + Rec.KIND] }, `message ${outcome}`);
  }

  #deliverLocal(id: number, payload: Uint8Array, topic: string): boolean {
    const local = this.#local.get(id);
    if (!local) return false;
    const msg = decode(payload);
    if (msg.isErr()) {
      this.#log.warn({ err: msg.error.message }, 'undecodable message for a local subscriber');
      return false;
    }
    const message = msg.value;
    const h = message.header;
    const handle = () => local.handler(message, topic);
    const run = h.hasTraceId() ? () => TraceContext.runMessage(h, handle, undefined, undefined) : handle;
    if (this.#executor === null) {
      try {
        run();
      } catch (e) {
        this.#metrics?.recordError(toMessagingError(e));
        this.#log.error({ err: toMessagingError(e).message, pattern: local.pattern }, 'local subscriber threw');
      }
      return true;
    }
    void this.#executor.submit(run).then((r) => {
      if (r.isErr()) this.#log.error({ err: r.error.message, pattern: local.pattern }, 'local subscriber failed');
    });
    return true;
  }

  #closeIdle(): void {
    const limit = Date.now() - this.#options.idleTimeoutMs;
    for (const s of this.#sessions.values()) {
      if (s.lastSeen < limit) s.fail(new MessagingError(ErrorCode.TIMEOUT, `no frame for ${this.#options.idleTimeoutMs} ms`));
    }
  }
}

const PONG = new Uint8Array([0, 0, 0, 0, FrameKind.PONG]);
