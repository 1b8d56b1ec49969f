//! Pairings evaluated per second through gRPC, with the real registry in the loop.
//!
//! Starts a registry (sled in a tempdir) and an evaluation service on 127.0.0.1, loads pairings
//! with 10 and with 1,000 activities, then drives EvaluatePairing from concurrent clients for a
//! fixed time and prints the rate and latency. Bounded in count and time; stops by itself.
//!
//!     cargo bench -p eastwest-tests --bench evaluation_throughput
//!     EASTWEST_BENCH_SECONDS=10 EASTWEST_BENCH_CONCURRENCY=32 cargo bench -p eastwest-tests --bench evaluation_throughput

use std::time::{Duration, Instant};

use eastwest_proto::evaluation::v1 as ev;
use eastwest_proto::registry::v1 as pb;
use eastwest_tests::evaluation::TestEvaluation;
use eastwest_tests::records::{activity, create_pairing, east, pairing, west};
use eastwest_tests::registry::TestRegistry;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Creates `pairings` pairings with `activities` activities each, many requests in flight.
async fn load(registry: &TestRegistry, prefix: &str, pairings: usize, activities: usize) -> Vec<String> {
    let mut c = registry.client().await;
    east(&mut c, &format!("{prefix}-e")).await;
    west(&mut c, &format!("{prefix}-w")).await;
    let mut names = Vec::new();
    for i in 0..pairings {
        let id = format!("{prefix}-{i:04}");
        create_pairing(&mut c, &id, pairing(&id, &format!("{prefix}-e"), &format!("{prefix}-w"))).await;
        names.push(format!("pairings/{id}"));
    }
    let forms = [
        pb::CooperationForm::Industry,
        pb::CooperationForm::Education,
        pb::CooperationForm::Employment,
        pb::CooperationForm::Consumption,
    ];
    let mut tasks = Vec::new();
    for w in 0..16usize {
        let mut client = registry.client().await;
        let (prefix, names) = (prefix.to_string(), names.clone());
        tasks.push(tokio::spawn(async move {
            for (p, name) in names.iter().enumerate() {
                let id = name.trim_start_matches("pairings/").to_string();
                for a in (w..activities).step_by(16) {
                    let mut act = activity(&format!("{prefix}-{}", if a % 2 == 0 { "e" } else { "w" }));
                    act.form = forms[(a + p) % forms.len()] as i32;
                    act.date = format!("202{}-0{}-15", 1 + a % 3, 1 + a % 9);
                    client
                        .create_activity(pb::CreateActivityRequest {
                            parent: name.clone(),
                            activity: Some(act),
                            activity_id: format!("a{a:04}"),
                        })
                        .await
                        .unwrap_or_else(|s| panic!("{id}: {s:?}"));
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("loader");
    }
    names
}

struct Figures {
    requests: u64,
    errors: u64,
    seconds: f64,
    p50_us: u128,
    p99_us: u128,
}

async fn drive(evaluation: &TestEvaluation, names: &[String], concurrency: usize, seconds: u64) -> Figures {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let mut client = evaluation.client().await;
        let names = names.to_vec();
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors) = (Vec::new(), 0u64);
            let mut i = w;
            while Instant::now() < deadline && latencies.len() < 1_000_000 {
                let t = Instant::now();
                let request = ev::EvaluatePairingRequest {
                    pairing: names[i % names.len()].clone(),
                    as_of: "2024-01-01".into(),
                    year: 0,
                };
                match client.evaluate_pairing(request).await {
                    Ok(_) => latencies.push(t.elapsed().as_micros()),
                    Err(_) => errors += 1,
                }
                i += concurrency;
            }
            (latencies, errors)
        }));
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (l, e) = t.await.expect("driver");
        all.extend(l);
        errors += e;
    }
    all.sort_unstable();
    let pct =
        |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or(0);
    Figures {
        requests: all.len() as u64,
        errors,
        seconds: started.elapsed().as_secs_f64(),
        p50_us: pct(0.50),
        p99_us: pct(0.99),
    }
}

#[tokio::main]
async fn main() {
    let seconds = env_or("EASTWEST_BENCH_SECONDS", 5);
    let concurrency = env_or("EASTWEST_BENCH_CONCURRENCY", 16) as usize;
    let registry = TestRegistry::start().await;
    let small = load(&registry, "s", 100, 10).await;
    let large = load(&registry, "l", 4, 1_000).await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    println!("scenario                 activities  concurrency  requests  errors  evals/s   p50 µs   p99 µs");
    for (label, names, activities) in [("evaluate", &small, 10), ("evaluate-large", &large, 1_000)] {
        let f = drive(&evaluation, names, concurrency, seconds).await;
        println!(
            "{label:<24} {activities:>10}  {concurrency:>11}  {:>8}  {:>6}  {:>7.0}  {:>7}  {:>7}",
            f.requests,
            f.errors,
            f.requests as f64 / f.seconds,
            f.p50_us,
            f.p99_us
        );
    }
    evaluation.stop().await;
    registry.stop().await;
}
