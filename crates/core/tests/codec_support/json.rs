//! The lossless type-tagged JSON form of a message (see docs/WIRE_FORMAT.md, "JSON form").

use super::{from_hex, to_hex};
use messaging_core::codec::{Header, Message, MessageType, Metadata, Value};
use serde_json::{json, Value as Json};

/// The JSON form of `msg`.
pub fn message_to_json(msg: &Message) -> Json {
    let h = &msg.header;
    let m = &msg.metadata;
    json!({
        "id": uuid_text(&h.id),
        "type": h.message_type.name(),
        "source": h.source,
        "target": h.target,
        "topic": h.topic,
        "traceId": h.trace_id.map(|t| to_hex(&t)),
        "correlationId": h.correlation_id,
        "replyTo": h.reply_to,
        "timestamp": h.timestamp,
        "version": h.version,
        "headers": pairs_to_json(&h.headers),
        "body": Json::Array(msg.body.iter().map(|(k, v)| json!([k, value_to_json(v)])).collect()),
        "priority": m.priority,
        "ttl": m.ttl_ms,
        "retryCount": m.retry_count,
        "metadata": pairs_to_json(&m.entries),
    })
}

/// The tagged JSON form of one value.
pub fn value_to_json(v: &Value) -> Json {
    match v {
        Value::Null => json!({"t": "null"}),
        Value::Bool(b) => json!({"t": "bool", "v": b}),
        Value::I32(n) => json!({"t": "i32", "v": n}),
        Value::I64(n) => json!({"t": "i64", "v": n.to_string()}),
        Value::F64(f) => {
            let v = if f.is_nan() {
                json!("NaN")
            } else if f.is_infinite() {
                json!(if *f > 0.0 { "Infinity" } else { "-Infinity" })
            } else if *f == 0.0 && f.is_sign_negative() {
                json!("-0")
            } else {
                json!(f)
            };
            json!({"t": "f64", "v": v})
        }
        Value::Str(s) => json!({"t": "str", "v": s}),
        Value::Bytes(b) => json!({"t": "bytes", "v": to_hex(b)}),
        Value::Array(items) => {
            json!({"t": "array", "v": items.iter().map(value_to_json).collect::<Vec<_>>()})
        }
        Value::Map(entries) => json!({
            "t": "map",
            "v": entries.iter().map(|(k, v)| json!([k, value_to_json(v)])).collect::<Vec<_>>()
        }),
    }
}

fn pairs_to_json(pairs: &[(String, String)]) -> Json {
    Json::Array(pairs.iter().map(|(k, v)| json!([k, v])).collect())
}

fn uuid_text(id: &[u8; 16]) -> String {
    let h = to_hex(id);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The message a JSON form describes.
pub fn message_from_json(j: &Json) -> Result<Message, String> {
    let s = |k: &str| -> Result<String, String> {
        j[k].as_str()
            .map(str::to_owned)
            .ok_or(format!("{k} is not a string"))
    };
    let opt = |k: &str| -> Result<Option<String>, String> {
        match &j[k] {
            Json::Null => Ok(None),
            Json::String(s) => Ok(Some(s.clone())),
            _ => Err(format!("{k} is not a string or null")),
        }
    };
    let id_hex = s("id")?.replace('-', "");
    let id: [u8; 16] = from_hex(&id_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or("id is not a 16-byte uuid")?;
    let trace_id = match opt("traceId")? {
        None => None,
        Some(t) => Some(
            from_hex(&t)
                .and_then(|b| b.try_into().ok())
                .ok_or("traceId is not 32 hex characters")?,
        ),
    };
    let num = |k: &str| {
        j[k].as_u64()
            .ok_or(format!("{k} is not an unsigned integer"))
    };
    let timestamp = match &j["timestamp"] {
        Json::String(t) => t.parse::<i64>().map_err(|e| e.to_string())?,
        other => other.as_i64().ok_or("timestamp is not an integer")?,
    };
    let body = j["body"]
        .as_array()
        .ok_or("body is not an array")?
        .iter()
        .map(entry_from_json)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Message {
        header: Header {
            id,
            source: s("source")?,
            target: s("target")?,
            topic: s("topic")?,
            trace_id,
            correlation_id: opt("correlationId")?,
            reply_to: opt("replyTo")?,
            message_type: MessageType::from_name(&s("type")?).map_err(|e| e.to_string())?,
            timestamp,
            version: s("version")?,
            headers: pairs_from_json(&j["headers"])?,
        },
        body,
        metadata: Metadata {
            priority: u8::try_from(num("priority")?).map_err(|e| e.to_string())?,
            ttl_ms: u32::try_from(num("ttl")?).map_err(|e| e.to_string())?,
            retry_count: u32::try_from(num("retryCount")?).map_err(|e| e.to_string())?,
            entries: pairs_from_json(&j["metadata"])?,
        },
    })
}

fn pairs_from_json(j: &Json) -> Result<Vec<(String, String)>, String> {
    j.as_array()
        .ok_or("pairs are not an array")?
        .iter()
        .map(|p| match p.as_array().map(Vec::as_slice) {
            Some([Json::String(k), Json::String(v)]) => Ok((k.clone(), v.clone())),
            _ => Err(format!("pair {p} is not [string, string]")),
        })
        .collect()
}

fn entry_from_json(p: &Json) -> Result<(String, Value), String> {
    match p.as_array().map(Vec::as_slice) {
        Some([Json::String(k), v]) => Ok((k.clone(), value_from_json(v)?)),
        _ => Err(format!("entry {p} is not [string, tagged value]")),
    }
}

/// The value a tagged JSON form describes.
pub fn value_from_json(j: &Json) -> Result<Value, String> {
    let v = &j["v"];
    let bad = || format!("bad tagged value {j}");
    Ok(match j["t"].as_str().ok_or_else(bad)? {
        "null" => Value::Null,
        "bool" => Value::Bool(v.as_bool().ok_or_else(bad)?),
        "i32" => Value::I32(
            v.as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(bad)?,
        ),
        "i64" => Value::I64(v.as_str().and_then(|s| s.parse().ok()).ok_or_else(bad)?),
        "f64" => Value::F64(match v {
            Json::String(s) => match s.as_str() {
                "NaN" => f64::NAN,
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                "-0" => -0.0,
                _ => return Err(bad()),
            },
            n => n.as_f64().ok_or_else(bad)?,
        }),
        "str" => Value::Str(v.as_str().ok_or_else(bad)?.to_owned()),
        "bytes" => Value::Bytes(v.as_str().and_then(from_hex).ok_or_else(bad)?),
        "array" => Value::Array(
            v.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(value_from_json)
                .collect::<Result<_, _>>()?,
        ),
        "map" => Value::Map(
            v.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(entry_from_json)
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err(bad()),
    })
}
