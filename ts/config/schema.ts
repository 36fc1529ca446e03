/**
 * The JSON schema of messaging_system.yaml: every key, its type, its limits and its default.
 * config/messaging_system.schema.json is this object written out (a test keeps them equal).
 * It holds data only: never validation code, never values read from the environment.
 */

/** Keys that apply to a running process without a restart (a key ending in `.*` covers its subtree). */
export const LIVE_KEYS = [
  'logging.level',
  'policies.backpressure.*',
  'policies.retry.*',
  'monitoring.metrics_interval_ms',
] as const;

const port = (def: number, description: string) =>
  ({ type: 'integer', minimum: 1, maximum: 65535, default: def, description }) as const;

const durationMs = (def: number, description: string, minimum = 0) =>
  ({ type: 'integer', minimum, maximum: 86_400_000, default: def, description }) as const;

const filePath = (description: string) => ({ type: 'string', default: '', description }) as const;

const pool = (workers: number, description: string) =>
  ({
    type: 'object',
    description,
    additionalProperties: false,
    default: {},
    properties: {
      workers: {
        type: 'integer',
        minimum: 0,
        maximum: 1024,
        default: workers,
        description: 'Worker count; 0 means one per available CPU.',
      },
      queue_size: {
        type: 'integer',
        minimum: 1,
        maximum: 16_777_216,
        default: 10000,
        description: 'Capacity of the pool queue (jobs waiting for a worker).',
      },
      lockfree: {
        type: 'boolean',
        default: true,
        description: 'Use the lock-free native queue instead of the JS array queue.',
      },
      lanes: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$' },
        minItems: 1,
        uniqueItems: true,
        default: ['realtime', 'batch', 'background'],
        description: 'Lanes of the pool, highest priority first.',
      },
    },
  }) as const;

