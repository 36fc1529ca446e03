//! The standard message and the golden message set written to __test__/vectors/codec/.

use messaging_core::codec::{Header, Message, MessageType, Metadata, Value};

/// A golden vector: file name (without `.json`), what it shows, checksum flag, message.
pub struct Golden {
    pub name: &'static str,
    pub description: &'static str,
    pub checksum: bool,
    pub message: Message,
}

/// The fixed id of the golden messages (the UUIDv7 example of RFC 9562).
pub const GOLDEN_ID: [u8; 16] = [
    0x01, 0x7f, 0x22, 0xe2, 0x79, 0xb0, 0x7c, 0xc3, 0x98, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f,
];
/// The trace id of the W3C Trace Context example, `4bf92f3577b34da6a3ce929d0e0e4736`.
pub const GOLDEN_TRACE: [u8; 16] = [
    0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36,
];
/// The fixed timestamp of the golden messages: 2023-11-14T22:13:20Z.
pub const GOLDEN_TIMESTAMP: i64 = 1_700_000_000_000;

/// The standard message of the benchmarks.
pub fn standard_message() -> Message {
    Message {
        header: Header {
            id: GOLDEN_ID,
            source: "client_123".into(),
            target: "service_xyz".into(),
            topic: "user.events.created".into(),
            trace_id: Some(GOLDEN_TRACE),
            correlation_id: None,
            reply_to: None,
            message_type: MessageType::Event,
            timestamp: GOLDEN_TIMESTAMP,
            version: "1.0.0".into(),
            headers: vec![],
        },
        body: vec![
            ("operation".into(), Value::Str("create_user".into())),
            ("user_id".into(), Value::I32(12345)),
        ],
        metadata: Metadata {
            priority: 5,
            ttl_ms: 30_000,
            retry_count: 0,
            entries: vec![],
        },
    }
}

fn with_body(topic: &str, body: Vec<(&str, Value)>) -> Message {
    Message {
        header: Header {
            id: GOLDEN_ID,
            source: "vectors".into(),
            target: "codec".into(),
            topic: topic.into(),
            trace_id: None,
            message_type: MessageType::Event,
            timestamp: GOLDEN_TIMESTAMP,
            version: "1".into(),
            ..Header::default()
        },
        body: body.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        metadata: Metadata::default(),
    }
}

fn s(text: &str) -> Value {
    Value::Str(text.into())
}

