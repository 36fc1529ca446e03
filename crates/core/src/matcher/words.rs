//! Interns the literal words of wildcard patterns as small integers, so that trie edges are keyed
//! by `(node, word id)` and each topic word is looked up once per match, by the hash computed
//! while splitting.
//!
//! It must never keep a word that no trie edge uses (reference counts free them), so churn with
//! ever-new words does not grow memory.

use hashbrown::HashTable;

use super::hash::same;

/// Marks a topic word that no pattern uses.
pub(crate) const UNKNOWN_WORD: u32 = u32::MAX;

/// Reference-counted word interner.
#[derive(Debug, Default)]
pub(crate) struct WordTable {
    table: HashTable<u32>,
    names: Vec<Box<str>>,
    hashes: Vec<u64>,
    refs: Vec<u32>,
    free: Vec<u32>,
}

impl WordTable {
    /// The id of `word` (whose hash is `hash`), or [`UNKNOWN_WORD`].
    #[inline]
    pub(crate) fn get(&self, word: &[u8], hash: u64) -> u32 {
        let names = &self.names;
        self.table
            .find(hash, |&id| same(names[id as usize].as_bytes(), word))
            .copied()
            .unwrap_or(UNKNOWN_WORD)
    }

    /// The id of `word`, interning it, with one more reference.
    pub(crate) fn acquire(&mut self, word: &str, hash: u64) -> u32 {
        let known = self.get(word.as_bytes(), hash);
        if known != UNKNOWN_WORD {
            self.refs[known as usize] += 1;
            return known;
        }
        let id = match self.free.pop() {
            Some(id) => {
                self.names[id as usize] = word.into();
                self.hashes[id as usize] = hash;
                self.refs[id as usize] = 1;
                id
            }
            None => {
                self.names.push(word.into());
                self.hashes.push(hash);
                self.refs.push(1);
                (self.names.len() - 1) as u32
            }
        };
        let hashes = &self.hashes;
        self.table
            .insert_unique(hash, id, |&other| hashes[other as usize]);
        id
    }

    /// Drops one reference to `id`, forgetting the word at zero.
    pub(crate) fn release(&mut self, id: u32) {
        let r = &mut self.refs[id as usize];
        *r = r.saturating_sub(1);
        if *r == 0 {
            if let Ok(entry) = self
                .table
                .find_entry(self.hashes[id as usize], |&other| other == id)
            {
                entry.remove();
            }
            self.names[id as usize] = Box::default();
            self.free.push(id);
        }
    }

    /// Number of distinct words held.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// Approximate heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        let text: usize = self.names.iter().map(|n| n.len()).sum();
        self.table.capacity() * (4 + 1)
            + self.names.capacity() * 16
            + text
            + self.hashes.capacity() * 8
            + (self.refs.capacity() + self.free.capacity()) * 4
    }
}
