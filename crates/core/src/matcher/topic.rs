//! Topic and pattern syntax: the two dialects, their limits, and splitting a string into words.
//!
//! Splitting writes word spans (range and hash) into a caller's reused buffer; it must never allocate on the
//! matching path (only an error message allocates) and never panic on any input.

use super::hash::{fold_word, hash_word, WHOLE_SEED};
use crate::CoreError;

/// Longest topic or pattern accepted, in UTF-8 bytes (the AMQP routing-key limit).
pub const MAX_TOPIC_BYTES: usize = 255;

/// Most words (levels) a topic or pattern may hold.
pub const MAX_WORDS: usize = 128;

/// The dialect a [`super::TopicMatcher`] speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// RabbitMQ topic exchange: `.` separates words, `*` is one word, `#` is zero or more words.
    #[default]
    Amqp,
    /// MQTT 3.1.1: `/` separates levels, `+` is one level, `#` (last level only) is zero or more.
    Mqtt,
}

impl Syntax {
    /// The byte that separates words in this dialect.
    pub fn separator(self) -> u8 {
        match self {
            Syntax::Amqp => b'.',
            Syntax::Mqtt => b'/',
        }
    }

    /// The pattern word that matches exactly one word.
    pub fn one_word(self) -> &'static str {
        match self {
            Syntax::Amqp => "*",
            Syntax::Mqtt => "+",
        }
    }
}

/// One word of a pattern, as the trie stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// A word matched byte for byte, with its hash.
    Literal(&'a str, u64),
    /// Exactly one word, which may be empty.
    One,
    /// Zero or more words.
    Many,
}

/// Whether a byte is a control character (C0 or DEL), refused in topics and patterns.
#[inline]
pub(crate) fn is_control(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

/// One word of a split string: its byte range and its hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) hash: u64,
}

/// Splits `s` into words over `sep`, writing their spans to `out` and checking the length, the
/// word count and the control-character rule; returns the hash of the whole string (a fold of
/// the word hashes). The empty string is zero words.
pub(crate) fn split_words(
    s: &str,
    sep: u8,
    what: &str,
    out: &mut Vec<Span>,
) -> Result<u64, CoreError> {
    out.clear();
    if s.is_empty() {
        return Ok(WHOLE_SEED);
    }
    if s.len() > MAX_TOPIC_BYTES {
        return Err(too_long(what, s.len()));
    }
    let bytes = s.as_bytes();
    let mut whole = WHOLE_SEED;
    let mut start = 0usize;
    #[inline(always)]
    fn push(out: &mut Vec<Span>, whole: &mut u64, bytes: &[u8], start: usize, end: usize) {
        let hash = hash_word(bytes.get(start..end).unwrap_or(&[]));
        *whole = fold_word(*whole, hash);
        out.push(Span {
            start: start as u32,
            end: end as u32,
            hash,
        });
    }
    // Eight bytes at a time: find separators and control bytes with exact per-byte masks.
    let separators = ONES * u64::from(sep);
    let mut control_bytes = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0usize;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        control_bytes |= below_0x20(x) | zero_bytes(x ^ (ONES * 0x7f));
        let mut found = zero_bytes(x ^ separators);
        while found != 0 {
            let end = base + (found.trailing_zeros() / 8) as usize;
            push(out, &mut whole, bytes, start, end);
            start = end + 1;
            found &= found - 1;
        }
        base += 8;
    }
    for (offset, &b) in chunks.remainder().iter().enumerate() {
        if b == sep {
            push(out, &mut whole, bytes, start, base + offset);
            start = base + offset + 1;
        } else if is_control(b) {
            control_bytes = 1;
        }
    }
    push(out, &mut whole, bytes, start, bytes.len());
    if control_bytes != 0 {
        let at = bytes.iter().position(|&b| is_control(b)).unwrap_or(0);
        return Err(control(what, at));
    }
    if out.len() > MAX_WORDS {
        return Err(CoreError::InvalidArgument(format!(
            "{what} has {} words, the limit is {MAX_WORDS}",
            out.len()
        )));
    }
    Ok(whole)
}

/// The word of `s` at `span`.
#[inline]
pub(crate) fn word(s: &str, span: Span) -> &str {
    s.get(span.start as usize..span.end as usize).unwrap_or("")
}

/// The bytes of the word of `s` at `span` (no character-boundary check).
#[inline]
pub(crate) fn word_bytes(s: &str, span: Span) -> &[u8] {
    s.as_bytes()
        .get(span.start as usize..span.end as usize)
        .unwrap_or(&[])
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// High bit set in exactly the bytes of `x` that are zero.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// High bit set in exactly the bytes of `x` below 0x20.
#[inline(always)]
fn below_0x20(x: u64) -> u64 {
    !(((x & LOW7) + ONES * (0x80 - 0x20)) | x) & HIGH
}

fn too_long(what: &str, len: usize) -> CoreError {
    CoreError::InvalidArgument(format!(
        "{what} is {len} bytes long, the limit is {MAX_TOPIC_BYTES}"
    ))
}

fn control(what: &str, at: usize) -> CoreError {
    CoreError::InvalidArgument(format!("{what} holds a control character at byte {at}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let mut r = Vec::new();
        split_words(s, b'.', "topic", &mut r).unwrap();
        r.iter().map(|&x| word(s, x).to_string()).collect()
    }

    #[test]
    fn empty_is_zero_words_and_dots_make_empty_words() {
        assert!(words("").is_empty());
        assert_eq!(words("."), vec!["", ""]);
        assert_eq!(words("a..b"), vec!["a", "", "b"]);
        assert_eq!(words("a."), vec!["a", ""]);
    }

    #[test]
    fn limits_are_enforced() {
        let mut r = Vec::new();
        assert!(split_words(&"a".repeat(256), b'.', "topic", &mut r).is_err());
        assert!(split_words(&"a".repeat(255), b'.', "topic", &mut r).is_ok());
        assert!(split_words(&".".repeat(128), b'.', "topic", &mut r).is_err());
        assert!(split_words(&".".repeat(127), b'.', "topic", &mut r).is_ok());
        assert!(split_words("a\nb", b'.', "topic", &mut r).is_err());
        assert!(split_words("a\u{7f}", b'.', "topic", &mut r).is_err());
    }

    #[test]
    fn the_eight_byte_scan_agrees_with_a_byte_scan() {
        for len in 0..40 {
            for at in 0..len {
                for (b, sep) in [
                    (b'.', true),
                    (0x1f, false),
                    (0x7f, false),
                    (0, false),
                    (b' ', false),
                ] {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = b;
                    let s = String::from_utf8(bytes).unwrap();
                    let result = split_words(&s, b'.', "topic", &mut Vec::new());
                    if sep || b == b' ' {
                        let expected: Vec<&str> = s.split('.').collect();
                        assert_eq!(words(&s), expected);
                    } else {
                        assert!(result.is_err(), "{s:?}");
                    }
                }
            }
        }
        let mut r = Vec::new();
        assert!(split_words("abcdefgh\u{80}\u{9f}é", b'.', "topic", &mut r).is_ok());
        assert_eq!(
            split_words("a.b", b'.', "t", &mut r),
            split_words("a.b", b'.', "t", &mut r)
        );
        assert_ne!(
            split_words("a.b", b'.', "t", &mut r),
            split_words("a.c", b'.', "t", &mut r)
        );
    }
}
