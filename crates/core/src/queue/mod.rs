//! Bounded multi-producer multi-consumer queues of byte messages.
//!
//! [`BoundedQueue`] holds opaque messages (encoded bytes) in a fixed-capacity lock-free ring
//! (crossbeam-queue's `ArrayQueue`) as chunks of messages pushed together, applies an [`Overflow`] policy when it is full, moves
//! messages in batches (one contiguous byte buffer plus a length per message) and keeps totals
//! of what went in, out, was dropped or refused. It must never block a thread, never grow past
//! its capacity, and never panic on outside input (bad input is a [`crate::CoreError`]).
//! Waiting for room (the `block` policy) is the caller's job: the queue only says "full".

mod bounded;
mod item;
mod policy;
mod sync;

pub use bounded::{
    BoundedQueue, PopBatch, PushOutcome, QueueStats, DEFAULT_MAX_ITEM_BYTES, MAX_CAPACITY,
};
pub use item::{Bytes, INLINE_BYTES};
pub use policy::Overflow;
