//! Maps subscription ids (any `u32`) to dense slots, so that a match can deduplicate ids with a
//! generation-stamped array instead of a hash set.
//!
//! It must never allocate while matching and never keep a slot whose id has no binding left.

use rustc_hash::FxHashMap;

/// Dense slot table with reference counts (one per binding) and per-match "seen" stamps.
#[derive(Debug, Default)]
pub(crate) struct SlotTable {
    by_id: FxHashMap<u32, u32>,
    ids: Vec<u32>,
    refs: Vec<u32>,
    seen: Vec<u32>,
    free: Vec<u32>,
    generation: u32,
}

impl SlotTable {
    /// The slot of `id`, allocating one (with no binding yet) if needed.
    pub(crate) fn slot_for(&mut self, id: u32) -> u32 {
        if let Some(&slot) = self.by_id.get(&id) {
            return slot;
        }
        let slot = match self.free.pop() {
            Some(slot) => {
                self.ids[slot as usize] = id;
                self.refs[slot as usize] = 0;
                self.seen[slot as usize] = 0;
                slot
            }
            None => {
                self.ids.push(id);
                self.refs.push(0);
                self.seen.push(0);
                (self.ids.len() - 1) as u32
            }
        };
        self.by_id.insert(id, slot);
        slot
    }

    /// The slot of `id` if it has one.
    pub(crate) fn find(&self, id: u32) -> Option<u32> {
        self.by_id.get(&id).copied()
    }

    /// Counts one more binding on `slot`.
    pub(crate) fn bind(&mut self, slot: u32) {
        self.refs[slot as usize] += 1;
    }

    /// Counts one binding less on `slot`, freeing it at zero.
    pub(crate) fn unbind(&mut self, slot: u32) {
        let r = &mut self.refs[slot as usize];
        *r = r.saturating_sub(1);
        if *r == 0 {
            self.release(slot);
        }
    }

    /// Frees `slot` if it carries no binding (after a `slot_for` that bound nothing).
    pub(crate) fn release_if_unused(&mut self, slot: u32) {
        if self.refs[slot as usize] == 0 {
            self.release(slot);
        }
    }

    fn release(&mut self, slot: u32) {
        let id = self.ids[slot as usize];
        self.by_id.remove(&id);
        self.free.push(slot);
    }

    /// Starts a new match: every slot becomes unseen.
    #[inline]
    pub(crate) fn begin(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
    }

    /// Marks `slot` seen in this match; returns its id the first time only.
    #[inline]
    pub(crate) fn first_sight(&mut self, slot: u32) -> Option<u32> {
        let s = &mut self.seen[slot as usize];
        if *s == self.generation {
            None
        } else {
            *s = self.generation;
            Some(self.ids[slot as usize])
        }
    }

    /// Forgets every id.
    pub(crate) fn clear(&mut self) {
        *self = SlotTable::default();
    }

    /// Approximate heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.by_id.capacity() * 9
            + (self.ids.capacity() + self.refs.capacity() + self.seen.capacity()) * 4
            + self.free.capacity() * 4
    }
}
