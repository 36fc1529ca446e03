//! Bad input: every way a message can be wrong gives a Serialization error that names it.

mod codec_support;

use codec_support::samples::standard_message;
use messaging_core::checksum::crc32c;
use messaging_core::codec::layout::*;
use messaging_core::codec::*;
use messaging_core::CoreError;

fn bytes(checksum: bool) -> Vec<u8> {
    encode_to_vec(&standard_message(), &EncodeOptions::with_checksum(checksum)).unwrap()
}

fn err_of(b: &[u8]) -> String {
    match decode(b, &Limits::DEFAULT) {
        Err(CoreError::Serialization(m)) => m,
        other => panic!("expected a serialization error, got {other:?}"),
    }
}

/// Rewrites the checksum trailer so that a corruption is seen by the structural checks.
fn reseal(b: &mut [u8]) {
    let n = b.len();
    let crc = crc32c(&b[..n - 4]);
    b[n - 4..].copy_from_slice(&crc.to_le_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

#[test]
fn every_truncation_fails() {
    for checksum in [false, true] {
        let b = bytes(checksum);
        for n in 0..b.len() {
            let e = err_of(&b[..n]);
            assert!(e.contains("truncated"), "{n}: {e}");
            assert!(peek_header(&b[..n]).is_err());
        }
    }
}

#[test]
fn trailing_bytes_fail() {
    let mut b = bytes(false);
    b.push(0);
    assert!(err_of(&b).contains("trailing bytes"));
}

#[test]
fn wrong_magic_and_version_fail() {
    let mut b = bytes(false);
    b[0] = b'X';
    assert!(err_of(&b).contains("bad magic 5853 at offset 0"));
    let mut b = bytes(false);
    b[OFF_VERSION] = 2;
    assert!(err_of(&b).contains("unsupported format version 2 at offset 2"));
}

#[test]
fn unknown_flags_type_priority_fail() {
    let mut b = bytes(false);
    b[OFF_FLAGS] |= 0x80;
    assert!(err_of(&b).contains("unknown flag bits 0x80"));
    let mut b = bytes(false);
    b[OFF_TYPE] = 5;
    assert!(err_of(&b).contains("unknown message type 5 at offset 8"));
    let mut b = bytes(false);
    b[OFF_PRIORITY] = 11;
    assert!(err_of(&b).contains("priority 11 above 10 at offset 9"));
}

#[test]
fn trace_bytes_without_flag_fail() {
    let mut b = bytes(false);
    b[OFF_FLAGS] &= !FLAG_TRACE_ID;
    assert!(err_of(&b).contains("trace id bytes set while the trace id flag is clear"));
}

#[test]
fn bad_checksum_fails() {
    let mut b = bytes(true);
    let at = b.len() - 10;
    b[at] ^= 1;
    let e = err_of(&b);
    assert!(e.contains("checksum mismatch"), "{e}");
    let mut b = bytes(true);
    let n = b.len();
    b[n - 1] ^= 0xff;
    assert!(err_of(&b).contains("checksum mismatch"));
}

#[test]
fn checksum_flag_on_unsealed_message_fails() {
    let mut b = bytes(false);
    b[OFF_FLAGS] |= FLAG_CHECKSUM;
    assert!(err_of(&b).contains("checksum mismatch"));
}

#[test]
fn offsets_that_disagree_fail() {
    let b0 = bytes(true);
    let body = u32::from_le_bytes(b0[28..32].try_into().unwrap());
    let meta = u32::from_le_bytes(b0[32..36].try_into().unwrap());
    for (at, v, what) in [
        (OFF_BODY_OFFSET, body + 1, "body section should start"),
        (OFF_BODY_OFFSET, body - 1, "body section should start"),
        (OFF_BODY_OFFSET, 5, "body offset 5 outside"),
        (OFF_META_OFFSET, meta + 1, "metadata section should start"),
        (OFF_META_OFFSET, body - 1, "metadata offset"),
        (OFF_META_OFFSET, u32::MAX, "metadata offset"),
        (OFF_TOTAL_LEN, u32::MAX, "truncated message"),
    ] {
        let mut b = b0.clone();
        put_u32(&mut b, at, v);
        reseal(&mut b);
        let e = err_of(&b);
        assert!(e.contains(what), "{what}: {e}");
    }
    let mut b = b0.clone();
    b[OFF_TOPIC_LEN..OFF_TOPIC_LEN + 2].copy_from_slice(&u16::MAX.to_le_bytes());
    reseal(&mut b);
    assert!(err_of(&b).contains("topic length 65535 points past the end"));
}

#[test]
fn lengths_past_the_end_fail() {
    let b0 = bytes(false);
    let src_at = OFF_TOPIC + 19;
    let mut b = b0.clone();
    put_u32(&mut b, src_at, 1_000);
    let e = err_of(&b);
    assert!(e.contains("truncated source: needs 1000 bytes"), "{e}");
    assert!(e.contains(&format!("at offset {}", src_at + 4)), "{e}");
    let mut b = b0.clone();
    put_u32(&mut b, src_at, u32::MAX);
    assert!(err_of(&b).contains("source length 4294967295 exceeds the limit"));
    let body = u32::from_le_bytes(b0[28..32].try_into().unwrap()) as usize;
    let mut b = b0.clone();
    put_u32(&mut b, body, 60_000);
    let e = err_of(&b);
    assert!(e.contains("body count 60000 points past the end"), "{e}");
}

#[test]
fn invalid_utf8_fails_with_offset() {
    let mut b = bytes(false);
    b[OFF_TOPIC + 3] = 0xff;
    assert!(err_of(&b).contains(&format!(
        "invalid UTF-8 in topic at offset {}",
        OFF_TOPIC + 3
    )));
    assert!(peek_header(&b).is_err());
    let mut b = bytes(false);
    let src = OFF_TOPIC + 19 + 4;
    b[src + 1] = 0xc3;
    assert!(err_of(&b).contains(&format!("invalid UTF-8 in source at offset {}", src + 1)));
}

fn with_body_bytes(body: &[u8]) -> Vec<u8> {
    let mut m = standard_message();
    m.body.clear();
    let mut b = encode_to_vec(&m, &EncodeOptions::default()).unwrap();
    let body_at = u32::from_le_bytes(b[28..32].try_into().unwrap()) as usize;
    let meta_at = u32::from_le_bytes(b[32..36].try_into().unwrap()) as usize;
    let tail = b.split_off(meta_at);
    b.truncate(body_at);
    b.extend_from_slice(body);
    let meta = b.len() as u32;
    b.extend_from_slice(&tail);
    let total = b.len() as u32;
    put_u32(&mut b, OFF_META_OFFSET, meta);
    put_u32(&mut b, OFF_TOTAL_LEN, total);
    b
}

#[test]
fn hand_made_bodies_decode_and_fail() {
    // One entry "k" = int32 7.
    let good = [1, 0, 0, 0, 1, 0, 0, 0, b'k', TAG_I32, 7, 0, 0, 0];
    let m = decode(&with_body_bytes(&good), &Limits::DEFAULT).unwrap();
    assert_eq!(m.body, vec![("k".to_string(), Value::I32(7))]);

    let mut bad_tag = good;
    bad_tag[9] = 9;
    assert!(err_of(&with_body_bytes(&bad_tag)).contains("unknown value tag 9"));

    let bad_bool = [1, 0, 0, 0, 1, 0, 0, 0, b'k', TAG_BOOL, 2];
    assert!(err_of(&with_body_bytes(&bad_bool)).contains("bool byte 2 is not 0 or 1"));

    let short_i64 = [1, 0, 0, 0, 1, 0, 0, 0, b'k', TAG_I64, 1, 2];
    assert!(err_of(&with_body_bytes(&short_i64)).contains("truncated int64"));
}

#[test]
fn deep_nesting_fails_without_recursing_far() {
    // 100,000 nested arrays of one element each: rejected at depth 33.
    let mut body = vec![1, 0, 0, 0, 1, 0, 0, 0, b'k'];
    for _ in 0..100_000 {
        body.extend_from_slice(&[TAG_ARRAY, 1, 0, 0, 0]);
    }
    body.push(TAG_NULL);
    let e = err_of(&with_body_bytes(&body));
    assert!(e.contains("nesting depth 33 exceeds the limit 32"), "{e}");
}

#[test]
fn huge_counts_do_not_allocate() {
    // An array claiming u32::MAX / 2 elements with nothing behind it.
    let body = [
        1, 0, 0, 0, 1, 0, 0, 0, b'k', TAG_ARRAY, 0xff, 0xff, 0xff, 0x7f,
    ];
    let loose = Limits {
        max_fields: usize::MAX,
        ..Limits::DEFAULT
    };
    let e = decode(&with_body_bytes(&body), &loose)
        .unwrap_err()
        .to_string();
    assert!(e.contains("points past the end"), "{e}");
}

#[test]
fn random_garbage_fails() {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for len in 0..2000 {
        let b: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        assert!(decode(&b, &Limits::DEFAULT).is_err());
    }
}
