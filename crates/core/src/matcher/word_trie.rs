//! Where patterns live. A pattern without wildcards goes to an exact table keyed by the whole
//! pattern string (it matches a topic exactly when the strings are equal); a pattern with
//! wildcards goes into a trie over words: literal children keyed by `(node, word id)` in one hash
//! table, plus one "exactly one word" child and one "zero or more words" child per node.
//!
//! Matching visits each `(node, position)` state at most once, so it runs in polynomial time
//! whatever the patterns (`#.#.#.#.a` included) and never recurses; it must never allocate in
//! steady state (scratch buffers live here) and never leave an empty node behind after a remove.

use hashbrown::HashTable;
use rustc_hash::FxHashMap;

use super::arena::{pair, NodeArena, NONE};
use super::hash::same;
use super::topic::{word_bytes, Span, Token};
use super::words::{WordTable, UNKNOWN_WORD};

const ROOT: u32 = 0;
/// A topic word not looked up yet in this match.
const PENDING: u32 = UNKNOWN_WORD - 1;

#[derive(Clone, Copy, Debug)]
enum Edge {
    Literal(u32),
    One,
    Many,
}

/// An entry of the exact table: a whole pattern, its hash and the node holding its slots.
#[derive(Debug)]
struct Exact {
    hash: u64,
    node: u32,
    text: Box<str>,
}

#[derive(Clone, Copy, Debug)]
struct Step {
    parent: u32,
    edge: Edge,
    child: u32,
}

/// The pattern store: exact table plus word trie, holding `(pattern, slot)` bindings.
#[derive(Debug)]
pub(crate) struct WordTrie {
    arena: NodeArena,
    /// Patterns without wildcards, by whole-string hash.
    exact: HashTable<Exact>,
    /// `(node, word id)` -> child node.
    edges: FxHashMap<u64, u32>,
    words: WordTable,
    /// Per node, for `#` nodes: (generation, lowest position already expanded in this match).
    many_seen: Vec<(u32, u32)>,
    generation: u32,
    stack: Vec<(u32, u32)>,
    topic_words: Vec<u32>,
    path: Vec<Step>,
}

impl Default for WordTrie {
    fn default() -> Self {
        let mut arena = NodeArena::default();
        let root = arena.alloc();
        debug_assert_eq!(root, ROOT);
        WordTrie {
            arena,
            exact: HashTable::new(),
            edges: FxHashMap::default(),
            words: WordTable::default(),
            many_seen: Vec::new(),
            generation: 0,
            stack: Vec::new(),
            topic_words: Vec::new(),
            path: Vec::new(),
        }
    }
}

/// Whether a pattern spelled by `tokens` has a wildcard word.
fn has_wildcard<'a>(mut tokens: impl Iterator<Item = Token<'a>>) -> bool {
    tokens.any(|t| !matches!(t, Token::Literal(..)))
}

impl WordTrie {
    /// Binds `slot` to `pattern` (whole-string hash `whole`, spelled by `tokens`); false if that
    /// binding already existed.
    pub(crate) fn insert<'a, I>(&mut self, pattern: &str, whole: u64, tokens: I, slot: u32) -> bool
    where
        I: Iterator<Item = Token<'a>> + Clone,
    {
        if !has_wildcard(tokens.clone()) {
            let node = match self.exact_node(pattern, whole) {
                NONE => {
                    let node = self.arena.alloc();
                    let entry = Exact {
                        hash: whole,
                        node,
                        text: pattern.into(),
                    };
                    self.exact.insert_unique(whole, entry, |e| e.hash);
                    node
                }
                node => node,
            };
            return self.arena.bind(node, slot);
        }
        let mut node = ROOT;
        for token in tokens {
            node = match token {
                Token::Literal(w, hash) => {
                    let known = self.words.get(w.as_bytes(), hash);
                    match self.edges.get(&pair(node, known)) {
                        Some(&child) if known != UNKNOWN_WORD => child,
                        _ => {
                            let wid = self.words.acquire(w, hash);
                            let child = self.arena.alloc();
                            self.edges.insert(pair(node, wid), child);
                            self.arena.nodes[node as usize].literals += 1;
                            child
                        }
                    }
                }
                Token::One => match self.arena.nodes[node as usize].one {
                    NONE => {
                        let child = self.arena.alloc();
                        self.arena.nodes[node as usize].one = child;
                        child
                    }
                    child => child,
                },
                Token::Many => match self.arena.nodes[node as usize].many {
                    NONE => {
                        let child = self.arena.alloc();
                        self.arena.nodes[node as usize].many = child;
                        if self.many_seen.len() <= child as usize {
                            self.many_seen.resize(child as usize + 1, (0, 0));
                        }
                        self.many_seen[child as usize] = (0, 0);
                        child
                    }
                    child => child,
                },
            };
        }
        self.arena.bind(node, slot)
    }

