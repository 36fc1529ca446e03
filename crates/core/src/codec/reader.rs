//! A bounds-checked cursor over untrusted bytes. Every read checks the remaining length first and
//! names what it was reading and where when it fails. It must never index without a check, never
//! panic and never allocate from a length it has not checked against the bytes that remain.

use super::limits::Limits;
use crate::CoreError;

/// A decode error naming what is wrong and at which byte offset.
pub(crate) fn malformed(offset: usize, what: impl std::fmt::Display) -> CoreError {
    CoreError::Serialization(format!("{what} at offset {offset}"))
}

/// A cursor over `buf`; offsets in errors are reported relative to `base` + position.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A cursor over `buf` starting at `pos`.
    pub(crate) fn new(buf: &'a [u8], pos: usize) -> Self {
        Reader { buf, pos }
    }

    /// Current position.
    #[inline]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left after the position.
    /// The bytes between two positions already read (empty when out of order or out of range).
    #[inline]
    pub(crate) fn buf_from(&self, start: usize, end: usize) -> &'a [u8] {
        self.buf.get(start..end).unwrap_or_default()
    }

    #[inline]
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The next `n` bytes, or an error naming `what`.
    #[inline]
    pub(crate) fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], CoreError> {
        let start = self.pos;
        match start
            .checked_add(n)
            .and_then(|end| self.buf.get(start..end))
        {
            Some(bytes) => {
                self.pos = start + n;
                Ok(bytes)
            }
            None => Err(malformed(
                start,
                format_args!(
                    "truncated {what}: needs {n} bytes, {} left",
                    self.remaining()
                ),
            )),
        }
    }

    /// The next `N` bytes as an array.
    #[inline]
    pub(crate) fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], CoreError> {
        let bytes = self.take(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// One byte.
    #[inline]
    pub(crate) fn u8(&mut self, what: &str) -> Result<u8, CoreError> {
        Ok(self.array::<1>(what)?[0])
    }

    /// A little-endian u32.
    #[inline]
    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, CoreError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    /// A length-prefixed (u32) UTF-8 string of at most `limits.max_string_len` bytes.
    #[inline]
    pub(crate) fn str(&mut self, limits: &Limits, what: &str) -> Result<&'a str, CoreError> {
        let bytes = self.bytes(limits, what)?;
        std::str::from_utf8(bytes).map_err(|e| {
            malformed(
                self.pos - bytes.len() + e.valid_up_to(),
                format_args!("invalid UTF-8 in {what}"),
            )
        })
    }

    /// A length-prefixed (u32) byte string of at most `limits.max_string_len` bytes.
    #[inline]
    pub(crate) fn bytes(&mut self, limits: &Limits, what: &str) -> Result<&'a [u8], CoreError> {
        let at = self.pos;
        let len = self.u32(what)? as usize;
        if len > limits.max_string_len {
            return Err(malformed(
                at,
                format_args!(
                    "{what} length {len} exceeds the limit {}",
                    limits.max_string_len
                ),
            ));
        }
        self.take(len, what)
    }

    /// A u32 entry count, checked against `limits.max_fields` and against the bytes left,
    /// given that each entry takes at least `min_entry` bytes. The result is safe to
    /// preallocate.
    #[inline]
    pub(crate) fn count(
        &mut self,
        min_entry: usize,
        limits: &Limits,
        what: &str,
    ) -> Result<usize, CoreError> {
        let at = self.pos;
        let n = self.u32(what)? as usize;
        if n > limits.max_fields {
            return Err(malformed(
                at,
                format_args!("{what} count {n} exceeds the limit {}", limits.max_fields),
            ));
        }
        if n.saturating_mul(min_entry) > self.remaining() {
            return Err(malformed(
                at,
                format_args!(
                    "{what} count {n} points past the end ({} bytes left)",
                    self.remaining()
                ),
            ));
        }
        Ok(n)
    }
}
