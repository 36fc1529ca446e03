//! Reads messages from untrusted bytes into the owned model. Every length is checked against the
//! bytes that remain and against [`Limits`] before anything is allocated. It must never panic,
//! never recurse deeper than the depth limit and never accept bytes the encoder would not write.

use super::layout::*;
use super::limits::Limits;
use super::message::{Header, Message, Metadata};
use super::preamble::{read_preamble, topic_of, Preamble};
use super::reader::{malformed, Reader};
use super::value::Value;
use crate::checksum::crc32c;
use crate::CoreError;

/// Decodes exactly one message from `bytes` (the slice must be the whole message, no more, no
/// less), enforcing `limits` and the checksum when flagged. Errors are
/// [`CoreError::Serialization`] naming what is wrong and its byte offset.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Message, CoreError> {
    let pre = read_preamble(bytes, limits.effective_message_size())?;
    verify_checksum(bytes, &pre)?;
    let topic = topic_of(bytes, &pre)?;
    let content = bytes
        .get(..pre.content_end())
        .ok_or_else(|| malformed(0, "content points past the end"))?;
    let mut r = Reader::new(content, pre.topic_end());

    let source = r.str(limits, "source")?.to_owned();
    let target = r.str(limits, "target")?.to_owned();
    let version = r.str(limits, "version")?.to_owned();
    let correlation_id = if pre.flags & FLAG_CORRELATION_ID != 0 {
        Some(r.str(limits, "correlation id")?.to_owned())
    } else {
        None
    };
    let reply_to = if pre.flags & FLAG_REPLY_TO != 0 {
        Some(r.str(limits, "reply-to")?.to_owned())
    } else {
        None
    };
    let headers = read_pairs(&mut r, limits, "header")?;
    expect_at(&r, pre.body_offset as usize, "body section")?;

    let n = r.count(5, limits, "body")?;
    let mut body = Vec::with_capacity(n);
    for _ in 0..n {
        let key = r.str(limits, "body key")?.to_owned();
        let value = read_value(&mut r, 1, limits)?;
        body.push((key, value));
    }
    expect_at(&r, pre.meta_offset as usize, "metadata section")?;
    let entries = read_pairs(&mut r, limits, "metadata")?;
    expect_at(&r, pre.content_end(), "end of message")?;

    let id = array16(bytes, OFF_ID)?;
    let trace_id = if pre.flags & FLAG_TRACE_ID != 0 {
        Some(array16(bytes, OFF_TRACE_ID)?)
    } else {
        None
    };
    Ok(Message {
        header: Header {
            id,
            source,
            target,
            topic: topic.to_owned(),
            trace_id,
            correlation_id,
            reply_to,
            message_type: pre.message_type,
            timestamp: pre.timestamp,
            version,
            headers,
        },
        body,
        metadata: Metadata {
            priority: pre.priority,
            ttl_ms: pre.ttl_ms,
            retry_count: pre.retry_count,
            entries,
        },
    })
}

/// Decodes a batch written by [`encode_batch`](super::encode_batch): messages back to back, each
/// preceded by its length (u32 LE). Offsets in errors are from the start of the batch.
pub fn decode_batch(bytes: &[u8], limits: &Limits) -> Result<Vec<Message>, CoreError> {
    let mut out = Vec::with_capacity((bytes.len() / 128).min(4096));
    let mut r = Reader::new(bytes, 0);
    while r.remaining() > 0 {
        let at = r.pos();
        let len = r.u32("batch member length")? as usize;
        let member = r.take(len, "batch member")?;
        let msg = decode(member, limits).map_err(|e| match e {
            CoreError::Serialization(m) => {
                CoreError::Serialization(format!("batch member {} at offset {at}: {m}", out.len()))
            }
            other => other,
        })?;
        out.push(msg);
    }
    Ok(out)
}

