//! Round trips of every value type, the header fields, limits, header peek and batches.

mod codec_support;

use codec_support::samples::{standard_message, GOLDEN_TRACE};
use messaging_core::codec::layout::*;
use messaging_core::codec::limits::MAX_TIMESTAMP_MS;
use messaging_core::codec::*;
use messaging_core::CoreError;

fn rt(msg: &Message, checksum: bool) -> Message {
    let bytes = encode_to_vec(msg, &EncodeOptions::with_checksum(checksum)).unwrap();
    decode(&bytes, &Limits::DEFAULT).unwrap()
}

fn with_value(v: Value) -> Message {
    let mut m = standard_message();
    m.body = vec![("v".into(), v)];
    m
}

#[test]
fn standard_message_round_trips_with_and_without_checksum() {
    let m = standard_message();
    assert_eq!(rt(&m, false), m);
    assert_eq!(rt(&m, true), m);
}

#[test]
fn every_value_type_round_trips_with_its_type() {
    let values = [
        Value::Null,
        Value::Bool(true),
        Value::Bool(false),
        Value::I32(i32::MIN),
        Value::I32(-1),
        Value::I64(i64::MAX),
        Value::I64(1),
        Value::F64(1.0),
        Value::F64(-0.0),
        Value::F64(f64::NAN),
        Value::F64(f64::NEG_INFINITY),
        Value::Str("héllo 🚀".into()),
        Value::Bytes(vec![0, 255, 1]),
        Value::Array(vec![Value::I32(1), Value::F64(1.0), Value::I64(1)]),
        Value::Map(vec![("x".into(), Value::Array(vec![]))]),
    ];
    for v in values {
        let m = with_value(v.clone());
        assert_eq!(rt(&m, false).body[0].1, v);
    }
}

#[test]
fn int_and_float_stay_distinct() {
    let m = with_value(Value::F64(1.0));
    assert!(matches!(rt(&m, false).body[0].1, Value::F64(f) if f == 1.0));
    let m = with_value(Value::I32(1));
    assert!(matches!(rt(&m, false).body[0].1, Value::I32(1)));
}

#[test]
fn optional_header_fields_round_trip() {
    let mut m = standard_message();
    m.header.trace_id = None;
    m.header.correlation_id = Some("c".into());
    m.header.reply_to = Some(String::new());
    m.header.headers = vec![("a".into(), "b".into()), ("b".into(), "c".into())];
    m.metadata.entries = vec![("k".into(), "v".into())];
    m.metadata.retry_count = u32::MAX;
    m.header.timestamp = -MAX_TIMESTAMP_MS;
    assert_eq!(rt(&m, true), m);
    m.header.timestamp = MAX_TIMESTAMP_MS;
    assert_eq!(rt(&m, false), m);
}

#[test]
fn duplicate_header_or_metadata_keys_are_refused_both_ways() {
    let mut m = standard_message();
    m.header.headers = vec![("a".into(), "b".into()), ("a".into(), "c".into())];
    let err = encode_to_vec(&m, &EncodeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("duplicate header key"), "{err}");
    let mut m = standard_message();
    m.metadata.entries = vec![("k".into(), "1".into()), ("k".into(), "2".into())];
    assert!(encode_to_vec(&m, &EncodeOptions::default()).is_err());

    // The same bytes written by hand: the decoder refuses them too.
    let mut ok = standard_message();
    ok.metadata.entries = vec![("k".into(), "1".into()), ("j".into(), "2".into())];
    let mut bytes = encode_to_vec(&ok, &EncodeOptions::default()).unwrap();
    let at = bytes.len() - 6; // the last key "j" (u32 len 1, "j", u32 len 1, "2")
    assert_eq!(bytes[at - 4..at], [1, 0, 0, 0]);
    bytes[at] = b'k';
    let err = decode(&bytes, &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("duplicate metadata key"), "{err}");
}

#[test]
fn timestamps_beyond_the_js_safe_range_are_refused_both_ways() {
    let mut m = standard_message();
    m.header.timestamp = MAX_TIMESTAMP_MS + 1;
    assert!(encode_to_vec(&m, &EncodeOptions::default()).is_err());
    m.header.timestamp = 0;
    let mut bytes = encode_to_vec(&m, &EncodeOptions::default()).unwrap();
    bytes[16..24].copy_from_slice(&i64::MIN.to_le_bytes());
    let err = decode(&bytes, &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("timestamp"), "{err}");
}

