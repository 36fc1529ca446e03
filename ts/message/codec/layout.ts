/**
 * Offsets, flags and limits of the binary message format (docs/WIRE_FORMAT.md), mirrored from
 * crates/core/src/codec/layout.rs and limits.rs. Constants only.
 */

export const MAGIC_0 = 0x4d;
export const MAGIC_1 = 0x53;
export const FORMAT_VERSION = 1;

export const FLAG_CHECKSUM = 0x01;
export const FLAG_TRACE_ID = 0x02;
export const FLAG_CORRELATION_ID = 0x04;
export const FLAG_REPLY_TO = 0x08;
export const KNOWN_FLAGS = 0x0f;

export const OFF_VERSION = 2;
export const OFF_FLAGS = 3;
export const OFF_TOTAL_LEN = 4;
export const OFF_TYPE = 8;
export const OFF_PRIORITY = 9;
export const OFF_TOPIC_LEN = 10;
export const OFF_TTL = 12;
export const OFF_TIMESTAMP = 16;
export const OFF_RETRY_COUNT = 24;
export const OFF_BODY_OFFSET = 28;
export const OFF_META_OFFSET = 32;
export const OFF_ID = 36;
export const OFF_TRACE_ID = 52;
export const OFF_TOPIC = 68;
export const PREAMBLE_LEN = 68;
export const CHECKSUM_LEN = 4;

/** Limits that encoding and decoding enforce (section 4 of the wire format). */
export interface CodecLimits {
  maxMessageSize: number;
  maxDepth: number;
  maxFields: number;
  maxStringLen: number;
}

/** The default limits, equal to the native core's. */
export const DEFAULT_LIMITS: Readonly<CodecLimits> = Object.freeze({
  maxMessageSize: 16 * 1024 * 1024,
  maxDepth: 32,
  maxFields: 65_536,
  maxStringLen: 4 * 1024 * 1024,
});

/** Depth is capped here whatever a caller asks. */
export const MAX_DEPTH_CEILING = 128;
