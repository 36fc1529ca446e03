//! Hashing of words and whole topics, computed once while a topic is split, so that the word
//! table and the exact-topic table never hash a string again; plus a short-string equality that
//! needs no library call.
//!
//! The hashes only pick buckets: every hit is confirmed by comparing bytes, so a collision can
//! never make a topic match a pattern it does not equal. Nothing here allocates.

const K0: u64 = 0x243f_6a88_85a3_08d3;
const K1: u64 = 0x1319_8a2e_0370_7344;
const K2: u64 = 0xa409_3822_299f_31d0;

/// Multiplies as 128 bits and folds the halves together.
#[inline(always)]
fn mix(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

/// Reads up to 8 bytes as one integer without a library call. For a given length the result is
/// a one-to-one function of the bytes (short reads overlap), which is all hashing and equality
/// need.
#[inline(always)]
fn load(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if n >= 8 {
        u64::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
        ])
    } else if n >= 4 {
        let lo = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let hi = u32::from_le_bytes([bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]);
        u64::from(lo) | (u64::from(hi) << 32)
    } else if n > 0 {
        u64::from(bytes[0]) | (u64::from(bytes[n / 2]) << 8) | (u64::from(bytes[n - 1]) << 16)
    } else {
        0
    }
}

/// Hash of one word.
#[inline]
pub(crate) fn hash_word(word: &[u8]) -> u64 {
    let mut h = mix(word.len() as u64 ^ K0, K1);
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        h = mix(h ^ load(chunk), K2);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = mix(h ^ load(rest), K2);
    }
    h
}

/// Starting value of a whole-string hash.
pub(crate) const WHOLE_SEED: u64 = K2;

/// Folds the hash of the next word into a whole-string hash.
#[inline]
pub(crate) fn fold_word(whole: u64, word_hash: u64) -> u64 {
    mix(whole ^ word_hash, K1)
}

/// Byte equality without a library call for short strings.
#[inline]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 16 {
        return a == b;
    }
    let mut ca = a.chunks(8);
    let mut cb = b.chunks(8);
    loop {
        match (ca.next(), cb.next()) {
            (Some(x), Some(y)) => {
                if load(x) != load(y) {
                    return false;
                }
            }
            _ => return true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_words_hash_equal_and_compare_equal() {
        for w in [
            "",
            "a",
            "abcdefgh",
            "abcdefghi",
            "user.created",
            "ünïcödé-wörd-longer-than-16",
        ] {
            assert_eq!(hash_word(w.as_bytes()), hash_word(w.to_string().as_bytes()));
            assert!(same(w.as_bytes(), w.to_string().as_bytes()));
        }
        assert!(!same(b"a", b"b"));
        assert!(!same(b"a", b"a\0"));
        assert!(!same(b"abcdefgh1", b"abcdefgh2"));
        assert!(!same(b"abcdefghijklmnopq", b"abcdefghijklmnopr"));
        assert_ne!(hash_word(b"a"), hash_word(b"a\0"));
        assert_ne!(hash_word(b""), hash_word(b"\0"));
    }
}