#[test]
fn every_message_type_round_trips() {
    for n in 0..=4 {
        let mut m = standard_message();
        m.header.message_type = MessageType::from_u8(n).unwrap();
        assert_eq!(rt(&m, false), m);
        assert_eq!(
            MessageType::from_name(m.header.message_type.name()).unwrap() as u8,
            n
        );
    }
    assert!(MessageType::from_u8(5).is_none());
    assert!(MessageType::from_name("other").is_err());
}

#[test]
fn preamble_is_at_fixed_offsets() {
    let m = standard_message();
    let b = encode_to_vec(&m, &EncodeOptions::default()).unwrap();
    assert_eq!(&b[0..2], b"MS");
    assert_eq!(b[OFF_VERSION], 1);
    assert_eq!(b[OFF_FLAGS], FLAG_TRACE_ID);
    assert_eq!(
        u32::from_le_bytes(b[4..8].try_into().unwrap()) as usize,
        b.len()
    );
    assert_eq!(b[OFF_TYPE], 1);
    assert_eq!(b[OFF_PRIORITY], 5);
    assert_eq!(u16::from_le_bytes([b[10], b[11]]), 19);
    assert_eq!(u32::from_le_bytes(b[12..16].try_into().unwrap()), 30_000);
    assert_eq!(&b[OFF_TRACE_ID..OFF_TRACE_ID + 16], &GOLDEN_TRACE);
    assert_eq!(&b[OFF_TOPIC..OFF_TOPIC + 19], b"user.events.created");
}

#[test]
fn encode_appends_and_reports_length() {
    let m = standard_message();
    let mut out = vec![9u8; 3];
    let n = encode(&m, &EncodeOptions::default(), &mut out).unwrap();
    assert_eq!(out.len(), 3 + n);
    assert_eq!(decode(&out[3..], &Limits::DEFAULT).unwrap(), m);
}

#[test]
fn encode_rejects_bad_fields_and_leaves_the_buffer() {
    let opts = EncodeOptions::default();
    let mut out = vec![1, 2, 3];
    let mut m = standard_message();
    m.metadata.priority = 11;
    assert!(
        matches!(encode(&m, &opts, &mut out), Err(CoreError::InvalidArgument(e)) if e.contains("priority"))
    );
    assert_eq!(out, [1, 2, 3]);

    let mut m = standard_message();
    m.header.topic = "t".repeat(70_000);
    assert!(
        matches!(encode(&m, &opts, &mut out), Err(CoreError::InvalidArgument(e)) if e.contains("topic"))
    );
    assert_eq!(out, [1, 2, 3]);
}

fn nested(depth: usize) -> Value {
    let mut v = Value::Null;
    for _ in 0..depth {
        v = Value::Array(vec![v]);
    }
    v
}

#[test]
fn depth_limit_is_enforced_both_ways() {
    let ok = with_value(nested(MAX_DEPTH_FOR_TEST));
    assert_eq!(rt(&ok, false), ok);
    let deep = with_value(nested(MAX_DEPTH_FOR_TEST + 1));
    assert!(encode_to_vec(&deep, &EncodeOptions::default()).is_err());
    let loose = EncodeOptions {
        checksum: false,
        limits: Limits {
            max_depth: 100,
            ..Limits::DEFAULT
        },
    };
    let bytes = encode_to_vec(&deep, &loose).unwrap();
    let err = decode(&bytes, &Limits::DEFAULT).unwrap_err();
    assert!(
        matches!(err, CoreError::Serialization(ref e) if e.contains("depth 33")),
        "{err}"
    );
}

const MAX_DEPTH_FOR_TEST: usize = limits::MAX_DEPTH;

#[test]
fn depth_ceiling_caps_a_huge_limit() {
    let limits = Limits {
        max_depth: usize::MAX,
        ..Limits::DEFAULT
    };
    assert_eq!(limits.effective_depth(), limits::MAX_DEPTH_CEILING);
    let deep = with_value(nested(limits::MAX_DEPTH_CEILING + 1));
    let opts = EncodeOptions {
        checksum: false,
        limits,
    };
    assert!(encode_to_vec(&deep, &opts).is_err());
}

#[test]
fn field_count_limit_is_enforced() {
    let tight = Limits {
        max_fields: 3,
        ..Limits::DEFAULT
    };
    let mut m = standard_message();
    m.body = (0..4).map(|i| (format!("k{i}"), Value::I32(i))).collect();
    let bytes = encode_to_vec(&m, &EncodeOptions::default()).unwrap();
    let err = decode(&bytes, &tight).unwrap_err();
    assert!(
        err.to_string().contains("body count 4 exceeds the limit 3"),
        "{err}"
    );
    let opts = EncodeOptions {
        checksum: false,
        limits: tight,
    };
    assert!(encode_to_vec(&m, &opts).is_err());
}

