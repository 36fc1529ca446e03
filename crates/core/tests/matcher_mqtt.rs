//! MQTT 3.1.1 syntax: `/` levels, `+` one level, `#` last level only (matching the parent level
//! too), the `$` rule, and every filter or topic name the specification forbids.

use messaging_core::matcher::{Syntax, TopicMatcher};
use messaging_core::CoreError;

fn hits(filter: &str, topic: &str) -> bool {
    let mut m = TopicMatcher::with_syntax(Syntax::Mqtt);
    m.add(filter, 1).unwrap();
    !m.matches(topic).unwrap().is_empty()
}

#[test]
fn the_specification_examples_hold() {
    assert!(hits("sport/tennis/player1/#", "sport/tennis/player1"));
    assert!(hits(
        "sport/tennis/player1/#",
        "sport/tennis/player1/ranking"
    ));
    assert!(hits(
        "sport/tennis/player1/#",
        "sport/tennis/player1/score/wimbledon"
    ));
    assert!(hits("sport/#", "sport"));
    assert!(hits("#", "sport/tennis"));
    assert!(hits("sport/tennis/+", "sport/tennis/player1"));
    assert!(!hits("sport/tennis/+", "sport/tennis/player1/ranking"));
    assert!(hits("sport/+", "sport/"));
    assert!(!hits("sport/+", "sport"));
    assert!(hits("+/+", "/finance"));
    assert!(hits("/+", "/finance"));
    assert!(!hits("+", "/finance"));
    assert!(hits("+", "finance"));
    assert!(hits("sport/#", "sport/"));
}

#[test]
fn wildcards_at_the_first_level_do_not_match_dollar_topics() {
    assert!(!hits("#", "$SYS/broker/load"));
    assert!(!hits("+/broker/load", "$SYS/broker/load"));
    assert!(!hits("+/#", "$SYS"));
    assert!(hits("$SYS/#", "$SYS/broker/load"));
    assert!(hits("$SYS/+/load", "$SYS/broker/load"));
    assert!(hits("$SYS", "$SYS"));
    assert!(hits("a/+", "a/$b"));
    assert!(hits("a/#", "a/$b"));
}

#[test]
fn dots_and_stars_are_literal_in_mqtt() {
    assert!(hits("a.b/*", "a.b/*"));
    assert!(!hits("a.b/*", "a.b/c"));
}

fn refused(result: Result<impl Sized, CoreError>) -> bool {
    matches!(result, Err(CoreError::InvalidArgument(_)))
}

#[test]
fn forbidden_filters_are_refused() {
    let mut m = TopicMatcher::with_syntax(Syntax::Mqtt);
    for bad in [
        "",
        "sport/tennis#",
        "sport/tennis/#/ranking",
        "sport+",
        "a/+b",
        "#/a",
        "a/b#/c",
        "++",
    ] {
        assert!(refused(m.add(bad, 1)), "{bad:?}");
        assert!(refused(m.remove(bad, 1)), "{bad:?}");
        assert!(refused(m.check_pattern(bad)), "{bad:?}");
    }
    assert!(m.is_empty());
    assert_eq!(m.node_count(), 1);
}

#[test]
fn forbidden_topic_names_are_refused() {
    let mut m = TopicMatcher::with_syntax(Syntax::Mqtt);
    m.add("#", 1).unwrap();
    let mut out = Vec::new();
    for bad in ["", "a/+", "a/#", "#", "+", "a\u{0}b"] {
        assert!(refused(m.match_into(bad, &mut out)), "{bad:?}");
        assert!(refused(m.check_topic(bad)), "{bad:?}");
    }
    assert!(out.is_empty());
}