/// Every golden vector.
pub fn golden() -> Vec<Golden> {
    let mut full = standard_message();
    full.header.message_type = MessageType::Reply;
    full.header.topic = "orders.eu.créé".into();
    full.header.correlation_id = Some("req-42".into());
    full.header.reply_to = Some("client_123.replies".into());
    full.header.headers = vec![
        ("content-type".into(), "application/x-messaging".into()),
        ("tenant".into(), "acme".into()),
    ];
    full.header.timestamp = -1;
    full.metadata = Metadata {
        priority: 10,
        ttl_ms: u32::MAX,
        retry_count: 3,
        entries: vec![
            ("origin".into(), "eu-west-1".into()),
            ("".into(), "".into()),
        ],
    };

    let mut minimal = with_body("", vec![]);
    minimal.header.source = String::new();
    minimal.header.target = String::new();
    minimal.header.version = String::new();
    minimal.header.id = [0; 16];
    minimal.header.timestamp = 0;
    minimal.header.message_type = MessageType::Command;

    let mut correlation_only = with_body("rpc.query", vec![("q", s("ping"))]);
    correlation_only.header.message_type = MessageType::Query;
    correlation_only.header.correlation_id = Some(String::new());

    let mut reply_to_only = with_body("alerts", vec![("level", s("warn"))]);
    reply_to_only.header.message_type = MessageType::Notification;
    reply_to_only.header.reply_to = Some("inbox".into());

    let safe = 9_007_199_254_740_991i64;
    vec![
        Golden {
            name: "standard",
            description: "The standard message of the benchmarks, no checksum.",
            checksum: false,
            message: standard_message(),
        },
        Golden {
            name: "standard-crc",
            description: "The standard message with the CRC32C trailer.",
            checksum: true,
            message: standard_message(),
        },
        Golden {
            name: "minimal",
            description: "Empty strings everywhere, zero id, no trace id, empty body, command.",
            checksum: false,
            message: minimal,
        },
        Golden {
            name: "full-header",
            description: "Reply with correlation id, reply-to, user headers, user metadata, \
                          unicode topic, negative timestamp, max priority and ttl, checksum.",
            checksum: true,
            message: full,
        },
        Golden {
            name: "correlation-only",
            description: "Query with an empty correlation id and no reply-to.",
            checksum: false,
            message: correlation_only,
        },
        Golden {
            name: "reply-to-only",
            description: "Notification with a reply-to and no correlation id.",
            checksum: false,
            message: reply_to_only,
        },
        Golden {
            name: "value-null",
            description: "A null value.",
            checksum: false,
            message: with_body("values.null", vec![("nothing", Value::Null)]),
        },
        Golden {
            name: "value-bool",
            description: "Both booleans.",
            checksum: false,
            message: with_body(
                "values.bool",
                vec![("yes", Value::Bool(true)), ("no", Value::Bool(false))],
            ),
        },
        Golden {
            name: "value-i32",
            description: "int32 extremes.",
            checksum: false,
            message: with_body(
                "values.i32",
                vec![
                    ("zero", Value::I32(0)),
                    ("minus_one", Value::I32(-1)),
                    ("min", Value::I32(i32::MIN)),
                    ("max", Value::I32(i32::MAX)),
                ],
            ),
        },
        Golden {
            name: "value-i64",
            description: "int64 inside and outside the JS safe integer range.",
            checksum: false,
            message: with_body(
                "values.i64",
                vec![
                    ("small", Value::I64(1)),
                    ("max_safe", Value::I64(safe)),
                    ("above_safe", Value::I64(safe + 2)),
                    ("below_safe", Value::I64(-safe - 2)),
                    ("min", Value::I64(i64::MIN)),
                    ("max", Value::I64(i64::MAX)),
                ],
            ),
        },
        Golden {
            name: "value-f64",
            description: "float64 values, including integral floats, -0, NaN and infinities.",
            checksum: false,
            message: with_body(
                "values.f64",
                vec![
                    ("one", Value::F64(1.0)),
                    ("tenth", Value::F64(0.1)),
                    ("negative_zero", Value::F64(-0.0)),
                    ("big", Value::F64(1e308)),
                    ("tiny", Value::F64(5e-324)),
                    ("nan", Value::F64(f64::NAN)),
                    ("inf", Value::F64(f64::INFINITY)),
                    ("neg_inf", Value::F64(f64::NEG_INFINITY)),
                ],
            ),
        },
        Golden {
            name: "value-string",
            description: "Empty, ASCII, accented, CJK, astral-plane and NUL-holding strings.",
            checksum: false,
            message: with_body(
                "values.string",
                vec![
                    ("empty", s("")),
                    ("ascii", s("hello")),
                    ("accents", s("héllo wörld")),
                    ("cjk", s("日本語")),
                    ("emoji", s("🚀✨")),
                    ("nul", s("a\u{0}b")),
                    ("ключ", s("значение")),
                ],
            ),
        },
        Golden {
            name: "value-bytes",
            description: "Empty and binary bytes values.",
            checksum: false,
            message: with_body(
                "values.bytes",
                vec![
                    ("empty", Value::Bytes(vec![])),
                    ("binary", Value::Bytes(vec![0x00, 0xff, 0x10, 0x80, 0x7f])),
                ],
            ),
        },
        Golden {
            name: "value-array",
            description: "Empty and mixed arrays.",
            checksum: false,
            message: with_body(
                "values.array",
                vec![
                    ("empty", Value::Array(vec![])),
                    (
                        "mixed",
                        Value::Array(vec![
                            Value::Null,
                            Value::Bool(true),
                            Value::I32(7),
                            Value::I64(7),
                            Value::F64(7.0),
                            s("seven"),
                            Value::Bytes(vec![7]),
                        ]),
                    ),
                ],
            ),
        },
        Golden {
            name: "value-map",
            description: "Empty map and a map whose keys look like integers (order kept).",
            checksum: false,
            message: with_body(
                "values.map",
                vec![
                    ("empty", Value::Map(vec![])),
                    (
                        "ordered",
                        Value::Map(vec![
                            ("b".into(), Value::I32(1)),
                            ("2".into(), Value::I32(2)),
                            ("1".into(), Value::I32(3)),
                            ("a".into(), Value::I32(4)),
                        ]),
                    ),
                ],
            ),
        },
        Golden {
            name: "nested",
            description: "Maps in arrays in maps, four levels deep, with a checksum.",
            checksum: true,
            message: with_body(
                "values.nested",
                vec![(
                    "user",
                    Value::Map(vec![
                        ("name".into(), s("Ada")),
                        (
                            "roles".into(),
                            Value::Array(vec![
                                s("admin"),
                                Value::Map(vec![(
                                    "scoped".into(),
                                    Value::Array(vec![Value::I64(-5), Value::F64(2.5)]),
                                )]),
                            ]),
                        ),
                        (
                            "address".into(),
                            Value::Map(vec![("zip".into(), s("75001"))]),
                        ),
                    ]),
                )],
            ),
        },
    ]
}
