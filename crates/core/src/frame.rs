//! Network frames: a u32 LE payload length, a u8 frame kind, then the payload. One call of
//! [`split_frames`] takes a chunk read from a socket (many frames and a partial tail), validates
//! every complete frame and writes a fixed-size record per frame (offsets and the peeked routing
//! fields) into a caller-owned `u32` slice. It must never allocate on the success path, never
//! panic and never read past the chunk.

use crate::codec::layout::{OFF_TOPIC, OFF_TRACE_ID};
use crate::codec::limits::MAX_MESSAGE_SIZE;
use crate::codec::{read_preamble, topic_of};
use crate::CoreError;

/// Bytes before a frame's payload: u32 LE payload length + u8 kind.
pub const FRAME_HEADER_LEN: usize = 5;
/// Default maximum payload length of one frame: the default maximum message size (16 MiB).
pub const MAX_FRAME_PAYLOAD: usize = MAX_MESSAGE_SIZE;

/// `u32` words written per frame by [`split_frames`].
pub const RECORD_WORDS: usize = 8;
/// Record word: offset of the payload in the chunk.
pub const REC_PAYLOAD_OFFSET: usize = 0;
/// Record word: payload length.
pub const REC_PAYLOAD_LEN: usize = 1;
/// Record word: frame kind ([`FrameKind`] number).
pub const REC_KIND: usize = 2;
/// Record word: offset of the topic in the chunk (0 for frames without a message).
pub const REC_TOPIC_OFFSET: usize = 3;
/// Record word: topic length in bytes (0 for frames without a message).
pub const REC_TOPIC_LEN: usize = 4;
/// Record word: time to live in ms (0 for frames without a message).
pub const REC_TTL: usize = 5;
/// Record word: offset of the 16 trace id bytes in the chunk, or [`NO_TRACE`].
pub const REC_TRACE_OFFSET: usize = 6;
/// Record word: priority (bits 0..8), message type (bits 8..16), message flags (bits 16..24);
/// 0 for frames without a message.
pub const REC_PACKED: usize = 7;
/// The trace offset of a frame whose message has no trace id (or that carries no message).
pub const NO_TRACE: u32 = u32::MAX;

/// What a frame is for. The numbers are part of the wire format; 0 is never a valid kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum FrameKind {
    /// Client hello (1).
    Connect = 1,
    /// Server accepts the connection (2).
    ConnectOk = 2,
    /// Publish a message; the payload is one encoded message (3).
    Publish = 3,
    /// Subscribe to a topic pattern (4).
    Subscribe = 4,
    /// Drop a subscription (5).
    Unsubscribe = 5,
    /// A request expecting a reply; the payload is one encoded message (6).
    Request = 6,
    /// A reply to a request; the payload is one encoded message (7).
    Reply = 7,
    /// Acknowledges a frame (8).
    Ack = 8,
    /// Reports an error (9).
    Error = 9,
    /// Liveness probe (10).
    Ping = 10,
    /// Answer to a ping (11).
    Pong = 11,
    /// A publish the broker acknowledges with an ACK naming the message id (12).
    PublishConfirm = 12,
}

impl FrameKind {
    /// The kind with number `n`, if there is one.
    #[inline]
    pub fn from_u8(n: u8) -> Option<FrameKind> {
        Some(match n {
            1 => FrameKind::Connect,
            2 => FrameKind::ConnectOk,
            3 => FrameKind::Publish,
            4 => FrameKind::Subscribe,
            5 => FrameKind::Unsubscribe,
            6 => FrameKind::Request,
            7 => FrameKind::Reply,
            8 => FrameKind::Ack,
            9 => FrameKind::Error,
            10 => FrameKind::Ping,
            11 => FrameKind::Pong,
            12 => FrameKind::PublishConfirm,
            _ => return None,
        })
    }

    /// Whether the payload of this kind is one encoded message (PUBLISH, REQUEST, REPLY,
    /// PUBLISH_CONFIRM).
    #[inline]
    pub fn carries_message(self) -> bool {
        matches!(
            self,
            FrameKind::Publish | FrameKind::Request | FrameKind::Reply | FrameKind::PublishConfirm
        )
    }
}

/// What one [`split_frames`] call found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitResult {
    /// Complete frames recorded (`frames * RECORD_WORDS` words of `out` were written).
    pub frames: usize,
    /// Bytes of the chunk those frames span; the rest (a partial frame, or frames that did not
    /// fit in `out`) must be passed again with the next chunk.
    pub consumed: usize,
    /// `out` had no room for the next complete frame.
    pub out_full: bool,
}

