//! Many producers and consumers on real threads: every message comes out exactly once, and the
//! counters add up, under each policy.

use messaging_core::queue::{BoundedQueue, Overflow};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

const PRODUCERS: u32 = 4;
const PER_PRODUCER: u32 = 20_000;

/// Message = producer id (4 bytes) + sequence (4 bytes) + a tail whose length varies.
fn message(p: u32, i: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(80);
    v.extend_from_slice(&p.to_le_bytes());
    v.extend_from_slice(&i.to_le_bytes());
    v.extend(std::iter::repeat_n((i % 251) as u8, (i % 70) as usize));
    v
}

fn run(
    overflow: Overflow,
    capacity: usize,
    consumers: usize,
) -> (Vec<Vec<(u32, u32)>>, BoundedQueue) {
    let q = Arc::new(BoundedQueue::new(capacity, overflow).unwrap());
    let done = Arc::new(AtomicBool::new(false));
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let q = q.clone();
            thread::spawn(move || {
                let mut i = 0;
                while i < PER_PRODUCER {
                    let n = 16.min(PER_PRODUCER - i);
                    let mut bytes = Vec::new();
                    let mut lens = Vec::new();
                    for k in 0..n {
                        let m = message(p, i + k);
                        lens.push(m.len() as u32);
                        bytes.extend_from_slice(&m);
                    }
                    let pushed = q.push_batch(&bytes, &lens).unwrap() as u32;
                    if pushed == 0 {
                        thread::yield_now();
                    }
                    i += pushed;
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..consumers)
        .map(|_| {
            let q = q.clone();
            let done = done.clone();
            thread::spawn(move || {
                let mut seen = Vec::new();
                let mut out = vec![0u8; 4096];
                let mut lens = vec![0u32; 64];
                loop {
                    let finished = done.load(Ordering::Acquire);
                    let b = q.pop_batch_into(&mut out, &mut lens, 64);
                    let mut at = 0;
                    for &l in &lens[..b.count] {
                        let m = &out[at..at + l as usize];
                        let p = u32::from_le_bytes(m[0..4].try_into().unwrap());
                        let i = u32::from_le_bytes(m[4..8].try_into().unwrap());
                        assert_eq!(m, &message(p, i)[..], "message bytes intact");
                        seen.push((p, i));
                        at += l as usize;
                    }
                    if b.count == 0 {
                        if finished {
                            break;
                        }
                        thread::yield_now();
                    }
                }
                seen
            })
        })
        .collect();
    for p in producers {
        p.join().unwrap();
    }
    done.store(true, Ordering::Release);
    let seen = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    let q = Arc::try_unwrap(q).unwrap();
    (seen, q)
}

fn check_exactly_once(seen: &[Vec<(u32, u32)>], q: &BoundedQueue) {
    let all: Vec<(u32, u32)> = seen.iter().flatten().copied().collect();
    assert_eq!(all.len(), (PRODUCERS * PER_PRODUCER) as usize);
    let set: HashSet<_> = all.iter().copied().collect();
    assert_eq!(set.len(), all.len(), "no duplicates");
    let st = q.stats();
    assert_eq!(st.enqueued, st.dequeued);
    assert_eq!((st.dropped, st.rejected, st.depth), (0, 0, 0));
}

#[test]
fn every_message_once_under_block() {
    let (seen, q) = run(Overflow::Block, 256, 3);
    check_exactly_once(&seen, &q);
}

#[test]
fn one_consumer_sees_each_producer_in_order() {
    let (seen, q) = run(Overflow::Block, 128, 1);
    check_exactly_once(&seen, &q);
    let mut last = vec![None; PRODUCERS as usize];
    for &(p, i) in &seen[0] {
        if let Some(prev) = last[p as usize] {
            assert!(i > prev, "producer {p}: {i} after {prev}");
        }
        last[p as usize] = Some(i);
    }
}

#[test]
fn counters_add_up_under_drop_oldest() {
    let (seen, q) = run(Overflow::DropOldest, 64, 3);
    let delivered: usize = seen.iter().map(Vec::len).sum();
    let set: HashSet<_> = seen.iter().flatten().copied().collect();
    assert_eq!(set.len(), delivered, "no duplicates");
    let st = q.stats();
    assert_eq!(st.enqueued, (PRODUCERS * PER_PRODUCER) as u64);
    assert_eq!(st.dequeued as usize, delivered);
    assert_eq!(st.enqueued, st.dequeued + st.dropped);
}

#[test]
fn counters_add_up_under_drop_newest() {
    let (seen, q) = run(Overflow::DropNewest, 64, 3);
    let delivered: usize = seen.iter().map(Vec::len).sum();
    let st = q.stats();
    assert_eq!(st.enqueued + st.dropped, (PRODUCERS * PER_PRODUCER) as u64);
    assert_eq!(st.dequeued as usize, delivered);
    assert_eq!(st.enqueued, st.dequeued);
}
