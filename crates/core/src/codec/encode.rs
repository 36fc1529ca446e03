//! Writes messages in the binary format. Writing appends to a caller's `Vec<u8>` so one buffer
//! serves a whole batch. It must never write a message that the decoder (with the same limits)
//! would reject, and never leave a half-written message in the buffer after an error.

use super::layout::*;
use super::limits::{Limits, MAX_TOPIC_LEN};
use super::message::Message;
use super::value::Value;
use crate::checksum::crc32c;
use crate::CoreError;

/// How to encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncodeOptions {
    /// Append a CRC32C trailer and set the checksum flag.
    pub checksum: bool,
    /// Bounds the message must respect (the same a decoder enforces).
    pub limits: Limits,
}

impl EncodeOptions {
    /// Default limits, with or without the checksum trailer.
    pub const fn with_checksum(checksum: bool) -> Self {
        EncodeOptions {
            checksum,
            limits: Limits::DEFAULT,
        }
    }
}

fn invalid(what: impl std::fmt::Display) -> CoreError {
    CoreError::InvalidArgument(what.to_string())
}

/// Appends `msg` to `out` and returns the number of bytes written. On error `out` is left as it
/// was and the error ([`CoreError::InvalidArgument`]) names the field over a limit.
pub fn encode(msg: &Message, opts: &EncodeOptions, out: &mut Vec<u8>) -> Result<usize, CoreError> {
    let start = out.len();
    let result = write_message(msg, opts, out, start);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Encodes `msg` into a new vector.
pub fn encode_to_vec(msg: &Message, opts: &EncodeOptions) -> Result<Vec<u8>, CoreError> {
    let mut out = Vec::with_capacity(256);
    encode(msg, opts, &mut out)?;
    Ok(out)
}

/// Appends every message of `msgs` to `out`, each preceded by its length as a u32 LE, and
/// returns the number of bytes written. On error `out` is left as it was.
pub fn encode_batch(
    msgs: &[Message],
    opts: &EncodeOptions,
    out: &mut Vec<u8>,
) -> Result<usize, CoreError> {
    let start = out.len();
    for (i, msg) in msgs.iter().enumerate() {
        let prefix_at = out.len();
        out.extend_from_slice(&[0u8; BATCH_PREFIX_LEN]);
        match encode(msg, opts, out) {
            Ok(n) => out[prefix_at..prefix_at + BATCH_PREFIX_LEN]
                .copy_from_slice(&(n as u32).to_le_bytes()),
            Err(e) => {
                out.truncate(start);
                return Err(match e {
                    CoreError::InvalidArgument(m) => {
                        CoreError::InvalidArgument(format!("message {i}: {m}"))
                    }
                    other => other,
                });
            }
        }
    }
    Ok(out.len() - start)
}

fn write_message(
    msg: &Message,
    opts: &EncodeOptions,
    out: &mut Vec<u8>,
    start: usize,
) -> Result<usize, CoreError> {
    let h = &msg.header;
    let m = &msg.metadata;
    let limits = &opts.limits;
    if m.priority > MAX_PRIORITY {
        return Err(invalid(format_args!(
            "priority {} above {MAX_PRIORITY}",
            m.priority
        )));
    }
    let topic = h.topic.as_bytes();
    let topic_max = MAX_TOPIC_LEN.min(limits.max_string_len);
    if topic.len() > topic_max {
        return Err(invalid(format_args!(
            "topic length {} exceeds the limit {topic_max}",
            topic.len()
        )));
    }
    if h.timestamp.unsigned_abs() > super::limits::MAX_TIMESTAMP_MS as u64 {
        return Err(CoreError::Serialization(format!(
            "timestamp {} outside ±(2^53-1) ms",
            h.timestamp
        )));
    }
    let mut flags = 0u8;
    if opts.checksum {
        flags |= FLAG_CHECKSUM;
    }
    if h.trace_id.is_some() {
        flags |= FLAG_TRACE_ID;
    }
    if h.correlation_id.is_some() {
        flags |= FLAG_CORRELATION_ID;
    }
    if h.reply_to.is_some() {
        flags |= FLAG_REPLY_TO;
    }

    let mut pre = [0u8; PREAMBLE_LEN];
    pre[OFF_MAGIC..OFF_MAGIC + 2].copy_from_slice(&MAGIC);
    pre[OFF_VERSION] = FORMAT_VERSION;
    pre[OFF_FLAGS] = flags;
    pre[OFF_TYPE] = h.message_type as u8;
    pre[OFF_PRIORITY] = m.priority;
    pre[OFF_TOPIC_LEN..OFF_TOPIC_LEN + 2].copy_from_slice(&(topic.len() as u16).to_le_bytes());
    pre[OFF_TTL..OFF_TTL + 4].copy_from_slice(&m.ttl_ms.to_le_bytes());
    pre[OFF_TIMESTAMP..OFF_TIMESTAMP + 8].copy_from_slice(&h.timestamp.to_le_bytes());
    pre[OFF_RETRY_COUNT..OFF_RETRY_COUNT + 4].copy_from_slice(&m.retry_count.to_le_bytes());
    pre[OFF_ID..OFF_ID + 16].copy_from_slice(&h.id);
    if let Some(trace) = &h.trace_id {
        pre[OFF_TRACE_ID..OFF_TRACE_ID + 16].copy_from_slice(trace);
    }
    out.reserve(PREAMBLE_LEN + topic.len() + 128);
    out.extend_from_slice(&pre);
    out.extend_from_slice(topic);

    put_str(out, &h.source, limits, "source")?;
    put_str(out, &h.target, limits, "target")?;
    put_str(out, &h.version, limits, "version")?;
    if let Some(c) = &h.correlation_id {
        put_str(out, c, limits, "correlation id")?;
    }
    if let Some(r) = &h.reply_to {
        put_str(out, r, limits, "reply-to")?;
    }
    put_pairs(out, &h.headers, limits, "header")?;

    let body_offset = out.len() - start;
    put_count(out, msg.body.len(), limits, "body")?;
    for (k, v) in &msg.body {
        put_str(out, k, limits, "body key")?;
        put_value(out, v, 1, limits)?;
    }
    let meta_offset = out.len() - start;
    put_pairs(out, &m.entries, limits, "metadata")?;

    let total = out.len() - start + if opts.checksum { CHECKSUM_LEN } else { 0 };
    let max = limits.effective_message_size();
    if total > max {
        return Err(invalid(format_args!(
            "encoded size {total} exceeds the limit {max}"
        )));
    }
    let msg_bytes = &mut out[start..];
    msg_bytes[OFF_TOTAL_LEN..OFF_TOTAL_LEN + 4].copy_from_slice(&(total as u32).to_le_bytes());
    msg_bytes[OFF_BODY_OFFSET..OFF_BODY_OFFSET + 4]
        .copy_from_slice(&(body_offset as u32).to_le_bytes());
    msg_bytes[OFF_META_OFFSET..OFF_META_OFFSET + 4]
        .copy_from_slice(&(meta_offset as u32).to_le_bytes());
    if opts.checksum {
        let crc = crc32c(msg_bytes);
        out.extend_from_slice(&crc.to_le_bytes());
    }
    Ok(total)
}

#[inline]
fn put_count(out: &mut Vec<u8>, n: usize, limits: &Limits, what: &str) -> Result<(), CoreError> {
    if n > limits.max_fields {
        return Err(invalid(format_args!(
            "{what} has {n} entries, above the limit {}",
            limits.max_fields
        )));
    }
    out.extend_from_slice(&(n as u32).to_le_bytes());
    Ok(())
}

#[inline]
fn put_bytes(out: &mut Vec<u8>, b: &[u8], limits: &Limits, what: &str) -> Result<(), CoreError> {
    if b.len() > limits.max_string_len {
        return Err(invalid(format_args!(
            "{what} length {} exceeds the limit {}",
            b.len(),
            limits.max_string_len
        )));
    }
    out.extend_from_slice(&(b.len() as u32).to_le_bytes());
    out.extend_from_slice(b);
    Ok(())
}

#[inline]
fn put_str(out: &mut Vec<u8>, s: &str, limits: &Limits, what: &str) -> Result<(), CoreError> {
    put_bytes(out, s.as_bytes(), limits, what)
}

fn put_pairs(
    out: &mut Vec<u8>,
    pairs: &[(String, String)],
    limits: &Limits,
    what: &str,
) -> Result<(), CoreError> {
    put_count(out, pairs.len(), limits, what)?;
    for end in 1..=pairs.len() {
        if super::decode::has_duplicate_last(&pairs[..end]) {
            return Err(CoreError::Serialization(format!(
                "duplicate {what} key {:?}",
                pairs[end - 1].0
            )));
        }
    }
    for (k, v) in pairs {
        put_str(out, k, limits, what)?;
        put_str(out, v, limits, what)?;
    }
    Ok(())
}

fn put_value(out: &mut Vec<u8>, v: &Value, depth: usize, limits: &Limits) -> Result<(), CoreError> {
    out.push(v.tag());
    match v {
        Value::Null => {}
        Value::Bool(b) => out.push(*b as u8),
        Value::I32(n) => out.extend_from_slice(&n.to_le_bytes()),
        Value::I64(n) => out.extend_from_slice(&n.to_le_bytes()),
        Value::F64(f) => out.extend_from_slice(&f.to_le_bytes()),
        Value::Str(s) => put_str(out, s, limits, "string value")?,
        Value::Bytes(b) => put_bytes(out, b, limits, "bytes value")?,
        Value::Array(items) => {
            check_depth(depth, limits)?;
            put_count(out, items.len(), limits, "array")?;
            for item in items {
                put_value(out, item, depth + 1, limits)?;
            }
        }
        Value::Map(entries) => {
            check_depth(depth, limits)?;
            put_count(out, entries.len(), limits, "map")?;
            for (k, item) in entries {
                put_str(out, k, limits, "map key")?;
                put_value(out, item, depth + 1, limits)?;
            }
        }
    }
    Ok(())
}

#[inline]
fn check_depth(depth: usize, limits: &Limits) -> Result<(), CoreError> {
    let max = limits.effective_depth();
    if depth > max {
        return Err(invalid(format_args!(
            "nesting depth {depth} exceeds the limit {max}"
        )));
    }
    Ok(())
}
