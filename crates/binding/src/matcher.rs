//! `TopicMatcher` for JavaScript: conversions around `messaging_core::matcher::TopicMatcher`.
//!
//! Matchers live in a per-thread registry and the JS class holds only a handle, so the hot
//! path (`matchTopic`, `matchTopics`) is a plain function: a class method call costs several
//! times more than a function call here. Ids come back in caller-owned `Uint32Array`s; nothing
//! here allocates per match.

use std::cell::RefCell;

use messaging_core::matcher::{Syntax, TopicMatcher as CoreMatcher};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::error::to_napi;

struct Entry {
    matcher: CoreMatcher,
    scratch: Vec<u32>,
}

thread_local! {
    static REGISTRY: RefCell<Vec<Option<Entry>>> = const { RefCell::new(Vec::new()) };
}

fn with_entry<T>(handle: u32, f: impl FnOnce(&mut Entry) -> Result<T>) -> Result<T> {
    REGISTRY.with(|r| {
        let mut slots = r.borrow_mut();
        match slots.get_mut(handle as usize).and_then(Option::as_mut) {
            Some(entry) => f(entry),
            None => Err(Error::new(
                Status::InvalidArg,
                format!("[INVALID_STATE] no topic matcher {handle} on this thread"),
            )),
        }
    })
}

/// Owns one matcher of the registry; dropping it (when JS collects the object) frees the slot.
#[napi]
pub struct TopicMatcher {
    handle: u32,
}

impl Drop for TopicMatcher {
    fn drop(&mut self) {
        REGISTRY.with(|r| {
            if let Some(slot) = r.borrow_mut().get_mut(self.handle as usize) {
                *slot = None;
            }
        });
    }
}

#[napi]
impl TopicMatcher {
    /// An empty matcher; `syntax` is `"amqp"` (default) or `"mqtt"`; `cache` is the number of
    /// topics whose matches the core remembers (0 turns the cache off).
    #[napi(constructor)]
    pub fn new(syntax: Option<String>, cache: Option<u32>) -> Result<Self> {
        let syntax = match syntax.as_deref() {
            None | Some("amqp") => Syntax::Amqp,
            Some("mqtt") => Syntax::Mqtt,
            Some(other) => {
                return Err(Error::new(
                    Status::InvalidArg,
                    format!("[INVALID_ARGUMENT] unknown topic syntax {other:?} (expected \"amqp\" or \"mqtt\")"),
                ))
            }
        };
        let mut matcher = CoreMatcher::with_syntax(syntax);
        matcher.set_cache_capacity(cache.unwrap_or(0) as usize);
        let entry = Entry {
            matcher,
            scratch: Vec::with_capacity(64),
        };
        let handle = REGISTRY.with(|r| {
            let mut slots = r.borrow_mut();
            match slots.iter().position(Option::is_none) {
                Some(free) => {
                    slots[free] = Some(entry);
                    free
                }
                None => {
                    slots.push(Some(entry));
                    slots.len() - 1
                }
            }
        });
        Ok(TopicMatcher {
            handle: handle as u32,
        })
    }

    /// The handle the plain matching functions take.
    #[napi(getter)]
    pub fn handle(&self) -> u32 {
        self.handle
    }

    /// Binds a regular expression (linear-time `regex` syntax) to `id`.
    #[napi(js_name = "addRegex")]
    pub fn add_regex(&self, regex: String, id: u32) -> Result<()> {
        with_entry(self.handle, |e| {
            e.matcher.add_regex(&regex, id).map_err(to_napi)
        })
    }

    /// Unbinds a regular expression from `id`; false when that binding did not exist.
    #[napi(js_name = "removeRegex")]
    pub fn remove_regex(&self, regex: String, id: u32) -> Result<bool> {
        with_entry(self.handle, |e| {
            e.matcher.remove_regex(&regex, id).map_err(to_napi)
        })
    }

    /// Checks a pattern without binding it.
    #[napi(js_name = "checkPattern")]
    pub fn check_pattern(&self, pattern: String) -> Result<()> {
        with_entry(self.handle, |e| {
            e.matcher.check_pattern(&pattern).map_err(to_napi)
        })
    }

    /// Removes every binding.
    #[napi]
    pub fn clear(&self) -> Result<()> {
        with_entry(self.handle, |e| {
            e.matcher.clear();
            Ok(())
        })
    }

    /// Number of `(pattern, id)` bindings.
    #[napi(getter)]
    pub fn size(&self) -> Result<u32> {
        with_entry(self.handle, |e| Ok(e.matcher.len() as u32))
    }

    /// Bytes of heap the matcher holds (for the memory-per-subscription figure).
    #[napi(js_name = "heapBytes")]
    pub fn heap_bytes(&self) -> Result<f64> {
        with_entry(self.handle, |e| Ok(e.matcher.heap_bytes() as f64))
    }
}

/// Binds `pattern` to subscription `id` of matcher `handle`.
#[napi(js_name = "matcherAdd")]
pub fn matcher_add(handle: u32, pattern: String, id: u32) -> Result<()> {
    with_entry(handle, |e| e.matcher.add(&pattern, id).map_err(to_napi))
}

/// Unbinds `pattern` from `id`; false when that binding did not exist.
#[napi(js_name = "matcherRemove")]
pub fn matcher_remove(handle: u32, pattern: String, id: u32) -> Result<bool> {
    with_entry(handle, |e| e.matcher.remove(&pattern, id).map_err(to_napi))
}

/// Writes the ids `topic` reaches into `out` and returns how many there are. When there are
/// more than `out` holds, only the first `out.length` are written and the full count is
/// returned, so the caller can grow `out` and ask again.
#[napi(js_name = "matchTopic")]
pub fn match_topic(handle: u32, topic: String, mut out: Uint32ArraySlice) -> Result<u32> {
    // SAFETY: the slice is only used during this call, while JS cannot run.
    let out = unsafe { out.as_mut() };
    with_entry(handle, |e| {
        e.scratch.clear();
        let n = e
            .matcher
            .match_into(&topic, &mut e.scratch)
            .map_err(to_napi)?;
        let written = n.min(out.len());
        out[..written].copy_from_slice(&e.scratch[..written]);
        Ok(n as u32)
    })
}

/// Matches many topics joined by `'\n'` in one call: ids go to `ids` topic after topic, one
/// count per topic to `counts` (`0xFFFFFFFF` for a refused topic). Writes
/// `[topics, ids, invalid, consumed, nextNeeds]` to `summary`; call again with the rest when
/// `topics` is short of the input.
#[napi(js_name = "matchTopics")]
pub fn match_topics(
    handle: u32,
    joined: String,
    mut ids: Uint32ArraySlice,
    mut counts: Uint32ArraySlice,
    mut summary: Uint32ArraySlice,
) -> Result<u32> {
    // SAFETY: the slices are only used during this call, while JS cannot run; the caller
    // passes three distinct arrays.
    let (ids, counts, summary) = unsafe { (ids.as_mut(), counts.as_mut(), summary.as_mut()) };
    if summary.len() < 5 {
        return Err(Error::new(
            Status::InvalidArg,
            "[INVALID_ARGUMENT] the summary array needs 5 words",
        ));
    }
    with_entry(handle, |e| {
        let o = e.matcher.match_batch_joined(&joined, ids, counts);
        summary[..5].copy_from_slice(&[
            o.topics as u32,
            o.ids as u32,
            o.invalid as u32,
            o.consumed as u32,
            o.next_needs as u32,
        ]);
        Ok(o.topics as u32)
    })
}
