//! Properties: random messages round trip; random and mutated bytes never panic and validate
//! agrees with decode; splitting a
//! stream at any boundary finds the same frames.

mod codec_support;

use codec_support::strategies::arb_message;
use messaging_core::codec::*;
use messaging_core::frame::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_messages_round_trip(msg in arb_message(), checksum in any::<bool>()) {
        let bytes = encode_to_vec(&msg, &EncodeOptions::with_checksum(checksum)).unwrap();
        prop_assert_eq!(decode(&bytes, &Limits::DEFAULT).unwrap(), msg.clone());
        let v = peek_header(&bytes).unwrap();
        prop_assert_eq!(v.topic, msg.header.topic.as_str());
        prop_assert_eq!(v.trace_id.copied(), msg.header.trace_id);
        prop_assert_eq!(v.headers.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect::<Vec<_>>(),
                        msg.header.headers.clone());
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode(&bytes, &Limits::DEFAULT);
        let _ = peek_header(&bytes);
        let _ = decode_batch(&bytes, &Limits::DEFAULT);
        let mut out = [0u32; 4 * RECORD_WORDS];
        let _ = split_frames(&bytes, 1 << 20, &mut out);
    }

    #[test]
    fn mutated_messages_never_panic(msg in arb_message(),
                                    edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
                                    cut in any::<usize>()) {
        let mut bytes = encode_to_vec(&msg, &EncodeOptions::default()).unwrap();
        for (at, b) in edits {
            let n = bytes.len();
            bytes[at % n] = b;
        }
        let n = bytes.len();
        let bytes = &bytes[..n - cut % 3.min(n)];
        let decoded = decode(bytes, &Limits::DEFAULT);
        // validate accepts exactly what decode accepts.
        let validated = validate(bytes, &Limits::DEFAULT);
        prop_assert_eq!(decoded.is_ok(), validated.is_ok(), "decode {:?}, validate {:?}", decoded, validated);
        if let Ok(m) = decoded {
            // Whatever decodes re-encodes to the same bytes: the format is canonical.
            let again = encode_to_vec(&m, &EncodeOptions::default()).unwrap();
            prop_assert_eq!(&again[..], bytes);
        }
        let _ = peek_header(bytes);
    }

    #[test]
    fn any_split_point_finds_the_same_frames(msgs in proptest::collection::vec(arb_message(), 1..6),
                                             cuts in proptest::collection::vec(any::<usize>(), 0..4)) {
        let mut chunk = Vec::new();
        for m in &msgs {
            let b = encode_to_vec(m, &EncodeOptions::default()).unwrap();
            write_frame(FrameKind::Publish, &b, &mut chunk).unwrap();
            write_frame(FrameKind::Ping, &[], &mut chunk).unwrap();
        }
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (chunk.len() + 1)).collect();
        bounds.push(chunk.len());
        bounds.sort();
        let mut pending: Vec<u8> = Vec::new();
        let mut topics = Vec::new();
        let mut from = 0;
        let mut out = vec![0u32; 16 * RECORD_WORDS];
        for to in bounds {
            pending.extend_from_slice(&chunk[from..to]);
            from = to;
            let r = split_frames(&pending, MAX_FRAME_PAYLOAD, &mut out).unwrap();
            for rec in out[..r.frames * RECORD_WORDS].chunks_exact(RECORD_WORDS) {
                if rec[REC_KIND] == FrameKind::Publish as u32 {
                    let t = rec[REC_TOPIC_OFFSET] as usize;
                    topics.push(String::from_utf8(pending[t..t + rec[REC_TOPIC_LEN] as usize].to_vec()).unwrap());
                }
            }
            pending.drain(..r.consumed);
        }
        prop_assert!(pending.is_empty());
        prop_assert_eq!(topics, msgs.iter().map(|m| m.header.topic.clone()).collect::<Vec<_>>());
    }
}
