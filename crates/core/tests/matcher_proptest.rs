//! Property tests: after any sequence of adds and removes, the matcher reports exactly the ids
//! whose patterns the reference matcher accepts, each once, and `len` counts the bindings.

use std::collections::BTreeSet;

use messaging_core::matcher::{reference, Syntax, TopicMatcher};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Add(String, u32),
    Remove(String, u32),
}

fn amqp_pattern() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec!["a", "b", "", "*", "#", "a*", "ab"]);
    prop::collection::vec(word, 0..6).prop_map(|w| w.join("."))
}

fn amqp_topic() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec!["a", "b", "", "a*", "*", "#", "c"]);
    prop::collection::vec(word, 0..7).prop_map(|w| w.join("."))
}

fn mqtt_pattern() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec!["a", "b", "", "+", "$x"]);
    (prop::collection::vec(word, 1..5), any::<bool>()).prop_map(|(mut w, hash)| {
        if hash {
            w.push("#");
        }
        non_empty(w.join("/"))
    })
}

/// MQTT refuses the empty string; `/` is two empty levels.
fn non_empty(s: String) -> String {
    if s.is_empty() {
        "/".to_string()
    } else {
        s
    }
}

fn mqtt_topic() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec!["a", "b", "", "$x", "c"]);
    prop::collection::vec(word, 1..6).prop_map(|w| non_empty(w.join("/")))
}

fn ops(pattern: BoxedStrategy<String>) -> impl Strategy<Value = Vec<Op>> {
    let op = (pattern, 0u32..6, 0u8..4).prop_map(|(p, id, kind)| {
        if kind == 0 {
            Op::Remove(p, id)
        } else {
            Op::Add(p, id)
        }
    });
    prop::collection::vec(op, 0..40)
}

fn check_topic(
    m: &mut TopicMatcher,
    syntax: Syntax,
    model: &BTreeSet<(String, u32)>,
    topic: &str,
) -> Result<(), TestCaseError> {
    let got = m.matches(topic).unwrap();
    let unique: BTreeSet<u32> = got.iter().copied().collect();
    prop_assert_eq!(unique.len(), got.len(), "duplicate ids for {:?}", topic);
    let expected: BTreeSet<u32> = model
        .iter()
        .filter(|(p, _)| reference::matches(syntax, p, topic))
        .map(|&(_, id)| id)
        .collect();
    prop_assert_eq!(unique, expected, "topic {:?}", topic);
    Ok(())
}

fn run(syntax: Syntax, ops: &[Op], topics: &[String]) -> Result<(), TestCaseError> {
    run_with_cache(syntax, ops, topics, 0)
}

/// With a cache, a topic is matched after every change too, so a stale result would show.
fn run_with_cache(
    syntax: Syntax,
    ops: &[Op],
    topics: &[String],
    cache: usize,
) -> Result<(), TestCaseError> {
    let mut m = TopicMatcher::with_syntax(syntax);
    m.set_cache_capacity(cache);
    let mut model: BTreeSet<(String, u32)> = BTreeSet::new();
    for (step, op) in ops.iter().enumerate() {
        if cache > 0 {
            check_topic(&mut m, syntax, &model, &topics[step % topics.len()])?;
        }
        match op {
            Op::Add(p, id) => {
                m.add(p, *id).unwrap();
                model.insert((p.clone(), *id));
            }
            Op::Remove(p, id) => {
                let removed = m.remove(p, *id).unwrap();
                prop_assert_eq!(removed, model.remove(&(p.clone(), *id)));
            }
        }
        prop_assert_eq!(m.len(), model.len());
    }
    for _ in 0..2 {
        for topic in topics {
            check_topic(&mut m, syntax, &model, topic)?;
        }
    }
    for (p, id) in &model {
        prop_assert!(m.remove(p, *id).unwrap());
    }
    prop_assert_eq!(m.node_count(), 1);
    prop_assert_eq!(m.word_count(), 0);
    prop_assert!(m.is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn amqp_agrees_with_the_reference(
        ops in ops(amqp_pattern().boxed()),
        topics in prop::collection::vec(amqp_topic(), 1..12),
    ) {
        run(Syntax::Amqp, &ops, &topics)?;
    }

    #[test]
    fn mqtt_agrees_with_the_reference(
        ops in ops(mqtt_pattern().boxed()),
        topics in prop::collection::vec(mqtt_topic(), 1..12),
    ) {
        run(Syntax::Mqtt, &ops, &topics)?;
    }

    #[test]
    fn amqp_with_a_result_cache_is_never_stale(
        ops in ops(amqp_pattern().boxed()),
        topics in prop::collection::vec(amqp_topic(), 1..12),
        cache in 1usize..8,
    ) {
        run_with_cache(Syntax::Amqp, &ops, &topics, cache)?;
    }

    #[test]
    fn mqtt_with_a_result_cache_is_never_stale(
        ops in ops(mqtt_pattern().boxed()),
        topics in prop::collection::vec(mqtt_topic(), 1..12),
    ) {
        run_with_cache(Syntax::Mqtt, &ops, &topics, 64)?;
    }

    #[test]
    fn one_pattern_one_topic(pattern in amqp_pattern(), topic in amqp_topic()) {
        let mut m = TopicMatcher::new();
        m.add(&pattern, 9).unwrap();
        let got = !m.matches(&topic).unwrap().is_empty();
        prop_assert_eq!(got, reference::matches(Syntax::Amqp, &pattern, &topic));
    }

    #[test]
    fn batch_equals_one_by_one(
        patterns in prop::collection::vec(amqp_pattern(), 0..20),
        topics in prop::collection::vec(amqp_topic(), 0..20),
        capacity in 0usize..40,
    ) {
        let mut m = TopicMatcher::new();
        for (i, p) in patterns.iter().enumerate() {
            m.add(p, i as u32 % 7).unwrap();
        }
        let mut singles = Vec::new();
        for t in &topics {
            let mut one = m.matches(t).unwrap();
            one.sort_unstable();
            singles.push(one);
        }
        let joined: String = topics.iter().map(|t| format!("{t}\n")).collect();
        let mut ids = vec![0u32; capacity];
        let mut counts = vec![0u32; topics.len()];
        let mut start = 0;
        let mut topic_index = 0;
        while topic_index < topics.len() {
            let outcome = m.match_batch_joined(&joined[start..], &mut ids, &mut counts);
            if outcome.topics == 0 {
                prop_assert!(outcome.next_needs > capacity);
                break;
            }
            let mut at = 0;
            for &c in &counts[..outcome.topics] {
                let mut got = ids[at..at + c as usize].to_vec();
                got.sort_unstable();
                prop_assert_eq!(&got, &singles[topic_index]);
                at += c as usize;
                topic_index += 1;
            }
            prop_assert_eq!(at, outcome.ids);
            start += outcome.consumed;
        }
    }
}
