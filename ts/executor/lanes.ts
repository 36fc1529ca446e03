/**
 * Typed lanes of an executor, as the C++ typed thread pool has them: named lanes in strict
 * priority order (first = highest), a default lane, and optional aging so a lower lane whose
 * oldest job waited longer than `agingMs` is served before higher ones. Only configuration
 * and lookup live here; it never runs a job.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';

/** The default lanes, highest priority first. */
export const DEFAULT_LANES: readonly string[] = ['realtime', 'batch', 'background'];

/** Lane options shared by every executor. */
export interface LaneOptions {
  /** Lane names, highest priority first (default realtime, batch, background). */
  lanes?: readonly string[];
  /** Lane of a job that names none (default: the middle lane, `batch` by default). */
  defaultLane?: string;
  /** A lower lane whose oldest job waited this long (ms) is served first; 0 = strict priority. */
  agingMs?: number;
}

function bad(message: string, key: string, value: unknown): Result<never> {
  return err(new MessagingError(ErrorCode.CONFIG_ERROR, message, { details: { key, value } }));
}

/** Checked lane configuration. */
export class Lanes {
  readonly #index: Map<string, number>;

  private constructor(
    /** Lane names, highest priority first. */
    readonly names: readonly string[],
    /** Index of the default lane. */
    readonly defaultIndex: number,
    /** Aging threshold in ms (0 = off). */
    readonly agingMs: number,
  ) {
    this.#index = new Map(names.map((n, i) => [n, i]));
  }

  /** Checks lane options; CONFIG_ERROR names the problem. */
  static resolve(options: LaneOptions = {}): Result<Lanes> {
    const names = options.lanes ?? DEFAULT_LANES;
    if (!Array.isArray(names) || names.length === 0 || names.length > 32) return bad('lanes must be a list of 1 to 32 names', 'lanes', names);
    for (const n of names) {
      if (typeof n !== 'string' || n.length === 0) return bad(`lane names must be non-empty strings, got ${JSON.stringify(n)}`, 'lanes', names);
    }
    if (new Set(names).size !== names.length) return bad(`lane names must be unique, got ${names.join(', ')}`, 'lanes', names);
    const fallback = names.includes('batch') ? 'batch' : (names[Math.floor((names.length - 1) / 2)] as string);
    const defaultLane = options.defaultLane ?? fallback;
    const defaultIndex = names.indexOf(defaultLane);
    if (defaultIndex < 0) return bad(`default lane ${JSON.stringify(defaultLane)} is not one of the lanes (${names.join(', ')})`, 'defaultLane', defaultLane);
    const agingMs = options.agingMs ?? 0;
    if (typeof agingMs !== 'number' || !(agingMs >= 0)) return bad(`agingMs must be a number >= 0, got ${String(agingMs)}`, 'agingMs', agingMs);
    return ok(new Lanes([...names], defaultIndex, agingMs));
  }

  /** Index of lane `name` (the default lane for undefined); UNKNOWN_LANE for a name not configured. */
  indexOf(name: string | undefined): Result<number> {
    if (name === undefined) return ok(this.defaultIndex);
    const i = this.#index.get(name);
    if (i === undefined) return err(unknownLane(name, this.names));
    return ok(i);
  }

  /** Index of lane `name`, or -1 when there is no such lane (hot paths). */
  lookup(name: string | undefined): number {
    return name === undefined ? this.defaultIndex : (this.#index.get(name) ?? -1);
  }
}

/** The UNKNOWN_LANE error for `name`. */
export function unknownLane(name: string, names: readonly string[]): MessagingError {
  return new MessagingError(ErrorCode.UNKNOWN_LANE, `unknown lane ${JSON.stringify(name)} (lanes: ${names.join(', ')})`, { details: { lane: name, lanes: names } });
}
