//! The RabbitMQ topic-exchange test cases (bindings t1..t26, their routing keys, then the same
//! keys after five removals) and the semantics table of DESIGN.md, written from the documented
//! semantics.

use messaging_core::matcher::{reference, Syntax, TopicMatcher};

const BINDINGS: [&str; 26] = [
    "a.b.c",
    "a.*.c",
    "a.#.b",
    "a.b.b.c",
    "#",
    "#.#",
    "#.b",
    "*.*",
    "a.*",
    "*.b.c",
    "a.#",
    "a.#.#",
    "b.b.c",
    "a.b.b",
    "a.b",
    "b.c",
    "",
    "*.*.*",
    "vodka.martini",
    "a.b.c",
    "*.#",
    "#.*.#",
    "*.#.#",
    "#.#.#",
    "*",
    "#.b.#",
];

fn check(m: &mut TopicMatcher, cases: &[(&str, &[u32])]) {
    for &(key, expected) in cases {
        let mut got = m.matches(key).unwrap();
        got.sort_unstable();
        assert_eq!(got, expected, "key {key:?}");
    }
}

fn loaded() -> TopicMatcher {
    let mut m = TopicMatcher::new();
    for (i, p) in BINDINGS.iter().enumerate() {
        m.add(p, i as u32 + 1).unwrap();
    }
    m
}

#[test]
fn bindings_t1_to_t26() {
    let mut m = loaded();
    assert_eq!(m.len(), 26);
    check(
        &mut m,
        &[
            (
                "a.b.c",
                &[1, 2, 5, 6, 10, 11, 12, 18, 20, 21, 22, 23, 24, 26],
            ),
            ("a.b", &[3, 5, 6, 7, 8, 9, 11, 12, 15, 21, 22, 23, 24, 26]),
            ("a.b.b", &[3, 5, 6, 7, 11, 12, 14, 18, 21, 22, 23, 24, 26]),
            ("", &[5, 6, 17, 24]),
            ("b.c.c", &[5, 6, 18, 21, 22, 23, 24, 26]),
            ("a.a.a.a.a", &[5, 6, 11, 12, 21, 22, 23, 24]),
            ("vodka.gin", &[5, 6, 8, 21, 22, 23, 24]),
            ("vodka.martini", &[5, 6, 8, 19, 21, 22, 23, 24]),
            ("b.b.c", &[5, 6, 10, 13, 18, 21, 22, 23, 24, 26]),
            ("nothing.here.at.all", &[5, 6, 21, 22, 23, 24]),
            ("oneword", &[5, 6, 21, 22, 23, 24, 25]),
        ],
    );
}

#[test]
fn bindings_t1_to_t26_after_removing_t1_t5_t11_t19_t21() {
    let mut m = loaded();
    for i in [1usize, 5, 11, 19, 21] {
        assert!(m.remove(BINDINGS[i - 1], i as u32).unwrap());
    }
    assert_eq!(m.len(), 21);
    check(
        &mut m,
        &[
            ("a.b.c", &[2, 6, 10, 12, 18, 20, 22, 23, 24, 26]),
            ("a.b", &[3, 6, 7, 8, 9, 12, 15, 22, 23, 24, 26]),
            ("a.b.b", &[3, 6, 7, 12, 14, 18, 22, 23, 24, 26]),
            ("", &[6, 17, 24]),
            ("b.c.c", &[6, 18, 22, 23, 24, 26]),
            ("a.a.a.a.a", &[6, 12, 22, 23, 24]),
            ("vodka.gin", &[6, 8, 22, 23, 24]),
            ("vodka.martini", &[6, 8, 22, 23, 24]),
            ("b.b.c", &[6, 10, 13, 18, 22, 23, 24, 26]),
            ("nothing.here.at.all", &[6, 22, 23, 24]),
            ("oneword", &[6, 22, 23, 24, 25]),
        ],
    );
}

#[test]
fn removing_every_binding_leaves_an_empty_trie() {
    let mut m = loaded();
    for (i, p) in BINDINGS.iter().enumerate() {
        assert!(m.remove(p, i as u32 + 1).unwrap());
        assert!(!m.remove(p, i as u32 + 1).unwrap());
    }
    assert!(m.is_empty());
    assert_eq!(m.node_count(), 1);
    assert_eq!(m.word_count(), 0);
    assert!(m.matches("a.b.c").unwrap().is_empty());
}

/// (pattern, key, matches) as seen on RabbitMQ 3.10 (DESIGN.md).
const TABLE: [(&str, &str, bool); 16] = [
    ("a.*.b", "a..b", true),
    ("*", "", false),
    ("#", "", true),
    ("", "", true),
    ("a.#", "a", true),
    ("#.#", "", true),
    ("*", ".", false),
    ("*.*", ".", true),
    ("a.#.b", "a.b", true),
    ("#.a.#", "a", true),
    ("a*", "a*", true),
    ("a*", "ab", false),
    ("a.#", "a.", true),
    ("a.*", "a.", true),
    ("#", ".", true),
    ("*.#", "", false),
];

#[test]
fn the_semantics_table_holds() {
    for (pattern, key, expected) in TABLE {
        let mut m = TopicMatcher::new();
        m.add(pattern, 7).unwrap();
        let got = m.matches(key).unwrap();
        assert_eq!(!got.is_empty(), expected, "pattern {pattern:?} key {key:?}");
        assert_eq!(reference::matches(Syntax::Amqp, pattern, key), expected);
    }
}

#[test]
fn more_edge_cases() {
    let cases: &[(&str, &str, bool)] = &[
        ("", "a", false),
        ("", ".", false),
        ("#", "a.b.c", true),
        ("a#b", "a#b", true),
        ("a#b", "a.b", false),
        ("#a", "x", false),
        ("*", "*", true),
        ("a.#.#.b", "a.b", true),
        ("a.#.#.b", "a.x.y.b", true),
        (
            "#.#.#.#.a",
            "b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.a",
            true,
        ),
        (
            "#.#.#.#.a",
            "b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.c",
            false,
        ),
        (".", ".", true),
        (".", "", false),
        ("*.", ".", true),
        ("#.", "", false),
        ("#.", "a.", true),
        (".#", ".", true),
        ("#.*.#", "", false),
    ];
    for &(pattern, key, expected) in cases {
        let mut m = TopicMatcher::new();
        m.add(pattern, 1).unwrap();
        assert_eq!(
            !m.matches(key).unwrap().is_empty(),
            expected,
            "{pattern:?} {key:?}"
        );
        assert_eq!(reference::matches(Syntax::Amqp, pattern, key), expected);
    }
}
