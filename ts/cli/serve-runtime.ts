/**
 * The running broker of `messaging serve`: builds the MessagingServer, the durable queue, the
 * metrics/health endpoint and the config watch from a configuration, starts them in order and
 * stops them in reverse (broker drained first, database last). Every start failure undoes what
 * was started; it never leaves a port bound or a database open behind an error.
 */
import { readFileSync } from 'node:fs';
import { ErrorCode } from '../core/error-codes.js';
import { type Result, err, ok } from '../core/result.js';
import type { MessagingSystemConfig } from '../config/types.js';
import { type ConfigChangeEvent, type ConfigWatcher, watchForChanges } from '../config/watch.js';
import { MessagingServer, type ServerTlsOptions } from '../network/server.js';
import { type HealthServer, startHealthServer } from '../observability/health-server.js';
import { type PinoLogger, createLogger, loggerOptionsFromConfig } from '../observability/logger.js';
import { type Metrics, createMetrics } from '../observability/metrics.js';
import { PersistentMessageQueue } from '../persistence/persistent-message-queue.js';
import { CliError, EXIT } from './cli-error.js';
import { chooseDatabase, databaseTarget, describeDatabase } from './database-target.js';
import { acquireLock } from './pglite-lock.js';

/** Bytes a connection may have queued per message of network.server.outbound_queue_limit. */
export const OUTBOUND_BYTES_PER_MESSAGE = 1024;

/** What `startBroker` needs besides the configuration. */
export interface BrokerRuntimeOptions {
  /** The file to watch for changes (none: no watch). */
  configFile?: string | undefined;
  /** The `--set` overrides, re-applied on every reload. */
  set: readonly string[];
  /** How long a stop waits for clients' buffers to flush, in ms. */
  drainMs: number;
}

/** A started broker. */
export interface BrokerRuntime {
  /** `tcp://127.0.0.1:8080`. */
  readonly url: string;
  /** `http://127.0.0.1:9464/metrics`, or null with monitoring off. */
  readonly metricsUrl: string | null;
  readonly logger: PinoLogger;
  readonly queue: PersistentMessageQueue;
  /** Stops everything in reverse order; safe to call more than once. */
  stop(): Promise<void>;
}

/** network.server.outbound_queue_limit (messages) as the byte limit of a connection's outbound buffer. */
export function outboundLimitBytes(config: MessagingSystemConfig): number {
  const server = config.network.server;
  return Math.max(server.outbound_queue_limit * OUTBOUND_BYTES_PER_MESSAGE, server.max_frame_bytes);
}

