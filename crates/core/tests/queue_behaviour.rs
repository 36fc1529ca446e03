//! Behaviour of the bounded queue on one thread: policies, batches, counters, bad input.

use messaging_core::queue::{BoundedQueue, Overflow, PushOutcome, INLINE_BYTES};
use messaging_core::CoreError;

fn pop_all(q: &BoundedQueue) -> Vec<Vec<u8>> {
    let mut out = vec![0u8; 1 << 16];
    let mut lens = vec![0u32; 1024];
    let b = q.pop_batch_into(&mut out, &mut lens, 1024);
    let mut at = 0;
    lens[..b.count]
        .iter()
        .map(|&l| {
            let v = out[at..at + l as usize].to_vec();
            at += l as usize;
            v
        })
        .collect()
}

#[test]
fn fifo_on_one_thread() {
    let q = BoundedQueue::new(8, Overflow::Reject).unwrap();
    for i in 0..5u8 {
        assert_eq!(q.push(&[i; 3]).unwrap(), PushOutcome::Enqueued);
    }
    assert_eq!(q.len(), 5);
    let got = pop_all(&q);
    assert_eq!(got, (0..5u8).map(|i| vec![i; 3]).collect::<Vec<_>>());
    assert!(q.is_empty());
}

#[test]
fn reject_refuses_and_counts() {
    let q = BoundedQueue::new(2, Overflow::Reject).unwrap();
    q.push(b"a").unwrap();
    q.push(b"b").unwrap();
    assert!(matches!(q.push(b"c"), Err(CoreError::QueueFull(_))));
    let s = q.stats();
    assert_eq!((s.enqueued, s.rejected, s.dropped, s.depth), (2, 1, 0, 2));
}

#[test]
fn block_refuses_without_counting() {
    let q = BoundedQueue::new(1, Overflow::Block).unwrap();
    q.push(b"a").unwrap();
    assert!(matches!(q.push(b"b"), Err(CoreError::QueueFull(_))));
    assert_eq!(q.stats().rejected, 0);
    assert_eq!(q.push_batch(b"bc", &[1, 1]).unwrap(), 0);
}

#[test]
fn drop_newest_keeps_the_old() {
    let q = BoundedQueue::new(2, Overflow::DropNewest).unwrap();
    assert_eq!(q.push_batch(b"abcd", &[1, 1, 1, 1]).unwrap(), 4);
    assert_eq!(pop_all(&q), vec![b"a".to_vec(), b"b".to_vec()]);
    let s = q.stats();
    assert_eq!((s.enqueued, s.dropped, s.dequeued), (2, 2, 2));
}

#[test]
fn drop_oldest_keeps_the_new() {
    let q = BoundedQueue::new(2, Overflow::DropOldest).unwrap();
    assert_eq!(q.push_batch(b"abcd", &[1, 1, 1, 1]).unwrap(), 4);
    assert_eq!(q.push(b"e").unwrap(), PushOutcome::DroppedOldest);
    assert_eq!(pop_all(&q), vec![b"d".to_vec(), b"e".to_vec()]);
    // Of a batch longer than the queue only the newest `capacity` are enqueued at all.
    let s = q.stats();
    assert_eq!((s.enqueued, s.dropped), (3, 3));
}

#[test]
fn reject_batch_pushes_a_prefix() {
    let q = BoundedQueue::new(3, Overflow::Reject).unwrap();
    assert_eq!(q.push_batch(b"abcde", &[1, 1, 1, 1, 1]).unwrap(), 3);
    assert_eq!(q.stats().rejected, 2);
}

#[test]
fn batches_keep_bytes_and_lengths() {
    let q = BoundedQueue::new(64, Overflow::Reject).unwrap();
    let msgs: Vec<Vec<u8>> = (0..40usize)
        .map(|i| (0..(i * 7) % 120).map(|j| (i + j) as u8).collect())
        .collect();
    let bytes: Vec<u8> = msgs.concat();
    let lens: Vec<u32> = msgs.iter().map(|m| m.len() as u32).collect();
    assert_eq!(q.push_batch(&bytes, &lens).unwrap(), 40);
    assert_eq!(pop_all(&q), msgs);
    assert!(msgs.iter().any(|m| m.len() > INLINE_BYTES));
    assert!(msgs.iter().any(|m| m.is_empty()));
}

