//! An optional cache of match results keyed by topic: two-way set-associative, bounded, and
//! invalidated in O(1) by a generation number whenever a binding changes.
//!
//! It must never return a result computed before the latest change of bindings, never grow past
//! its capacity, and never allocate once its entries' buffers have grown. Only topics that were
//! matched successfully are stored, so a hit needs no validation.

use super::hash::{hash_word, same};

/// Largest number of ids a cached result may hold; bigger results are not cached.
pub const MAX_CACHED_IDS: usize = 256;
/// Largest cache, in entries.
pub const MAX_CACHE_ENTRIES: usize = 1 << 16;

#[derive(Debug, Default)]
struct Entry {
    /// Generation the entry was filled in; 0 means empty.
    generation: u64,
    hash: u64,
    /// When the entry was last filled (for replacing the older of a pair).
    stamp: u64,
    topic: String,
    ids: Vec<u32>,
}

/// Two-way set-associative topic -> ids cache (a topic may sit in either entry of its pair).
#[derive(Debug)]
pub(crate) struct MatchCache {
    entries: Vec<Entry>,
    generation: u64,
    clock: u64,
}

impl Default for MatchCache {
    fn default() -> Self {
        MatchCache {
            entries: Vec::new(),
            generation: 1,
            clock: 0,
        }
    }
}

impl MatchCache {
    /// Resizes to `entries` (rounded up to a power of two, at most [`MAX_CACHE_ENTRIES`]);
    /// 0 disables the cache. Drops every cached result.
    pub(crate) fn set_capacity(&mut self, entries: usize) {
        let n = if entries == 0 {
            0
        } else {
            entries.clamp(2, MAX_CACHE_ENTRIES).next_power_of_two()
        };
        self.entries = (0..n).map(|_| Entry::default()).collect();
        self.invalidate();
    }

    /// Number of entries (0 when disabled).
    pub(crate) fn capacity(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache is on.
    #[inline]
    pub(crate) fn enabled(&self) -> bool {
        !self.entries.is_empty()
    }

    /// Forgets every cached result.
    #[inline]
    pub(crate) fn invalidate(&mut self) {
        self.generation += 1;
    }

    /// Hash of a topic, for [`Self::get`] and [`Self::put`].
    #[inline]
    pub(crate) fn hash(topic: &str) -> u64 {
        hash_word(topic.as_bytes())
    }

    /// The cached ids of `topic`, if any.
    #[inline]
    pub(crate) fn get(&self, topic: &str, hash: u64) -> Option<&[u32]> {
        let first = self.index(hash);
        [first, first ^ 1].into_iter().find_map(|i| {
            let entry = &self.entries[i];
            (entry.generation == self.generation
                && entry.hash == hash
                && same(entry.topic.as_bytes(), topic.as_bytes()))
            .then_some(entry.ids.as_slice())
        })
    }

    /// Stores the ids of `topic`, replacing whatever shared its entry.
    #[inline]
    pub(crate) fn put(&mut self, topic: &str, hash: u64, ids: &[u32]) {
        if ids.len() > MAX_CACHED_IDS {
            return;
        }
        let first = self.index(hash);
        let generation = self.generation;
        // Prefer an entry not filled in this generation; otherwise replace the older of the pair.
        let index = if self.entries[first].generation != generation {
            first
        } else if self.entries[first ^ 1].generation != generation {
            first ^ 1
        } else if self.entries[first].stamp <= self.entries[first ^ 1].stamp {
            first
        } else {
            first ^ 1
        };
        self.clock += 1;
        let stamp = self.clock;
        let entry = &mut self.entries[index];
        entry.stamp = stamp;
        entry.generation = generation;
        entry.hash = hash;
        entry.topic.clear();
        entry.topic.push_str(topic);
        entry.ids.clear();
        entry.ids.extend_from_slice(ids);
    }

    /// Approximate heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.entries
            .iter()
            .map(|e| std::mem::size_of::<Entry>() + e.topic.capacity() + e.ids.capacity() * 4)
            .sum()
    }

    #[inline]
    fn index(&self, hash: u64) -> usize {
        (hash as usize) & (self.entries.len() - 1)
    }
}
