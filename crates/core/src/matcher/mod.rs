//! Topic matching: which subscriptions a published topic reaches.
//!
//! [`TopicMatcher`] holds `(pattern, id)` bindings in a trie over words (RabbitMQ topic-exchange
//! semantics by default, MQTT 3.1.1 as an option) plus optional regex bindings, and reports each
//! matching id once. It must never panic on any input (bad input is
//! [`CoreError::InvalidArgument`]), never scan every pattern to match a topic (only the few regex
//! bindings are scanned), and never allocate while matching once its scratch buffers have grown.
//! Semantics, limits and decisions are written down in `docs/TOPICS.md`.

mod arena;
mod batch;
mod cache;
mod hash;
mod mqtt;
pub mod reference;
mod regex_subs;
mod slots;
mod topic;
mod word_trie;
mod words;

pub use batch::{BatchOutcome, INVALID_TOPIC};
pub use cache::{MAX_CACHED_IDS, MAX_CACHE_ENTRIES};
pub use regex_subs::{
    MAX_REGEX_BYTES, MAX_REGEX_PATTERNS, REGEX_DFA_SIZE_LIMIT, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT,
};
pub use topic::{Syntax, MAX_TOPIC_BYTES, MAX_WORDS};

use crate::CoreError;
use cache::MatchCache;
use regex_subs::RegexSubs;
use slots::SlotTable;
use topic::{split_words, word, Span, Token};
use word_trie::WordTrie;

/// A set of subscriptions, each a `(pattern, id)` binding, that answers "which ids does this
/// topic reach?". An id stands for one subscription: bound under several patterns that all
/// match, it is still reported once. Binding the same `(pattern, id)` twice is a no-op.
#[derive(Debug, Default)]
pub struct TopicMatcher {
    syntax: Syntax,
    trie: WordTrie,
    slots: SlotTable,
    regexes: RegexSubs,
    spans: Vec<Span>,
    bindings: usize,
    batch_ids: Vec<u32>,
    cache: MatchCache,
}

impl TopicMatcher {
    /// An empty matcher with AMQP (RabbitMQ topic exchange) syntax.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty matcher speaking `syntax`.
    pub fn with_syntax(syntax: Syntax) -> Self {
        TopicMatcher {
            syntax,
            ..Self::default()
        }
    }

    /// The syntax this matcher speaks.
    pub fn syntax(&self) -> Syntax {
        self.syntax
    }

    /// Binds `id` to `pattern`. Binding an existing `(pattern, id)` again changes nothing.
    pub fn add(&mut self, pattern: &str, id: u32) -> Result<(), CoreError> {
        let whole = self.split_pattern(pattern)?;
        let slot = self.slots.slot_for(id);
        let syntax = self.syntax;
        let tokens = self.spans.iter().map(|&s| classify(syntax, pattern, s));
        if self.trie.insert(pattern, whole, tokens, slot) {
            self.slots.bind(slot);
            self.bindings += 1;
            self.cache.invalidate();
        } else {
            self.slots.release_if_unused(slot);
        }
        Ok(())
    }

    /// Unbinds `id` from `pattern`; `Ok(false)` if that binding did not exist.
    pub fn remove(&mut self, pattern: &str, id: u32) -> Result<bool, CoreError> {
        let whole = self.split_pattern(pattern)?;
        let Some(slot) = self.slots.find(id) else {
            return Ok(false);
        };
        let syntax = self.syntax;
        let tokens = self.spans.iter().map(|&s| classify(syntax, pattern, s));
        if !self.trie.remove(pattern, whole, tokens, slot) {
            return Ok(false);
        }
        self.slots.unbind(slot);
        self.bindings -= 1;
        self.cache.invalidate();
        Ok(true)
    }

    /// Binds `id` to a regex that must match the whole topic (see `docs/TOPICS.md`).
    pub fn add_regex(&mut self, regex: &str, id: u32) -> Result<(), CoreError> {
        let slot = self.slots.slot_for(id);
        match self.regexes.insert(regex, slot) {
            Ok(true) => {
                self.slots.bind(slot);
                self.bindings += 1;
                self.cache.invalidate();
                Ok(())
            }
            Ok(false) => Ok(()),
            Err(e) => {
                self.slots.release_if_unused(slot);
                Err(e)
            }
        }
    }

    /// Unbinds `id` from a regex; `Ok(false)` if that binding did not exist (an invalid regex
    /// cannot have been bound, so it is `Ok(false)` too).
    pub fn remove_regex(&mut self, regex: &str, id: u32) -> Result<bool, CoreError> {
        let Some(slot) = self.slots.find(id) else {
            return Ok(false);
        };
        if !self.regexes.remove(regex, slot) {
            return Ok(false);
        }
        self.slots.unbind(slot);
        self.bindings -= 1;
        self.cache.invalidate();
        Ok(true)
    }

