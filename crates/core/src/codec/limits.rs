//! Limits that decoding (and encoding) enforce, so that hostile bytes can never make the codec
//! allocate, recurse or loop beyond a known bound. This file holds numbers only; it must never
//! be bypassed by a code path that reads outside input.

/// Default maximum size of one encoded message, trailer included: 16 MiB.
pub const MAX_MESSAGE_SIZE: usize = 16 * 1024 * 1024;
/// Default maximum nesting depth of arrays and maps inside the body (a container directly in the
/// body is at depth 1).
pub const MAX_DEPTH: usize = 32;
/// Hard ceiling on the nesting depth, whatever a [`Limits`] asks for (bounds recursion).
pub const MAX_DEPTH_CEILING: usize = 128;
/// Default maximum number of entries in one container: the body, a map, an array, the user
/// headers or the user metadata.
pub const MAX_FIELDS: usize = 65_536;
/// Default maximum length in bytes of one string (keys included), and of one bytes value.
pub const MAX_STRING_LEN: usize = 4 * 1024 * 1024;
/// Maximum length in bytes of the topic, fixed by the format (u16 length field).
pub const MAX_TOPIC_LEN: usize = u16::MAX as usize;

/// Largest timestamp magnitude in ms: 2^53 - 1, the integers a JavaScript number holds exactly,
/// so every implementation reads the same timestamp back.
pub const MAX_TIMESTAMP_MS: i64 = (1 << 53) - 1;

/// The bounds one decode (or encode) enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum size of one message in bytes, trailer included (at most `u32::MAX`).
    pub max_message_size: usize,
    /// Maximum nesting depth of containers in the body (capped at [`MAX_DEPTH_CEILING`]).
    pub max_depth: usize,
    /// Maximum number of entries in one container.
    pub max_fields: usize,
    /// Maximum length in bytes of one string or bytes value.
    pub max_string_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Limits {
    /// The defaults: [`MAX_MESSAGE_SIZE`], [`MAX_DEPTH`], [`MAX_FIELDS`], [`MAX_STRING_LEN`].
    pub const DEFAULT: Limits = Limits {
        max_message_size: MAX_MESSAGE_SIZE,
        max_depth: MAX_DEPTH,
        max_fields: MAX_FIELDS,
        max_string_len: MAX_STRING_LEN,
    };

    /// The depth actually enforced: `max_depth`, never above [`MAX_DEPTH_CEILING`].
    pub fn effective_depth(&self) -> usize {
        self.max_depth.min(MAX_DEPTH_CEILING)
    }

    /// The message size actually enforced: `max_message_size`, never above `u32::MAX`.
    pub fn effective_message_size(&self) -> usize {
        self.max_message_size.min(u32::MAX as usize)
    }
}
