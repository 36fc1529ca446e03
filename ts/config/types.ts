/**
 * The typed shape of a loaded configuration (every default filled) and of the reports the loader
 * gives about it. Only types live here; they mirror schema.ts and must never drift from it.
 */
import type { LogLevel } from '../core/interfaces.js';

/** One executor pool. */
export interface PoolConfig {
  /** Worker count; 0 means one per available CPU. */
  workers: number;
  queue_size: number;
  lockfree: boolean;
  lanes: string[];
}

/** TLS of the broker listener. */
export interface TlsConfig {
  enabled: boolean;
  cert_file: string;
  key_file: string;
  ca_file: string;
  request_client_cert: boolean;
  min_version: 'TLSv1.2' | 'TLSv1.3';
}

/** The loaded configuration, defaults filled. */
export interface MessagingSystemConfig {
  messaging_system: { version: string };
  network: {
    server: {
      host: string;
      port: number;
      max_connections: number;
      max_frame_bytes: number;
      idle_timeout_ms: number;
      heartbeat_ms: number;
      outbound_queue_limit: number;
      slow_consumer_policy: 'drop' | 'disconnect';
      tls: TlsConfig;
    };
    client: {
      timeout_ms: number;
      retry_attempts: number;
      reconnect: { initial_ms: number; max_ms: number };
      offline_queue_limit: number;
    };
  };
  thread_pools: { io_pool: PoolConfig; work_pool: PoolConfig };
  database: {
    type: 'pglite' | 'postgresql';
    url: string;
    data_dir: string;
    schema: string;
    pool: { min: number; max: number; idle_timeout_ms: number; acquire_timeout_ms: number };
  };
  logging: LoggingConfig;
  monitoring: MonitoringConfig;
  policies: {
    backpressure: BackpressureConfig;
    retry: { max_attempts: number; backoff_ms: number[] };
  };
}

/** The `logging` section. */
export interface LoggingConfig {
  level: LogLevel;
  async: boolean;
  console: boolean;
  file: {
    enabled: boolean;
    path: string;
    rotation: { size: string; frequency: 'daily' | 'hourly' | 'none'; keep: number };
  };
  redact: string[];
}

/** The `monitoring` section. */
export interface MonitoringConfig {
  enabled: boolean;
  metrics_interval_ms: number;
  host: string;
  port: number;
  topic_classes: string[];
  max_topic_classes: number;
}

/** The `policies.backpressure` section. */
export interface BackpressureConfig {
  enabled: boolean;
  strategy: 'reject' | 'drop_newest' | 'drop_oldest' | 'block';
  threshold: number;
  high_watermark: number;
  low_watermark: number;
  block_timeout_ms: number;
}

/** Where a value came from, lowest precedence first. */
export type ConfigSource = 'default' | 'file' | 'env' | 'set';

/** One problem found in a configuration. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `network.server.port` (empty for the whole file). */
  path: string;
  /** What is wrong, without the location, e.g. `expected an integer 1-65535, got "80a"`. */
  message: string;
  /** Where the offending value came from. */
  source: ConfigSource;
  /** The file, for a value from the file. */
  file?: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** 1-based column in the file, when known. */
  column?: number;
  /** The environment variable or `--set` argument, for a value from there. */
  origin?: string;
  /** The whole issue in one line: `network.server.port: expected ... (line 7)`. */
  text: string;
}

/** One leaf of the effective configuration and where it came from. */
export interface ConfigEntry {
  path: string;
  value: unknown;
  source: ConfigSource;
  /** The file, environment variable or `--set` argument that gave the value. */
  origin?: string;
  /** The line in the file, for a value from the file. */
  line?: number;
}

/** A loaded configuration with the provenance of every value. */
export interface LoadedConfig {
  config: MessagingSystemConfig;
  /** Every leaf (arrays count as one leaf), in schema order. */
  entries: ConfigEntry[];
  /** The file read, if any. */
  file?: string;
}