    /// Appends to `out` every id whose pattern matches `topic`, each once, in no particular
    /// order, and returns how many were appended. `out` is not cleared.
    pub fn match_into(&mut self, topic: &str, out: &mut Vec<u32>) -> Result<usize, CoreError> {
        if !self.cache.enabled() {
            return self.match_uncached(topic, out);
        }
        let hash = MatchCache::hash(topic);
        if let Some(ids) = self.cache.get(topic, hash) {
            out.extend_from_slice(ids);
            return Ok(ids.len());
        }
        let start = out.len();
        let n = self.match_uncached(topic, out)?;
        self.cache.put(topic, hash, &out[start..]);
        Ok(n)
    }

    /// Turns on a cache of results keyed by topic with `entries` entries (rounded up to a power
    /// of two, at most [`MAX_CACHE_ENTRIES`]; 0 turns it off, the default). Any change of
    /// bindings invalidates it; results over [`MAX_CACHED_IDS`] ids are not cached.
    pub fn set_cache_capacity(&mut self, entries: usize) {
        self.cache.set_capacity(entries);
    }

    /// Entries of the result cache (0 when off).
    pub fn cache_capacity(&self) -> usize {
        self.cache.capacity()
    }

    fn match_uncached(&mut self, topic: &str, out: &mut Vec<u32>) -> Result<usize, CoreError> {
        let start = out.len();
        let whole = split_words(topic, self.syntax.separator(), "topic", &mut self.spans)?;
        let guard_first = match self.syntax {
            Syntax::Amqp => false,
            Syntax::Mqtt => {
                mqtt::check_topic(topic)?;
                mqtt::guards_first_level(topic)
            }
        };
        self.slots.begin();
        let slots = &mut self.slots;
        let mut emit = |slot: u32| {
            if let Some(id) = slots.first_sight(slot) {
                out.push(id);
            }
        };
        self.trie
            .for_each_match(topic, whole, &self.spans, guard_first, &mut emit);
        if !self.regexes.is_empty() {
            self.regexes.for_each_match(topic, &mut emit);
        }
        Ok(out.len() - start)
    }

    /// The ids whose pattern matches `topic`, each once (allocates; see [`Self::match_into`]).
    pub fn matches(&mut self, topic: &str) -> Result<Vec<u32>, CoreError> {
        let mut out = Vec::new();
        self.match_into(topic, &mut out)?;
        Ok(out)
    }

    /// Checks a pattern against the syntax and the limits without binding it.
    pub fn check_pattern(&mut self, pattern: &str) -> Result<(), CoreError> {
        self.split_pattern(pattern).map(|_| ())
    }

    /// Checks a topic against the syntax and the limits without matching it.
    pub fn check_topic(&mut self, topic: &str) -> Result<(), CoreError> {
        split_words(topic, self.syntax.separator(), "topic", &mut self.spans)?;
        match self.syntax {
            Syntax::Amqp => Ok(()),
            Syntax::Mqtt => mqtt::check_topic(topic),
        }
    }

    /// Drops every binding and returns the memory held by the trie.
    pub fn clear(&mut self) {
        self.trie.clear();
        self.slots.clear();
        self.regexes.clear();
        self.bindings = 0;
        self.cache.invalidate();
    }

    /// Number of `(pattern, id)` bindings, regex bindings included.
    pub fn len(&self) -> usize {
        self.bindings
    }

    /// Whether there is no binding.
    pub fn is_empty(&self) -> bool {
        self.bindings == 0
    }

    /// Number of nodes: trie nodes, the root included, plus one per distinct pattern without
    /// wildcards (1 when empty: removals prune).
    pub fn node_count(&self) -> usize {
        self.trie.node_count()
    }

    /// Number of distinct literal words the trie holds (0 when empty).
    pub fn word_count(&self) -> usize {
        self.trie.word_count()
    }

    /// Approximate heap bytes held (compiled regex programs excluded).
    pub fn heap_bytes(&self) -> usize {
        self.trie.heap_bytes()
            + self.slots.heap_bytes()
            + self.regexes.heap_bytes()
            + (self.spans.capacity() * std::mem::size_of::<Span>())
            + (self.batch_ids.capacity() * 4)
            + self.cache.heap_bytes()
    }

    /// Splits and checks a pattern; returns its whole-string hash.
    fn split_pattern(&mut self, pattern: &str) -> Result<u64, CoreError> {
        let whole = split_words(pattern, self.syntax.separator(), "pattern", &mut self.spans)?;
        if self.syntax == Syntax::Mqtt {
            mqtt::check_filter(pattern, &self.spans)?;
        }
        Ok(whole)
    }
}

/// The trie token for one pattern word.
#[inline]
fn classify(syntax: Syntax, pattern: &str, span: Span) -> Token<'_> {
    let w = word(pattern, span);
    match w {
        "#" => Token::Many,
        _ if w == syntax.one_word() => Token::One,
        _ => Token::Literal(w, span.hash),
    }
}
