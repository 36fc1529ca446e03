//! Every invalid input is an `InvalidArgument`, never a panic, and leaves the matcher unchanged.

use messaging_core::matcher::{Syntax, TopicMatcher, MAX_TOPIC_BYTES, MAX_WORDS};
use messaging_core::CoreError;

fn refused<T: std::fmt::Debug>(result: Result<T, CoreError>) -> bool {
    matches!(result, Err(CoreError::InvalidArgument(_)))
}

fn bad_inputs() -> Vec<String> {
    vec![
        "a".repeat(MAX_TOPIC_BYTES + 1),
        ".".repeat(MAX_WORDS),
        "a.b\n".to_string(),
        "\u{0}".to_string(),
        "a\tb".to_string(),
        "del\u{7f}".to_string(),
        "é".repeat(MAX_TOPIC_BYTES / 2 + 1),
    ]
}

#[test]
fn limits_and_control_characters_are_refused_everywhere() {
    for syntax in [Syntax::Amqp, Syntax::Mqtt] {
        let mut m = TopicMatcher::with_syntax(syntax);
        m.add("#", 1).unwrap();
        let mut out = Vec::new();
        for bad in bad_inputs() {
            let bad = if syntax == Syntax::Mqtt {
                bad.replace('.', "/")
            } else {
                bad
            };
            assert!(refused(m.add(&bad, 2)), "{bad:?}");
            assert!(refused(m.remove(&bad, 1)), "{bad:?}");
            assert!(refused(m.match_into(&bad, &mut out)), "{bad:?}");
            assert!(refused(m.check_topic(&bad)), "{bad:?}");
            assert!(refused(m.check_pattern(&bad)), "{bad:?}");
        }
        assert!(out.is_empty());
        assert_eq!(m.len(), 1);
    }
}

#[test]
fn the_limits_themselves_are_accepted() {
    let mut m = TopicMatcher::new();
    let longest = "a".repeat(MAX_TOPIC_BYTES);
    let most_words = vec!["w"; MAX_WORDS].join(".");
    m.add(&longest, 1).unwrap();
    m.add(&most_words, 2).unwrap();
    m.add(&vec!["#"; MAX_WORDS].join("."), 3).unwrap();
    assert_eq!(m.matches(&longest).unwrap().len(), 2);
    let mut got = m.matches(&most_words).unwrap();
    got.sort_unstable();
    assert_eq!(got, vec![2, 3]);
}

#[test]
fn unicode_words_are_literal_bytes() {
    let mut m = TopicMatcher::new();
    m.add("ünï.*.😀", 1).unwrap();
    assert_eq!(m.matches("ünï.x.😀").unwrap(), vec![1]);
    assert!(m.matches("uni.x.😀").unwrap().is_empty());
}

#[test]
fn removing_what_was_never_added_is_false() {
    let mut m = TopicMatcher::new();
    assert!(!m.remove("a.b", 1).unwrap());
    m.add("a.b", 1).unwrap();
    assert!(!m.remove("a.b", 2).unwrap());
    assert!(!m.remove("a.*", 1).unwrap());
    assert!(!m.remove("a", 1).unwrap());
    assert!(!m.remove("a.b.c", 1).unwrap());
    assert!(!m.remove("a.#", 1).unwrap());
    assert_eq!(m.len(), 1);
}
