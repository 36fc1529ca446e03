/**
 * Metrics on prom-client: an own Registry (never the global one) holding the default process
 * metrics and the messaging metric set, every name prefixed `messaging_`, with typed handles the
 * bus, broker and persistence record through, and a no-op variant for disabled monitoring. The
 * latency histograms of the set are FastHistograms (same exposition, cheaper to record).
 * Topic labels are bounded to a few classes. Recording never throws and never allocates labels
 * beyond those classes.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorName } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import type { Executor, MetricLabels, Monitor, WorkerUsage } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';
import { FastHistogram } from './fast-histogram.js';

/** The prefix of every metric name. */
export const METRIC_PREFIX = 'messaging_';

/** Label values of a sample. */
export type Labels<L extends string> = Partial<Record<L, string | number>>;

/** A counter as the recorders see it. */
export interface CounterMetric<L extends string = string> {
  inc(value?: number): void;
  inc(labels: Labels<L>, value?: number): void;
}

/** A gauge as the recorders see it. */
export interface GaugeMetric<L extends string = string> {
  set(value: number): void;
  set(labels: Labels<L>, value: number): void;
  inc(value?: number): void;
  inc(labels: Labels<L>, value?: number): void;
  dec(value?: number): void;
  dec(labels: Labels<L>, value?: number): void;
}

/** A histogram as the recorders see it. */
export interface HistogramMetric<L extends string = string> {
  observe(value: number): void;
  observe(labels: Labels<L>, value: number): void;
  /** Starts a timer; calling the result records the seconds elapsed. */
  startTimer(labels?: Labels<L>): (labels?: Labels<L>) => number;
}

/** Why a message was dropped (the `reason` label). */
export type DropReason = 'queue_full' | 'drop_newest' | 'drop_oldest' | 'slow_consumer' | 'block_timeout' | 'max_attempts';

