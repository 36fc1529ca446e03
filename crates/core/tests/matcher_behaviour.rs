//! Bindings, deduplication, pruning under churn, batch buffers, and polynomial time on patterns
//! that make naive recursion explode.

use messaging_core::matcher::{TopicMatcher, INVALID_TOPIC};

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v
}

#[test]
fn an_id_under_several_matching_patterns_is_reported_once() {
    let mut m = TopicMatcher::new();
    for p in ["a.b", "a.*", "#", "*.b", "a.#", "#.b"] {
        m.add(p, 4).unwrap();
    }
    m.add("a.b", 5).unwrap();
    assert_eq!(m.len(), 7);
    assert_eq!(sorted(m.matches("a.b").unwrap()), vec![4, 5]);
}

#[test]
fn adding_the_same_binding_twice_is_a_no_op() {
    let mut m = TopicMatcher::new();
    m.add("a.b", 1).unwrap();
    m.add("a.b", 1).unwrap();
    assert_eq!(m.len(), 1);
    assert!(m.remove("a.b", 1).unwrap());
    assert!(m.matches("a.b").unwrap().is_empty());
    assert_eq!(m.node_count(), 1);
}

#[test]
fn match_into_appends() {
    let mut m = TopicMatcher::new();
    m.add("a", 1).unwrap();
    let mut out = vec![42];
    assert_eq!(m.match_into("a", &mut out).unwrap(), 1);
    assert_eq!(out, vec![42, 1]);
}

#[test]
fn extreme_ids_work() {
    let mut m = TopicMatcher::new();
    m.add("a", u32::MAX).unwrap();
    m.add("a", 0).unwrap();
    assert_eq!(sorted(m.matches("a").unwrap()), vec![0, u32::MAX]);
}

#[test]
fn churn_does_not_grow_the_trie() {
    let mut m = TopicMatcher::new();
    m.add("keep.#", 0).unwrap();
    let base_nodes = m.node_count();
    for round in 0..5_000u32 {
        let p = format!("svc{round}.*.evt{}.#", round % 7);
        m.add(&p, round + 1).unwrap();
        assert_eq!(
            m.matches(&format!("svc{round}.x.evt{}", round % 7))
                .unwrap(),
            vec![round + 1]
        );
        assert!(m.remove(&p, round + 1).unwrap());
    }
    assert_eq!(m.node_count(), base_nodes);
    assert_eq!(m.word_count(), 1);
    let mut heap = 0;
    for pass in 0..2 {
        for round in 0..5_000u32 {
            let p = format!("other{round}.a.b.c");
            m.add(&p, round).unwrap();
            m.remove(&p, round).unwrap();
        }
        if pass == 0 {
            heap = m.heap_bytes();
        }
    }
    assert_eq!(m.heap_bytes(), heap);
}

#[test]
fn clear_forgets_everything() {
    let mut m = TopicMatcher::new();
    m.add("a.#", 1).unwrap();
    m.add_regex("a.*", 2).unwrap();
    m.clear();
    assert!(m.is_empty());
    assert_eq!(m.node_count(), 1);
    assert!(m.matches("a.b").unwrap().is_empty());
    m.add("a.#", 3).unwrap();
    assert_eq!(m.matches("a.b").unwrap(), vec![3]);
}

