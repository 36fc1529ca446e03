//! Golden vectors in __test__/vectors/codec/: encode(message) == bytes and decode(bytes) ==
//! message for every file, and the files match the set defined in codec_support::samples.
//! Regenerate with `cargo test -p messaging-core --test codec_vectors -- --ignored`.

mod codec_support;

use codec_support::json::{message_from_json, message_to_json};
use codec_support::samples::golden;
use codec_support::{from_hex, to_hex};
use messaging_core::codec::*;
use serde_json::{json, Value as Json};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../__test__/vectors/codec")
}

fn vector_json(g: &codec_support::samples::Golden) -> Json {
    let bytes = encode_to_vec(&g.message, &EncodeOptions::with_checksum(g.checksum)).unwrap();
    json!({
        "name": g.name,
        "description": g.description,
        "checksum": g.checksum,
        "message": message_to_json(&g.message),
        "hex": to_hex(&bytes),
    })
}

#[test]
#[ignore = "writes the golden vector files"]
fn regenerate_vectors() {
    std::fs::create_dir_all(dir()).unwrap();
    for g in golden() {
        let text = serde_json::to_string_pretty(&vector_json(&g)).unwrap() + "\n";
        std::fs::write(dir().join(format!("{}.json", g.name)), text).unwrap();
    }
}

#[test]
fn every_vector_file_encodes_and_decodes() {
    let mut seen = 0;
    for entry in std::fs::read_dir(dir()).expect("vector directory") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let v: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = path.display();
        let msg = message_from_json(&v["message"]).unwrap_or_else(|e| panic!("{name}: {e}"));
        let bytes = from_hex(v["hex"].as_str().unwrap()).unwrap();
        let checksum = v["checksum"].as_bool().unwrap();
        let encoded = encode_to_vec(&msg, &EncodeOptions::with_checksum(checksum)).unwrap();
        assert_eq!(to_hex(&encoded), to_hex(&bytes), "{name}: encode");
        let decoded = decode(&bytes, &Limits::DEFAULT).unwrap();
        assert_eq!(decoded, msg, "{name}: decode");
        assert_eq!(message_to_json(&decoded), v["message"], "{name}: JSON form");
        let peek = peek_header(&bytes).unwrap();
        assert_eq!(peek.topic, msg.header.topic, "{name}: peek");
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} vectors found");
}

#[test]
fn vector_files_match_the_defined_set() {
    for g in golden() {
        let path = dir().join(format!("{}.json", g.name));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} missing; regenerate", path.display()));
        let on_disk: Json = serde_json::from_str(&text).unwrap();
        assert!(
            on_disk == vector_json(&g),
            "{} is stale; regenerate",
            g.name
        );
    }
}
