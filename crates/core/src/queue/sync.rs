//! The synchronisation primitives of the queue, swapped for loom's models under `cfg(loom)` so
//! the queue's own atomics (counters, the close flag, the carry slot) are model-checked. Under
//! loom the lock-free ring is replaced by a mutex-guarded model with the same contract.

#[cfg(not(loom))]
pub(crate) use crossbeam_queue::ArrayQueue;
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::Mutex;
#[cfg(not(loom))]
pub(crate) use std::thread::yield_now;

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::Mutex;
#[cfg(loom)]
pub(crate) use loom::thread::yield_now;

/// A model of crossbeam's `ArrayQueue` for loom: same methods, same contract.
#[cfg(loom)]
pub(crate) struct ArrayQueue<T> {
    cap: usize,
    items: Mutex<std::collections::VecDeque<T>>,
}

#[cfg(loom)]
impl<T> ArrayQueue<T> {
    pub(crate) fn new(cap: usize) -> Self {
        assert!(cap > 0, "capacity must be non-zero");
        ArrayQueue {
            cap,
            items: Mutex::new(std::collections::VecDeque::with_capacity(cap)),
        }
    }
    pub(crate) fn push(&self, value: T) -> Result<(), T> {
        let mut q = self.items.lock().unwrap();
        if q.len() == self.cap {
            return Err(value);
        }
        q.push_back(value);
        Ok(())
    }
    pub(crate) fn pop(&self) -> Option<T> {
        self.items.lock().unwrap().pop_front()
    }
    pub(crate) fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }
    pub(crate) fn capacity(&self) -> usize {
        self.cap
    }
}
