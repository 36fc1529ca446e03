//! Checks that bytes are exactly one valid message, as [`decode`](super::decode) would accept
//! them, without building anything: the path for batches whose bodies are decoded later (and
//! lazily) by JavaScript. It must never allocate per field and never accept what decode rejects.

use super::decode::{check_depth, expect_at, verify_checksum};
use super::layout::*;
use super::limits::Limits;
use super::peek::{peek_header_with, HeaderView};
use super::preamble::read_preamble;
use super::reader::{malformed, Reader};
use crate::CoreError;

/// Validates one message completely (header, checksum, body, metadata) and returns its header.
pub fn validate<'a>(bytes: &'a [u8], limits: &Limits) -> Result<HeaderView<'a>, CoreError> {
    let pre = read_preamble(bytes, limits.effective_message_size())?;
    verify_checksum(bytes, &pre)?;
    let view = peek_header_with(bytes, limits)?;
    let content = bytes
        .get(..pre.content_end())
        .ok_or_else(|| malformed(0, "content points past the end"))?;
    let mut r = Reader::new(content, pre.body_offset as usize);
    let n = r.count(5, limits, "body")?;
    for _ in 0..n {
        r.str(limits, "body key")?;
        skip_value(&mut r, 1, limits)?;
    }
    expect_at(&r, pre.meta_offset as usize, "metadata section")?;
    skip_unique_pairs(&mut r, limits, "metadata")?;
    expect_at(&r, pre.content_end(), "end of message")?;
    Ok(view)
}

/// Skips a counted list of string pairs, refusing a key that appears twice; returns the count.
pub(crate) fn skip_unique_pairs(
    r: &mut Reader<'_>,
    limits: &Limits,
    what: &str,
) -> Result<usize, CoreError> {
    let n = r.count(8, limits, what)?;
    let start = r.pos();
    for i in 0..n {
        let at = r.pos();
        let key = r.str(limits, what)?;
        r.str(limits, what)?;
        if i > 0 && key_seen_before(r.buf_from(start, at), key, limits) {
            return Err(malformed(at, format_args!("duplicate {what} key")));
        }
    }
    Ok(n)
}

/// Whether `key` is one of the keys of the already-checked pairs in `earlier`.
fn key_seen_before(earlier: &[u8], key: &str, limits: &Limits) -> bool {
    let mut r = Reader::new(earlier, 0);
    while r.remaining() > 0 {
        match (r.str(limits, ""), r.str(limits, "")) {
            (Ok(k), Ok(_)) if k == key => return true,
            (Ok(_), Ok(_)) => {}
            _ => return false,
        }
    }
    false
}

fn skip_value(r: &mut Reader<'_>, depth: usize, limits: &Limits) -> Result<(), CoreError> {
    let at = r.pos();
    match r.u8("value tag")? {
        TAG_NULL => {}
        TAG_BOOL => {
            let b = r.u8("bool")?;
            if b > 1 {
                return Err(malformed(
                    at + 1,
                    format_args!("bool byte {b} is not 0 or 1"),
                ));
            }
        }
        TAG_I32 => {
            r.take(4, "int32")?;
        }
        TAG_I64 => {
            r.take(8, "int64")?;
        }
        TAG_F64 => {
            r.take(8, "float64")?;
        }
        TAG_STRING => {
            r.str(limits, "string value")?;
        }
        TAG_BYTES => {
            r.bytes(limits, "bytes value")?;
        }
        TAG_ARRAY => {
            check_depth(at, depth, limits)?;
            let n = r.count(1, limits, "array")?;
            for _ in 0..n {
                skip_value(r, depth + 1, limits)?;
            }
        }
        TAG_MAP => {
            check_depth(at, depth, limits)?;
            let n = r.count(5, limits, "map")?;
            for _ in 0..n {
                r.str(limits, "map key")?;
                skip_value(r, depth + 1, limits)?;
            }
        }
        other => return Err(malformed(at, format_args!("unknown value tag {other}"))),
    }
    Ok(())
}
