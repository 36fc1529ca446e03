//! Codec and frame splitter throughput: encode, decode, header peek, batches of 1,000 and
//! `split_frames` over 64 KiB chunks of PUBLISH frames.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use messaging_core::codec::*;
use messaging_core::frame::*;
use std::hint::black_box;

fn standard_message() -> Message {
    Message {
        header: Header {
            id: [7; 16],
            source: "client_123".into(),
            target: "service_xyz".into(),
            topic: "user.events.created".into(),
            trace_id: Some([0x4b; 16]),
            message_type: MessageType::Event,
            timestamp: 1_700_000_000_000,
            version: "1.0.0".into(),
            ..Header::default()
        },
        body: vec![
            ("operation".into(), Value::Str("create_user".into())),
            ("user_id".into(), Value::I32(12345)),
        ],
        metadata: Metadata {
            priority: 5,
            ttl_ms: 30_000,
            ..Metadata::default()
        },
    }
}

fn codec(c: &mut Criterion) {
    let msg = standard_message();
    let opts = EncodeOptions::default();
    let bytes = encode_to_vec(&msg, &opts).unwrap();
    let mut g = c.benchmark_group("codec");
    g.throughput(Throughput::Elements(1));
    let mut out = Vec::with_capacity(256);
    g.bench_function("encode_standard", |b| {
        b.iter(|| {
            out.clear();
            encode(black_box(&msg), &opts, &mut out).unwrap()
        })
    });
    g.bench_function("decode_standard", |b| {
        b.iter(|| decode(black_box(&bytes), &Limits::DEFAULT).unwrap())
    });
    g.bench_function("peek_header_standard", |b| {
        b.iter(|| peek_header(black_box(&bytes)).unwrap().priority)
    });
    g.finish();

    let msgs = vec![msg.clone(); 1000];
    let mut batch = Vec::new();
    encode_batch(&msgs, &opts, &mut batch).unwrap();
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(1000));
    let mut out = Vec::with_capacity(batch.len());
    g.bench_function("encode_batch_1000", |b| {
        b.iter(|| {
            out.clear();
            encode_batch(black_box(&msgs), &opts, &mut out).unwrap()
        })
    });
    g.bench_function("decode_batch_1000", |b| {
        b.iter(|| decode_batch(black_box(&batch), &Limits::DEFAULT).unwrap())
    });
    g.finish();
}

fn frames(c: &mut Criterion) {
    let bytes = encode_to_vec(&standard_message(), &EncodeOptions::default()).unwrap();
    let mut chunk = Vec::with_capacity(64 * 1024);
    while chunk.len() + FRAME_HEADER_LEN + bytes.len() <= 64 * 1024 {
        write_frame(FrameKind::Publish, &bytes, &mut chunk).unwrap();
    }
    let n = chunk.len() / (FRAME_HEADER_LEN + bytes.len());
    let mut out = vec![0u32; (n + 1) * RECORD_WORDS];
    let mut g = c.benchmark_group("frames");
    g.throughput(Throughput::Bytes(chunk.len() as u64));
    g.bench_function("split_frames_64k", |b| {
        b.iter(|| {
            let r = split_frames(black_box(&chunk), MAX_FRAME_PAYLOAD, &mut out).unwrap();
            assert_eq!(r.frames, n);
            r
        })
    });
    g.finish();
}

criterion_group!(benches, codec, frames);
criterion_main!(benches);
