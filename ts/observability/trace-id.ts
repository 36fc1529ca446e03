/**
 * W3C trace context ids: 32-hex trace ids, 16-hex span ids, and the `traceparent` header
 * (`00-<trace id>-<span id>-<flags>`). Ids come from crypto-strength random bytes drawn from a
 * pool; this module never reuses an id and never accepts an all-zero one.
 */
import { randomFillSync } from 'node:crypto';
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `bytes` random bytes from the pool (refilled from crypto when used up) as a fresh hex string
 * (never a slice of a larger one, which would keep the pool text alive); never all zero.
 */
function randomHex(bytes: number, zero: string): string {
  for (;;) {
    if (offset + bytes > POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    const hex = pool.toString('hex', offset, offset + bytes);
    offset += bytes;
    if (hex !== zero) return hex;
  }
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** A new random trace id: 32 lowercase hex characters, never all zero. */
export function newTraceId(): string {
  return randomHex(16, ZERO_TRACE);
}

/** A new random span id: 16 lowercase hex characters, never all zero. */
export function newSpanId(): string {
  return randomHex(8, ZERO_SPAN);
}

/** True for a valid W3C trace id (32 lowercase hex, not all zero). */
export function isTraceId(value: unknown): value is string {
  return typeof value === 'string' && TRACE_ID.test(value) && value !== ZERO_TRACE;
}

/** True for a valid W3C span id (16 lowercase hex, not all zero). */
export function isSpanId(value: unknown): value is string {
  return typeof value === 'string' && SPAN_ID.test(value) && value !== ZERO_SPAN;
}

/** The parts of a `traceparent` header. */
export interface TraceParent {
  /** Two hex digits; `00` today. */
  version: string;
  traceId: string;
  /** The span id of the caller (the header's parent-id). */
  spanId: string;
  /** The trace flags byte. */
  flags: number;
  /** Bit 0 of the flags. */
  sampled: boolean;
}

function invalid(header: string, why: string): Result<TraceParent> {
  return err(
    new MessagingError(ErrorCode.INVALID_ARGUMENT, `invalid traceparent ${JSON.stringify(header)}: ${why}`, {
      details: { header },
    }),
  );
}

/** Parses a `traceparent` header as the W3C Trace Context specification (level 1) reads it. */
export function parseTraceparent(header: string): Result<TraceParent> {
  if (typeof header !== 'string') return invalid(String(header), 'not a string');
  const value = header.trim();
  const parts = value.split('-');
  const [version, traceId, spanId, flags] = parts;
  if (version === undefined || !/^[0-9a-f]{2}$/.test(version)) return invalid(header, 'the version is not two hex digits');
  if (version === 'ff') return invalid(header, 'version ff is forbidden');
  if (parts.length < 4) return invalid(header, 'expected version-traceid-spanid-flags');
  if (version === '00' && parts.length !== 4) return invalid(header, 'version 00 has exactly four parts');
  if (!isTraceId(traceId)) return invalid(header, 'the trace id is not 32 lowercase hex digits (and not all zero)');
  if (!isSpanId(spanId)) return invalid(header, 'the parent id is not 16 lowercase hex digits (and not all zero)');
  if (flags === undefined || !/^[0-9a-f]{2}$/.test(flags)) return invalid(header, 'the flags are not two hex digits');
  const flagBits = Number.parseInt(flags, 16);
  return ok({ version, traceId, spanId, flags: flagBits, sampled: (flagBits & 1) === 1 });
}

/** Formats a version-00 `traceparent` header; the ids must be valid. */
export function formatTraceparent(parts: { traceId: string; spanId: string; sampled?: boolean; flags?: number }): Result<string> {
  if (!isTraceId(parts.traceId)) {
    return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `invalid trace id ${JSON.stringify(parts.traceId)}`));
  }
  if (!isSpanId(parts.spanId)) {
    return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `invalid span id ${JSON.stringify(parts.spanId)}`));
  }
  const flags = parts.flags ?? (parts.sampled === false ? 0 : 1);
  if (!Number.isInteger(flags) || flags < 0 || flags > 255) {
    return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `invalid trace flags ${flags}`));
  }
  return ok(`00-${parts.traceId}-${parts.spanId}-${flags.toString(16).padStart(2, '0')}`);
}
