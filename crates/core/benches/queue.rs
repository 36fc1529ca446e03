//! Criterion benchmarks of the bounded queue: batch push + pop on one thread (the figure the
//! JS path is compared with) and one producer with one consumer on two threads.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use messaging_core::queue::{BoundedQueue, Overflow};
use std::hint::black_box;
use std::sync::Arc;

const BATCH: usize = 256;

fn batch_of(size: usize) -> (Vec<u8>, Vec<u32>) {
    (vec![7u8; size * BATCH], vec![size as u32; BATCH])
}

fn one_thread(c: &mut Criterion) {
    let mut g = c.benchmark_group("queue push+pop, batches of 256");
    g.throughput(Throughput::Elements(BATCH as u64));
    for size in [16usize, 64, 256] {
        let q = BoundedQueue::new(10_000, Overflow::Reject).unwrap();
        let (bytes, lens) = batch_of(size);
        let mut out = vec![0u8; size * BATCH];
        let mut out_lens = vec![0u32; BATCH];
        g.bench_function(format!("{size}-byte messages"), |b| {
            b.iter(|| {
                let pushed = q.push_batch(black_box(&bytes), black_box(&lens)).unwrap();
                let popped = q.pop_batch_into(&mut out, &mut out_lens, BATCH);
                black_box((pushed, popped.count))
            })
        });
    }
    g.finish();
}

fn two_threads(c: &mut Criterion) {
    let mut g = c.benchmark_group("queue 1 producer / 1 consumer, batches of 256");
    const ROUND: usize = 64 * BATCH;
    g.throughput(Throughput::Elements(ROUND as u64));
    g.sample_size(20);
    let (bytes, lens) = batch_of(16);
    g.bench_function("16-byte messages", |b| {
        b.iter(|| {
            let q = Arc::new(BoundedQueue::new(4096, Overflow::Block).unwrap());
            let consumer = {
                let q = q.clone();
                std::thread::spawn(move || {
                    let mut out = vec![0u8; 16 * BATCH];
                    let mut lens = vec![0u32; BATCH];
                    let mut got = 0;
                    while got < ROUND {
                        let n = q.pop_batch_into(&mut out, &mut lens, BATCH).count;
                        if n == 0 {
                            std::thread::yield_now();
                        }
                        got += n;
                    }
                })
            };
            let mut sent = 0;
            while sent < ROUND {
                let n = q.push_batch(&bytes, &lens).unwrap();
                if n == 0 {
                    std::thread::yield_now();
                }
                sent += n;
            }
            consumer.join().unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, one_thread, two_threads);
criterion_main!(benches);
