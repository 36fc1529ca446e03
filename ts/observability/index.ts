/** Observability: the pino logger, trace context and W3C ids, prom-client metrics, the health endpoint. */
export {
  LOG_LEVELS,
  PinoLogger,
  createLogger,
  loggerOptionsFromConfig,
  type LoggerOptions,
  type LoggingSection,
  type RotationOptions,
} from './logger.js';
export {
  FileDestination,
  parseSize,
  rotatedName,
  type FileDestinationOptions,
  type FileRotation,
  type RotationFrequency,
} from './file-destination.js';
export { DEFAULT_REDACT_PATHS, REDACTED, SECRET_KEY, redactDeep } from './redact.js';
export { TraceContext, type TraceFields, type TraceInput } from './trace-context.js';
export {
  type TraceParent,
  formatTraceparent,
  isSpanId,
  isTraceId,
  newSpanId,
  newTraceId,
  parseTraceparent,
} from './trace-id.js';
export {
  HANDLING_BUCKETS,
  METRIC_DEFINITIONS,
  METRIC_PREFIX,
  ROUTING_BUCKETS,
  createMetrics,
  metricNames,
  noopMetrics,
  type CounterMetric,
  type DropReason,
  type GaugeMetric,
  type HistogramMetric,
  type Labels,
  type MetricHandles,
  type Metrics,
  type MetricsOptions,
  type Sampler,
} from './metrics.js';
export { FastHistogram } from './fast-histogram.js';
export { Tally, TopicTally, type TallyKind } from './topic-tally.js';
export {
  checkReadiness,
  startHealthServer,
  type HealthServer,
  type HealthServerOptions,
  type ReadinessCheck,
  type ReadinessReport,
} from './health-server.js';
