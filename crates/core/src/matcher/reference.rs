//! A deliberately simple matcher for one pattern against one topic, used as the oracle in tests
//! and differential checks: a memoised recursion over (pattern word, topic word) positions,
//! written straight from the semantics in `docs/TOPICS.md`.
//!
//! It is slow (it allocates per call) and must never be used on the routing path; it validates
//! nothing and assumes both strings are valid for the syntax.

use super::Syntax;

/// Whether `pattern` matches `topic` under `syntax`.
pub fn matches(syntax: Syntax, pattern: &str, topic: &str) -> bool {
    let sep = syntax.separator() as char;
    let split = |s: &str| -> Vec<String> {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split(sep).map(str::to_string).collect()
        }
    };
    let p = split(pattern);
    let t = split(topic);
    if syntax == Syntax::Mqtt && topic.starts_with('$') {
        if let Some(first) = p.first() {
            if first == "+" || first == "#" {
                return false;
            }
        }
    }
    let one = syntax.one_word();
    let mut memo = vec![None; (p.len() + 1) * (t.len() + 1)];
    walk(&p, &t, one, 0, 0, &mut memo)
}

fn walk(
    p: &[String],
    t: &[String],
    one: &str,
    pi: usize,
    ti: usize,
    memo: &mut [Option<bool>],
) -> bool {
    let key = pi * (t.len() + 1) + ti;
    if let Some(known) = memo[key] {
        return known;
    }
    let result = if pi == p.len() {
        ti == t.len()
    } else if p[pi] == "#" {
        walk(p, t, one, pi + 1, ti, memo) || (ti < t.len() && walk(p, t, one, pi, ti + 1, memo))
    } else if ti == t.len() {
        false
    } else if p[pi] == one || p[pi] == t[ti] {
        walk(p, t, one, pi + 1, ti + 1, memo)
    } else {
        false
    };
    memo[key] = Some(result);
    result
}
