//! Byte layout of an encoded message: magic, version, flag bits and the fixed offsets of the
//! preamble. This file only names numbers; it must never hold logic, so that the encoder, the
//! decoder, the header peek and the frame splitter all read the same layout.
//!
//! All integers are little-endian. See `docs/WIRE_FORMAT.md` for the full description.

/// First two bytes of every encoded message: ASCII `"MS"`.
pub const MAGIC: [u8; 2] = [0x4D, 0x53];
/// The format version this crate writes and reads.
pub const FORMAT_VERSION: u8 = 1;

/// Flag bit: a CRC32C of every preceding byte trails the message (4 bytes, LE).
pub const FLAG_CHECKSUM: u8 = 0x01;
/// Flag bit: the trace id field holds a trace id (otherwise it is 16 zero bytes).
pub const FLAG_TRACE_ID: u8 = 0x02;
/// Flag bit: a correlation id string follows the version string.
pub const FLAG_CORRELATION_ID: u8 = 0x04;
/// Flag bit: a reply-to string follows the correlation id (or the version string).
pub const FLAG_REPLY_TO: u8 = 0x08;
/// Every flag bit this version knows; any other bit set is an error.
pub const KNOWN_FLAGS: u8 = FLAG_CHECKSUM | FLAG_TRACE_ID | FLAG_CORRELATION_ID | FLAG_REPLY_TO;

/// Offset of the magic (2 bytes).
pub const OFF_MAGIC: usize = 0;
/// Offset of the format version (u8).
pub const OFF_VERSION: usize = 2;
/// Offset of the flags (u8).
pub const OFF_FLAGS: usize = 3;
/// Offset of the total length of the message in bytes, trailer included (u32).
pub const OFF_TOTAL_LEN: usize = 4;
/// Offset of the message type (u8).
pub const OFF_TYPE: usize = 8;
/// Offset of the priority (u8, 0..=10).
pub const OFF_PRIORITY: usize = 9;
/// Offset of the topic length in bytes (u16).
pub const OFF_TOPIC_LEN: usize = 10;
/// Offset of the time to live in milliseconds (u32, 0 = none).
pub const OFF_TTL: usize = 12;
/// Offset of the timestamp in milliseconds since the Unix epoch (i64).
pub const OFF_TIMESTAMP: usize = 16;
/// Offset of the retry count (u32).
pub const OFF_RETRY_COUNT: usize = 24;
/// Offset of the body section's start, from the message start (u32).
pub const OFF_BODY_OFFSET: usize = 28;
/// Offset of the metadata section's start, from the message start (u32).
pub const OFF_META_OFFSET: usize = 32;
/// Offset of the message id (16 raw bytes).
pub const OFF_ID: usize = 36;
/// Offset of the trace id (16 raw bytes).
pub const OFF_TRACE_ID: usize = 52;
/// Offset of the topic bytes (UTF-8, `topic_len` bytes); also the size of the fixed preamble.
pub const OFF_TOPIC: usize = 68;
/// Size of the fixed preamble.
pub const PREAMBLE_LEN: usize = OFF_TOPIC;
/// Size of the CRC32C trailer.
pub const CHECKSUM_LEN: usize = 4;
/// Highest message type number.
pub const MAX_TYPE: u8 = 4;
/// Highest priority.
pub const MAX_PRIORITY: u8 = 10;

/// Value tag: null, no payload.
pub const TAG_NULL: u8 = 0;
/// Value tag: bool, one byte 0 or 1.
pub const TAG_BOOL: u8 = 1;
/// Value tag: int32, 4 bytes.
pub const TAG_I32: u8 = 2;
/// Value tag: int64, 8 bytes.
pub const TAG_I64: u8 = 3;
/// Value tag: float64, 8 bytes (IEEE 754 binary64).
pub const TAG_F64: u8 = 4;
/// Value tag: string, u32 length + UTF-8 bytes.
pub const TAG_STRING: u8 = 5;
/// Value tag: bytes, u32 length + raw bytes.
pub const TAG_BYTES: u8 = 6;
/// Value tag: array, u32 count + values.
pub const TAG_ARRAY: u8 = 7;
/// Value tag: map, u32 count + (key string, value) entries.
pub const TAG_MAP: u8 = 8;

/// Length prefix before a batch member: u32.
pub const BATCH_PREFIX_LEN: usize = 4;