/** Buckets of routing latency: 1 µs to 100 ms. */
export const ROUTING_BUCKETS = [1e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3, 1e-2, 1e-1];
/** Buckets of handling latency: 100 µs to 10 s. */
export const HANDLING_BUCKETS = [1e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every metric of the messaging set, by handle name. */
export const METRIC_DEFINITIONS = {
  messagesPublished: { kind: 'counter', name: 'messages_published_total', help: 'Messages published, by topic class.', labels: ['class'] },
  messagesDelivered: { kind: 'counter', name: 'messages_delivered_total', help: 'Messages delivered to a subscriber, by topic class.', labels: ['class'] },
  messagesDropped: { kind: 'counter', name: 'messages_dropped_total', help: 'Messages dropped by an overflow policy, by topic class and reason.', labels: ['class', 'reason'] },
  messagesExpired: { kind: 'counter', name: 'messages_expired_total', help: 'Messages that outlived their ttl, by topic class.', labels: ['class'] },
  messagesUnrouted: { kind: 'counter', name: 'messages_unrouted_total', help: 'Messages published to a topic with no subscriber, by topic class.', labels: ['class'] },
  routingDuration: { kind: 'histogram', name: 'routing_duration_seconds', help: 'Time to match a topic against the subscriptions.', labels: [], buckets: ROUTING_BUCKETS },
  handlingDuration: { kind: 'histogram', name: 'handling_duration_seconds', help: 'Time a subscriber took to handle a message, by topic class.', labels: ['class'], buckets: HANDLING_BUCKETS },
  queueDepth: { kind: 'gauge', name: 'queue_depth', help: 'Items waiting in a bounded queue.', labels: ['queue'] },
  queueUtilization: { kind: 'gauge', name: 'queue_utilization_ratio', help: 'Depth of a bounded queue over its capacity (0-1).', labels: ['queue'] },
  executorBusy: { kind: 'gauge', name: 'executor_workers_busy', help: 'Workers running a job.', labels: ['executor'] },
  executorIdle: { kind: 'gauge', name: 'executor_workers_idle', help: 'Workers waiting for a job.', labels: ['executor'] },
  connectionsOpen: { kind: 'gauge', name: 'connections_open', help: 'Broker connections open.', labels: [] },
  connectionsAccepted: { kind: 'counter', name: 'connections_accepted_total', help: 'Broker connections accepted.', labels: [] },
  connectionsRefused: { kind: 'counter', name: 'connections_refused_total', help: 'Broker connections refused, by reason.', labels: ['reason'] },
  bytesReceived: { kind: 'counter', name: 'network_received_bytes_total', help: 'Bytes read from broker connections.', labels: [] },
  bytesSent: { kind: 'counter', name: 'network_sent_bytes_total', help: 'Bytes written to broker connections.', labels: [] },
  durablePending: { kind: 'gauge', name: 'durable_queue_pending', help: 'Durable messages waiting for a consumer.', labels: ['queue'] },
  durableProcessing: { kind: 'gauge', name: 'durable_queue_processing', help: 'Durable messages leased by a consumer.', labels: ['queue'] },
  durableDeadLetter: { kind: 'gauge', name: 'durable_queue_dead_letter', help: 'Durable messages in the dead-letter queue.', labels: ['queue'] },
  dbPoolInUse: { kind: 'gauge', name: 'db_pool_connections_in_use', help: 'Database connections running a query.', labels: [] },
  dbPoolWaiting: { kind: 'gauge', name: 'db_pool_waiting', help: 'Queries waiting for a database connection.', labels: [] },
  dbPoolMax: { kind: 'gauge', name: 'db_pool_connections_max', help: 'Largest number of database connections (database.pool.max).', labels: [] },
  errors: { kind: 'counter', name: 'errors_total', help: 'Errors, by error code name.', labels: ['code'] },
  rejectedSamples: { kind: 'counter', name: 'monitor_rejected_samples_total', help: 'Samples the generic Monitor API could not record (bad name, kind or labels).', labels: [] },
} as const;

type Definitions = typeof METRIC_DEFINITIONS;
type LabelOf<K extends keyof Definitions> = Definitions[K]['labels'][number];
type HandleOf<K extends keyof Definitions> = Definitions[K]['kind'] extends 'counter'
  ? CounterMetric<LabelOf<K>>
  : Definitions[K]['kind'] extends 'gauge'
    ? GaugeMetric<LabelOf<K>>
    : HistogramMetric<LabelOf<K>>;

/** The typed handles of every metric. */
export type MetricHandles = { readonly [K in keyof Definitions]: HandleOf<K> };

/** Options of `createMetrics`. */
export interface MetricsOptions {
  /** False gives the no-op variant (default true). */
  enabled?: boolean;
  /** Collect the default process metrics (default true). */
  defaultMetrics?: boolean;
  /** First topic words used as the `class` label; others become `other`. */
  topicClasses?: readonly string[];
  /** Without `topicClasses`: the first this many first words seen become classes (default 32). */
  maxTopicClasses?: number;
  /** How often samplers run, in ms (default 5000). */
  sampleIntervalMs?: number;
}

/** A function run every sample interval to set gauges (queue depth, pool use...). */
export type Sampler = () => void | Promise<void>;

/** The messaging metrics: typed handles, the generic Monitor API, the registry. */
export interface Metrics extends Monitor, MetricHandles {
  /** False for the no-op variant. */
  readonly enabled: boolean;
  /** The registry to expose (an empty one for the no-op variant). */
  readonly registry: Registry;
  /** The `class` label of `topic`: its first word if allowed, else `other`. */
  topicClass(topic: string): string;
  /** Counts an error under its code name. */
  recordError(error: MessagingError | ErrorName): void;
  /** Runs `sampler` every sample interval; returns a function that removes it. */
  addSampler(sampler: Sampler): () => void;
  /**
   * Runs `hook` (synchronous) whenever the registry is read, before any value of the messaging
   * set is taken: hot paths keep sums of their own and hand them over only when someone looks.
   * Returns a function that removes it.
   */
  beforeCollect(hook: () => void): () => void;
  /**
   * Sets `executor_workers_busy/idle{executor=<name>}` from `executor.workerUsage()` every sample
   * interval (nothing for an executor without workers to count); returns a function that stops it
   * and sets both to 0.
   */
  watchExecutor(executor: Executor): () => void;
  /** Changes the sample interval (monitoring.metrics_interval_ms applies live). */
  setSampleInterval(ms: number): Result<void>;
  /** Runs every sampler now. */
  sampleNow(): Promise<void>;
  /** Stops the sampling timer. */
  close(): void;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function topicClassifier(allowed: readonly string[], max: number): (topic: string) => string {
  const allow = new Set(allowed);
  const seen = new Set<string>();
  return (topic) => {
    let end = topic.indexOf('.');
    if (end < 0) end = topic.indexOf('/');
    const word = end < 0 ? topic : topic.slice(0, end);
    if (word === '' || word === 'other') return 'other';
    if (allow.size > 0) return allow.has(word) ? word : 'other';
    if (seen.has(word)) return word;
    if (seen.size < max && NAME.test(word)) {
      seen.add(word);
      return word;
    }
    return 'other';
  };
}

function positiveInterval(ms: number): Result<void> {
  if (!Number.isFinite(ms) || ms < 10) {
    return err(new MessagingError('INVALID_ARGUMENT', `sample interval ${ms} ms is not a number >= 10`));
  }
  return ok();
}

function samplerSet(initialMs: number, onError: (e: unknown) => void) {
  const samplers = new Set<Sampler>();
  let intervalMs = initialMs;
  let timer: NodeJS.Timeout | undefined;
  const runAll = async (): Promise<void> => {
    for (const sampler of samplers) {
      try {
        await sampler();
      } catch (e) {
        onError(e);
      }
    }
  };
  const start = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (samplers.size === 0) return;
    timer = setInterval(() => void runAll(), intervalMs);
    timer.unref();
  };
  return {
    add(sampler: Sampler) {
      samplers.add(sampler);
      if (!timer) start();
      return () => {
        samplers.delete(sampler);
        if (samplers.size === 0) start();
      };
    },
    setInterval(ms: number): Result<void> {
      const valid = positiveInterval(ms);
      if (valid.isErr()) return valid;
      intervalMs = ms;
      if (timer) start();
      return ok();
    },
    runAll,
    close() {
      samplers.clear();
      start();
    },
  };
}

/** Creates the metrics on a new Registry; with `enabled: false`, the no-op variant. */
export function createMetrics(options: MetricsOptions = {}): Result<Metrics> {
  if (options.enabled === false) return ok(noopMetrics(options));
  const interval = positiveInterval(options.sampleIntervalMs ?? 5000);
  if (interval.isErr()) return interval;
  try {
    const registry = new Registry();
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    const hooks = new Set<() => void>();
    // A read of the registry takes every metric in one synchronous pass: the hooks run once, at
    // the first counter or gauge read, and again only after that pass.
    let collecting = false;
    const collect = () => {
      if (collecting) return;
      collecting = true;
      queueMicrotask(() => (collecting = false));
      for (const hook of hooks) {
        try {
          hook();
        } catch {
          // A hook that fails must not fail the scrape.
        }
      }
    };
    const handles: Record<string, Counter | Gauge | Histogram | FastHistogram> = {};
    for (const [key, def] of Object.entries(METRIC_DEFINITIONS)) {
      const common = { name: METRIC_PREFIX + def.name, help: def.help, labelNames: [...def.labels], registers: [registry], collect };
      handles[key] =
        def.kind === 'counter'
          ? new Counter(common)
          : def.kind === 'gauge'
            ? new Gauge(common)
            : new FastHistogram(common.name, def.help, def.labels, (def as { buckets: readonly number[] }).buckets, registry);
    }
    const typed = handles as unknown as MetricHandles;
    const rejected = typed.rejectedSamples;
    const byName = new Map<string, Counter | Gauge | Histogram | FastHistogram>();
    for (const metric of Object.values(handles)) byName.set((metric as unknown as { name: string }).name, metric);

    const resolve = (name: string, kind: 'counter' | 'gauge' | 'histogram', labels: MetricLabels | undefined) => {
      const full = name.startsWith(METRIC_PREFIX) ? name : METRIC_PREFIX + name;
      let metric = byName.get(full);
      if (!metric) {
        if (!NAME.test(full)) return undefined;
        const common = { name: full, help: `${full} (recorded through the Monitor API)`, labelNames: Object.keys(labels ?? {}), registers: [registry] };
        metric = kind === 'counter' ? new Counter(common) : kind === 'gauge' ? new Gauge(common) : new Histogram(common);
        byName.set(full, metric);
      }
      const matches =
        kind === 'counter'
          ? metric instanceof Counter
          : kind === 'gauge'
            ? metric instanceof Gauge
            : metric instanceof Histogram || metric instanceof FastHistogram;
      return matches ? metric : undefined;
    };
    const safely = (fn: () => void) => {
      try {
        fn();
      } catch {
        rejected.inc();
      }
    };
    const samplers = samplerSet(options.sampleIntervalMs ?? 5000, (e) => typed.errors.inc({ code: toMessagingError(e).codeName }));

    const metrics: Metrics = {
      ...typed,
      enabled: true,
      registry,
      topicClass: topicClassifier(options.topicClasses ?? [], options.maxTopicClasses ?? 32),
      recordError: (error) => typed.errors.inc({ code: typeof error === 'string' ? error : error.codeName }),
      increment(name, value = 1, labels) {
        const metric = resolve(name, 'counter', labels) as Counter | undefined;
        if (!metric || !(value >= 0)) return rejected.inc();
        safely(() => (labels ? metric.inc(labels, value) : metric.inc(value)));
      },
      gauge(name, value, labels) {
        const metric = resolve(name, 'gauge', labels) as Gauge | undefined;
        if (!metric || !Number.isFinite(value)) return rejected.inc();
        safely(() => (labels ? metric.set(labels, value) : metric.set(value)));
      },
      observe(name, value, labels) {
        const metric = resolve(name, 'histogram', labels) as Histogram | FastHistogram | undefined;
        if (!metric || !Number.isFinite(value)) return rejected.inc();
        safely(() => {
          if (metric instanceof FastHistogram) {
            const before = metric.rejected;
            if (labels) metric.observe(labels, value);
            else metric.observe(value);
            if (metric.rejected !== before) rejected.inc();
          } else if (labels) metric.observe(labels, value);
          else metric.observe(value);
        });
      },
      addSampler: (sampler) => samplers.add(sampler),
      beforeCollect(hook) {
        hooks.add(hook);
        return () => void hooks.delete(hook);
      },
      watchExecutor(executor) {
        if (typeof executor.workerUsage !== 'function') return () => undefined;
        const labels = { executor: executor.name };
        const remove = samplers.add(() => {
          const usage = (executor.workerUsage as () => WorkerUsage)();
          metrics.executorBusy.set(labels, usage.busy);
          metrics.executorIdle.set(labels, usage.idle);
        });
        return () => {
          remove();
          metrics.executorBusy.set(labels, 0);
          metrics.executorIdle.set(labels, 0);
        };
      },
      setSampleInterval: (ms) => samplers.setInterval(ms),
      sampleNow: () => samplers.runAll(),
      close: () => samplers.close(),
    };
    return ok(metrics);
  } catch (e) {
    return err(toMessagingError(e, 'INVALID_ARGUMENT'));
  }
}

const noopCounter: CounterMetric = { inc: () => undefined };
const noopGauge: GaugeMetric = { set: () => undefined, inc: () => undefined, dec: () => undefined };
const noopHistogram: HistogramMetric = { observe: () => undefined, startTimer: () => () => 0 };

/** Metrics that record nothing, for disabled monitoring; the registry is empty. */
export function noopMetrics(options: Pick<MetricsOptions, 'topicClasses' | 'maxTopicClasses'> = {}): Metrics {
  const handles: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(METRIC_DEFINITIONS)) {
    handles[key] = def.kind === 'counter' ? noopCounter : def.kind === 'gauge' ? noopGauge : noopHistogram;
  }
  return {
    ...(handles as unknown as MetricHandles),
    enabled: false,
    registry: new Registry(),
    topicClass: topicClassifier(options.topicClasses ?? [], options.maxTopicClasses ?? 32),
    recordError: () => undefined,
    increment: () => undefined,
    gauge: () => undefined,
    observe: () => undefined,
    addSampler: () => () => undefined,
    beforeCollect: () => () => undefined,
    watchExecutor: () => () => undefined,
    setSampleInterval: (ms) => positiveInterval(ms),
    sampleNow: () => Promise.resolve(),
    close: () => undefined,
  };
}

/** Every metric name the registry of `createMetrics` exposes (histograms also as _bucket/_sum/_count). */
export function metricNames(metrics: Metrics): Promise<string[]> {
  return metrics.registry.getMetricsAsJSON().then((all) =>
    all.flatMap((m) => (String(m.type) === 'histogram' ? [m.name, `${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name])),
  );
}