#[test]
fn bad_lengths_push_nothing() {
    let q = BoundedQueue::new(8, Overflow::Reject).unwrap();
    assert!(matches!(
        q.push_batch(b"abc", &[2, 2]),
        Err(CoreError::InvalidArgument(_))
    ));
    assert!(q.is_empty());
    let small = BoundedQueue::with_max_item_bytes(8, Overflow::Reject, 4).unwrap();
    assert!(matches!(
        small.push(b"hello"),
        Err(CoreError::InvalidArgument(_))
    ));
    assert!(matches!(
        small.push_batch(b"ab hello", &[2, 6]),
        Err(CoreError::InvalidArgument(_))
    ));
    assert!(small.is_empty());
}

#[test]
fn closed_queue_refuses_but_drains() {
    let q = BoundedQueue::new(4, Overflow::Reject).unwrap();
    q.push(b"x").unwrap();
    q.close();
    assert!(q.is_closed());
    assert!(matches!(q.push(b"y"), Err(CoreError::QueueClosed(_))));
    assert!(matches!(
        q.push_batch(b"y", &[1]),
        Err(CoreError::QueueClosed(_))
    ));
    assert_eq!(q.pop().unwrap().as_slice(), b"x");
}

#[test]
fn policies_parse_by_name() {
    for p in Overflow::ALL {
        assert_eq!(Overflow::parse(p.name()).unwrap(), p);
    }
    let e = Overflow::parse("drop_random").unwrap_err();
    assert!(e.to_string().contains("drop_random"));
}

#[test]
fn capacity_zero_is_a_clear_error() {
    let e = BoundedQueue::new(0, Overflow::Block).unwrap_err();
    assert!(e.to_string().contains("capacity"));
}

#[test]
fn share_splits_a_backlog() {
    let q = BoundedQueue::new(100, Overflow::Reject).unwrap();
    q.push_batch(&[7u8; 10], &[1; 10]).unwrap();
    let mut out = [0u8; 64];
    let mut lens = [0u32; 64];
    assert_eq!(q.pop_share_into(&mut out, &mut lens, 64, 2).count, 5);
    assert_eq!(q.pop_share_into(&mut out, &mut lens, 64, 4).count, 2);
    assert_eq!(q.pop_share_into(&mut out, &mut lens, 2, 1).count, 2);
    assert_eq!(q.pop_share_into(&mut out, &mut lens, 64, 8).count, 1);
    assert!(q.is_empty());
}

#[test]
fn drop_oldest_evicts_part_of_a_chunk() {
    let q = BoundedQueue::new(4, Overflow::DropOldest).unwrap();
    q.push_batch(b"abc", &[1, 1, 1]).unwrap();
    q.push_batch(b"de", &[1, 1]).unwrap();
    assert_eq!(q.len(), 4);
    assert_eq!(q.pop().unwrap().as_slice(), b"b");
    assert_eq!(
        pop_all(&q),
        vec![b"c".to_vec(), b"d".to_vec(), b"e".to_vec()]
    );
    let s = q.stats();
    assert_eq!((s.enqueued, s.dropped, s.dequeued), (5, 1, 4));
}

#[test]
fn a_chunk_is_shared_by_small_pops() {
    let q = BoundedQueue::new(100, Overflow::Block).unwrap();
    q.push_batch(&[1u8; 10], &[1; 10]).unwrap();
    let mut out = [0u8; 16];
    let mut lens = [0u32; 3];
    let mut total = 0;
    while total < 10 {
        let b = q.pop_batch_into(&mut out, &mut lens, 3);
        assert!(b.count > 0);
        total += b.count;
    }
    assert!(q.is_empty());
    assert_eq!(q.pop(), None);
}

#[test]
fn capacity_above_the_limit_is_refused() {
    assert!(BoundedQueue::new(messaging_core::queue::MAX_CAPACITY + 1, Overflow::Block).is_err());
}

#[test]
fn lens_bound_the_batch() {
    let q = BoundedQueue::new(10, Overflow::Reject).unwrap();
    q.push_batch(&[1u8; 10], &[1; 10]).unwrap();
    let mut out = [0u8; 64];
    let mut lens = [0u32; 3];
    assert_eq!(q.pop_batch_into(&mut out, &mut lens, 100).count, 3);
    assert_eq!(q.len(), 7);
}
