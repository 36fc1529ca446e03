//! Pure Rust core of messaging-system.
//!
//! Everything here is testable with plain `cargo test`; nothing here knows about N-API.
//! The binding (`crates/binding`) converts arguments and maps [`CoreError`] to error codes once.

pub mod checksum;
pub mod codec;
pub mod error;
pub mod frame;
pub mod matcher;
pub mod queue;

pub use error::CoreError;

/// Version of the core crate, as the binding reports it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
