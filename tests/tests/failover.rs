//! The evaluation service over two registry replicas: when one stops, every read goes to the other
//! without a failed call and without the caller waiting on the dead one; when it comes back it is
//! used again. Two sled registries loaded with the same records stand in for two replicas of one
//! store; one test kills a real registry process instead. Also: an open stream ends when the
//! evaluation server is asked to stop, well within the drain deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use eastwest_proto::evaluation::v1 as ev;
use eastwest_proto::evaluation::v1::evaluation_service_client::EvaluationServiceClient;
use eastwest_proto::evaluation::v1::evaluation_service_server::SERVICE_NAME;
use eastwest_proto::registry::v1 as pb;
use eastwest_tests::evaluation::TestEvaluation;
use eastwest_tests::grpc::{Client, connect};
use eastwest_tests::process::{RegistryProcess, cargo_binary};
use eastwest_tests::records::{activity, actor, create_activity, create_actor, create_pairing, east, pairing, west};
use eastwest_tests::registry::TestRegistry;
use tokio::task::JoinHandle;
use tonic::Code;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

/// The slowest any single call may be while one replica is down. Without failover a call either
/// fails or waits out attempt timeouts and backoffs; with it, the dead replica costs a refused
/// connection at most.
const SLOWEST_CALL: Duration = Duration::from_secs(1);
const PAIRINGS: usize = 30;

/// The same records in every registry given: one east actor, two west ones, `n` pairings, an
/// activity on every fourth.
async fn load_same(registries: &[&TestRegistry], n: usize) -> Vec<String> {
    let mut names = Vec::new();
    for registry in registries {
        names = load(&mut registry.client().await, n).await;
    }
    names
}

/// One east actor, two west ones, `n` pairings, an activity on every fourth.
async fn load(c: &mut Client, n: usize) -> Vec<String> {
    east(c, "e1").await;
    west(c, "w1").await;
    create_actor(c, "w2", actor("广西壮族自治区人民政府", pb::Side::West, "450000")).await;
    let mut names = Vec::new();
    for i in 0..n {
        let id = format!("p{i:03}");
        create_pairing(c, &id, pairing(&format!("结对 {i}"), "e1", if i % 3 == 0 { "w2" } else { "w1" })).await;
        if i % 4 == 0 {
            create_activity(c, &id, "a", activity("e1")).await;
        }
        names.push(format!("pairings/{id}"));
    }
    names
}

