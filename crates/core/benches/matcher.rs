//! Topic matcher throughput: single matches, batches and subscribe/unsubscribe churn with 1K,
//! 10K and 100K subscriptions of a realistic mix (70% exact, 20% one `*`, 10% with `#`) and
//! 4-word topics, with and without the result cache. The workload line printed first gives
//! memory and ids matched per topic.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use messaging_core::matcher::TopicMatcher;

/// A small deterministic generator (xorshift64*), so every run sees the same workload.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) % n
    }
}

/// Word choices per level: service, entity (grows with the subscription count, so each entity has
/// about ten subscriptions), action, region.
fn vocabulary(subscriptions: usize) -> [(&'static str, u64); 4] {
    [
        ("svc", 20),
        ("entity", (subscriptions as u64 / 10).max(10)),
        ("action", 10),
        ("region", 10),
    ]
}

fn topic(rng: &mut Rng, vocabulary: &[(&str, u64); 4]) -> Vec<String> {
    vocabulary
        .iter()
        .map(|&(name, n)| format!("{name}{}", rng.below(n)))
        .collect()
}

fn pattern(rng: &mut Rng, vocabulary: &[(&str, u64); 4]) -> String {
    let mut words = topic(rng, vocabulary);
    match rng.below(100) {
        // Exact: `svc3.entity7.action1.region2`.
        0..=69 => {}
        // One `*` for the service, action or region: `svc3.entity7.*.region2`.
        70..=89 => words[[0, 2, 3][rng.below(3) as usize]] = "*".into(),
        // `svc3.entity7.#`.
        90..=93 => {
            words.truncate(2);
            words.push("#".into());
        }
        // `*.entity7.#`.
        94..=96 => {
            words.truncate(2);
            words[0] = "*".into();
            words.push("#".into());
        }
        // `#.entity7.action1.*`.
        _ => {
            words[0] = "#".into();
            words[3] = "*".into();
        }
    }
    words.join(".")
}

fn loaded(subscriptions: usize) -> (TopicMatcher, Vec<String>) {
    let vocabulary = vocabulary(subscriptions);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut m = TopicMatcher::new();
    for id in 0..subscriptions {
        m.add(&pattern(&mut rng, &vocabulary), id as u32).unwrap();
    }
    let topics = (0..1024)
        .map(|_| topic(&mut rng, &vocabulary).join("."))
        .collect();
    (m, topics)
}

fn single(c: &mut Criterion) {
    single_with_cache(c, "match_into", 0);
    single_with_cache(c, "match_into_cached", 4096);
}

/// With a cache of 4096 entries the 1024 topics all hit after the first pass.
fn single_with_cache(c: &mut Criterion, name: &str, cache: usize) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(1));
    for n in [1_000, 10_000, 100_000] {
        let (mut m, topics) = loaded(n);
        m.set_cache_capacity(cache);
        let mut out = Vec::with_capacity(1024);
        let mut i = 0;
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                out.clear();
                i = (i + 1) & 1023;
                black_box(m.match_into(black_box(&topics[i]), &mut out).unwrap())
            })
        });
    }
    group.finish();
}

fn batch(c: &mut Criterion) {
    batch_with_cache(c, "match_batch_joined", 0);
    batch_with_cache(c, "match_batch_joined_cached", 4096);
}

fn batch_with_cache(c: &mut Criterion, name: &str, cache: usize) {
    let mut group = c.benchmark_group(name);
    for n in [1_000, 10_000, 100_000] {
        let (mut m, topics) = loaded(n);
        m.set_cache_capacity(cache);
        let joined: String = topics.iter().map(|t| format!("{t}\n")).collect();
        let mut ids = vec![0u32; 1 << 20];
        let mut counts = vec![0u32; topics.len()];
        group.throughput(Throughput::Elements(topics.len() as u64));
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                let o = m.match_batch_joined(black_box(&joined), &mut ids, &mut counts);
                assert_eq!(o.topics, 1024);
                black_box(o.ids)
            })
        });
    }
    group.finish();
}

fn churn(c: &mut Criterion) {
    let mut group = c.benchmark_group("add_remove_pair");
    group.throughput(Throughput::Elements(2));
    for n in [1_000, 10_000, 100_000] {
        let (mut m, _) = loaded(n);
        let mut rng = Rng(7);
        let vocabulary = vocabulary(n);
        let patterns: Vec<String> = (0..1024).map(|_| pattern(&mut rng, &vocabulary)).collect();
        let mut i = 0;
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                i = (i + 1) & 1023;
                let id = 1_000_000 + i as u32;
                m.add(&patterns[i], id).unwrap();
                black_box(m.remove(&patterns[i], id).unwrap())
            })
        });
    }
    group.finish();
}

/// Prints, per size, the memory held, the ids matched per topic, and the best of 50 timed
/// passes over the 1024 topics (the minimum filters out preemption on a shared machine).
fn workload(c: &mut Criterion) {
    for n in [1_000, 10_000, 100_000] {
        let (mut m, topics) = loaded(n);
        let mut out = Vec::with_capacity(1 << 16);
        for t in &topics {
            m.match_into(t, &mut out).unwrap();
        }
        let ids_per_topic = out.len() as f64 / topics.len() as f64;
        let best = (0..50)
            .map(|_| {
                let started = Instant::now();
                for t in &topics {
                    out.clear();
                    black_box(m.match_into(black_box(t), &mut out).unwrap());
                }
                started.elapsed().as_nanos() as f64 / topics.len() as f64
            })
            .fold(f64::INFINITY, f64::min);
        println!(
            "workload/{n}: {} bytes ({:.0} per subscription), {} nodes, {ids_per_topic:.2} ids \
             per topic, best pass {best:.1} ns per match",
            m.heap_bytes(),
            m.heap_bytes() as f64 / n as f64,
            m.node_count(),
        );
    }
    let _ = c;
}

criterion_group!(benches, workload, single, batch, churn);
criterion_main!(benches);