/// Appends a frame of `kind` holding `payload` to `out`.
pub fn write_frame(kind: FrameKind, payload: &[u8], out: &mut Vec<u8>) -> Result<(), CoreError> {
    let len = u32::try_from(payload.len()).map_err(|_| {
        CoreError::InvalidArgument(format!("frame payload of {} bytes", payload.len()))
    })?;
    out.reserve(FRAME_HEADER_LEN + payload.len());
    out.extend_from_slice(&len.to_le_bytes());
    out.push(kind as u8);
    out.extend_from_slice(payload);
    Ok(())
}

fn bad_frame(index: usize, at: usize, what: impl std::fmt::Display) -> CoreError {
    CoreError::Serialization(format!("frame {index} at offset {at}: {what}"))
}

fn bad_message(index: usize, at: usize, e: CoreError) -> CoreError {
    match e {
        CoreError::Serialization(m) => {
            bad_frame(index, at, format_args!("message {m} of the payload"))
        }
        other => other,
    }
}

/// Splits `chunk` into frames whose payload is at most `max_frame` bytes, validating each
/// complete frame (length, kind, and for message-carrying kinds the message preamble and topic;
/// not the checksum or the body), and writes [`RECORD_WORDS`] words per frame into `out`
/// (see the `REC_*` constants). Stops at the first incomplete frame or when `out` is full.
///
/// A frame's length and kind are checked as soon as its 5 header bytes are in the chunk, so an
/// oversized or unknown frame fails without waiting for its payload. Any invalid frame is a
/// [`CoreError::Serialization`] naming the frame index and its offset; frames before it are not
/// reported, since a stream with a bad frame cannot be resynchronised.
pub fn split_frames(
    chunk: &[u8],
    max_frame: usize,
    out: &mut [u32],
) -> Result<SplitResult, CoreError> {
    if chunk.len() > u32::MAX as usize {
        return Err(CoreError::InvalidArgument(format!(
            "chunk of {} bytes exceeds 4 GiB",
            chunk.len()
        )));
    }
    if out.len() < RECORD_WORDS {
        return Err(CoreError::InvalidArgument(format!(
            "output holds {} words, a record needs {RECORD_WORDS}",
            out.len()
        )));
    }
    let max_frame = max_frame.min(u32::MAX as usize - FRAME_HEADER_LEN);
    let mut records = out.chunks_exact_mut(RECORD_WORDS);
    let mut pos = 0usize;
    let mut frames = 0usize;
    let mut out_full = false;
    while let Some(head) = chunk.get(pos..pos + FRAME_HEADER_LEN) {
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if len > max_frame {
            return Err(bad_frame(
                frames,
                pos,
                format_args!("payload length {len} exceeds the limit {max_frame}"),
            ));
        }
        let kind = match FrameKind::from_u8(head[4]) {
            Some(k) => k,
            None => {
                return Err(bad_frame(
                    frames,
                    pos,
                    format_args!("unknown frame kind {}", head[4]),
                ))
            }
        };
        let start = pos + FRAME_HEADER_LEN;
        let payload = match start.checked_add(len).and_then(|end| chunk.get(start..end)) {
            Some(p) => p,
            None => break,
        };
        let record = match records.next() {
            Some(r) => r,
            None => {
                out_full = true;
                break;
            }
        };
        let mut rec = [0u32; RECORD_WORDS];
        rec[REC_PAYLOAD_OFFSET] = start as u32;
        rec[REC_PAYLOAD_LEN] = len as u32;
        rec[REC_KIND] = kind as u32;
        rec[REC_TRACE_OFFSET] = NO_TRACE;
        if kind.carries_message() {
            let pre = read_preamble(payload, max_frame).map_err(|e| bad_message(frames, pos, e))?;
            let topic = topic_of(payload, &pre).map_err(|e| bad_message(frames, pos, e))?;
            rec[REC_TOPIC_OFFSET] = (start + OFF_TOPIC) as u32;
            rec[REC_TOPIC_LEN] = topic.len() as u32;
            rec[REC_TTL] = pre.ttl_ms;
            if pre.flags & crate::codec::layout::FLAG_TRACE_ID != 0 {
                rec[REC_TRACE_OFFSET] = (start + OFF_TRACE_ID) as u32;
            }
            rec[REC_PACKED] =
                pre.priority as u32 | (pre.message_type as u32) << 8 | (pre.flags as u32) << 16;
        }
        record.copy_from_slice(&rec);
        frames += 1;
        pos = start + len;
    }
    Ok(SplitResult {
        frames,
        consumed: pos,
        out_full,
    })
}
