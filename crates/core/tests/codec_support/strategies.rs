//! proptest strategies for random messages and values.

use messaging_core::codec::limits::MAX_TIMESTAMP_MS;
use messaging_core::codec::{Header, Message, MessageType, Metadata, Value};
use proptest::collection::vec;
use proptest::prelude::*;

/// Short strings, ASCII and not.
pub fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z._]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

/// Any value, up to four levels of containers.
pub fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::I32),
        any::<i64>().prop_map(Value::I64),
        any::<u64>().prop_map(|b| Value::F64(f64::from_bits(b))),
        any::<f64>().prop_map(Value::F64),
        arb_string().prop_map(Value::Str),
        vec(any::<u8>(), 0..16).prop_map(Value::Bytes),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((arb_string(), inner), 0..6).prop_map(Value::Map),
        ]
    })
}

fn arb_type() -> impl Strategy<Value = MessageType> {
    (0u8..=4).prop_map(|n| MessageType::from_u8(n).unwrap())
}

/// Header and metadata pairs: keys are unique (they are maps in every implementation).
fn arb_pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    vec((arb_string(), arb_string()), 0..4).prop_map(|mut pairs| {
        let mut seen = std::collections::HashSet::new();
        pairs.retain(|(k, _)| seen.insert(k.clone()));
        pairs
    })
}

/// Any valid message.
pub fn arb_message() -> impl Strategy<Value = Message> {
    let header = (
        any::<[u8; 16]>(),
        (arb_string(), arb_string(), arb_string(), arb_string()),
        proptest::option::of(any::<[u8; 16]>()),
        proptest::option::of(arb_string()),
        proptest::option::of(arb_string()),
        arb_type(),
        -MAX_TIMESTAMP_MS..=MAX_TIMESTAMP_MS,
        arb_pairs(),
    )
        .prop_map(
            |(
                id,
                (source, target, topic, version),
                trace_id,
                correlation_id,
                reply_to,
                t,
                ts,
                headers,
            )| {
                Header {
                    id,
                    source,
                    target,
                    topic,
                    trace_id,
                    correlation_id,
                    reply_to,
                    message_type: t,
                    timestamp: ts,
                    version,
                    headers,
                }
            },
        );
    let metadata = (0u8..=10, any::<u32>(), any::<u32>(), arb_pairs()).prop_map(
        |(priority, ttl_ms, retry_count, entries)| Metadata {
            priority,
            ttl_ms,
            retry_count,
            entries,
        },
    );
    (header, vec((arb_string(), arb_value()), 0..8), metadata).prop_map(
        |(header, body, metadata)| Message {
            header,
            body,
            metadata,
        },
    )
}
