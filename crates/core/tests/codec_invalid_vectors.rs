//! Invalid golden vectors in __test__/vectors/codec/invalid/cases.json: bytes every decoder must
//! reject. Each case names the rule it breaks and a fragment of the Rust error text.
//! Regenerate with `cargo test -p messaging-core --test codec_invalid_vectors -- --ignored`.

mod codec_support;

use codec_support::samples::standard_message;
use codec_support::{from_hex, to_hex};
use messaging_core::checksum::crc32c;
use messaging_core::codec::layout::*;
use messaging_core::codec::*;
use messaging_core::CoreError;
use serde_json::{json, Value as Json};
use std::path::PathBuf;

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../__test__/vectors/codec/invalid/cases.json")
}

fn std_bytes(checksum: bool) -> Vec<u8> {
    encode_to_vec(&standard_message(), &EncodeOptions::with_checksum(checksum)).unwrap()
}

fn set(mut b: Vec<u8>, at: usize, bytes: &[u8]) -> Vec<u8> {
    b[at..at + bytes.len()].copy_from_slice(bytes);
    b
}

fn reseal(mut b: Vec<u8>) -> Vec<u8> {
    let n = b.len();
    let crc = crc32c(&b[..n - 4]);
    b[n - 4..].copy_from_slice(&crc.to_le_bytes());
    b
}

/// (rule, Rust error fragment, bytes).
fn cases() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let plain = std_bytes(false);
    let crc = std_bytes(true);
    let body = u32::from_le_bytes(plain[28..32].try_into().unwrap()) as usize;
    let n = plain.len();
    let mut trailing = plain.clone();
    trailing.push(0);
    let mut bad_crc = crc.clone();
    let last = bad_crc.len() - 1;
    bad_crc[last] ^= 1;
    // The standard body's first value tag ("operation" string) sits after count + key.
    let first_tag = body + 4 + 4 + 9;
    vec![
        ("empty", "truncated preamble", vec![]),
        ("short-preamble", "truncated preamble", plain[..67].to_vec()),
        ("truncated", "truncated message", plain[..n - 1].to_vec()),
        ("trailing-bytes", "trailing bytes", trailing),
        ("bad-magic", "bad magic", set(plain.clone(), 0, b"MX")),
        (
            "bad-version",
            "unsupported format version",
            set(plain.clone(), 2, &[2]),
        ),
        (
            "unknown-flag",
            "unknown flag bits",
            set(plain.clone(), 3, &[0x12]),
        ),
        (
            "bad-type",
            "unknown message type",
            set(plain.clone(), 8, &[5]),
        ),
        (
            "bad-priority",
            "priority 11 above 10",
            set(plain.clone(), 9, &[11]),
        ),
        (
            "trace-bytes-without-flag",
            "trace id bytes set",
            set(plain.clone(), 3, &[0]),
        ),
        ("bad-checksum", "checksum mismatch", bad_crc),
        (
            "topic-past-end",
            "topic length",
            reseal(set(crc.clone(), OFF_TOPIC_LEN, &[0xff, 0xff])),
        ),
        (
            "body-offset-mismatch",
            "body section should start",
            set(
                plain.clone(),
                OFF_BODY_OFFSET,
                &((body + 1) as u32).to_le_bytes(),
            ),
        ),
        (
            "meta-offset-before-body",
            "metadata offset",
            set(
                plain.clone(),
                OFF_META_OFFSET,
                &((body - 1) as u32).to_le_bytes(),
            ),
        ),
        (
            "string-past-end",
            "truncated source",
            set(plain.clone(), OFF_TOPIC + 19, &1000u32.to_le_bytes()),
        ),
        (
            "string-over-limit",
            "source length 4294967295 exceeds the limit",
            set(plain.clone(), OFF_TOPIC + 19, &u32::MAX.to_le_bytes()),
        ),
        (
            "count-past-end",
            "body count 60000 points past the end",
            set(plain.clone(), body, &60_000u32.to_le_bytes()),
        ),
        (
            "count-over-limit",
            "body count 1000000 exceeds the limit 65536",
            set(plain.clone(), body, &1_000_000u32.to_le_bytes()),
        ),
        (
            "invalid-utf8-topic",
            "invalid UTF-8 in topic",
            set(plain.clone(), OFF_TOPIC, &[0xff]),
        ),
        (
            "invalid-utf8-source",
            "invalid UTF-8 in source",
            set(plain.clone(), OFF_TOPIC + 19 + 4, &[0xc3]),
        ),
        (
            "unknown-tag",
            "unknown value tag 9",
            set(plain.clone(), first_tag, &[9]),
        ),
        (
            "bool-not-0-or-1",
            "bool byte 2",
            // "operation" becomes a bool (tag 1) whose byte is 2.
            set(plain.clone(), first_tag, &[TAG_BOOL, 2]),
        ),
        (
            "deep-nesting",
            "nesting depth 33 exceeds the limit 32",
            deep_nesting(),
        ),
    ]
}

fn deep_nesting() -> Vec<u8> {
    let mut v = Value::Null;
    for _ in 0..33 {
        v = Value::Array(vec![v]);
    }
    let mut m = standard_message();
    m.body = vec![("deep".into(), v)];
    let opts = EncodeOptions {
        checksum: false,
        limits: Limits {
            max_depth: 64,
            ..Limits::DEFAULT
        },
    };
    encode_to_vec(&m, &opts).unwrap()
}

fn file_json() -> Json {
    json!({
        "description": "Bytes every decoder must reject with SERIALIZATION_ERROR. 'rule' names \
                        the broken rule; 'rust' is a fragment of the reference decoder's error.",
        "cases": cases().into_iter().map(|(rule, rust, bytes)| json!({
            "rule": rule, "rust": rust, "hex": to_hex(&bytes)
        })).collect::<Vec<_>>(),
    })
}

#[test]
#[ignore = "writes the invalid vector file"]
fn regenerate_invalid_vectors() {
    std::fs::create_dir_all(path().parent().unwrap()).unwrap();
    let text = serde_json::to_string_pretty(&file_json()).unwrap() + "\n";
    std::fs::write(path(), text).unwrap();
}

#[test]
fn every_invalid_vector_is_rejected_with_its_reason() {
    let on_disk: Json = serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
    assert!(on_disk == file_json(), "cases.json is stale; regenerate");
    for case in on_disk["cases"].as_array().unwrap() {
        let bytes = from_hex(case["hex"].as_str().unwrap()).unwrap();
        let rule = case["rule"].as_str().unwrap();
        match decode(&bytes, &Limits::DEFAULT) {
            Err(CoreError::Serialization(m)) => {
                assert!(m.contains(case["rust"].as_str().unwrap()), "{rule}: {m}")
            }
            other => panic!("{rule}: expected a serialization error, got {other:?}"),
        }
    }
}
