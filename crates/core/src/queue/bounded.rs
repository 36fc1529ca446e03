//! [`BoundedQueue`]: the lock-free ring, its overflow policy, batch moves and counters.

use super::item::Bytes;
use super::policy::Overflow;
use super::sync::{ArrayQueue, AtomicBool, AtomicU64, AtomicUsize, Mutex, Ordering};
use crate::CoreError;
use std::collections::VecDeque;

/// Largest message a queue accepts unless configured otherwise (16 MiB).
pub const DEFAULT_MAX_ITEM_BYTES: usize = 16 * 1024 * 1024;

/// What happened to one pushed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOutcome {
    /// Queued.
    Enqueued,
    /// Not queued: the queue was full and its policy is `drop_newest`.
    DroppedNewest,
    /// Queued, and the oldest message was evicted to make room (`drop_oldest`).
    DroppedOldest,
}

/// What one [`BoundedQueue::pop_batch_into`] call wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PopBatch {
    /// Messages written (their lengths are in `lens[..count]`).
    pub count: usize,
    /// Bytes written to `out`.
    pub bytes: usize,
    /// When non-zero, the next message is this long and does not fit in `out` at all: the
    /// caller needs a larger buffer. The message stays queued.
    pub need: usize,
}

/// Totals and gauges of a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    /// Messages queued now.
    pub depth: usize,
    /// Most messages the queue holds.
    pub capacity: usize,
    /// Messages accepted into the queue, ever.
    pub enqueued: u64,
    /// Messages taken out by consumers, ever.
    pub dequeued: u64,
    /// Messages discarded by `drop_newest` or evicted by `drop_oldest`.
    pub dropped: u64,
    /// Messages refused with `QueueFull` under `reject`.
    pub rejected: u64,
}

/// Largest capacity a queue accepts (16,777,216 messages): the ring holds one slot per message.
pub const MAX_CAPACITY: usize = 1 << 24;

/// Messages pushed together, stored together: the unit the ring moves. Consumers may take part
/// of a chunk; the rest waits in the carry list, first in line.
struct Chunk {
    lens: Box<[u32]>,
    bytes: Box<[u8]>,
    /// Index of the next message to hand out.
    next: usize,
    /// Byte offset of that message.
    offset: usize,
}

impl Chunk {
    fn remaining(&self) -> usize {
        self.lens.len() - self.next
    }
}

/// A bounded MPMC queue of byte messages. Every method takes `&self`: share it in an `Arc`.
///
/// A batch push reserves room for its messages with one compare-and-swap on the message count,
/// copies them into one chunk and hands the chunk to the lock-free ring; a batch pop takes
/// chunks and copies messages out. The cost per message is a copy, not an atomic operation.
pub struct BoundedQueue {
    ring: ArrayQueue<Box<Chunk>>,
    capacity: usize,
    overflow: Overflow,
    max_item_bytes: usize,
    closed: AtomicBool,
    /// Messages queued (in the ring and the carry list), never above `capacity`.
    count: AtomicUsize,
    /// Partly consumed chunks, served before the ring.
    carry: Mutex<VecDeque<Box<Chunk>>>,
    carried: AtomicUsize,
    enqueued: AtomicU64,
    dequeued: AtomicU64,
    dropped: AtomicU64,
    rejected: AtomicU64,
}

impl std::fmt::Debug for BoundedQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundedQueue")
            .field("overflow", &self.overflow)
            .field("stats", &self.stats())
            .finish()
    }
}

impl BoundedQueue {
    /// A queue of `capacity` messages; `InvalidArgument` for a capacity of 0 or above
    /// [`MAX_CAPACITY`].
    pub fn new(capacity: usize, overflow: Overflow) -> Result<Self, CoreError> {
        Self::with_max_item_bytes(capacity, overflow, DEFAULT_MAX_ITEM_BYTES)
    }

