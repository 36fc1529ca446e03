//! The typed values a message body holds. Ints and floats are distinct types so that a float
//! `1.0` comes back a float. This file only defines the model; it must never do I/O.

/// One typed value of a message body.
#[derive(Debug, Clone)]
pub enum Value {
    /// No value.
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed 32-bit integer.
    I32(i32),
    /// A signed 64-bit integer.
    I64(i64),
    /// An IEEE 754 binary64 float.
    F64(f64),
    /// A UTF-8 string.
    Str(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// An ordered list of values.
    Array(Vec<Value>),
    /// A nested container: ordered key -> value entries.
    Map(Vec<(String, Value)>),
}

/// Equality is by type and bits: `F64` values compare by their bit patterns, so `NaN == NaN`
/// when the bits agree and `0.0 != -0.0`, which is what a lossless round trip needs.
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::I32(a), Value::I32(b)) => a == b,
            (Value::I64(a), Value::I64(b)) => a == b,
            (Value::F64(a), Value::F64(b)) => a.to_bits() == b.to_bits(),
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            _ => false,
        }
    }
}

impl Value {
    /// The wire tag of this value (see `layout::TAG_*`).
    pub fn tag(&self) -> u8 {
        use super::layout::*;
        match self {
            Value::Null => TAG_NULL,
            Value::Bool(_) => TAG_BOOL,
            Value::I32(_) => TAG_I32,
            Value::I64(_) => TAG_I64,
            Value::F64(_) => TAG_F64,
            Value::Str(_) => TAG_STRING,
            Value::Bytes(_) => TAG_BYTES,
            Value::Array(_) => TAG_ARRAY,
            Value::Map(_) => TAG_MAP,
        }
    }
}