/// Samples the evaluation service's health every 20 ms until `assert_all_serving`, which checks
/// that every sample said SERVING.
struct HealthWatch {
    ok: Arc<AtomicBool>,
    samples: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl HealthWatch {
    async fn start(evaluation: &TestEvaluation) -> Self {
        let mut health = HealthClient::new(evaluation.channel(|e| e).await);
        let ok = Arc::new(AtomicBool::new(true));
        let samples = Arc::new(AtomicUsize::new(0));
        let (ok2, samples2) = (Arc::clone(&ok), Arc::clone(&samples));
        let task = tokio::spawn(async move {
            loop {
                let request = tonic_health::pb::HealthCheckRequest { service: SERVICE_NAME.into() };
                let status = health.check(request).await.map(|r| r.into_inner().status);
                if status.as_ref().ok() != Some(&(ServingStatus::Serving as i32)) {
                    eprintln!("evaluation health: {status:?}");
                    ok2.store(false, Ordering::SeqCst);
                }
                samples2.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        Self { ok, samples, task }
    }

    fn assert_all_serving(self) {
        self.task.abort();
        assert!(self.samples.load(Ordering::SeqCst) > 0, "no health samples taken");
        assert!(self.ok.load(Ordering::SeqCst), "evaluation health left SERVING while a registry answered");
    }
}

/// 50 EvaluatePairing calls, one EvaluatePairings stream and one Summarize: every one must succeed
/// and none may take `SLOWEST_CALL`.
async fn every_call_succeeds(e: &mut EvaluationServiceClient<Channel>, names: &[String], label: &str) {
    let mut slowest = Duration::ZERO;
    for i in 0..50 {
        let name = &names[i % names.len()];
        let mut request =
            tonic::Request::new(ev::EvaluatePairingRequest { year: 0, pairing: name.clone(), as_of: String::new() });
        request.set_timeout(Duration::from_secs(5));
        let started = Instant::now();
        let got =
            e.evaluate_pairing(request).await.unwrap_or_else(|s| panic!("{label}: call {i} ({name}) failed: {s:?}"));
        slowest = slowest.max(started.elapsed());
        assert_eq!(&got.into_inner().pairing, name);
    }

    let started = Instant::now();
    let mut stream = e.evaluate_pairings(ev::EvaluatePairingsRequest::default()).await.expect("stream").into_inner();
    let mut seen = Vec::new();
    while let Some(item) = stream.message().await.unwrap_or_else(|s| panic!("{label}: stream failed: {s:?}")) {
        seen.push(item.pairing);
    }
    let stream_took = started.elapsed();
    assert_eq!(seen, names, "{label}: every pairing once, in listing order");

    let started = Instant::now();
    let summary = e
        .summarize_evaluations(ev::SummarizeEvaluationsRequest {
            year: 0,
            filter: None,
            as_of: String::new(),
            group_by: ev::GroupBy::WestProvince as i32,
        })
        .await
        .unwrap_or_else(|s| panic!("{label}: summarize failed: {s:?}"))
        .into_inner();
    let summary_took = started.elapsed();
    assert_eq!(summary.pairings as usize, names.len());

    eprintln!("{label}: slowest of 50 EvaluatePairing {slowest:?}; stream {stream_took:?}; summarize {summary_took:?}");
    for (what, took) in [("EvaluatePairing", slowest), ("EvaluatePairings", stream_took), ("Summarize", summary_took)] {
        assert!(took < SLOWEST_CALL, "{label}: {what} took {took:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stopped_replica_costs_no_failed_call_and_no_wait() {
    let a = TestRegistry::start().await;
    let b = TestRegistry::start().await;
    let names = load_same(&[&a, &b], PAIRINGS).await;
    let evaluation = TestEvaluation::start_with(vec![a.url(), b.url()], |_| {}).await;
    evaluation.wait_for_health(ServingStatus::Serving).await;
    let mut e = evaluation.client().await;
    // Both replicas in use (and connected) before one goes away.
    every_call_succeeds(&mut e, &names, "both up").await;

    let watch = HealthWatch::start(&evaluation).await;
    let tempdir = a.stop().await;
    every_call_succeeds(&mut e, &names, "A stopped").await;
    // Again, once A has certainly been noticed by the health probe as well.
    tokio::time::sleep(Duration::from_millis(300)).await;
    every_call_succeeds(&mut e, &names, "A stopped, later").await;
    watch.assert_all_serving();

    evaluation.stop().await;
    b.stop().await;
    drop(tempdir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replica_that_never_answered_is_skipped_from_the_start() {
    // A port that nobody listens on: every connection to it is refused.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let dead_url = format!("http://{}", dead.local_addr().expect("addr"));
    drop(dead);
    let b = TestRegistry::start().await;
    let names = load_same(&[&b], PAIRINGS).await;
    let evaluation = TestEvaluation::start_with(vec![dead_url, b.url()], |_| {}).await;
    evaluation.wait_for_health(ServingStatus::Serving).await;
    let watch = HealthWatch::start(&evaluation).await;
    let mut e = evaluation.client().await;
    every_call_succeeds(&mut e, &names, "first replica never up").await;
    watch.assert_all_serving();
    evaluation.stop().await;
    b.stop().await;
}

/// Stop A, restart it on the same address, stop B: every read succeeds throughout.
async fn restart_one_then_stop_the_other(health_interval: Duration) {
    let a = TestRegistry::start().await;
    let b = TestRegistry::start().await;
    let names = load_same(&[&a, &b], PAIRINGS).await;
    let (a_dir, a_addr) = (a.dir.clone(), a.addr);
    let evaluation = TestEvaluation::start_with(vec![a.url(), b.url()], |o| o.health_interval = health_interval).await;
    evaluation.wait_for_health(ServingStatus::Serving).await;
    let mut e = evaluation.client().await;
    every_call_succeeds(&mut e, &names, "both up").await;

    let watch = HealthWatch::start(&evaluation).await;
    let a_tempdir = a.stop().await;
    every_call_succeeds(&mut e, &names, "A stopped").await;

    // A comes back on the same address; then B goes away. Every read must find A again.
    let a = TestRegistry::start_at(&a_dir, a_addr).await;
    let b_tempdir = b.stop().await;
    every_call_succeeds(&mut e, &names, "A restarted, B stopped").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    every_call_succeeds(&mut e, &names, "A restarted, B stopped, later").await;
    watch.assert_all_serving();

    evaluation.stop().await;
    a.stop().await;
    drop((a_tempdir, b_tempdir));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restarted_replica_is_used_again_when_the_other_stops() {
    restart_one_then_stop_the_other(Duration::from_millis(100)).await;
}

/// The same without the health probe's help (its first round aside): the reads alone pass over
/// the dead replica and find the restarted one.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reads_alone_fail_over_and_find_a_restarted_replica() {
    restart_one_then_stop_the_other(Duration::from_secs(3600)).await;
}

/// Calls EvaluatePairing from `tasks` tasks at once, over and over, until `done` is set. Gives the
/// number of calls, the failures and the slowest call.
fn keep_calling(
    e: &EvaluationServiceClient<Channel>,
    names: &[String],
    tasks: usize,
    done: &Arc<AtomicBool>,
) -> JoinHandle<(usize, Vec<String>, Duration)> {
    let workers: Vec<_> = (0..tasks)
        .map(|t| {
            let (mut e, names, done) = (e.clone(), names.to_vec(), Arc::clone(done));
            tokio::spawn(async move {
                let (mut calls, mut failures, mut slowest) = (0, Vec::new(), Duration::ZERO);
                while !done.load(Ordering::SeqCst) {
                    let name = names[(t + calls * tasks) % names.len()].clone();
                    let mut request = tonic::Request::new(ev::EvaluatePairingRequest {
                        year: 0,
                        pairing: name,
                        as_of: String::new(),
                    });
                    request.set_timeout(Duration::from_secs(5));
                    let started = Instant::now();
                    if let Err(s) = e.evaluate_pairing(request).await {
                        failures.push(format!("{:?}: {}", s.code(), s.message()));
                    }
                    slowest = slowest.max(started.elapsed());
                    calls += 1;
                }
                (calls, failures, slowest)
            })
        })
        .collect();
    tokio::spawn(async move {
        let mut total = (0, Vec::new(), Duration::ZERO);
        for worker in workers {
            let (calls, failures, slowest) = worker.await.expect("worker");
            total.0 += calls;
            total.1.extend(failures);
            total.2 = total.2.max(slowest);
        }
        total
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_replica_process_fails_no_call_even_mid_flight() {
    let bin =
        tokio::task::spawn_blocking(|| cargo_binary("eastwest-registry", "eastwest-registry")).await.expect("build");
    let tempdir = tempfile::tempdir().expect("tempdir");
    let mut a = RegistryProcess::start(&bin, &tempdir.path().join("a"));
    let b = RegistryProcess::start(&bin, &tempdir.path().join("b"));
    let mut names = Vec::new();
    for addr in [a.addr, b.addr] {
        names = load(&mut connect(addr).await, PAIRINGS).await;
    }
    let evaluation =
        TestEvaluation::start_with(vec![format!("http://{}", a.addr), format!("http://{}", b.addr)], |_| {}).await;
    evaluation.wait_for_health(ServingStatus::Serving).await;
    let mut e = evaluation.client().await;
    every_call_succeeds(&mut e, &names, "both up").await;

    let watch = HealthWatch::start(&evaluation).await;
    let done = Arc::new(AtomicBool::new(false));
    let calling = keep_calling(&e, &names, 4, &done);
    tokio::time::sleep(Duration::from_millis(200)).await;
    // SIGKILL: no NOT_SERVING, no drain, no GOAWAY; calls in flight to A lose their connection.
    a.child.kill().expect("kill A");
    a.child.wait().expect("reap A");
    tokio::time::sleep(Duration::from_millis(500)).await;
    done.store(true, Ordering::SeqCst);
    let (calls, failures, slowest) = calling.await.expect("callers");
    eprintln!("A killed under load: {calls} calls, {} failed, slowest {slowest:?}", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(slowest < SLOWEST_CALL, "slowest call {slowest:?}");
    every_call_succeeds(&mut e, &names, "A killed").await;
    watch.assert_all_serving();

    evaluation.stop().await;
    drop(b);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_open_stream_ends_when_evaluation_stops_and_the_stop_beats_its_drain_deadline() {
    const N: usize = 200;
    let drain_timeout = Duration::from_secs(10);
    let registry = TestRegistry::start().await;
    load_same(&[&registry], N).await;
    let evaluation = TestEvaluation::start_with(vec![registry.url()], |o| o.drain_timeout = drain_timeout).await;
    evaluation.wait_for_health(ServingStatus::Serving).await;
    // Small flow-control windows, so that a client that does not read holds the stream open with
    // only a few evaluations in flight instead of all of them.
    let channel = evaluation
        .channel(|e| e.initial_stream_window_size(Some(16 << 10)).initial_connection_window_size(Some(16 << 10)))
        .await;
    let mut e = EvaluationServiceClient::new(channel);
    let mut stream = e.evaluate_pairings(ev::EvaluatePairingsRequest::default()).await.expect("stream").into_inner();
    assert!(stream.message().await.expect("first item").is_some());
    // Let the server fill what buffers it has, so that it is mid-stream when asked to stop.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let stopping = tokio::spawn(async move {
        let started = Instant::now();
        evaluation.stop().await;
        started.elapsed()
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut streamed = 1;
    let ended = tokio::time::timeout(drain_timeout, async {
        loop {
            match stream.message().await {
                Ok(Some(_)) => streamed += 1,
                Ok(None) => break None,
                Err(status) => break Some(status),
            }
        }
    })
    .await
    .expect("the stream ends before the drain deadline");
    let status = ended.unwrap_or_else(|| panic!("the stream ended cleanly after {streamed} of {N}"));
    assert_eq!(status.code(), Code::Unavailable, "{}", status.message());
    assert!(status.message().contains("shutting down"), "{}", status.message());
    assert!(streamed < N, "{streamed}");
    let took = stopping.await.expect("stop task");
    eprintln!("stream ended after {streamed} of {N}; stop took {took:?} (drain deadline {drain_timeout:?})");
    assert!(took < Duration::from_secs(3), "stop took {took:?}: the open stream held the drain");
    registry.stop().await;
}