/** The JSON schema (draft-07) of the configuration file. */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'messaging-system configuration',
  description: 'config/messaging_system.yaml: the broker, its pools, database, logging, monitoring and policies.',
  type: 'object',
  additionalProperties: false,
  properties: {
    messaging_system: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The file itself.',
      properties: {
        version: {
          type: 'string',
          pattern: '^[0-9]+\\.[0-9]+(\\.[0-9]+)?$',
          default: '1.0.0',
          description: 'Version of the configuration format, quoted (e.g. "1.0.0").',
        },
      },
    },
    network: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The TCP broker and the client.',
      properties: {
        server: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'The broker listener.',
          properties: {
            host: {
              type: 'string',
              minLength: 1,
              default: '127.0.0.1',
              description: 'Interface to listen on; 0.0.0.0 accepts remote clients.',
            },
            port: port(8080, 'TCP port of the broker.'),
            max_connections: {
              type: 'integer',
              minimum: 1,
              maximum: 1_000_000,
              default: 10000,
              description: 'Connections beyond this are refused.',
            },
            max_frame_bytes: {
              type: 'integer',
              minimum: 1024,
              maximum: 1_073_741_824,
              default: 16_777_216,
              description: 'Largest frame a peer may send.',
            },
            idle_timeout_ms: durationMs(60000, 'A connection silent for this long is closed; 0 disables.'),
            heartbeat_ms: durationMs(15000, 'Interval of heartbeat frames; 0 disables.'),
            outbound_queue_limit: {
              type: 'integer',
              minimum: 1,
              maximum: 16_777_216,
              default: 10000,
              description: 'Messages queued to one connection before slow_consumer_policy applies.',
            },
            slow_consumer_policy: {
              type: 'string',
              enum: ['drop', 'disconnect'],
              default: 'disconnect',
              description: 'What happens to a connection whose outbound queue is full.',
            },
            tls: {
              type: 'object',
              additionalProperties: false,
              default: {},
              description: 'TLS of the broker listener.',
              properties: {
                enabled: { type: 'boolean', default: false, description: 'Accept TLS connections only.' },
                cert_file: filePath('PEM certificate chain (required when enabled).'),
                key_file: filePath('PEM private key (required when enabled).'),
                ca_file: filePath('PEM CA bundle used to verify client certificates.'),
                request_client_cert: {
                  type: 'boolean',
                  default: false,
                  description: 'Ask clients for a certificate and verify it against ca_file.',
                },
                min_version: {
                  type: 'string',
                  enum: ['TLSv1.2', 'TLSv1.3'],
                  default: 'TLSv1.2',
                  description: 'Oldest TLS version accepted.',
                },
              },
              if: { required: ['enabled'], properties: { enabled: { const: true } } },
              // oxlint-disable-next-line unicorn/no-thenable -- `then` is the JSON-schema keyword
              then: {
                required: ['cert_file', 'key_file'],
                properties: { cert_file: { minLength: 1 }, key_file: { minLength: 1 } },
              },
            },
          },
        },
        client: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Clients made by this process (and the CLI).',
          properties: {
            timeout_ms: durationMs(5000, 'Time limit of a connect or a request.', 1),
            retry_attempts: {
              type: 'integer',
              minimum: 0,
              maximum: 1000,
              default: 3,
              description: 'Reconnect attempts before giving up; 0 never reconnects.',
            },
            reconnect: {
              type: 'object',
              additionalProperties: false,
              default: {},
              description: 'Exponential reconnect delay.',
              properties: {
                initial_ms: durationMs(100, 'First delay.', 1),
                max_ms: durationMs(10000, 'Largest delay.', 1),
              },
            },
            offline_queue_limit: {
              type: 'integer',
              minimum: 0,
              maximum: 16_777_216,
              default: 1000,
              description: 'Messages kept while disconnected; 0 fails publishes at once.',
            },
          },
        },
      },
    },
    thread_pools: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Executors.',
      properties: {
        io_pool: pool(2, 'Runs I/O-bound handlers on the event loop.'),
        work_pool: pool(0, 'Runs CPU-bound handlers on worker threads.'),
      },
    },
    database: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Storage of durable queues. A url without a type selects postgresql.',
      properties: {
        type: {
          type: 'string',
          enum: ['pglite', 'postgresql'],
          default: 'pglite',
          description: 'pglite (embedded, files in data_dir) or postgresql (a server at url).',
        },
        url: {
          type: 'string',
          default: '',
          description: 'postgres:// URL (required for postgresql).',
        },
        data_dir: {
          type: 'string',
          minLength: 1,
          default: './data',
          description: 'Directory of the PGlite database.',
        },
        schema: {
          type: 'string',
          pattern: '^[a-z_][a-z0-9_]*$',
          maxLength: 63,
          default: 'messaging',
          description: 'Postgres schema holding the tables.',
        },
        pool: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Connection pool (postgresql only).',
          properties: {
            min: { type: 'integer', minimum: 0, maximum: 10000, default: 5, description: 'Connections kept open.' },
            max: { type: 'integer', minimum: 1, maximum: 10000, default: 50, description: 'Most connections open.' },
            idle_timeout_ms: durationMs(30000, 'An idle connection above min is closed after this.'),
            acquire_timeout_ms: durationMs(5000, 'Time limit of waiting for a connection.', 1),
          },
        },
      },
      if: { required: ['type'], properties: { type: { const: 'postgresql' } } },
      // oxlint-disable-next-line unicorn/no-thenable -- `then` is the JSON-schema keyword
      then: { required: ['url'], properties: { url: { minLength: 1, pattern: '^postgres(ql)?://' } } },
    },
    logging: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Structured logs (JSON lines).',
      properties: {
        level: {
          type: 'string',
          enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
          default: 'info',
          description: 'Lowest level written; changes apply live.',
        },
        async: {
          type: 'boolean',
          default: true,
          description: 'Buffer lines and write them off the hot path.',
        },
        console: { type: 'boolean', default: true, description: 'Write to standard output.' },
        file: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Write to a file as well.',
          properties: {
            enabled: { type: 'boolean', default: false, description: 'Write the file.' },
            path: {
              type: 'string',
              minLength: 1,
              default: './logs/messaging.log',
              description: 'The file; rotated files get a number before the extension.',
            },
            rotation: {
              type: 'object',
              additionalProperties: false,
              default: {},
              description: 'When to start a new file and how many to keep.',
              properties: {
                size: {
                  type: 'string',
                  pattern: '^[0-9]+[kmg]$',
                  default: '100m',
                  description: 'Size that starts a new file: a number with k, m or g.',
                },
                frequency: {
                  type: 'string',
                  enum: ['daily', 'hourly', 'none'],
                  default: 'daily',
                  description: 'Time that starts a new file.',
                },
                keep: {
                  type: 'integer',
                  minimum: 1,
                  maximum: 1000,
                  default: 7,
                  description: 'Rotated files kept besides the current one.',
                },
              },
            },
          },
        },
        redact: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          default: [],
          description: 'Extra key paths to hide (e.g. "req.headers.cookie"); secrets are hidden anyway.',
        },
      },
    },
    monitoring: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Prometheus metrics and the health endpoints.',
      properties: {
        enabled: { type: 'boolean', default: true, description: 'Record metrics and serve the endpoint.' },
        metrics_interval_ms: durationMs(5000, 'How often sampled gauges (queue depth, pools) are read.', 100),
        host: {
          type: 'string',
          minLength: 1,
          default: '127.0.0.1',
          description: 'Interface of the /metrics, /healthz and /readyz endpoint.',
        },
        port: port(9464, 'Port of the /metrics, /healthz and /readyz endpoint.'),
        topic_classes: {
          type: 'array',
          items: { type: 'string', pattern: '^[^.#*]+$' },
          uniqueItems: true,
          default: [],
          description: 'First topic words used as the metric label "class"; others count as "other".',
        },
        max_topic_classes: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          default: 32,
          description: 'Without topic_classes, the first this many first words seen become classes.',
        },
      },
    },
    policies: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Backpressure and retries.',
      properties: {
        backpressure: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'What a full queue does; changes apply live.',
          properties: {
            enabled: { type: 'boolean', default: true, description: 'Bound the queues.' },
            strategy: {
              type: 'string',
              enum: ['reject', 'drop_newest', 'drop_oldest', 'block'],
              default: 'reject',
              description: 'Policy at the threshold.',
            },
            threshold: {
              type: 'integer',
              minimum: 1,
              maximum: 16_777_216,
              default: 10000,
              description: 'Messages a queue holds at most.',
            },
            high_watermark: {
              type: 'number',
              exclusiveMinimum: 0,
              maximum: 1,
              default: 0.8,
              description: 'Fraction of threshold at which a queue reports pressure (and /readyz fails).',
            },
            low_watermark: {
              type: 'number',
              minimum: 0,
              exclusiveMaximum: 1,
              default: 0.5,
              description: 'Fraction of threshold below which the pressure ends.',
            },
            block_timeout_ms: durationMs(1000, 'How long block waits before TIMEOUT.'),
          },
        },
        retry: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Redelivery of failed durable messages; changes apply live.',
          properties: {
            max_attempts: {
              type: 'integer',
              minimum: 1,
              maximum: 1000,
              default: 3,
              description: 'Deliveries before a message goes to the dead-letter queue.',
            },
            backoff_ms: {
              type: 'array',
              items: { type: 'integer', minimum: 0, maximum: 86_400_000 },
              minItems: 1,
              default: [100, 500, 2000],
              description: 'Delay before each retry; the last one repeats.',
            },
          },
        },
      },
    },
  },
} as const;
