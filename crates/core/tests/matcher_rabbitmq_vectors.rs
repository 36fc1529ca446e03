//! Checks the matcher against what a real RabbitMQ topic exchange delivered: every key of
//! `__test__/vectors/amqp-topic-rabbitmq.json` must reach exactly the recorded patterns.

use messaging_core::matcher::{reference, Syntax, TopicMatcher};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../__test__/vectors/amqp-topic-rabbitmq.json"
    );
    let text = std::fs::read_to_string(path).expect("vector file");
    serde_json::from_str(&text).expect("vector JSON")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_string())
        .collect()
}

#[test]
fn every_key_reaches_exactly_the_patterns_rabbitmq_delivered_to() {
    let v = vectors();
    let patterns = strings(&v["patterns"]);
    assert_eq!(patterns.len(), 160);
    let mut m = TopicMatcher::new();
    for (id, p) in patterns.iter().enumerate() {
        m.add(p, id as u32).unwrap();
    }
    assert_eq!(m.len(), 160);
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 300);
    let mut total = 0;
    let mut out = Vec::new();
    for case in cases {
        let key = case["key"].as_str().unwrap();
        let mut expected = strings(&case["matches"]);
        expected.sort();
        out.clear();
        let n = m.match_into(key, &mut out).unwrap();
        assert_eq!(n, out.len());
        let mut got: Vec<String> = out.iter().map(|&i| patterns[i as usize].clone()).collect();
        got.sort();
        assert_eq!(got, expected, "key {key:?}");
        for p in &patterns {
            assert_eq!(
                reference::matches(Syntax::Amqp, p, key),
                expected.binary_search(p).is_ok(),
                "reference: pattern {p:?} key {key:?}"
            );
        }
        total += expected.len();
    }
    assert_eq!(total, 4082);
}

#[test]
fn the_batch_path_agrees_with_the_vectors() {
    let v = vectors();
    let patterns = strings(&v["patterns"]);
    let mut m = TopicMatcher::new();
    for (id, p) in patterns.iter().enumerate() {
        m.add(p, id as u32).unwrap();
    }
    let cases = v["cases"].as_array().unwrap();
    let keys: Vec<&str> = cases.iter().map(|c| c["key"].as_str().unwrap()).collect();
    let joined: String = keys.iter().map(|k| format!("{k}\n")).collect();
    let mut ids = vec![0u32; 8192];
    let mut counts = vec![0u32; keys.len()];
    let outcome = m.match_batch_joined(&joined, &mut ids, &mut counts);
    assert_eq!(outcome.topics, 300);
    assert_eq!(outcome.ids, 4082);
    assert_eq!(outcome.invalid, 0);
    assert_eq!(outcome.consumed, joined.len());
    let mut at = 0;
    for (case, &count) in cases.iter().zip(&counts) {
        let mut expected = strings(&case["matches"]);
        expected.sort();
        let mut got: Vec<String> = ids[at..at + count as usize]
            .iter()
            .map(|&i| patterns[i as usize].clone())
            .collect();
        got.sort();
        assert_eq!(got, expected);
        at += count as usize;
    }
}
