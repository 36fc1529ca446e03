//! Reads the header of an encoded message without decoding its body: borrowed views of the
//! routing fields, in O(header). It must never touch the body section or allocate.

use super::decode::expect_at;
use super::layout::*;
use super::limits::Limits;
use super::message::MessageType;
use super::preamble::{read_preamble, topic_of};
use super::reader::Reader;
use super::validate::skip_unique_pairs;
use crate::CoreError;

/// A borrowed view of a message's header and delivery fields. The body is not read; its bytes
/// are available as [`HeaderView::body`] for a later decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderView<'a> {
    /// Flag bits (`FLAG_*`).
    pub flags: u8,
    /// Total length in bytes, trailer included.
    pub total_len: u32,
    /// The message id (16 raw bytes).
    pub id: &'a [u8; 16],
    /// The topic.
    pub topic: &'a str,
    /// The trace id, when flagged.
    pub trace_id: Option<&'a [u8; 16]>,
    /// Message type.
    pub message_type: MessageType,
    /// Priority, 0..=10.
    pub priority: u8,
    /// Time to live in milliseconds, 0 = none.
    pub ttl_ms: u32,
    /// Milliseconds since the Unix epoch.
    pub timestamp: i64,
    /// Retry count.
    pub retry_count: u32,
    /// Sender.
    pub source: &'a str,
    /// Recipient.
    pub target: &'a str,
    /// Schema version.
    pub version: &'a str,
    /// Correlation id, when present.
    pub correlation_id: Option<&'a str>,
    /// Reply-to, when present.
    pub reply_to: Option<&'a str>,
    /// User headers (validated), iterate with [`PairsView::iter`].
    pub headers: PairsView<'a>,
    /// Raw bytes of the body section (entry count first), not validated.
    pub body: &'a [u8],
    /// Raw bytes of the metadata section (entry count first), not validated.
    pub metadata: &'a [u8],
}

/// Validated string pairs, stored as their encoded bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairsView<'a> {
    count: u32,
    bytes: &'a [u8],
}

impl<'a> PairsView<'a> {
    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The pairs in order.
    pub fn iter(&self) -> PairsIter<'a> {
        PairsIter {
            left: self.count,
            reader: Reader::new(self.bytes, 0),
        }
    }
}

/// Iterator over a [`PairsView`].
pub struct PairsIter<'a> {
    left: u32,
    reader: Reader<'a>,
}

impl<'a> Iterator for PairsIter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let limits = Limits {
            max_string_len: usize::MAX,
            ..Limits::DEFAULT
        };
        // The bytes were validated when the view was made; a failure here ends the iteration.
        let k = self.reader.str(&limits, "key").ok()?;
        let v = self.reader.str(&limits, "value").ok()?;
        Some((k, v))
    }
}

/// Reads the header of `bytes` (exactly one message) without decoding the body, with the default
/// limits. Does not verify the checksum; [`decode`](super::decode) does.
pub fn peek_header(bytes: &[u8]) -> Result<HeaderView<'_>, CoreError> {
    peek_header_with(bytes, &Limits::DEFAULT)
}

/// [`peek_header`] with explicit limits.
pub fn peek_header_with<'a>(bytes: &'a [u8], limits: &Limits) -> Result<HeaderView<'a>, CoreError> {
    let pre = read_preamble(bytes, limits.effective_message_size())?;
    let topic = topic_of(bytes, &pre)?;
    let body_offset = pre.body_offset as usize;
    let meta_offset = pre.meta_offset as usize;
    let header_bytes = bytes.get(..body_offset).unwrap_or_default();
    let mut r = Reader::new(header_bytes, pre.topic_end());
    let source = r.str(limits, "source")?;
    let target = r.str(limits, "target")?;
    let version = r.str(limits, "version")?;
    let correlation_id = if pre.flags & FLAG_CORRELATION_ID != 0 {
        Some(r.str(limits, "correlation id")?)
    } else {
        None
    };
    let reply_to = if pre.flags & FLAG_REPLY_TO != 0 {
        Some(r.str(limits, "reply-to")?)
    } else {
        None
    };
    let pairs_start = r.pos();
    let count = skip_unique_pairs(&mut r, limits, "header")?;
    expect_at(&r, body_offset, "body section")?;
    let headers = PairsView {
        count: count as u32,
        bytes: header_bytes.get(pairs_start + 4..).unwrap_or_default(),
    };
    let id = bytes
        .get(OFF_ID..OFF_ID + 16)
        .and_then(|s| s.try_into().ok())
        .unwrap_or(&[0u8; 16]);
    let trace_id = if pre.flags & FLAG_TRACE_ID != 0 {
        bytes
            .get(OFF_TRACE_ID..OFF_TRACE_ID + 16)
            .and_then(|s| s.try_into().ok())
    } else {
        None
    };
    Ok(HeaderView {
        flags: pre.flags,
        total_len: pre.total_len,
        id,
        topic,
        trace_id,
        message_type: pre.message_type,
        priority: pre.priority,
        ttl_ms: pre.ttl_ms,
        timestamp: pre.timestamp,
        retry_count: pre.retry_count,
        source,
        target,
        version,
        correlation_id,
        reply_to,
        headers,
        body: bytes.get(body_offset..meta_offset).unwrap_or_default(),
        metadata: bytes
            .get(meta_offset..pre.content_end())
            .unwrap_or_default(),
    })
}
