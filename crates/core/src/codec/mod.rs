//! The reference binary codec of messages: the model ([`Message`], [`Value`]), encoding,
//! decoding, header peeking and batches. The byte layout is documented in `docs/WIRE_FORMAT.md`
//! and named in [`layout`]. Nothing here may panic on outside input, read out of bounds or
//! allocate from a length it has not checked.

pub mod layout;
pub mod limits;

mod decode;
mod encode;
mod message;
mod peek;
mod preamble;
mod reader;
mod validate;
mod value;

pub use decode::{decode, decode_batch};
pub use encode::{encode, encode_batch, encode_to_vec, EncodeOptions};
pub use limits::Limits;
pub use message::{Header, Message, MessageType, Metadata};
pub use peek::{peek_header, peek_header_with, HeaderView, PairsIter, PairsView};
pub use preamble::{read_preamble, topic_of, Preamble};
pub use validate::validate;
pub use value::Value;
