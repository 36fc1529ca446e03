//! MQTT 3.1.1 rules on top of the shared word trie: which filters and topic names are valid, and
//! the `$` rule (a wildcard at the first level never matches a topic starting with `$`).
//!
//! It only validates; it must never accept a filter the MQTT 3.1.1 specification forbids
//! (`+` or `#` inside a level, `#` before the last level, the empty string).

use super::topic::{word, Span};
use crate::CoreError;

/// Checks a topic filter already split into level `spans`.
pub(crate) fn check_filter(filter: &str, spans: &[Span]) -> Result<(), CoreError> {
    if filter.is_empty() {
        return Err(invalid("an MQTT topic filter must not be empty"));
    }
    let last = spans.len().saturating_sub(1);
    for (i, &r) in spans.iter().enumerate() {
        let level = word(filter, r);
        let wild = level.bytes().any(|b| b == b'+' || b == b'#');
        if wild && level.len() != 1 {
            return Err(invalid(&format!(
                "MQTT topic filter {filter:?}: a wildcard must fill a whole level ({level:?})"
            )));
        }
        if level == "#" && i != last {
            return Err(invalid(&format!(
                "MQTT topic filter {filter:?}: '#' is allowed only as the last level"
            )));
        }
    }
    Ok(())
}

/// Checks a topic name (what is published to).
pub(crate) fn check_topic(topic: &str) -> Result<(), CoreError> {
    if topic.is_empty() {
        return Err(invalid("an MQTT topic name must not be empty"));
    }
    if topic.bytes().any(|b| b == b'+' || b == b'#') {
        return Err(invalid(&format!(
            "MQTT topic name {topic:?} must not hold '+' or '#'"
        )));
    }
    Ok(())
}

/// Whether wildcards at the first level must be kept away from `topic`.
#[inline]
pub(crate) fn guards_first_level(topic: &str) -> bool {
    topic.as_bytes().first() == Some(&b'$')
}

fn invalid(message: &str) -> CoreError {
    CoreError::InvalidArgument(message.to_string())
}