#[test]
fn many_hashes_stay_polynomial() {
    let mut m = TopicMatcher::new();
    let words = 128;
    // Every mix of '#' and 'a', plus long runs of '#': naive recursion is exponential here.
    m.add(&vec!["#"; words].join("."), 1).unwrap();
    m.add(&format!("{}.b", vec!["#"; words - 1].join(".")), 2)
        .unwrap();
    m.add(&vec!["#.a"; 64].join("."), 3).unwrap();
    m.add(&vec!["a.#"; 64].join("."), 4).unwrap();
    m.add(&vec!["*.#"; 64].join("."), 5).unwrap();
    let topic = vec!["a"; words].join(".");
    let started = std::time::Instant::now();
    for _ in 0..10 {
        assert_eq!(sorted(m.matches(&topic).unwrap()), vec![1, 3, 4, 5]);
        assert_eq!(
            sorted(m.matches(&vec!["c"; words].join(".")).unwrap()),
            vec![1, 5]
        );
    }
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn batch_marks_bad_topics_and_stops_when_ids_do_not_fit() {
    let mut m = TopicMatcher::new();
    m.add("a.*", 1).unwrap();
    m.add("#", 2).unwrap();
    let mut ids = [0u32; 3];
    let mut counts = [0u32; 8];
    let outcome = m.match_batch(&["a.b", "x\ty", "c", "a.c"], &mut ids, &mut counts);
    assert_eq!(outcome.topics, 3);
    assert_eq!(outcome.ids, 3);
    assert_eq!(outcome.invalid, 1);
    assert_eq!(outcome.next_needs, 2);
    assert_eq!(counts[..3], [2, INVALID_TOPIC, 1]);
    assert_eq!(sorted(ids[..2].to_vec()), vec![1, 2]);
    assert_eq!(ids[2], 2);

    let mut counts = [0u32; 1];
    let mut ids = [0u32; 8];
    let outcome = m.match_batch_joined("a.b\nc\n", &mut ids, &mut counts);
    assert_eq!((outcome.topics, outcome.consumed), (1, 4));
}

#[test]
fn joined_batches_split_on_newlines() {
    let mut m = TopicMatcher::new();
    m.add("", 1).unwrap();
    m.add("a", 2).unwrap();
    let mut ids = [0u32; 8];
    let mut counts = [0u32; 8];
    let o = m.match_batch_joined("", &mut ids, &mut counts);
    assert_eq!((o.topics, o.ids, o.consumed), (0, 0, 0));
    let o = m.match_batch_joined("\n", &mut ids, &mut counts);
    assert_eq!((o.topics, o.ids, o.consumed), (1, 1, 1));
    assert_eq!(ids[0], 1);
    let o = m.match_batch_joined("a\n\na", &mut ids, &mut counts);
    assert_eq!((o.topics, o.ids, o.consumed), (3, 3, 4));
    assert_eq!(ids[..3], [2, 1, 2]);
    let o = m.match_batch_joined_bytes(b"a\n\xff\xfe\na\n", &mut ids, &mut counts);
    assert_eq!((o.topics, o.ids, o.invalid), (3, 2, 1));
    assert_eq!(counts[..3], [1, INVALID_TOPIC, 1]);
}

#[test]
fn batch_into_vectors() {
    let mut m = TopicMatcher::new();
    m.add("a.#", 1).unwrap();
    let mut ids = Vec::new();
    let mut counts = Vec::new();
    let bad = "a".repeat(300);
    assert_eq!(
        m.match_batch_into(&["a", "b", &bad, "a.b"], &mut ids, &mut counts),
        1
    );
    assert_eq!(ids, vec![1, 1]);
    assert_eq!(counts, vec![1, 0, INVALID_TOPIC, 1]);
}

#[test]
fn the_result_cache_follows_every_change() {
    let mut m = TopicMatcher::new();
    assert_eq!(m.cache_capacity(), 0);
    m.set_cache_capacity(1000);
    assert_eq!(m.cache_capacity(), 1024);
    m.add("a.*", 1).unwrap();
    assert_eq!(m.matches("a.b").unwrap(), vec![1]);
    assert_eq!(m.matches("a.b").unwrap(), vec![1]);
    m.add("#", 2).unwrap();
    assert_eq!(sorted(m.matches("a.b").unwrap()), vec![1, 2]);
    m.remove("a.*", 1).unwrap();
    assert_eq!(m.matches("a.b").unwrap(), vec![2]);
    m.add_regex("a\\..*", 3).unwrap();
    assert_eq!(sorted(m.matches("a.b").unwrap()), vec![2, 3]);
    m.remove_regex("a\\..*", 3).unwrap();
    assert_eq!(m.matches("a.b").unwrap(), vec![2]);
    m.clear();
    assert!(m.matches("a.b").unwrap().is_empty());
    assert!(m.matches("a\tb").is_err());
    assert!(m.matches("a\tb").is_err());
    for id in 0..300 {
        m.add("big", id).unwrap();
    }
    assert_eq!(m.matches("big").unwrap().len(), 300);
    assert_eq!(m.matches("big").unwrap().len(), 300);
    m.set_cache_capacity(0);
    assert_eq!(m.matches("big").unwrap().len(), 300);
}
