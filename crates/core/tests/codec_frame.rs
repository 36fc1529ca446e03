//! Frame splitting: records, partial tails, a full output, and bad frames.

mod codec_support;

use codec_support::samples::standard_message;
use messaging_core::codec::layout::*;
use messaging_core::codec::*;
use messaging_core::frame::*;
use messaging_core::CoreError;

fn msg_bytes() -> Vec<u8> {
    encode_to_vec(&standard_message(), &EncodeOptions::default()).unwrap()
}

fn stream() -> (Vec<u8>, Vec<FrameKind>) {
    let m = msg_bytes();
    let mut out = Vec::new();
    let kinds = vec![
        FrameKind::Connect,
        FrameKind::Publish,
        FrameKind::Ping,
        FrameKind::Request,
        FrameKind::Reply,
        FrameKind::Pong,
        FrameKind::Ack,
        FrameKind::PublishConfirm,
    ];
    for k in &kinds {
        let payload: &[u8] = if k.carries_message() { &m } else { b"xyz" };
        write_frame(*k, payload, &mut out).unwrap();
    }
    (out, kinds)
}

#[test]
fn frame_kinds_are_numbered_one_to_twelve() {
    for n in 0..=255u8 {
        let k = FrameKind::from_u8(n);
        assert_eq!(k.is_some(), (1..=12).contains(&n));
        if let Some(k) = k {
            assert_eq!(k as u8, n);
        }
    }
}

#[test]
fn splits_a_whole_stream_with_records() {
    let (chunk, kinds) = stream();
    let mut out = vec![0u32; 64 * RECORD_WORDS];
    let r = split_frames(&chunk, MAX_FRAME_PAYLOAD, &mut out).unwrap();
    assert_eq!(
        r,
        SplitResult {
            frames: kinds.len(),
            consumed: chunk.len(),
            out_full: false
        }
    );
    for (i, k) in kinds.iter().enumerate() {
        let rec = &out[i * RECORD_WORDS..(i + 1) * RECORD_WORDS];
        assert_eq!(rec[REC_KIND], *k as u32);
        let p = rec[REC_PAYLOAD_OFFSET] as usize;
        let payload = &chunk[p..p + rec[REC_PAYLOAD_LEN] as usize];
        if k.carries_message() {
            let t = rec[REC_TOPIC_OFFSET] as usize;
            assert_eq!(
                &chunk[t..t + rec[REC_TOPIC_LEN] as usize],
                b"user.events.created"
            );
            assert_eq!(rec[REC_TTL], 30_000);
            let tr = rec[REC_TRACE_OFFSET] as usize;
            assert_eq!(
                &chunk[tr..tr + 16],
                &payload[OFF_TRACE_ID..OFF_TRACE_ID + 16]
            );
            assert_eq!(rec[REC_PACKED], 5 | 1 << 8 | (FLAG_TRACE_ID as u32) << 16);
            assert_eq!(
                decode(payload, &Limits::DEFAULT).unwrap(),
                standard_message()
            );
        } else {
            assert_eq!(payload, b"xyz");
            assert_eq!(rec[REC_TRACE_OFFSET], NO_TRACE);
            assert_eq!(rec[REC_TOPIC_LEN], 0);
            assert_eq!(rec[REC_PACKED], 0);
        }
    }
}

#[test]
fn partial_tail_is_left_for_the_next_chunk() {
    let (chunk, kinds) = stream();
    let mut out = vec![0u32; 64 * RECORD_WORDS];
    for cut in 0..chunk.len() {
        let r = split_frames(&chunk[..cut], MAX_FRAME_PAYLOAD, &mut out).unwrap();
        assert!(r.consumed <= cut && !r.out_full);
        let r2 = split_frames(&chunk[r.consumed..], MAX_FRAME_PAYLOAD, &mut out).unwrap();
        assert_eq!(r.frames + r2.frames, kinds.len());
        assert_eq!(r.consumed + r2.consumed, chunk.len());
    }
}

