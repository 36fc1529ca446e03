//! Storage for the nodes of the word trie and of the exact-topic table: a vector with a free
//! list, and the `(node, slot)` bindings that sit on nodes.
//!
//! It must never leave a freed node reachable, and never bind the same slot twice on one node.

use rustc_hash::FxHashMap;

/// No node.
pub(crate) const NONE: u32 = u32::MAX;

/// One node: its wildcard children, how many literal children it has (they live in the trie's
/// edge table), and the slots of the subscriptions bound to it.
#[derive(Debug)]
pub(crate) struct Node {
    /// Child for a pattern word matching exactly one word (`*` or `+`).
    pub(crate) one: u32,
    /// Child for a pattern word matching zero or more words (`#`).
    pub(crate) many: u32,
    /// Number of literal children.
    pub(crate) literals: u32,
    /// Slots bound here.
    pub(crate) slots: Vec<u32>,
}

impl Node {
    fn new() -> Self {
        Node {
            one: NONE,
            many: NONE,
            literals: 0,
            slots: Vec::new(),
        }
    }

    /// Whether the node has no child and no binding.
    pub(crate) fn is_empty(&self) -> bool {
        self.one == NONE && self.many == NONE && self.literals == 0 && self.slots.is_empty()
    }
}

#[inline]
pub(crate) fn pair(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// Node storage with reuse of freed nodes.
#[derive(Debug, Default)]
pub(crate) struct NodeArena {
    pub(crate) nodes: Vec<Node>,
    free: Vec<u32>,
    /// `(node, slot)` -> index of the slot in that node's list.
    bindings: FxHashMap<u64, u32>,
}

impl NodeArena {
    /// A fresh empty node.
    pub(crate) fn alloc(&mut self) -> u32 {
        match self.free.pop() {
            Some(id) => id,
            None => {
                self.nodes.push(Node::new());
                (self.nodes.len() - 1) as u32
            }
        }
    }

    /// Returns an empty node to the free list.
    pub(crate) fn release(&mut self, id: u32) {
        let node = &mut self.nodes[id as usize];
        *node = Node {
            slots: if node.slots.capacity() > 4 {
                Vec::new()
            } else {
                std::mem::take(&mut node.slots)
            },
            ..Node::new()
        };
        self.free.push(id);
    }

    /// Binds `slot` on `node`; false if it was already bound there.
    pub(crate) fn bind(&mut self, node: u32, slot: u32) -> bool {
        let key = pair(node, slot);
        if self.bindings.contains_key(&key) {
            return false;
        }
        let slots = &mut self.nodes[node as usize].slots;
        self.bindings.insert(key, slots.len() as u32);
        slots.push(slot);
        true
    }

    /// Unbinds `slot` from `node`; false if it was not bound there.
    pub(crate) fn unbind(&mut self, node: u32, slot: u32) -> bool {
        let Some(index) = self.bindings.remove(&pair(node, slot)) else {
            return false;
        };
        let slots = &mut self.nodes[node as usize].slots;
        let index = index as usize;
        slots.swap_remove(index);
        if let Some(&moved) = slots.get(index) {
            self.bindings.insert(pair(node, moved), index as u32);
        }
        true
    }

    /// Number of live nodes.
    pub(crate) fn live(&self) -> usize {
        self.nodes.len() - self.free.len()
    }

    /// Approximate heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        let slot_lists: usize = self.nodes.iter().map(|n| n.slots.capacity() * 4).sum();
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + slot_lists
            + self.free.capacity() * 4
            + self.bindings.capacity() * (8 + 4 + 1)
    }
}