    /// Unbinds `slot` from `pattern` (whole-string hash `whole`, spelled by `tokens`), pruning
    /// nodes left empty; false if there was no such binding.
    pub(crate) fn remove<'a, I>(&mut self, pattern: &str, whole: u64, tokens: I, slot: u32) -> bool
    where
        I: Iterator<Item = Token<'a>> + Clone,
    {
        if !has_wildcard(tokens.clone()) {
            let node = self.exact_node(pattern, whole);
            if node == NONE || !self.arena.unbind(node, slot) {
                return false;
            }
            if self.arena.nodes[node as usize].is_empty() {
                if let Ok(entry) = self.exact.find_entry(whole, |e| e.node == node) {
                    entry.remove();
                }
                self.arena.release(node);
            }
            return true;
        }
        self.path.clear();
        let mut node = ROOT;
        for token in tokens {
            let current = &self.arena.nodes[node as usize];
            let (edge, child) = match token {
                Token::Literal(w, hash) => {
                    let wid = self.words.get(w.as_bytes(), hash);
                    match self.edges.get(&pair(node, wid)) {
                        Some(&child) if wid != UNKNOWN_WORD => (Edge::Literal(wid), child),
                        _ => return false,
                    }
                }
                Token::One => (Edge::One, current.one),
                Token::Many => (Edge::Many, current.many),
            };
            if child == NONE {
                return false;
            }
            self.path.push(Step {
                parent: node,
                edge,
                child,
            });
            node = child;
        }
        if !self.arena.unbind(node, slot) {
            return false;
        }
        while let Some(step) = self.path.pop() {
            if !self.arena.nodes[step.child as usize].is_empty() {
                break;
            }
            self.detach(step);
        }
        true
    }

    /// Calls `emit` with the slot of every binding whose pattern matches `topic` (whole-string
    /// hash `whole`, words `spans`); a slot may come more than once, the caller deduplicates.
    /// With `guard_first`, wildcards at the first level do not match (the MQTT rule for `$`
    /// topics).
    pub(crate) fn for_each_match(
        &mut self,
        topic: &str,
        whole: u64,
        spans: &[Span],
        guard_first: bool,
        mut emit: impl FnMut(u32),
    ) {
        let exact = self.exact_node(topic, whole);
        if exact != NONE {
            self.arena.nodes[exact as usize]
                .slots
                .iter()
                .for_each(|&s| emit(s));
        }
        let root = &self.arena.nodes[ROOT as usize];
        if root.is_empty() {
            return;
        }
        self.begin();
        let generation = self.generation;
        let WordTrie {
            arena,
            edges,
            words,
            many_seen,
            stack,
            topic_words,
            ..
        } = self;
        let nodes = &arena.nodes;
        topic_words.clear();
        topic_words.resize(spans.len(), PENDING);
        let n = spans.len() as u32;
        stack.clear();
        stack.push((ROOT, 0));
        while let Some((node, i)) = stack.pop() {
            let current = &nodes[node as usize];
            let wild = !(guard_first && node == ROOT);
            if i == n {
                current.slots.iter().for_each(|&s| emit(s));
            } else {
                if current.literals != 0 {
                    let at = i as usize;
                    let mut wid = topic_words[at];
                    if wid == PENDING {
                        let span = spans[at];
                        wid = words.get(word_bytes(topic, span), span.hash);
                        topic_words[at] = wid;
                    }
                    if wid != UNKNOWN_WORD {
                        if let Some(&child) = edges.get(&pair(node, wid)) {
                            stack.push((child, i + 1));
                        }
                    }
                }
                if current.one != NONE && wild {
                    stack.push((current.one, i + 1));
                }
            }
            if current.many != NONE && wild {
                // A `#` node reached at position i is also reached at every later position;
                // expand only the positions below the lowest one already expanded.
                let seen = &mut many_seen[current.many as usize];
                let low = if seen.0 == generation { seen.1 } else { n + 1 };
                if i < low {
                    *seen = (generation, i);
                    stack.extend((i..low).map(|j| (current.many, j)));
                }
            }
        }
    }

    /// Drops every binding.
    pub(crate) fn clear(&mut self) {
        *self = WordTrie::default();
    }

    /// Number of nodes (trie nodes, the root included, plus one per exact pattern).
    pub(crate) fn node_count(&self) -> usize {
        self.arena.live()
    }

    /// Number of distinct literal words the trie holds.
    pub(crate) fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Approximate heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        let exact_text: usize = self.exact.iter().map(|e| e.text.len()).sum();
        self.arena.heap_bytes()
            + self.exact.capacity() * (std::mem::size_of::<Exact>() + 1)
            + exact_text
            + self.edges.capacity() * (8 + 4 + 1)
            + self.many_seen.capacity() * 8
            + self.words.heap_bytes()
            + self.stack.capacity() * 8
    }

    /// The node of the exact pattern equal to `text`, or [`NONE`].
    #[inline]
    fn exact_node(&self, text: &str, whole: u64) -> u32 {
        self.exact
            .find(whole, |e| {
                e.hash == whole && same(e.text.as_bytes(), text.as_bytes())
            })
            .map_or(NONE, |e| e.node)
    }

    fn begin(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.many_seen.iter_mut().for_each(|s| *s = (0, 0));
            self.generation = 1;
        }
    }

    fn detach(&mut self, step: Step) {
        let parent = &mut self.arena.nodes[step.parent as usize];
        match step.edge {
            Edge::Literal(wid) => {
                parent.literals -= 1;
                self.edges.remove(&pair(step.parent, wid));
                self.words.release(wid);
            }
            Edge::One => parent.one = NONE,
            Edge::Many => parent.many = NONE,
        }
        self.arena.release(step.child);
    }
}