#[test]
fn string_length_limit_is_enforced() {
    let tight = Limits {
        max_string_len: 8,
        ..Limits::DEFAULT
    };
    let m = with_value(Value::Str("123456789012".into()));
    let bytes = encode_to_vec(&m, &EncodeOptions::default()).unwrap();
    let err = decode(
        &bytes,
        &Limits {
            max_string_len: 11,
            ..tight
        },
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("string value length 12 exceeds the limit 11"),
        "{err}"
    );
    let err = decode(&bytes, &tight).unwrap_err();
    assert!(
        err.to_string()
            .contains("source length 10 exceeds the limit 8"),
        "{err}"
    );
}

#[test]
fn message_size_limit_is_enforced() {
    let m = with_value(Value::Bytes(vec![0; 1000]));
    let bytes = encode_to_vec(&m, &EncodeOptions::default()).unwrap();
    let small = Limits {
        max_message_size: 1000,
        ..Limits::DEFAULT
    };
    let err = decode(&bytes, &small).unwrap_err();
    assert!(err.to_string().contains("exceeds the limit 1000"), "{err}");
    let opts = EncodeOptions {
        checksum: false,
        limits: small,
    };
    assert!(encode_to_vec(&m, &opts).is_err());
}

#[test]
fn peek_reads_the_header_without_the_body() {
    let mut m = standard_message();
    m.header.correlation_id = Some("corr".into());
    m.header.headers = vec![("h1".into(), "v1".into()), ("h2".into(), "v2".into())];
    let mut bytes = encode_to_vec(&m, &EncodeOptions::with_checksum(true)).unwrap();
    let v = peek_header(&bytes).unwrap();
    assert_eq!(v.topic, "user.events.created");
    assert_eq!(v.trace_id, Some(&GOLDEN_TRACE));
    assert_eq!(v.id, &m.header.id);
    assert_eq!(v.priority, 5);
    assert_eq!(v.ttl_ms, 30_000);
    assert_eq!(v.message_type, MessageType::Event);
    assert_eq!(v.timestamp, m.header.timestamp);
    assert_eq!(
        (v.source, v.target, v.version),
        ("client_123", "service_xyz", "1.0.0")
    );
    assert_eq!(v.correlation_id, Some("corr"));
    assert_eq!(v.reply_to, None);
    assert_eq!(v.headers.len(), 2);
    assert_eq!(
        v.headers.iter().collect::<Vec<_>>(),
        [("h1", "v1"), ("h2", "v2")]
    );
    assert_eq!(
        v.body.len(),
        v.metadata.as_ptr() as usize - v.body.as_ptr() as usize
    );

    // Corrupting the body does not disturb the peek: it never reads the body.
    let body_at = u32::from_le_bytes(bytes[28..32].try_into().unwrap()) as usize;
    bytes[body_at + 4] = 0xEE;
    assert!(peek_header(&bytes).is_ok());
    assert!(decode(&bytes, &Limits::DEFAULT).is_err());
}

#[test]
fn batches_round_trip() {
    let mut msgs = Vec::new();
    for i in 0..50 {
        let mut m = standard_message();
        m.body.push(("i".into(), Value::I32(i)));
        msgs.push(m);
    }
    let mut out = Vec::new();
    let n = encode_batch(&msgs, &EncodeOptions::default(), &mut out).unwrap();
    assert_eq!(n, out.len());
    assert_eq!(decode_batch(&out, &Limits::DEFAULT).unwrap(), msgs);
    assert_eq!(decode_batch(&[], &Limits::DEFAULT).unwrap(), vec![]);

    out.pop();
    let err = decode_batch(&out, &Limits::DEFAULT).unwrap_err();
    assert!(err.to_string().contains("batch member"), "{err}");
}

#[test]
fn batch_encode_failure_leaves_the_buffer() {
    let mut bad = standard_message();
    bad.metadata.priority = 200;
    let msgs = vec![standard_message(), bad];
    let mut out = vec![7];
    let err = encode_batch(&msgs, &EncodeOptions::default(), &mut out).unwrap_err();
    assert!(err.to_string().contains("message 1"), "{err}");
    assert_eq!(out, [7]);
}
