//! N-API binding of messaging-system: `#[napi]` functions and classes only.
//! Conversions live here, logic never does; core errors are mapped to codes in `error.rs`.

mod codec;
mod error;
mod matcher;
mod queue;

use napi_derive::napi;

/// Version of the native core, e.g. `0.1.0`.
#[napi]
pub fn native_version() -> &'static str {
    messaging_core::VERSION
}

/// CRC32C (Castagnoli) checksum of `bytes`, as an unsigned 32-bit integer.
#[napi(js_name = "crc32c")]
pub fn crc32c(bytes: &[u8]) -> u32 {
    messaging_core::checksum::crc32c(bytes)
}