    /// A queue that also refuses messages longer than `max_item_bytes`.
    pub fn with_max_item_bytes(
        capacity: usize,
        overflow: Overflow,
        max_item_bytes: usize,
    ) -> Result<Self, CoreError> {
        if capacity == 0 || capacity > MAX_CAPACITY {
            return Err(CoreError::InvalidArgument(format!(
                "queue capacity must be 1..={MAX_CAPACITY}, got {capacity}"
            )));
        }
        if max_item_bytes == 0 || max_item_bytes > u32::MAX as usize {
            return Err(CoreError::InvalidArgument(format!(
                "max item bytes must be 1..={}, got {max_item_bytes}",
                u32::MAX
            )));
        }
        Ok(BoundedQueue {
            ring: ArrayQueue::new(capacity),
            capacity,
            overflow,
            max_item_bytes,
            closed: AtomicBool::new(false),
            count: AtomicUsize::new(0),
            carry: Mutex::new(VecDeque::new()),
            carried: AtomicUsize::new(0),
            enqueued: AtomicU64::new(0),
            dequeued: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        })
    }

    /// The overflow policy.
    pub fn overflow(&self) -> Overflow {
        self.overflow
    }

    /// Most messages the queue holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Largest message accepted, in bytes.
    pub fn max_item_bytes(&self) -> usize {
        self.max_item_bytes
    }

    /// Messages queued now (a snapshot: other threads may change it at once).
    pub fn len(&self) -> usize {
        self.count.load(Ordering::Acquire)
    }

    /// Whether no message is queued (a snapshot).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stops accepting messages; queued ones can still be popped.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }

    /// Whether [`close`](Self::close) was called.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Totals and gauges.
    pub fn stats(&self) -> QueueStats {
        QueueStats {
            depth: self.len(),
            capacity: self.capacity,
            enqueued: self.enqueued.load(Ordering::Relaxed),
            dequeued: self.dequeued.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
        }
    }

    /// Pushes one message. `QueueFull` when the queue is full under `reject` or `block`,
    /// `QueueClosed` after [`close`](Self::close).
    pub fn push(&self, bytes: &[u8]) -> Result<PushOutcome, CoreError> {
        let before = self.dropped.load(Ordering::Relaxed);
        let n = self.push_batch(bytes, &[bytes.len() as u32])?;
        if n == 0 {
            return Err(CoreError::QueueFull(format!(
                "queue of {} messages is full",
                self.capacity
            )));
        }
        // Only this call's drops are of interest; another thread's may be counted too, which
        // only mislabels the outcome, never loses a message.
        Ok(match self.overflow {
            Overflow::DropNewest if self.dropped.load(Ordering::Relaxed) > before => {
                PushOutcome::DroppedNewest
            }
            Overflow::DropOldest if self.dropped.load(Ordering::Relaxed) > before => {
                PushOutcome::DroppedOldest
            }
            _ => PushOutcome::Enqueued,
        })
    }

    /// Reserves room for up to `want` messages; returns how many were granted.
    #[inline]
    fn reserve(&self, want: usize) -> usize {
        let mut cur = self.count.load(Ordering::Acquire);
        loop {
            let k = want.min(self.capacity.saturating_sub(cur));
            if k == 0 {
                return 0;
            }
            match self.count.compare_exchange_weak(
                cur,
                cur + k,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return k,
                Err(now) => cur = now,
            }
        }
    }