function readTls(config: MessagingSystemConfig): Result<ServerTlsOptions | undefined, CliError> {
  const tls = config.network.server.tls;
  if (!tls.enabled) return ok(undefined);
  const read = (key: 'cert_file' | 'key_file' | 'ca_file'): Result<Buffer, CliError> => {
    try {
      return ok(readFileSync(tls[key]));
    } catch (e) {
      return err(new CliError(EXIT.USAGE, `network.server.tls.${key}: cannot read ${JSON.stringify(tls[key])}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
    }
  };
  const cert = read('cert_file');
  if (cert.isErr()) return cert;
  const key = read('key_file');
  if (key.isErr()) return key;
  let ca: Buffer | undefined;
  if (tls.ca_file !== '') {
    const caFile = read('ca_file');
    if (caFile.isErr()) return caFile;
    ca = caFile.value;
  }
  return ok({ cert: cert.value, key: key.value, ...(ca ? { ca } : {}), requestClientCert: tls.request_client_cert, minVersion: tls.min_version });
}

function listenError(what: string, message: string, key: string): CliError {
  const inUse = /EADDRINUSE|address already in use/i.test(message);
  const detail = message.replace(/^cannot listen on [^:]+:\d+: /, '');
  return new CliError(
    EXIT.FAILURE,
    inUse ? `${what}: the port is already in use (is another broker running? choose another with --set ${key}=<port>)` : `${what}: ${detail}`,
  );
}

/** Starts the broker, the queue, the health endpoint and the watch described by `config`. */
export async function startBroker(config: MessagingSystemConfig, options: BrokerRuntimeOptions): Promise<Result<BrokerRuntime, CliError>> {
  const logger = await createLogger({ ...loggerOptionsFromConfig(config.logging), name: 'messaging' });
  if (logger.isErr()) return err(new CliError(EXIT.USAGE, `logging: ${logger.error.message}`));
  const log = logger.value;

  // what is running, stopped in this order: watch, endpoint, broker (drained), queue, lock
  let watcher: ConfigWatcher | null = null;
  let health: HealthServer | null = null;
  let server: MessagingServer | null = null;
  let queue: PersistentMessageQueue | null = null;
  let releaseLock: (() => void) | null = null;
  let metrics: Metrics | null = null;
  const shutdown = async () => {
    watcher?.close();
    await health?.close();
    await server?.stop({ drainMs: options.drainMs });
    await queue?.close();
    releaseLock?.();
    metrics?.close();
    await log.close();
  };
  const fail = async (e: CliError): Promise<Result<never, CliError>> => {
    await shutdown();
    return err(e);
  };

  const created = createMetrics({
    enabled: config.monitoring.enabled,
    topicClasses: config.monitoring.topic_classes,
    maxTopicClasses: config.monitoring.max_topic_classes,
    sampleIntervalMs: config.monitoring.metrics_interval_ms,
  });
  if (created.isErr()) return fail(new CliError(EXIT.USAGE, `monitoring: ${created.error.message}`));
  metrics = created.value;

  const tls = readTls(config);
  if (tls.isErr()) return fail(tls.error);
  const s = config.network.server;
  const broker = new MessagingServer({
    host: s.host,
    port: s.port,
    ...(tls.value ? { tls: tls.value } : {}),
    maxConnections: s.max_connections,
    maxFrameBytes: s.max_frame_bytes,
    idleTimeoutMs: s.idle_timeout_ms,
    heartbeatMs: s.heartbeat_ms,
    outboundLimitBytes: outboundLimitBytes(config),
    slowConsumerPolicy: s.slow_consumer_policy,
    logger: log.child({ component: 'broker' }),
    metrics,
  });
  const listening = await broker.start();
  if (listening.isErr()) {
    const e = listening.error;
    return fail(e.code === ErrorCode.NETWORK_ERROR ? listenError(`cannot listen on ${s.host}:${s.port}`, e.message, 'network.server.port') : new CliError(EXIT.FAILURE, e.message));
  }
  server = broker;

  const choice = chooseDatabase(config);
  if (choice.engine === 'pglite') {
    const lock = acquireLock(choice.dataDir);
    if (lock.isErr()) return fail(lock.error);
    releaseLock = lock.value;
  }
  const opened = await PersistentMessageQueue.open(databaseTarget(choice, false), {
    schema: choice.schema,
    maxAttempts: config.policies.retry.max_attempts,
    backoffMs: config.policies.retry.backoff_ms,
    logger: log.child({ component: 'queue' }),
    metrics,
  });
  if (opened.isErr()) {
    const code = choice.engine === 'postgresql' ? EXIT.UNREACHABLE : EXIT.FAILURE;
    return fail(new CliError(code, `cannot open ${describeDatabase(choice)}: ${opened.error.message.split('\n')[0]}`));
  }
  const durable = opened.value;
  queue = durable;

  if (config.monitoring.enabled) {
    const m = config.monitoring;
    const started = await startHealthServer({
      port: m.port,
      host: m.host,
      registry: metrics.registry,
      readiness: {
        database: async () => (await durable.database.query('SELECT 1')).isOk(),
        broker: () => broker.listening,
      },
    });
    if (started.isErr()) return fail(listenError(`cannot serve metrics on ${m.host}:${m.port}`, started.error.message, 'monitoring.port'));
    health = started.value;
  }

  if (options.configFile !== undefined) {
    const live = metrics;
    const onChange = (event: ConfigChangeEvent) => {
      if (event.kind !== 'changed') return;
      for (const change of event.live) {
        if (change.path === 'logging.level') log.level = event.config.logging.level;
        if (change.path === 'monitoring.metrics_interval_ms') live.setSampleInterval(event.config.monitoring.metrics_interval_ms);
      }
      if (event.live.some((c) => c.path.startsWith('policies.retry.'))) {
        const retry = event.config.policies.retry;
        const applied = durable.setRetryPolicy({ maxAttempts: retry.max_attempts, backoffMs: retry.backoff_ms });
        if (applied.isErr()) log.error({ err: applied.error.message }, 'retry policy not applied');
      }
    };
    const watched = watchForChanges(options.configFile, onChange, { set: options.set, logger: log.child({ component: 'config' }) });
    if (watched.isErr()) return fail(new CliError(EXIT.USAGE, `cannot watch ${options.configFile}: ${watched.error.message.split('\n')[0]}`));
    watcher = watched.value;
  }

  let stopping: Promise<void> | null = null;
  return ok({
    url: broker.url,
    metricsUrl: health ? `${health.url}/metrics` : null,
    logger: log,
    queue: durable,
    stop: () => (stopping ??= shutdown()),
  });
}
