//! Matching many topics in one call, writing ids into caller-owned memory (the shape a reused
//! `Uint32Array` on the JavaScript side wants).
//!
//! It must never write past the caller's buffers, never split one topic's ids across two calls,
//! and never fail a whole batch for one bad topic (that topic's count is [`INVALID_TOPIC`]).

use super::TopicMatcher;

/// Count written for a topic that was refused (bad syntax or over a limit).
pub const INVALID_TOPIC: u32 = u32::MAX;

/// What one batch call did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Topics processed: `counts_out[..topics]` is written.
    pub topics: usize,
    /// Ids written: `ids_out[..ids]`, topic after topic.
    pub ids: usize,
    /// Processed topics that were refused (their count is [`INVALID_TOPIC`]).
    pub invalid: usize,
    /// For the joined forms: bytes of input consumed (where the next call starts).
    pub consumed: usize,
    /// When the call stopped because `ids_out` was full: how many ids the next topic needs
    /// (more than `ids_out.len()` means the buffer must grow). Zero otherwise.
    pub next_needs: usize,
}

impl TopicMatcher {
    /// Matches each topic of `topics`, writing its ids to `ids_out` (topic after topic) and its
    /// number of ids to `counts_out`. Stops early when either buffer is full; see
    /// [`BatchOutcome`].
    pub fn match_batch(
        &mut self,
        topics: &[&str],
        ids_out: &mut [u32],
        counts_out: &mut [u32],
    ) -> BatchOutcome {
        let mut it = topics.iter().map(|&t| (Some(t), 0));
        self.run_batch(&mut it, ids_out, counts_out)
    }

    /// Like [`Self::match_batch`] over topics joined in one string, each followed by `'\n'`
    /// (the last `'\n'` may be left out; the empty string is no topic, `"\n"` is one empty
    /// topic). Topics cannot hold `'\n'` (control characters are refused).
    pub fn match_batch_joined(
        &mut self,
        joined: &str,
        ids_out: &mut [u32],
        counts_out: &mut [u32],
    ) -> BatchOutcome {
        // Lines end at an ASCII byte, so each is a `&str` slice already: no UTF-8 check needed.
        let mut it = Lines::new(joined.as_bytes())
            .map(|(start, end, consumed)| (joined.get(start..end), consumed));
        self.run_batch(&mut it, ids_out, counts_out)
    }

    /// Like [`Self::match_batch_joined`] over bytes; a topic that is not UTF-8 is refused.
    pub fn match_batch_joined_bytes(
        &mut self,
        joined: &[u8],
        ids_out: &mut [u32],
        counts_out: &mut [u32],
    ) -> BatchOutcome {
        let mut it = Lines::new(joined).map(|(start, end, consumed)| {
            (std::str::from_utf8(&joined[start..end]).ok(), consumed)
        });
        self.run_batch(&mut it, ids_out, counts_out)
    }

    /// Matches every topic, appending ids to `ids` and one count per topic to `counts`
    /// ([`INVALID_TOPIC`] for a refused topic); returns the number of refused topics.
    pub fn match_batch_into(
        &mut self,
        topics: &[&str],
        ids: &mut Vec<u32>,
        counts: &mut Vec<u32>,
    ) -> usize {
        let mut invalid = 0;
        for topic in topics {
            match self.match_into(topic, ids) {
                Ok(n) => counts.push(n as u32),
                Err(_) => {
                    invalid += 1;
                    counts.push(INVALID_TOPIC);
                }
            }
        }
        invalid
    }

    fn run_batch(
        &mut self,
        topics: &mut dyn Iterator<Item = (Option<&str>, usize)>,
        ids_out: &mut [u32],
        counts_out: &mut [u32],
    ) -> BatchOutcome {
        let mut outcome = BatchOutcome::default();
        let mut scratch = std::mem::take(&mut self.batch_ids);
        while outcome.topics < counts_out.len() {
            let Some((topic, consumed)) = topics.next() else {
                break;
            };
            scratch.clear();
            let count = match topic.map(|t| self.match_into(t, &mut scratch)) {
                Some(Ok(n)) => n,
                _ => {
                    counts_out[outcome.topics] = INVALID_TOPIC;
                    outcome.invalid += 1;
                    outcome.topics += 1;
                    outcome.consumed = consumed;
                    continue;
                }
            };
            let Some(dest) = ids_out.get_mut(outcome.ids..outcome.ids + count) else {
                outcome.next_needs = count;
                break;
            };
            dest.copy_from_slice(&scratch);
            counts_out[outcome.topics] = count as u32;
            outcome.ids += count;
            outcome.topics += 1;
            outcome.consumed = consumed;
        }
        self.batch_ids = scratch;
        outcome
    }
}

/// Splits bytes into `'\n'`-terminated lines, yielding each as `(start, end)` with the offset
/// just past it.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines { bytes, pos: 0 }
    }
}

impl Iterator for Lines<'_> {
    type Item = (usize, usize, usize);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.bytes.get(self.pos..).filter(|r| !r.is_empty())?;
        let start = self.pos;
        let (end, advance) = match memchr::memchr(b'\n', rest) {
            Some(len) => (start + len, len + 1),
            None => (start + rest.len(), rest.len()),
        };
        self.pos += advance;
        Some((start, end, self.pos))
    }
}