/// Checks the CRC32C trailer when the checksum flag is set.
pub(crate) fn verify_checksum(bytes: &[u8], pre: &Preamble) -> Result<(), CoreError> {
    if pre.flags & FLAG_CHECKSUM == 0 {
        return Ok(());
    }
    let end = pre.content_end();
    let (content, trailer) = match (bytes.get(..end), bytes.get(end..end + CHECKSUM_LEN)) {
        (Some(c), Some(t)) => (c, t),
        _ => return Err(malformed(end, "truncated checksum")),
    };
    let stored = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let actual = crc32c(content);
    if stored != actual {
        return Err(malformed(
            end,
            format_args!("checksum mismatch: stored {stored:#010x}, computed {actual:#010x}"),
        ));
    }
    Ok(())
}

fn array16(bytes: &[u8], off: usize) -> Result<[u8; 16], CoreError> {
    bytes
        .get(off..off + 16)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| malformed(off, "truncated 16-byte id"))
}

pub(crate) fn expect_at(r: &Reader<'_>, expected: usize, what: &str) -> Result<(), CoreError> {
    if r.pos() != expected {
        return Err(malformed(
            r.pos(),
            format_args!("{what} should start at offset {expected}"),
        ));
    }
    Ok(())
}

fn read_pairs(
    r: &mut Reader<'_>,
    limits: &Limits,
    what: &str,
) -> Result<Vec<(String, String)>, CoreError> {
    let n = r.count(8, limits, what)?;
    let mut pairs = Vec::with_capacity(n);
    for _ in 0..n {
        let at = r.pos();
        let k = r.str(limits, what)?.to_owned();
        let v = r.str(limits, what)?.to_owned();
        pairs.push((k, v));
        if has_duplicate_last(&pairs) {
            return Err(malformed(at, format_args!("duplicate {what} key")));
        }
    }
    Ok(pairs)
}

/// Whether the last key of `pairs` already appears before it. Header and metadata keys are
/// unique (they are maps in every implementation); a linear scan is fine for the usual handful,
/// and a set takes over for long lists.
pub(crate) fn has_duplicate_last(pairs: &[(String, String)]) -> bool {
    let Some((last, rest)) = pairs.split_last() else {
        return false;
    };
    if rest.len() < 32 {
        return rest.iter().any(|(k, _)| *k == last.0);
    }
    let mut seen = std::collections::HashSet::with_capacity(rest.len());
    rest.iter().any(|(k, _)| !seen.insert(k.as_str())) || seen.contains(last.0.as_str())
}

fn read_value(r: &mut Reader<'_>, depth: usize, limits: &Limits) -> Result<Value, CoreError> {
    let at = r.pos();
    let tag = r.u8("value tag")?;
    Ok(match tag {
        TAG_NULL => Value::Null,
        TAG_BOOL => match r.u8("bool")? {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            b => {
                return Err(malformed(
                    at + 1,
                    format_args!("bool byte {b} is not 0 or 1"),
                ))
            }
        },
        TAG_I32 => Value::I32(i32::from_le_bytes(r.array("int32")?)),
        TAG_I64 => Value::I64(i64::from_le_bytes(r.array("int64")?)),
        TAG_F64 => Value::F64(f64::from_le_bytes(r.array("float64")?)),
        TAG_STRING => Value::Str(r.str(limits, "string value")?.to_owned()),
        TAG_BYTES => Value::Bytes(r.bytes(limits, "bytes value")?.to_vec()),
        TAG_ARRAY => {
            check_depth(at, depth, limits)?;
            let n = r.count(1, limits, "array")?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(read_value(r, depth + 1, limits)?);
            }
            Value::Array(items)
        }
        TAG_MAP => {
            check_depth(at, depth, limits)?;
            let n = r.count(5, limits, "map")?;
            let mut entries = Vec::with_capacity(n);
            for _ in 0..n {
                let k = r.str(limits, "map key")?.to_owned();
                entries.push((k, read_value(r, depth + 1, limits)?));
            }
            Value::Map(entries)
        }
        other => return Err(malformed(at, format_args!("unknown value tag {other}"))),
    })
}

#[inline]
pub(crate) fn check_depth(at: usize, depth: usize, limits: &Limits) -> Result<(), CoreError> {
    let max = limits.effective_depth();
    if depth > max {
        return Err(malformed(
            at,
            format_args!("nesting depth {depth} exceeds the limit {max}"),
        ));
    }
    Ok(())
}
