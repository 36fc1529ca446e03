//! Fuzzes the message decoder and the header peek: no input may panic, and whatever decodes
//! must re-encode to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use messaging_core::codec::layout::{FLAG_CHECKSUM, OFF_FLAGS};
use messaging_core::codec::{
    decode, decode_batch, encode_to_vec, peek_header, EncodeOptions, Limits,
};

fuzz_target!(|data: &[u8]| {
    let peeked = peek_header(data);
    if let Ok(msg) = decode(data, &Limits::DEFAULT) {
        let checksum = data[OFF_FLAGS] & FLAG_CHECKSUM != 0;
        let again = encode_to_vec(&msg, &EncodeOptions::with_checksum(checksum)).unwrap();
        assert_eq!(again, data);
        assert_eq!(peeked.unwrap().topic, msg.header.topic);
    }
    let _ = decode_batch(data, &Limits::DEFAULT);
});
