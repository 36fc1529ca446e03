/**
 * MessagingError: the one error type of the public API, and the exception mapper that turns
 * anything thrown (by a library, a callback or the native addon) into one. Never lose the cause.
 */
import { ErrorCode, type ErrorCodeNumber, type ErrorName, errorName } from './error-codes.js';

/** Options of a `MessagingError`. */
export interface MessagingErrorOptions {
  /** The underlying exception or error. */
  cause?: unknown;
  /** Structured facts about the failure (field names, limits, offsets). */
  details?: Record<string, unknown>;
}

/** An error with a stable numeric code and name (see docs/ERROR_CODES.md). */
export class MessagingError extends Error {
  /** The numeric code, e.g. -205. */
  readonly code: ErrorCodeNumber;
  /** The stable name of the code, e.g. `QUEUE_FULL`. */
  readonly codeName: ErrorName;
  /** Structured facts about the failure. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCodeNumber | ErrorName, message: string, options: MessagingErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const resolved = typeof code === 'string' ? ErrorCode[code] : code;
    this.code = resolved;
    this.codeName = errorName(resolved) ?? 'UNKNOWN_ERROR';
    this.details = options.details;
  }

  override get name(): string {
    return `MessagingError[${this.codeName}]`;
  }

  /** A plain object for logs and JSON output. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      codeName: this.codeName,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** Prefix by which the native binding tags its errors: `[SERIALIZATION_ERROR] ...`. */
const NATIVE_TAG = /^\[([A-Z_]+)\] ([\s\S]*)$/;

/**
 * Maps anything thrown to a `MessagingError`: a MessagingError passes through, a native error
 * keeps its tagged code, anything else becomes `fallback` (UNKNOWN_ERROR) with the original as cause.
 */
export function toMessagingError(thrown: unknown, fallback: ErrorName = 'UNKNOWN_ERROR'): MessagingError {
  if (thrown instanceof MessagingError) return thrown;
  if (thrown instanceof Error) {
    const tagged = NATIVE_TAG.exec(thrown.message);
    const name = tagged?.[1];
    if (tagged && name && name in ErrorCode) {
      return new MessagingError(name as ErrorName, tagged[2] ?? '', { cause: thrown });
    }
    return new MessagingError(fallback, thrown.message, { cause: thrown });
  }
  return new MessagingError(fallback, String(thrown), { cause: thrown });
}
