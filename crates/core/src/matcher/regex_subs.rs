//! Regex subscriptions: a pattern compiled with the `regex` crate (finite automata, linear time in
//! the topic length by construction, no backtracking), anchored to the whole topic.
//!
//! They are matched by scanning every distinct regex, so their number is capped; this module must
//! never accept a regex over the size limits, and never let one pattern change the anchoring of
//! another (each is compiled alone first, so its groups are balanced).

use regex::{Regex, RegexBuilder};

use super::topic::is_control;
use crate::CoreError;

/// Longest regex source accepted, in bytes.
pub const MAX_REGEX_BYTES: usize = 1024;
/// Most distinct regex patterns a matcher holds (they are scanned on every match).
pub const MAX_REGEX_PATTERNS: usize = 1024;
/// Compiled program size limit per regex, in bytes.
pub const REGEX_SIZE_LIMIT: usize = 256 * 1024;
/// Lazy DFA cache limit per regex, in bytes.
pub const REGEX_DFA_SIZE_LIMIT: usize = 256 * 1024;
/// Deepest nesting of groups and repetitions accepted.
pub const REGEX_NEST_LIMIT: u32 = 64;

#[derive(Debug)]
struct RegexSub {
    source: Box<str>,
    regex: Regex,
    slots: Vec<u32>,
}

/// The regex subscriptions of one matcher.
#[derive(Debug, Default)]
pub(crate) struct RegexSubs {
    subs: Vec<RegexSub>,
}

impl RegexSubs {
    /// Binds `slot` to `source`; false if that binding already existed.
    pub(crate) fn insert(&mut self, source: &str, slot: u32) -> Result<bool, CoreError> {
        if let Some(sub) = self.subs.iter_mut().find(|s| &*s.source == source) {
            if sub.slots.contains(&slot) {
                return Ok(false);
            }
            sub.slots.push(slot);
            return Ok(true);
        }
        if self.subs.len() >= MAX_REGEX_PATTERNS {
            return Err(CoreError::InvalidArgument(format!(
                "at most {MAX_REGEX_PATTERNS} distinct regex subscriptions are allowed"
            )));
        }
        let regex = compile(source)?;
        self.subs.push(RegexSub {
            source: source.into(),
            regex,
            slots: vec![slot],
        });
        Ok(true)
    }

    /// Unbinds `slot` from `source`; false if there was no such binding.
    pub(crate) fn remove(&mut self, source: &str, slot: u32) -> bool {
        let Some(at) = self.subs.iter().position(|s| &*s.source == source) else {
            return false;
        };
        let sub = &mut self.subs[at];
        let Some(i) = sub.slots.iter().position(|&s| s == slot) else {
            return false;
        };
        sub.slots.swap_remove(i);
        if sub.slots.is_empty() {
            self.subs.swap_remove(at);
        }
        true
    }

    /// Calls `emit` with the slot of every regex binding matching the whole `topic`.
    #[inline]
    pub(crate) fn for_each_match(&self, topic: &str, mut emit: impl FnMut(u32)) {
        for sub in &self.subs {
            if sub.regex.is_match(topic) {
                sub.slots.iter().for_each(|&s| emit(s));
            }
        }
    }

    /// Whether there is no regex subscription.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.subs.is_empty()
    }

    /// Drops every regex subscription.
    pub(crate) fn clear(&mut self) {
        self.subs.clear();
    }

    /// Approximate heap bytes held, compiled programs excluded.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.subs
            .iter()
            .map(|s| s.source.len() + s.slots.capacity() * 4)
            .sum::<usize>()
            + self.subs.capacity() * std::mem::size_of::<RegexSub>()
    }
}

fn compile(source: &str) -> Result<Regex, CoreError> {
    if source.len() > MAX_REGEX_BYTES {
        return Err(CoreError::InvalidArgument(format!(
            "regex is {} bytes long, the limit is {MAX_REGEX_BYTES}",
            source.len()
        )));
    }
    if let Some(at) = source.bytes().position(is_control) {
        return Err(CoreError::InvalidArgument(format!(
            "regex holds a control character at byte {at}"
        )));
    }
    build(source)?;
    build(&format!("^(?:{source})$"))
}

fn build(source: &str) -> Result<Regex, CoreError> {
    RegexBuilder::new(source)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .map_err(|e| CoreError::InvalidArgument(format!("regex refused: {e}")))
}
