//! Fuzzes the frame splitter: no input may panic, and every record stays inside the chunk.
#![no_main]

use libfuzzer_sys::fuzz_target;
use messaging_core::frame::{split_frames, RECORD_WORDS, REC_PAYLOAD_LEN, REC_PAYLOAD_OFFSET};

fuzz_target!(|data: &[u8]| {
    let mut out = [0u32; 8 * RECORD_WORDS];
    if let Ok(r) = split_frames(data, 1 << 16, &mut out) {
        assert!(r.consumed <= data.len());
        for rec in out[..r.frames * RECORD_WORDS].chunks_exact(RECORD_WORDS) {
            assert!(rec[REC_PAYLOAD_OFFSET] as usize + rec[REC_PAYLOAD_LEN] as usize <= r.consumed);
        }
    }
});