    /// Pushes the messages laid end to end in `bytes`, message `i` being `lens[i]` bytes long.
    /// Returns how many messages were consumed from the front: all of them under the drop
    /// policies, and under `reject`/`block` the ones pushed before the queue was full (the
    /// rest are the caller's to refuse or retry; under `reject` they are counted as rejected).
    /// Lengths that overrun `bytes` or the item limit are refused before anything is pushed.
    pub fn push_batch(&self, bytes: &[u8], lens: &[u32]) -> Result<usize, CoreError> {
        if self.is_closed() {
            return Err(CoreError::QueueClosed("the queue is closed".into()));
        }
        let mut total = 0usize;
        for &len in lens {
            if len as usize > self.max_item_bytes {
                return Err(CoreError::InvalidArgument(format!(
                    "message of {len} bytes is longer than the queue's limit of {} bytes",
                    self.max_item_bytes
                )));
            }
            total += len as usize;
        }
        if total > bytes.len() {
            return Err(CoreError::InvalidArgument(format!(
                "the lengths add up to {total} bytes but the buffer holds {}",
                bytes.len()
            )));
        }
        let n = lens.len();
        if n == 0 {
            return Ok(0);
        }
        // Which messages go in: lens[first..first + k].
        let (first, k) = match self.overflow {
            Overflow::Reject | Overflow::Block => {
                let k = self.reserve(n);
                if k < n && self.overflow == Overflow::Reject {
                    self.rejected.fetch_add((n - k) as u64, Ordering::Relaxed);
                }
                (0, k)
            }
            Overflow::DropNewest => {
                let k = self.reserve(n);
                if k < n {
                    self.dropped.fetch_add((n - k) as u64, Ordering::Relaxed);
                }
                (0, k)
            }
            Overflow::DropOldest => {
                // Of a batch longer than the queue only the newest `capacity` can stay.
                let keep = n.min(self.capacity);
                if keep < n {
                    self.dropped.fetch_add((n - keep) as u64, Ordering::Relaxed);
                }
                let mut got = 0;
                let mut tries = 0u32;
                while got < keep {
                    got += self.reserve(keep - got);
                    if got < keep {
                        let evicted = self.evict(keep - got);
                        if evicted == 0 {
                            tries += 1;
                            if tries > 1000 {
                                // Every queued message is in a consumer's hands right now: keep
                                // what fits and drop the rest of this batch instead of waiting.
                                self.dropped
                                    .fetch_add((keep - got) as u64, Ordering::Relaxed);
                                break;
                            }
                            super::sync::yield_now();
                        }
                    }
                }
                (n - keep, got)
            }
        };
        if k == 0 {
            return Ok(
                if self.overflow == Overflow::DropNewest || self.overflow == Overflow::DropOldest {
                    n
                } else {
                    0
                },
            );
        }
        let skip: usize = lens[..first].iter().map(|&l| l as usize).sum();
        let size: usize = lens[first..first + k].iter().map(|&l| l as usize).sum();
        let chunk = Box::new(Chunk {
            lens: lens[first..first + k].into(),
            bytes: bytes[skip..skip + size].into(),
            next: 0,
            offset: 0,
        });
        if let Err(chunk) = self.ring.push(chunk) {
            // Cannot happen: the ring has a slot per message and room was reserved. Undo.
            self.count.fetch_sub(chunk.lens.len(), Ordering::AcqRel);
            return Ok(0);
        }
        self.enqueued.fetch_add(k as u64, Ordering::Relaxed);
        Ok(match self.overflow {
            Overflow::Reject | Overflow::Block => k,
            Overflow::DropNewest | Overflow::DropOldest => n,
        })
    }

    /// Drops up to `m` of the oldest messages; returns how many.
    fn evict(&self, m: usize) -> usize {
        let mut evicted = 0;
        while evicted < m {
            let Some(mut chunk) = self.take_chunk() else {
                break;
            };
            while evicted < m && chunk.next < chunk.lens.len() {
                chunk.offset += chunk.lens[chunk.next] as usize;
                chunk.next += 1;
                evicted += 1;
            }
            if chunk.remaining() > 0 {
                self.put_back(chunk);
            }
        }
        if evicted > 0 {
            self.count.fetch_sub(evicted, Ordering::AcqRel);
            self.dropped.fetch_add(evicted as u64, Ordering::Relaxed);
        }
        evicted
    }

    #[inline]
    fn take_chunk(&self) -> Option<Box<Chunk>> {
        if self.carried.load(Ordering::Acquire) > 0 {
            let mut carry = self.carry.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(chunk) = carry.pop_front() {
                self.carried.fetch_sub(1, Ordering::AcqRel);
                return Some(chunk);
            }
        }
        self.ring.pop()
    }

