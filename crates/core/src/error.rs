//! Errors of the core. Each variant maps to exactly one `MessagingError` code in the binding;
//! nothing in the core panics on outside input, it returns one of these.

use thiserror::Error;

/// An error raised by the core on bad input or a broken limit.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CoreError {
    /// An argument is outside what the function accepts.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Bytes could not be decoded (truncated, corrupt, over a limit).
    #[error("serialization error: {0}")]
    Serialization(String),
    /// A bounded queue has no room.
    #[error("queue full: {0}")]
    QueueFull(String),
    /// A queue is closed and accepts no more messages.
    #[error("queue closed: {0}")]
    QueueClosed(String),
}
