//! Codec and frame functions for JavaScript: one call per batch or per socket chunk, results
//! written into caller-owned `Uint32Array`s. Conversions only; the work is in
//! `messaging_core::codec` and `messaging_core::frame`.

use messaging_core::codec::{self, EncodeOptions, Limits};
use messaging_core::frame::{self, RECORD_WORDS};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::error::to_napi;

/// Words at the start of a frame-split output before the first record:
/// `[frames, consumed, outFull, 0]`.
pub const SPLIT_HEADER_WORDS: usize = 4;

/// Splits a socket chunk into frames in one call. Writes `[frames, consumed, outFull, 0]` to
/// `out[0..4]`, then 8 words per frame (payload offset, payload length, kind, topic offset,
/// topic length, ttl, trace id offset or 0xFFFFFFFF, priority | type << 8 | flags << 16).
/// Returns the number of frames. Throws `[PROTOCOL_ERROR]` for a frame that breaks the protocol.
#[napi(js_name = "splitFrames")]
pub fn split_frames(chunk: &[u8], max_frame: u32, mut out: Uint32ArraySlice) -> Result<u32> {
    // SAFETY: the slice is only used during this call, while JS cannot run.
    let out = unsafe { out.as_mut() };
    if out.len() < SPLIT_HEADER_WORDS + RECORD_WORDS {
        return Err(Error::new(
            Status::InvalidArg,
            "[INVALID_ARGUMENT] the output array holds no frame record",
        ));
    }
    let (head, records) = out.split_at_mut(SPLIT_HEADER_WORDS);
    let split = frame::split_frames(chunk, max_frame as usize, records).map_err(|e| {
        Error::new(
            Status::GenericFailure,
            format!("[PROTOCOL_ERROR] {}", crate::error::detail(&e)),
        )
    })?;
    head[0] = split.frames as u32;
    head[1] = split.consumed as u32;
    head[2] = split.out_full as u32;
    Ok(split.frames as u32)
}

/// Validates a batch (u32 length + message, repeated) completely in one call and writes the
/// start and length of each message into `out` (2 words per message). Returns how many
/// messages it wrote; fewer than the batch holds when `out` is full (call again from the
/// returned position: `out[2 * n - 2] + out[2 * n - 1]`). Throws `[SERIALIZATION_ERROR]`
/// naming the member and the offset of the first bad message.
#[napi(js_name = "validateBatch")]
pub fn validate_batch(batch: &[u8], start: u32, mut out: Uint32ArraySlice) -> Result<u32> {
    // SAFETY: the slice is only used during this call, while JS cannot run.
    let out = unsafe { out.as_mut() };
    let limits = Limits::DEFAULT;
    let mut pos = start as usize;
    let mut n = 0usize;
    while pos < batch.len() && 2 * n + 2 <= out.len() {
        let len_bytes = batch
            .get(pos..pos + 4)
            .ok_or_else(|| batch_error(n, pos, "truncated batch member length"))?;
        let len =
            u32::from_le_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
        let member = batch
            .get(pos + 4..pos + 4 + len)
            .ok_or_else(|| batch_error(n, pos, "truncated batch member"))?;
        codec::validate(member, &limits)
            .map_err(|e| batch_error(n, pos, crate::error::detail(&e)))?;
        out[2 * n] = (pos + 4) as u32;
        out[2 * n + 1] = len as u32;
        n += 1;
        pos += 4 + len;
    }
    Ok(n as u32)
}

fn batch_error(member: usize, at: usize, what: &str) -> Error {
    Error::new(
        Status::GenericFailure,
        format!("[SERIALIZATION_ERROR] batch member {member} at offset {at}: {what}"),
    )
}

/// Decodes one message with the native codec and encodes it again (with or without the
/// checksum): the reference the TypeScript codec is checked against.
#[napi(js_name = "reencode")]
pub fn reencode(bytes: &[u8], checksum: bool) -> Result<Buffer> {
    let msg = codec::decode(bytes, &Limits::DEFAULT).map_err(to_napi)?;
    let out =
        codec::encode_to_vec(&msg, &EncodeOptions::with_checksum(checksum)).map_err(to_napi)?;
    Ok(out.into())
}
