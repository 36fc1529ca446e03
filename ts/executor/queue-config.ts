/**
 * Configuration of bounded queues shared by the native queue, the bus queue and the executors:
 * overflow policies, capacity checks and the utilization watermarks that log a warning once
 * when a queue fills up and an all-clear once it drains. It must never log per message.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import type { Logger } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';

/** What a push does when the queue is full. */
export type OverflowPolicy = 'reject' | 'drop_newest' | 'drop_oldest' | 'block';

/** Every overflow policy, in the order the docs list them. */
export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ['reject', 'drop_newest', 'drop_oldest', 'block'];

/** Default capacity of a bounded queue. */
export const DEFAULT_CAPACITY = 10_000;

/** Options of a bounded queue. */
export interface QueueOptions {
  /** Most messages held (default 10,000). */
  capacity?: number;
  /** Overflow policy (default `block`). */
  policy?: OverflowPolicy;
  /** How long a `block` push waits for room before TIMEOUT, in ms (default 5,000). */
  blockTimeoutMs?: number;
  /** Utilization (0-1) above which a warning is logged (default 0.8). */
  highWatermark?: number;
  /** Utilization (0-1) below which the all-clear is logged (default 0.5). */
  lowWatermark?: number;
  /** Where the watermark lines go (default none). */
  logger?: Logger;
  /** Name of the queue in log lines. */
  name?: string;
}

/** Queue options with every default filled in and checked. */
export interface ResolvedQueueOptions {
  capacity: number;
  policy: OverflowPolicy;
  blockTimeoutMs: number;
  highWatermark: number;
  lowWatermark: number;
  logger: Logger | undefined;
  name: string;
}

function configError(message: string, details: Record<string, unknown>): Result<never> {
  return err(new MessagingError(ErrorCode.CONFIG_ERROR, message, { details }));
}

/** Fills defaults in and checks queue options; CONFIG_ERROR names the bad key. */
export function resolveQueueOptions(options: QueueOptions = {}): Result<ResolvedQueueOptions> {
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1 || capacity > 0xffff_ffff) {
    return configError(`queue capacity must be an integer from 1 to 4294967295, got ${String(capacity)}`, { key: 'capacity', value: capacity });
  }
  const policy = options.policy ?? 'block';
  if (!OVERFLOW_POLICIES.includes(policy)) {
    return configError(`unknown overflow policy ${JSON.stringify(policy)} (expected one of: ${OVERFLOW_POLICIES.join(', ')})`, {
      key: 'policy',
      value: policy,
    });
  }
  const blockTimeoutMs = options.blockTimeoutMs ?? 5_000;
  if (typeof blockTimeoutMs !== 'number' || !(blockTimeoutMs >= 0)) {
    return configError(`blockTimeoutMs must be a number >= 0, got ${String(blockTimeoutMs)}`, { key: 'blockTimeoutMs', value: blockTimeoutMs });
  }
  const highWatermark = options.highWatermark ?? 0.8;
  const lowWatermark = options.lowWatermark ?? 0.5;
  if (!(highWatermark > 0 && highWatermark <= 1) || !(lowWatermark >= 0 && lowWatermark < highWatermark)) {
    return configError(`watermarks must satisfy 0 <= low < high <= 1, got low ${lowWatermark}, high ${highWatermark}`, {
      key: 'highWatermark',
      value: { lowWatermark, highWatermark },
    });
  }
  return ok({ capacity, policy, blockTimeoutMs, highWatermark, lowWatermark, logger: options.logger, name: options.name ?? 'queue' });
}

/** Logs once when depth crosses the high watermark and once when it falls below the low one. */
export class Watermarks {
  readonly #high: number;
  readonly #low: number;
  readonly #logger: Logger | undefined;
  readonly #name: string;
  readonly #capacity: number;
  #above = false;

  constructor(options: ResolvedQueueOptions) {
    this.#capacity = options.capacity;
    this.#high = Math.max(1, Math.ceil(options.capacity * options.highWatermark));
    this.#low = Math.floor(options.capacity * options.lowWatermark);
    this.#logger = options.logger;
    this.#name = options.name;
  }

  /** Whether the queue is above its high watermark (and not yet below the low one). */
  get above(): boolean {
    return this.#above;
  }

  /** Checks `depth` after a push or pop; logs only on a crossing. */
  check(depth: number): void {
    if (!this.#above) {
      if (depth >= this.#high) {
        this.#above = true;
        this.#logger?.warn(
          { queue: this.#name, depth, capacity: this.#capacity, utilization: depth / this.#capacity },
          `queue ${this.#name} is above its high watermark`,
        );
      }
    } else if (depth <= this.#low) {
      this.#above = false;
      this.#logger?.info(
        { queue: this.#name, depth, capacity: this.#capacity, utilization: depth / this.#capacity },
        `queue ${this.#name} is back below its low watermark`,
      );
    }
  }
}
