//! The one place where core errors become JS errors. The `code` string is the stable
//! `MessagingError` name; the TS side turns it into a `MessagingError` with its number.

use messaging_core::CoreError;

/// Stable error name of a core error, as listed in docs/ERROR_CODES.md.
pub fn code_name(error: &CoreError) -> &'static str {
    match error {
        CoreError::InvalidArgument(_) => "INVALID_ARGUMENT",
        CoreError::Serialization(_) => "SERIALIZATION_ERROR",
        CoreError::QueueFull(_) => "QUEUE_FULL",
        CoreError::QueueClosed(_) => "QUEUE_CLOSED",
    }
}

/// Converts a core error into a napi error whose status carries the code name.
pub fn to_napi(error: CoreError) -> napi::Error {
    napi::Error::new(
        napi::Status::GenericFailure,
        format!("[{}] {}", code_name(&error), detail(&error)),
    )
}

/// The message of a core error without its kind.
pub fn detail(error: &CoreError) -> &str {
    match error {
        CoreError::InvalidArgument(m)
        | CoreError::Serialization(m)
        | CoreError::QueueFull(m)
        | CoreError::QueueClosed(m) => m,
    }
}
