//! `TopicMatcher` for JavaScript: conversions around `messaging_core::matcher::TopicMatcher`.
//! Ids come back in caller-owned `Uint32Array`s; nothing here allocates per match.

use messaging_core::matcher::{Syntax, TopicMatcher as CoreMatcher};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::error::to_napi;

/// A set of `(pattern, id)` subscriptions answering which ids a topic reaches (RabbitMQ
/// topic-exchange semantics, or MQTT with `syntax: "mqtt"`).
#[napi]
pub struct TopicMatcher {
    inner: CoreMatcher,
    scratch: Vec<u32>,
}

#[napi]
impl TopicMatcher {
    /// An empty matcher; `syntax` is `"amqp"` (default) or `"mqtt"`.
    #[napi(constructor)]
    pub fn new(syntax: Option<String>) -> Result<Self> {
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
        Ok(TopicMatcher {
            inner: CoreMatcher::with_syntax(syntax),
            scratch: Vec::with_capacity(64),
        })
    }

    /// Binds `pattern` to subscription `id`.
    #[napi]
    pub fn add(&mut self, pattern: String, id: u32) -> Result<()> {
        self.inner.add(&pattern, id).map_err(to_napi)
    }

    /// Unbinds `pattern` from `id`; false when that binding did not exist.
    #[napi]
    pub fn remove(&mut self, pattern: String, id: u32) -> Result<bool> {
        self.inner.remove(&pattern, id).map_err(to_napi)
    }

    /// Binds a regular expression (linear-time `regex` syntax) to `id`.
    #[napi]
    pub fn add_regex(&mut self, regex: String, id: u32) -> Result<()> {
        self.inner.add_regex(&regex, id).map_err(to_napi)
    }

    /// Unbinds a regular expression from `id`; false when that binding did not exist.
    #[napi]
    pub fn remove_regex(&mut self, regex: String, id: u32) -> Result<bool> {
        self.inner.remove_regex(&regex, id).map_err(to_napi)
    }

    /// Writes the ids `topic` reaches into `out` and returns how many there are. When there are
    /// more than `out` holds, only the first `out.length` are written and the full count is
    /// returned, so the caller can grow `out` and ask again.
    #[napi(js_name = "matchInto")]
    pub fn match_into(&mut self, topic: String, mut out: Uint32ArraySlice) -> Result<u32> {
        // SAFETY: the slice is only used during this call, while JS cannot run.
        let out = unsafe { out.as_mut() };
        self.scratch.clear();
        let n = self
            .inner
            .match_into(&topic, &mut self.scratch)
            .map_err(to_napi)?;
        let written = n.min(out.len());
        out[..written].copy_from_slice(&self.scratch[..written]);
        Ok(n as u32)
    }

    /// Matches many topics joined by `'\n'` in one call: ids go to `ids` topic after topic, one
    /// count per topic to `counts` (`0xFFFFFFFF` for a refused topic). Returns
    /// `[topics, ids, invalid, consumed, nextNeeds]`; call again from `consumed` when `topics` is
    /// short of the input.
    #[napi(js_name = "matchBatch")]
    pub fn match_batch(
        &mut self,
        joined: String,
        mut ids: Uint32ArraySlice,
        mut counts: Uint32ArraySlice,
    ) -> Vec<u32> {
        // SAFETY: both slices are only used during this call, while JS cannot run.
        let (ids, counts) = unsafe { (ids.as_mut(), counts.as_mut()) };
        let o = self.inner.match_batch_joined(&joined, ids, counts);
        vec![
            o.topics as u32,
            o.ids as u32,
            o.invalid as u32,
            o.consumed as u32,
            o.next_needs as u32,
        ]
    }

    /// Checks a pattern without binding it.
    #[napi(js_name = "checkPattern")]
    pub fn check_pattern(&mut self, pattern: String) -> Result<()> {
        self.inner.check_pattern(&pattern).map_err(to_napi)
    }

    /// Removes every binding.
    #[napi]
    pub fn clear(&mut self) {
        self.inner.clear();
    }

    /// Number of `(pattern, id)` bindings.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len() as u32
    }

    /// Bytes of heap the matcher holds (for the memory-per-subscription figure).
    #[napi(js_name = "heapBytes")]
    pub fn heap_bytes(&self) -> f64 {
        self.inner.heap_bytes() as f64
    }
}