    fn put_back(&self, chunk: Box<Chunk>) {
        let mut carry = self.carry.lock().unwrap_or_else(|e| e.into_inner());
        carry.push_front(chunk);
        self.carried.fetch_add(1, Ordering::AcqRel);
    }

    /// Pops one message.
    pub fn pop(&self) -> Option<Bytes> {
        let mut chunk = self.take_chunk()?;
        let len = chunk.lens[chunk.next] as usize;
        let item = Bytes::copy_from(&chunk.bytes[chunk.offset..chunk.offset + len]);
        chunk.offset += len;
        chunk.next += 1;
        if chunk.remaining() > 0 {
            self.put_back(chunk);
        }
        self.count.fetch_sub(1, Ordering::AcqRel);
        self.dequeued.fetch_add(1, Ordering::Relaxed);
        Some(item)
    }

    /// Pops up to `max` messages (and at most `lens.len()`) into `out`, end to end, writing
    /// each length to `lens`. Stops early when the next message does not fit in what is left
    /// of `out`; that message stays queued, first in line. See [`PopBatch`].
    pub fn pop_batch_into(&self, out: &mut [u8], lens: &mut [u32], max: usize) -> PopBatch {
        let max = max.min(lens.len());
        let mut batch = PopBatch::default();
        while batch.count < max {
            let Some(mut chunk) = self.take_chunk() else {
                break;
            };
            let mut full = false;
            while batch.count < max && chunk.next < chunk.lens.len() {
                let len = chunk.lens[chunk.next] as usize;
                if len > out.len() - batch.bytes {
                    if batch.count == 0 {
                        batch.need = len;
                    }
                    full = true;
                    break;
                }
                out[batch.bytes..batch.bytes + len]
                    .copy_from_slice(&chunk.bytes[chunk.offset..chunk.offset + len]);
                lens[batch.count] = len as u32;
                batch.bytes += len;
                batch.count += 1;
                chunk.offset += len;
                chunk.next += 1;
            }
            if chunk.remaining() > 0 {
                self.put_back(chunk);
            }
            if full {
                break;
            }
        }
        if batch.count > 0 {
            self.count.fetch_sub(batch.count, Ordering::AcqRel);
            self.dequeued
                .fetch_add(batch.count as u64, Ordering::Relaxed);
        }
        batch
    }

    /// Like [`pop_batch_into`](Self::pop_batch_into), taking at most a `1/share` part of what is
    /// queued (rounded up), so `share` consumers polling together split a backlog evenly.
    pub fn pop_share_into(
        &self,
        out: &mut [u8],
        lens: &mut [u32],
        max: usize,
        share: usize,
    ) -> PopBatch {
        let share = share.max(1);
        let fair = if share == 1 {
            max
        } else {
            max.min(self.len().div_ceil(share).max(1))
        };
        self.pop_batch_into(out, lens, fair)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn zero_capacity_is_refused() {
        assert!(matches!(
            BoundedQueue::new(0, Overflow::Reject),
            Err(CoreError::InvalidArgument(_))
        ));
    }

    #[test]
    fn carry_keeps_a_message_that_did_not_fit() {
        let q = BoundedQueue::new(4, Overflow::Reject).unwrap();
        q.push(&[1; 10]).unwrap();
        q.push(&[2; 100]).unwrap();
        let mut out = [0u8; 50];
        let mut lens = [0u32; 4];
        let b = q.pop_batch_into(&mut out, &mut lens, 4);
        assert_eq!((b.count, b.bytes, b.need), (1, 10, 0));
        assert_eq!(q.len(), 1);
        let b = q.pop_batch_into(&mut out, &mut lens, 4);
        assert_eq!((b.count, b.need), (0, 100));
        let mut big = [0u8; 200];
        let b = q.pop_batch_into(&mut big, &mut lens, 4);
        assert_eq!((b.count, b.bytes), (1, 100));
        assert!(q.is_empty());
        assert_eq!(q.stats().dequeued, 2);
    }
}
