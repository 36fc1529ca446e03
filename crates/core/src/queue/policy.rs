//! Overflow policies of a bounded queue and their names as configuration spells them.

use crate::CoreError;

/// What a push does when the queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Overflow {
    /// Refuse the message: the caller gets `QueueFull` and the refusal is counted.
    Reject,
    /// Accept the call but discard the new message (counted as dropped).
    DropNewest,
    /// Evict the oldest queued message to make room (counted as dropped).
    DropOldest,
    /// Refuse the message without counting it: the caller waits for room and tries again.
    Block,
}

impl Overflow {
    /// Every policy, in the order configuration documents them.
    pub const ALL: [Overflow; 4] = [
        Overflow::Reject,
        Overflow::DropNewest,
        Overflow::DropOldest,
        Overflow::Block,
    ];

    /// The configuration name: `reject`, `drop_newest`, `drop_oldest` or `block`.
    pub fn name(self) -> &'static str {
        match self {
            Overflow::Reject => "reject",
            Overflow::DropNewest => "drop_newest",
            Overflow::DropOldest => "drop_oldest",
            Overflow::Block => "block",
        }
    }

    /// Parses a configuration name; `InvalidArgument` lists the known names.
    pub fn parse(name: &str) -> Result<Overflow, CoreError> {
        Overflow::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                CoreError::InvalidArgument(format!(
                    "unknown overflow policy {name:?} (expected one of: reject, drop_newest, drop_oldest, block)"
                ))
            })
    }
}
