//! Reads and validates the fixed 68-byte preamble of a message: the part the header peek and the
//! frame splitter need, in O(1). It must never read past the preamble except to check the topic,
//! and never trust a length or offset it has not compared with the bytes it was given.

use super::layout::*;
use super::message::MessageType;
use super::reader::malformed;
use crate::CoreError;

/// The fixed fields of a message, validated against each other and against the message length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preamble {
    /// Flag bits (`FLAG_*`).
    pub flags: u8,
    /// Total length in bytes, trailer included.
    pub total_len: u32,
    /// Message type.
    pub message_type: MessageType,
    /// Priority, 0..=10.
    pub priority: u8,
    /// Topic length in bytes; the topic starts at [`OFF_TOPIC`].
    pub topic_len: u16,
    /// Time to live in milliseconds, 0 = none.
    pub ttl_ms: u32,
    /// Milliseconds since the Unix epoch.
    pub timestamp: i64,
    /// Retry count.
    pub retry_count: u32,
    /// Start of the body section.
    pub body_offset: u32,
    /// Start of the metadata section.
    pub meta_offset: u32,
}

impl Preamble {
    /// End of the content: the total length minus the checksum trailer, if any.
    #[inline]
    pub fn content_end(&self) -> usize {
        self.total_len as usize - self.checksum_len()
    }

    /// Size of the checksum trailer: 4 when flagged, else 0.
    #[inline]
    pub fn checksum_len(&self) -> usize {
        if self.flags & FLAG_CHECKSUM != 0 {
            CHECKSUM_LEN
        } else {
            0
        }
    }

    /// End of the topic bytes.
    #[inline]
    pub fn topic_end(&self) -> usize {
        OFF_TOPIC + self.topic_len as usize
    }
}

#[inline]
fn u32_at(p: &[u8; PREAMBLE_LEN], off: usize) -> u32 {
    u32::from_le_bytes([p[off], p[off + 1], p[off + 2], p[off + 3]])
}

/// Validates the preamble of `msg`, which must be exactly one message (its length equal to the
/// total length field), at most `max_size` bytes. Does not check the topic's UTF-8, the
/// variable fields or the checksum.
#[inline]
pub fn read_preamble(msg: &[u8], max_size: usize) -> Result<Preamble, CoreError> {
    let p: &[u8; PREAMBLE_LEN] = match msg.get(..PREAMBLE_LEN).and_then(|s| s.try_into().ok()) {
        Some(p) => p,
        None => {
            return Err(malformed(
                0,
                format_args!(
                    "truncated preamble: needs {PREAMBLE_LEN} bytes, has {}",
                    msg.len()
                ),
            ))
        }
    };
    if [p[OFF_MAGIC], p[OFF_MAGIC + 1]] != MAGIC {
        return Err(malformed(
            OFF_MAGIC,
            format_args!("bad magic {:02x}{:02x}", p[0], p[1]),
        ));
    }
    if p[OFF_VERSION] != FORMAT_VERSION {
        return Err(malformed(
            OFF_VERSION,
            format_args!("unsupported format version {}", p[OFF_VERSION]),
        ));
    }
    let flags = p[OFF_FLAGS];
    if flags & !KNOWN_FLAGS != 0 {
        return Err(malformed(
            OFF_FLAGS,
            format_args!("unknown flag bits {:#04x}", flags & !KNOWN_FLAGS),
        ));
    }
    let total_len = u32_at(p, OFF_TOTAL_LEN);
    if total_len as usize != msg.len() {
        let what = if (total_len as usize) > msg.len() {
            "truncated message"
        } else {
            "trailing bytes after message"
        };
        return Err(malformed(
            OFF_TOTAL_LEN,
            format_args!("{what}: length field {total_len}, bytes {}", msg.len()),
        ));
    }
    if total_len as usize > max_size {
        return Err(malformed(
            OFF_TOTAL_LEN,
            format_args!("message length {total_len} exceeds the limit {max_size}"),
        ));
    }
    let message_type = match MessageType::from_u8(p[OFF_TYPE]) {
        Some(t) => t,
        None => {
            return Err(malformed(
                OFF_TYPE,
                format_args!("unknown message type {}", p[OFF_TYPE]),
            ))
        }
    };
    let priority = p[OFF_PRIORITY];
    if priority > MAX_PRIORITY {
        return Err(malformed(
            OFF_PRIORITY,
            format_args!("priority {priority} above {MAX_PRIORITY}"),
        ));
    }
    if flags & FLAG_TRACE_ID == 0 && p[OFF_TRACE_ID..OFF_TRACE_ID + 16] != [0u8; 16] {
        return Err(malformed(
            OFF_TRACE_ID,
            "trace id bytes set while the trace id flag is clear",
        ));
    }
    let pre = Preamble {
        flags,
        total_len,
        message_type,
        priority,
        topic_len: u16::from_le_bytes([p[OFF_TOPIC_LEN], p[OFF_TOPIC_LEN + 1]]),
        ttl_ms: u32_at(p, OFF_TTL),
        timestamp: i64::from_le_bytes([
            p[OFF_TIMESTAMP],
            p[OFF_TIMESTAMP + 1],
            p[OFF_TIMESTAMP + 2],
            p[OFF_TIMESTAMP + 3],
            p[OFF_TIMESTAMP + 4],
            p[OFF_TIMESTAMP + 5],
            p[OFF_TIMESTAMP + 6],
            p[OFF_TIMESTAMP + 7],
        ]),
        retry_count: u32_at(p, OFF_RETRY_COUNT),
        body_offset: u32_at(p, OFF_BODY_OFFSET),
        meta_offset: u32_at(p, OFF_META_OFFSET),
    };
    if pre.timestamp.unsigned_abs() > super::limits::MAX_TIMESTAMP_MS as u64 {
        return Err(malformed(
            OFF_TIMESTAMP,
            format_args!("timestamp {} outside ±(2^53-1) ms", pre.timestamp),
        ));
    }
    // total_len >= PREAMBLE_LEN here, since msg.len() >= PREAMBLE_LEN.
    if (total_len as usize) < PREAMBLE_LEN + pre.checksum_len() {
        return Err(malformed(
            OFF_TOTAL_LEN,
            format_args!("message length {total_len} leaves no room for the checksum"),
        ));
    }
    let content_end = pre.content_end();
    if pre.topic_end() > content_end {
        return Err(malformed(
            OFF_TOPIC_LEN,
            format_args!(
                "topic length {} points past the end ({content_end})",
                pre.topic_len
            ),
        ));
    }
    let body = pre.body_offset as usize;
    let meta = pre.meta_offset as usize;
    if body < pre.topic_end() || body > content_end {
        return Err(malformed(
            OFF_BODY_OFFSET,
            format_args!(
                "body offset {body} outside {}..={content_end}",
                pre.topic_end()
            ),
        ));
    }
    if meta < body || meta > content_end {
        return Err(malformed(
            OFF_META_OFFSET,
            format_args!("metadata offset {meta} outside {body}..={content_end}"),
        ));
    }
    Ok(pre)
}

/// The topic of a message whose preamble `pre` was read from `msg`, checked as UTF-8.
#[inline]
pub fn topic_of<'a>(msg: &'a [u8], pre: &Preamble) -> Result<&'a str, CoreError> {
    let bytes = msg
        .get(OFF_TOPIC..pre.topic_end())
        .ok_or_else(|| malformed(OFF_TOPIC, "topic points past the end"))?;
    std::str::from_utf8(bytes)
        .map_err(|e| malformed(OFF_TOPIC + e.valid_up_to(), "invalid UTF-8 in topic"))
}
