//! Regex subscriptions: anchored to the whole topic, deduplicated with trie matches, refused over
//! the size limits, and unable to break out of their anchoring.

use messaging_core::matcher::{Syntax, TopicMatcher, MAX_REGEX_BYTES, MAX_REGEX_PATTERNS};
use messaging_core::CoreError;

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v
}

#[test]
fn a_regex_must_match_the_whole_topic() {
    let mut m = TopicMatcher::new();
    m.add_regex(r"user\.[0-9]+\.created", 1).unwrap();
    m.add_regex("a|ab", 2).unwrap();
    assert_eq!(m.matches("user.42.created").unwrap(), vec![1]);
    assert!(m.matches("x.user.42.created").unwrap().is_empty());
    assert!(m.matches("user.42.created.x").unwrap().is_empty());
    assert_eq!(m.matches("ab").unwrap(), vec![2]);
    assert_eq!(m.matches("a").unwrap(), vec![2]);
    assert!(m.matches("abc").unwrap().is_empty());
}

#[test]
fn ids_are_reported_once_across_trie_and_regex() {
    let mut m = TopicMatcher::new();
    m.add("user.*.created", 1).unwrap();
    m.add_regex(r"user\..*", 1).unwrap();
    m.add_regex(r"user\..*", 2).unwrap();
    m.add_regex(r"user\..*", 2).unwrap();
    assert_eq!(m.len(), 3);
    assert_eq!(sorted(m.matches("user.7.created").unwrap()), vec![1, 2]);
    assert!(m.remove_regex(r"user\..*", 2).unwrap());
    assert!(!m.remove_regex(r"user\..*", 2).unwrap());
    assert!(!m.remove_regex("(", 2).unwrap());
    assert_eq!(m.matches("user.7.created").unwrap(), vec![1]);
    assert!(m.remove("user.*.created", 1).unwrap());
    assert_eq!(m.matches("user.7.created").unwrap(), vec![1]);
    assert!(m.remove_regex(r"user\..*", 1).unwrap());
    assert!(m.is_empty());
    assert!(m.matches("user.7.created").unwrap().is_empty());
}

#[test]
fn regexes_work_with_mqtt_and_see_dollar_topics() {
    let mut m = TopicMatcher::with_syntax(Syntax::Mqtt);
    m.add_regex(r"\$SYS/.*", 3).unwrap();
    assert_eq!(m.matches("$SYS/load").unwrap(), vec![3]);
}

fn refused(result: Result<(), CoreError>) -> bool {
    matches!(result, Err(CoreError::InvalidArgument(_)))
}

#[test]
fn bad_or_oversized_regexes_are_refused() {
    let mut m = TopicMatcher::new();
    assert!(refused(m.add_regex("(", 1)));
    assert!(refused(m.add_regex("a)|(b", 1)));
    assert!(refused(m.add_regex("a\nb", 1)));
    assert!(refused(m.add_regex("(?x)a#", 1)));
    assert!(refused(m.add_regex(&"a".repeat(MAX_REGEX_BYTES + 1), 1)));
    // Compiles to far more than the size limit.
    assert!(refused(m.add_regex(r"\w{1000}\w{1000}", 1)));
    assert!(refused(
        m.add_regex(
            &"(".repeat(100)
                .to_string()
                .chars()
                .chain(")".repeat(100).chars())
                .collect::<String>(),
            1
        )
    ));
    assert!(m.is_empty());
    assert!(m.matches("a").unwrap().is_empty());
}

#[test]
fn a_pathological_regex_stays_linear() {
    let mut m = TopicMatcher::new();
    m.add_regex("(a|a)*(a|a)*(a|a)*b", 1).unwrap();
    m.add_regex("(a*)*b", 2).unwrap();
    let topic = "a".repeat(255);
    let started = std::time::Instant::now();
    for _ in 0..100 {
        assert!(m.matches(&topic).unwrap().is_empty());
    }
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn the_number_of_distinct_regexes_is_capped() {
    let mut m = TopicMatcher::new();
    for i in 0..MAX_REGEX_PATTERNS {
        m.add_regex(&format!("r{i}"), i as u32).unwrap();
    }
    assert!(refused(m.add_regex("one-too-many", 1)));
    m.add_regex("r0", 99_999).unwrap();
    assert_eq!(sorted(m.matches("r0").unwrap()), vec![0, 99_999]);
}
