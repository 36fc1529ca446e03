//! A plain-loop mutation fuzzer for the decoder, the header peek and the frame splitter.
//! Run it with `cargo test --release -p messaging-core --test codec_fuzz -- --ignored`;
//! `CODEC_FUZZ_ITERATIONS` sets the number of inputs (default 10,000,000).
//!
//! Oracles: nothing panics; whatever decodes re-encodes to the same bytes (the format is
//! canonical) and peeks to the same header; the splitter never reports a frame outside the chunk.

mod codec_support;

use codec_support::samples::golden;
use messaging_core::checksum::crc32c;
use messaging_core::codec::layout::*;
use messaging_core::codec::*;
use messaging_core::frame::*;
use std::time::Instant;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INTERESTING: [u32; 10] = [0, 1, 2, 4, 0x7f, 0xff, 0xffff, 0x7fff_ffff, 0xffff_ffff, 68];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], buf: &mut Vec<u8>) {
    buf.clear();
    if rng.below(50) == 0 {
        let n = rng.below(300);
        buf.extend((0..n).map(|_| rng.next() as u8));
        return;
    }
    buf.extend_from_slice(&seeds[rng.below(seeds.len())]);
    for _ in 0..1 + rng.below(4) {
        let n = buf.len();
        match rng.below(9) {
            0 if n > 0 => buf[rng.below(n)] ^= 1 << rng.below(8),
            1 if n > 0 => buf[rng.below(n)] = rng.next() as u8,
            2 if n >= 4 => {
                let at = rng.below(n - 3);
                let v = INTERESTING[rng.below(INTERESTING.len())];
                buf[at..at + 4].copy_from_slice(&v.to_le_bytes());
            }
            3 => buf.insert(rng.below(n + 1), rng.next() as u8),
            4 if n > 0 => {
                let at = rng.below(n);
                let len = 1 + rng.below((n - at).min(16));
                buf.drain(at..at + len);
            }
            5 => buf.truncate(rng.below(n + 1)),
            6 if n > OFF_TOPIC => {
                // A small edit past the preamble, where the variable fields live.
                let at = OFF_TOPIC + rng.below(n - OFF_TOPIC);
                buf[at] = buf[at].wrapping_add(1 + rng.below(3) as u8);
            }
            7 => {
                let other = &seeds[rng.below(seeds.len())];
                let at = rng.below(n + 1);
                buf.truncate(at);
                let from = rng.below(other.len());
                buf.extend_from_slice(&other[from..]);
            }
            _ => {}
        }
    }
    // Often repair the total length and the checksum so mutations reach the deeper checks.
    let n = buf.len();
    if n >= PREAMBLE_LEN && rng.below(2) == 0 {
        buf[OFF_TOTAL_LEN..OFF_TOTAL_LEN + 4].copy_from_slice(&(n as u32).to_le_bytes());
        if buf[OFF_FLAGS] & FLAG_CHECKSUM != 0 && n >= PREAMBLE_LEN + 4 {
            let crc = crc32c(&buf[..n - 4]);
            buf[n - 4..].copy_from_slice(&crc.to_le_bytes());
        }
    }
}

fn check_one(input: &[u8], frame_buf: &mut Vec<u8>, records: &mut [u32]) -> bool {
    let decoded = decode(input, &Limits::DEFAULT);
    let peeked = peek_header(input);
    let ok = decoded.is_ok();
    if let Ok(m) = decoded {
        let checksum = input[OFF_FLAGS] & FLAG_CHECKSUM != 0;
        let again = encode_to_vec(&m, &EncodeOptions::with_checksum(checksum)).unwrap();
        assert_eq!(again, input, "decoded bytes do not re-encode identically");
        let p = peeked.expect("decodable message must peek");
        assert_eq!(p.topic, m.header.topic);
    }
    frame_buf.clear();
    write_frame(FrameKind::Publish, input, frame_buf).unwrap();
    write_frame(FrameKind::Ping, &input[..input.len().min(7)], frame_buf).unwrap();
    let cut = input.len() % (frame_buf.len() + 1);
    for chunk in [&frame_buf[..], &frame_buf[..cut], input] {
        if let Ok(r) = split_frames(chunk, MAX_FRAME_PAYLOAD, records) {
            assert!(r.consumed <= chunk.len());
            for rec in records[..r.frames * RECORD_WORDS].chunks_exact(RECORD_WORDS) {
                let end = rec[REC_PAYLOAD_OFFSET] as usize + rec[REC_PAYLOAD_LEN] as usize;
                assert!(end <= r.consumed);
                let t_end = rec[REC_TOPIC_OFFSET] as usize + rec[REC_TOPIC_LEN] as usize;
                assert!(t_end <= end);
            }
        }
    }
    if ok {
        let r = split_frames(&frame_buf[..], MAX_FRAME_PAYLOAD, records).unwrap();
        assert_eq!(r.frames, 2);
    }
    ok
}

#[test]
#[ignore = "long fuzz run"]
fn fuzz_decode_peek_and_split() {
    let iterations: u64 = std::env::var("CODEC_FUZZ_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000_000);
    let seeds: Vec<Vec<u8>> = golden()
        .iter()
        .map(|g| encode_to_vec(&g.message, &EncodeOptions::with_checksum(g.checksum)).unwrap())
        .collect();
    let mut rng = Rng(0x05EE_D0FC_0DEC);
    let mut input = Vec::new();
    let mut frame_buf = Vec::new();
    let mut records = vec![0u32; 4 * RECORD_WORDS];
    let mut decoded_ok = 0u64;
    let start = Instant::now();
    for _ in 0..iterations {
        mutate(&mut rng, &seeds, &mut input);
        if check_one(&input, &mut frame_buf, &mut records) {
            decoded_ok += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "codec fuzz: {iterations} inputs in {secs:.1} s ({:.0}/s), {decoded_ok} decoded",
        iterations as f64 / secs
    );
}

#[test]
fn fuzz_smoke() {
    let seeds: Vec<Vec<u8>> = golden()
        .iter()
        .map(|g| encode_to_vec(&g.message, &EncodeOptions::with_checksum(g.checksum)).unwrap())
        .collect();
    let mut rng = Rng(42);
    let mut input = Vec::new();
    let mut frame_buf = Vec::new();
    let mut records = vec![0u32; 4 * RECORD_WORDS];
    for _ in 0..20_000 {
        mutate(&mut rng, &seeds, &mut input);
        check_one(&input, &mut frame_buf, &mut records);
    }
}
