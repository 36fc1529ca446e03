//! The message model: header, body and metadata, as the codec writes and reads them.
//! This file only defines the model; it must never validate bytes or do I/O.

use super::value::Value;
use crate::CoreError;

/// What a message is for. The numbers are part of the wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(u8)]
pub enum MessageType {
    /// Asks a service to do something (0).
    Command = 0,
    /// Tells that something happened (1).
    #[default]
    Event = 1,
    /// Asks for data (2).
    Query = 2,
    /// Answers a command or a query (3).
    Reply = 3,
    /// Informs, expects nothing back (4).
    Notification = 4,
}

impl MessageType {
    /// The type with wire number `n`, if there is one.
    pub fn from_u8(n: u8) -> Option<MessageType> {
        match n {
            0 => Some(MessageType::Command),
            1 => Some(MessageType::Event),
            2 => Some(MessageType::Query),
            3 => Some(MessageType::Reply),
            4 => Some(MessageType::Notification),
            _ => None,
        }
    }

    /// The lowercase name used in the type-tagged JSON form (`"command"`, `"event"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            MessageType::Command => "command",
            MessageType::Event => "event",
            MessageType::Query => "query",
            MessageType::Reply => "reply",
            MessageType::Notification => "notification",
        }
    }

    /// The type named `name` (as [`MessageType::name`] spells it).
    pub fn from_name(name: &str) -> Result<MessageType, CoreError> {
        match name {
            "command" => Ok(MessageType::Command),
            "event" => Ok(MessageType::Event),
            "query" => Ok(MessageType::Query),
            "reply" => Ok(MessageType::Reply),
            "notification" => Ok(MessageType::Notification),
            other => Err(CoreError::InvalidArgument(format!(
                "unknown message type {other:?}"
            ))),
        }
    }
}

/// The routing and identity part of a message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    /// Message id: 16 raw bytes (a UUIDv7 or a ULID; text forms are the TS side's business).
    pub id: [u8; 16],
    /// Who sent it.
    pub source: String,
    /// Who it is for.
    pub target: String,
    /// The routing key (at most 65,535 bytes).
    pub topic: String,
    /// W3C trace id as 16 raw bytes (32 lowercase hex characters in text).
    pub trace_id: Option<[u8; 16]>,
    /// Links a reply to its request.
    pub correlation_id: Option<String>,
    /// Where a reply should go.
    pub reply_to: Option<String>,
    /// What the message is for.
    pub message_type: MessageType,
    /// Milliseconds since the Unix epoch.
    pub timestamp: i64,
    /// Version of the message schema, free text.
    pub version: String,
    /// User headers, in order.
    pub headers: Vec<(String, String)>,
}

/// Delivery attributes of a message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// 0..=10, higher first.
    pub priority: u8,
    /// Time to live in milliseconds; 0 means none.
    pub ttl_ms: u32,
    /// How many times delivery was retried.
    pub retry_count: u32,
    /// User metadata, in order.
    pub entries: Vec<(String, String)>,
}

/// A whole message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    /// Routing and identity.
    pub header: Header,
    /// Named typed values, in order.
    pub body: Vec<(String, Value)>,
    /// Delivery attributes.
    pub metadata: Metadata,
}
