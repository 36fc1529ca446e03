//! One queued message: its bytes, stored inline when short so small messages cost no allocation.

/// Messages of at most this many bytes are stored inside the queue slot itself.
pub const INLINE_BYTES: usize = 46;

/// The bytes of one queued message.
#[derive(Clone, PartialEq, Eq)]
pub enum Bytes {
    /// Up to [`INLINE_BYTES`] bytes, no heap allocation.
    Inline {
        /// How many bytes of `data` are used.
        len: u8,
        /// The bytes, padded with zeros.
        data: [u8; INLINE_BYTES],
    },
    /// Longer messages, on the heap.
    Heap(Box<[u8]>),
}

impl Bytes {
    /// Copies `bytes` into a new message.
    #[inline]
    pub fn copy_from(bytes: &[u8]) -> Bytes {
        if bytes.len() <= INLINE_BYTES {
            let mut data = [0u8; INLINE_BYTES];
            data[..bytes.len()].copy_from_slice(bytes);
            Bytes::Inline {
                len: bytes.len() as u8,
                data,
            }
        } else {
            Bytes::Heap(bytes.into())
        }
    }

    /// The message bytes.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Inline { len, data } => &data[..*len as usize],
            Bytes::Heap(b) => b,
        }
    }

    /// Number of bytes.
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            Bytes::Inline { len, .. } => *len as usize,
            Bytes::Heap(b) => b.len(),
        }
    }

    /// Whether the message has no bytes.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bytes({:?})", self.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_stays_small() {
        assert!(std::mem::size_of::<Bytes>() <= 48);
    }

    #[test]
    fn inline_and_heap_round_trip() {
        for n in [0usize, 1, INLINE_BYTES, INLINE_BYTES + 1, 1000] {
            let v: Vec<u8> = (0..n).map(|i| i as u8).collect();
            let b = Bytes::copy_from(&v);
            assert_eq!(b.as_slice(), &v[..]);
            assert_eq!(b.len(), n);
            assert_eq!(b.is_empty(), n == 0);
            assert_eq!(matches!(b, Bytes::Inline { .. }), n <= INLINE_BYTES);
        }
    }
}
