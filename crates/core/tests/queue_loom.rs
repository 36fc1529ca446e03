//! Model checks of the queue's own synchronisation (counters, close flag, the carry slot used
//! when a message does not fit the caller's buffer). Run with
//! `RUSTFLAGS="--cfg loom" cargo test -p messaging-core --test queue_loom --release`.
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use messaging_core::queue::{BoundedQueue, Overflow};

#[test]
fn push_and_pop_across_threads_lose_nothing() {
    loom::model(|| {
        let q = Arc::new(BoundedQueue::new(2, Overflow::Reject).unwrap());
        let p = {
            let q = q.clone();
            thread::spawn(move || q.push_batch(b"ab", &[1, 1]).unwrap())
        };
        let c = {
            let q = q.clone();
            thread::spawn(move || {
                let mut out = [0u8; 4];
                let mut lens = [0u32; 4];
                q.pop_batch_into(&mut out, &mut lens, 4).count
            })
        };
        let pushed = p.join().unwrap();
        let popped = c.join().unwrap();
        assert_eq!(pushed, 2);
        let st = q.stats();
        assert_eq!(st.enqueued, 2);
        assert_eq!(st.dequeued as usize, popped);
        assert_eq!(st.depth, 2 - popped);
    });
}

#[test]
fn a_carried_message_is_served_once() {
    loom::model(|| {
        let q = Arc::new(BoundedQueue::new(4, Overflow::Reject).unwrap());
        q.push(&[1; 8]).unwrap();
        q.push(&[2; 1]).unwrap();
        // A consumer with a tiny buffer puts the long message into the carry slot.
        let small = {
            let q = q.clone();
            thread::spawn(move || {
                let mut out = [0u8; 2];
                let mut lens = [0u32; 2];
                q.pop_batch_into(&mut out, &mut lens, 2).count
            })
        };
        let big = {
            let q = q.clone();
            thread::spawn(move || {
                let mut out = [0u8; 16];
                let mut lens = [0u32; 2];
                q.pop_batch_into(&mut out, &mut lens, 2).count
            })
        };
        let got = small.join().unwrap() + big.join().unwrap();
        let mut out = [0u8; 16];
        let mut lens = [0u32; 4];
        let rest = q.pop_batch_into(&mut out, &mut lens, 4).count;
        assert_eq!(got + rest, 2);
        assert_eq!(q.stats().dequeued, 2);
        assert!(q.is_empty());
    });
}

#[test]
fn close_races_with_push() {
    loom::model(|| {
        let q = Arc::new(BoundedQueue::new(2, Overflow::DropOldest).unwrap());
        let p = {
            let q = q.clone();
            thread::spawn(move || q.push(b"x").is_ok())
        };
        q.close();
        let ok = p.join().unwrap();
        assert_eq!(q.len(), usize::from(ok));
        assert!(q.push(b"y").is_err());
    });
}