#[test]
fn a_full_output_stops_early() {
    let (chunk, kinds) = stream();
    let mut out = vec![0u32; 3 * RECORD_WORDS + 5];
    let r = split_frames(&chunk, MAX_FRAME_PAYLOAD, &mut out).unwrap();
    assert_eq!(r.frames, 3);
    assert!(r.out_full);
    let rest = split_frames(&chunk[r.consumed..], MAX_FRAME_PAYLOAD, &mut out).unwrap();
    assert_eq!(rest.frames, 3);
    let last = split_frames(
        &chunk[r.consumed + rest.consumed..],
        MAX_FRAME_PAYLOAD,
        &mut out,
    )
    .unwrap();
    assert_eq!(r.frames + rest.frames + last.frames, kinds.len());
    assert!(!last.out_full);
}

#[test]
fn bad_arguments_are_invalid_argument() {
    let mut small = [0u32; RECORD_WORDS - 1];
    assert!(matches!(
        split_frames(b"", 10, &mut small),
        Err(CoreError::InvalidArgument(_))
    ));
}

fn split_err(chunk: &[u8], max: usize) -> String {
    let mut out = vec![0u32; 16 * RECORD_WORDS];
    match split_frames(chunk, max, &mut out) {
        Err(CoreError::Serialization(m)) => m,
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn oversized_and_unknown_frames_fail_on_their_header() {
    let mut chunk = Vec::new();
    write_frame(FrameKind::Ping, b"", &mut chunk).unwrap();
    let at = chunk.len();
    chunk.extend_from_slice(&1000u32.to_le_bytes());
    chunk.push(FrameKind::Ping as u8);
    let e = split_err(&chunk, 999);
    assert!(
        e.contains(&format!(
            "frame 1 at offset {at}: payload length 1000 exceeds the limit 999"
        )),
        "{e}"
    );
    let mut chunk = vec![0, 0, 0, 0, 0];
    assert!(split_err(&chunk, 10).contains("unknown frame kind 0"));
    chunk[4] = 13;
    assert!(split_err(&chunk, 10).contains("unknown frame kind 13"));
}

#[test]
fn message_frames_need_a_valid_preamble() {
    let mut chunk = Vec::new();
    write_frame(FrameKind::Publish, b"not a message", &mut chunk).unwrap();
    assert!(split_err(&chunk, 1000).contains("frame 0 at offset 0: message truncated preamble"));

    let mut m = msg_bytes();
    m[OFF_PRIORITY] = 99;
    let mut chunk = Vec::new();
    write_frame(FrameKind::Reply, &m, &mut chunk).unwrap();
    assert!(split_err(&chunk, 1 << 20).contains("priority 99 above 10"));

    let mut m = msg_bytes();
    m.push(0);
    let mut chunk = Vec::new();
    write_frame(FrameKind::Request, &m, &mut chunk).unwrap();
    assert!(split_err(&chunk, 1 << 20).contains("trailing bytes"));

    let mut m = msg_bytes();
    m[OFF_TOPIC] = 0xff;
    let mut chunk = Vec::new();
    write_frame(FrameKind::Publish, &m, &mut chunk).unwrap();
    assert!(split_err(&chunk, 1 << 20).contains("invalid UTF-8 in topic"));
}

#[test]
fn a_message_without_trace_gets_the_sentinel() {
    let mut msg = standard_message();
    msg.header.trace_id = None;
    let m = encode_to_vec(&msg, &EncodeOptions::with_checksum(true)).unwrap();
    let mut chunk = Vec::new();
    write_frame(FrameKind::Publish, &m, &mut chunk).unwrap();
    let mut out = [0u32; RECORD_WORDS];
    let r = split_frames(&chunk, MAX_FRAME_PAYLOAD, &mut out).unwrap();
    assert_eq!(r.frames, 1);
    assert_eq!(out[REC_TRACE_OFFSET], NO_TRACE);
    assert_eq!(out[REC_PACKED] >> 16, FLAG_CHECKSUM as u32);
}
