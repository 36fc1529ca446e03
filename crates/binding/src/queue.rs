//! Bounded queues for JavaScript: conversions around `messaging_core::queue::BoundedQueue`.
//!
//! Queues live in a process-global registry and are named by a numeric id, so every
//! worker_thread that loads the addon reaches the same queue. Messages cross in batches: the
//! bytes end to end in one buffer and the lengths in a `Uint32Array`; never one call per message.

use std::sync::{Arc, RwLock};

use messaging_core::queue::{BoundedQueue, Overflow};
use messaging_core::CoreError;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::error::to_napi;

/// Queues by id - 1; a released id is never reused.
static QUEUES: RwLock<Vec<Option<Arc<BoundedQueue>>>> = RwLock::new(Vec::new());

fn unknown(id: u32) -> Error {
    to_napi(CoreError::InvalidArgument(format!(
        "no queue has id {id} (it was never created or was released)"
    )))
}

#[inline]
fn with_queue<T>(id: u32, f: impl FnOnce(&BoundedQueue) -> Result<T>) -> Result<T> {
    let queues = QUEUES.read().unwrap_or_else(|e| e.into_inner());
    match queues.get((id as usize).wrapping_sub(1)) {
        Some(Some(q)) => f(q),
        _ => Err(unknown(id)),
    }
}

/// Creates a queue of `capacity` messages with an overflow `policy` (`reject`, `drop_newest`,
/// `drop_oldest`, `block`) and returns its id. INVALID_ARGUMENT for a capacity below 1, an
/// unknown policy or a bad item limit.
#[napi(js_name = "queueCreate")]
pub fn queue_create(capacity: f64, policy: String, max_item_bytes: Option<f64>) -> Result<u32> {
    if !(capacity.is_finite() && capacity.fract() == 0.0 && capacity >= 1.0) {
        return Err(to_napi(CoreError::InvalidArgument(format!(
            "queue capacity must be an integer of at least 1, got {capacity}"
        ))));
    }
    let overflow = Overflow::parse(&policy).map_err(to_napi)?;
    let max_item = max_item_bytes.unwrap_or(messaging_core::queue::DEFAULT_MAX_ITEM_BYTES as f64);
    if !(max_item.is_finite() && max_item.fract() == 0.0 && max_item >= 1.0) {
        return Err(to_napi(CoreError::InvalidArgument(format!(
            "max item bytes must be an integer of at least 1, got {max_item}"
        ))));
    }
    let q = BoundedQueue::with_max_item_bytes(capacity as usize, overflow, max_item as usize)
        .map_err(to_napi)?;
    let mut queues = QUEUES.write().unwrap_or_else(|e| e.into_inner());
    queues.push(Some(Arc::new(q)));
    Ok(queues.len() as u32)
}

/// Drops the registry's reference to queue `id`; false when there was none.
#[napi(js_name = "queueRelease")]
pub fn queue_release(id: u32) -> bool {
    let mut queues = QUEUES.write().unwrap_or_else(|e| e.into_inner());
    match queues.get_mut((id as usize).wrapping_sub(1)) {
        Some(slot @ Some(_)) => {
            *slot = None;
            true
        }
        _ => false,
    }
}

/// Stops queue `id` accepting messages; queued ones can still be popped.
#[napi(js_name = "queueClose")]
pub fn queue_close(id: u32) -> Result<()> {
    with_queue(id, |q| {
        q.close();
        Ok(())
    })
}

/// Pushes `count` messages laid end to end in `bytes` with lengths `lens[0..count]`. Returns how
/// many were consumed from the front (see `BoundedQueue::push_batch`).
#[napi(js_name = "queuePush")]
pub fn queue_push(id: u32, bytes: &[u8], lens: &[u32], count: u32) -> Result<u32> {
    let count = (count as usize).min(lens.len());
    with_queue(id, |q| {
        q.push_batch(bytes, &lens[..count])
            .map(|n| n as u32)
            .map_err(to_napi)
    })
}

/// Pops up to `max` messages into `out` (lengths into `lens`), taking at most a `1/share` part
/// of the backlog. Returns the count; `0xFFFFFFFF` when the next message is longer than all of
/// `out`, with its length in `lens[0]`.
#[napi(js_name = "queuePop")]
pub fn queue_pop(
    id: u32,
    mut out: Uint8ArraySlice,
    mut lens: Uint32ArraySlice,
    max: u32,
    share: u32,
) -> Result<u32> {
    // SAFETY: both slices are only used during this call, while JS cannot run on this thread;
    // they belong to the calling thread's isolate, so no other thread writes them.
    let (out, lens) = unsafe { (out.as_mut(), lens.as_mut()) };
    with_queue(id, |q| {
        let b = q.pop_share_into(out, lens, max as usize, share as usize);
        if b.count == 0 && b.need > 0 {
            if let Some(first) = lens.first_mut() {
                *first = b.need as u32;
            }
            return Ok(u32::MAX);
        }
        Ok(b.count as u32)
    })
}

/// Messages queued in queue `id` now.
#[napi(js_name = "queueLen")]
pub fn queue_len(id: u32) -> Result<u32> {
    with_queue(id, |q| Ok(q.len() as u32))
}

/// `[depth, capacity, enqueued, dequeued, dropped, rejected, closed]` of queue `id`.
#[napi(js_name = "queueStats")]
pub fn queue_stats(id: u32) -> Result<Vec<f64>> {
    with_queue(id, |q| {
        let s = q.stats();
        Ok(vec![
            s.depth as f64,
            s.capacity as f64,
            s.enqueued as f64,
            s.dequeued as f64,
            s.dropped as f64,
            s.rejected as f64,
            f64::from(u8::from(q.is_closed())),
        ])
    })
}
