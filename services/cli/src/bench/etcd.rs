//! `bench --store etcd`: the registry on an etcd store, measured beside the same reads and writes
//! sent straight to etcd (`etcd_raw_rps`) by this process, under the same closed-loop load, in
//! alternating rounds with the subject and the baseline.
//!
//! Without `--etcd-endpoints` each scenario gets a single etcd member of its own: the `etcd`
//! binary on PATH, a fresh data directory in a tempdir, ephemeral ports on 127.0.0.1, killed when
//! the scenario ends however it ends. Every scenario writes under a prefix unique to it
//! (`/eastwest-bench/{pid}-{nanos}-{scenario}/`): the registry below `registry/`, the raw writes
//! below `raw/`; on a cluster given by `--etcd-endpoints` that prefix is deleted afterwards.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use eastwest_domain::model::{ActorCategory, Side as ActorSide};
use eastwest_registry::store::EtcdConfig;
use eastwest_registry::{ActorDraft, Stamp, keys};
use etcd_client::{
    Client, Compare, CompareOp, ConnectOptions, DeleteOptions, GetOptions, KvClient, Txn, TxnOp, TxnOpResponse,
};
use tonic::Status;

use super::load::{Call, Side, side};
use super::scenarios::REGIONS;
use super::subject::{Engine, Subject};
use super::{Figures, Scenario, Shape, measure_subject, with_raw};

/// Longest wait for a member of our own to accept connections.
const START_WITHIN: Duration = Duration::from_secs(20);
/// Attempts at starting a member (a port taken between choosing it and etcd binding it).
const START_ATTEMPTS: usize = 3;
/// Longest wait for the prefix to be deleted from a cluster given by --etcd-endpoints.
const CLEAN_WITHIN: Duration = Duration::from_secs(60);

/// A single etcd member of the bench's own, SIGKILLed and reaped when dropped.
struct Member {
    child: Child,
    endpoint: String,
    dir: tempfile::TempDir,
}

impl Drop for Member {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> std::io::Result<u16> {
    // Bound and released at once: free for etcd a moment later (or, rarely, not: then we retry).
    std::net::TcpListener::bind("127.0.0.1:0")?.local_addr().map(|a| a.port())
}

impl Member {
    async fn start() -> anyhow::Result<Member> {
        let mut why = String::new();
        for _ in 0..START_ATTEMPTS {
            match Self::try_start().await? {
                Ok(member) => return Ok(member),
                Err(exited) => why = exited,
            }
        }
        anyhow::bail!("etcd did not start ({START_ATTEMPTS} attempts): {why}")
    }

    /// `Ok(Err(why))` when etcd exited while starting (worth another attempt on other ports).
    async fn try_start() -> anyhow::Result<Result<Member, String>> {
        let dir = tempfile::tempdir()?;
        let (client_port, peer_port) = (free_port()?, free_port()?);
        let client = format!("http://127.0.0.1:{client_port}");
        let peer = format!("http://127.0.0.1:{peer_port}");
        let log = std::fs::File::create(dir.path().join("etcd.log"))?;
        let child = Command::new("etcd")
            .args(["--name", "bench"])
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .args(["--listen-client-urls", &client, "--advertise-client-urls", &client])
            .args(["--listen-peer-urls", &peer, "--initial-advertise-peer-urls", &peer])
            .args(["--initial-cluster", &format!("bench={peer}"), "--initial-cluster-state", "new"])
            .args(["--initial-cluster-token", "eastwest-bench"])
            .args(["--logger", "zap", "--log-level", "warn"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot start `etcd` ({e}): install it (Debian: apt-get install etcd-server) so that it is on \
                     PATH, or give --etcd-endpoints"
                )
            })?;
        let mut member = Member { child, endpoint: client, dir };
        let started = Instant::now();
        loop {
            if let Some(status) = member.child.try_wait()? {
                return Ok(Err(format!("etcd exited at start ({status}): {}", member.log_tail())));
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", client_port)).await.is_ok() {
                return Ok(Ok(member));
            }
            if started.elapsed() > START_WITHIN {
                // Dropping `member` kills it.
                anyhow::bail!(
                    "etcd did not accept connections on {} within {} s: {}",
                    member.endpoint,
                    START_WITHIN.as_secs(),
                    member.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The end of etcd's log, for an error message.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("etcd.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(3).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    }
}

/// The client options of the registry's etcd store, so that raw etcd is driven the same way.
fn connect_options() -> ConnectOptions {
    let defaults = EtcdConfig::new(Vec::new(), "");
    ConnectOptions::new()
        .with_timeout(defaults.request_timeout)
        .with_connect_timeout(defaults.request_timeout)
        .with_keep_alive(Duration::from_secs(10), Duration::from_secs(5))
        .with_require_leader(true)
}

/// Runs one scenario with the registry on etcd: on a member of its own, or on `endpoints`.
pub(super) async fn measure(
    scenario: Scenario,
    shape: Shape,
    endpoints: &[String],
) -> anyhow::Result<(Figures, Option<String>)> {
    let member = if endpoints.is_empty() {
        eprintln!("  starting an etcd member on 127.0.0.1 …");
        Some(Member::start().await?)
    } else {
        None
    };
    let endpoints = member.as_ref().map_or_else(|| endpoints.to_vec(), |m| vec![m.endpoint.clone()]);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let root = format!("/eastwest-bench/{}-{nanos}-{}", std::process::id(), scenario.name());
    let prefixes = Prefixes { registry: format!("{root}/registry"), raw: format!("{root}/raw") };
    let result = async {
        let config = EtcdConfig::new(endpoints.clone(), prefixes.registry.clone());
        let subject = Subject::start(scenario, shape.records, Engine::Etcd(config)).await?;
        let raw = |seq, records| raw_side(scenario, shape.channels, &endpoints, &prefixes, seq, records);
        let (figures, first_error, raw) = measure_subject(scenario, shape, subject, raw).await?;
        anyhow::Ok((with_raw(figures, raw), first_error))
    }
    .await;
    if member.is_none() {
        // After a failed run, the run's own error says what went wrong with etcd.
        clean(&endpoints, &root, result.is_ok()).await;
    }
    // Dropping the member (if ours) stops it.
    drop(member);
    result
}

/// Deletes everything the run wrote under `root` on a cluster that outlives the run; says so if
/// that fails and `warn`.
async fn clean(endpoints: &[String], root: &str, warn: bool) {
    let delete = async {
        let mut kv = Client::connect(endpoints, Some(connect_options())).await?.kv_client();
        kv.delete(format!("{root}/"), Some(DeleteOptions::new().with_prefix())).await
    };
    match tokio::time::timeout(CLEAN_WITHIN, delete).await {
        Ok(Ok(_)) => {}
        _ if !warn => {}
        Ok(Err(e)) => eprintln!("  warning: could not delete {root}/ from etcd: {e}"),
        Err(_) => eprintln!("  warning: deleting {root}/ from etcd took over {} s", CLEAN_WITHIN.as_secs()),
    }
}

/// Where the registry under test keeps its keys, and where raw writes go.
struct Prefixes {
    registry: String,
    raw: String,
}

fn unavailable(e: etcd_client::Error) -> Status {
    Status::unavailable(format!("raw etcd: {e}"))
}

/// The actor record the registry writes for the `seq`-th CreateActor of the bench (the same draft
/// as the request's), JSON-encoded as the registry stores it, with its id.
fn created_actor(seq: u64) -> Result<(String, eastwest_domain::model::Actor), Status> {
    let i = seq as usize;
    let draft = ActorDraft {
        display_name: format!("created {seq}"),
        category: Some(ActorCategory::GovernmentBody),
        side: Some(if i.is_multiple_of(2) { ActorSide::East } else { ActorSide::West }),
        region_code: REGIONS[i % REGIONS.len()].to_string(),
        ..Default::default()
    };
    let id = format!("c{seq:09}");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_micros() as i64);
    let actor =
        draft.validate("actor", &Stamp::created(&id, now)).map_err(|v| Status::internal(format!("raw etcd: {v:?}")))?;
    Ok((id, actor))
}

/// The scenario's reads and writes, straight to etcd: what the registry asks of etcd for one
/// request, without the registry. `None` for the scenarios that have no such counterpart.
fn raw_call(scenario: Scenario, records: u64, prefixes: &Prefixes) -> Option<Call<KvClient>> {
    let n = records.max(1);
    let registry = prefixes.registry.clone();
    let call: Call<KvClient> = match scenario {
        // GetActor: one linearizable get of the actor's record.
        Scenario::GetActor => Arc::new(move |mut kv, seq| {
            let key = format!("{registry}/a/a{:07}", seq % n);
            Box::pin(async move {
                let found = kv.get(key, None).await.map_err(unavailable)?;
                if found.kvs().is_empty() {
                    return Err(Status::not_found("raw etcd: the actor's key is missing"));
                }
                Ok(1)
            })
        }),
        // CreateActor: if the record is absent, put the record and its index keys, in one
        // transaction (what the registry commits, without its read before).
        Scenario::CreateActor => {
            let raw = prefixes.raw.clone();
            Arc::new(move |mut kv, seq| {
                let raw = raw.clone();
                Box::pin(async move {
                    let (id, actor) = created_actor(seq)?;
                    let record = serde_json::to_vec(&actor).map_err(|e| Status::internal(e.to_string()))?;
                    let record_key = format!("{raw}/a/{id}");
                    let mut ops: Vec<TxnOp> = keys::actor_index(&actor)
                        .into_iter()
                        .map(|k| TxnOp::put([raw.as_bytes(), b"/", &k].concat(), id.as_bytes(), None))
                        .collect();
                    ops.push(TxnOp::put(record_key.clone(), record, None));
                    let txn = Txn::new().when([Compare::mod_revision(record_key, CompareOp::Equal, 0)]).and_then(ops);
                    let done = kv.txn(txn).await.map_err(unavailable)?;
                    if !done.succeeded() {
                        return Err(Status::already_exists("raw etcd: the record exists"));
                    }
                    Ok(1)
                })
            })
        }
        // ListActors by region prefix: a range over the region index (the registry reads 64
        // entries for a page of 50), then those records in one read-only transaction at the
        // range's revision.
        Scenario::ListActors => Arc::new(move |mut kv, seq| {
            let registry = registry.clone();
            Box::pin(async move {
                let region = &REGIONS[seq as usize % REGIONS.len()][..4];
                let index = kv
                    .get(format!("{registry}/x/ar/{region}"), Some(GetOptions::new().with_prefix().with_limit(64)))
                    .await
                    .map_err(unavailable)?;
                let revision = index.header().map_or(0, |h| h.revision());
                let ops: Vec<TxnOp> = index
                    .kvs()
                    .iter()
                    .map(|e| {
                        let key = [registry.as_bytes(), b"/a/", keys::last_segment(e.key())].concat();
                        TxnOp::get(key, Some(GetOptions::new().with_revision(revision)))
                    })
                    .collect();
                if ops.is_empty() {
                    return Err(Status::not_found("raw etcd: the region index is empty"));
                }
                kv.txn(Txn::new().and_then(ops)).await.map_err(unavailable)?;
                Ok(1)
            })
        }),
        // GetPairingSnapshot: the pairing's record, a range over its activities, then the six
        // actors they name in one read-only transaction.
        Scenario::GetPairing => Arc::new(move |mut kv, seq| {
            let registry = registry.clone();
            Box::pin(async move {
                let id = format!("p{:06}", seq % n);
                let pairing = kv.get(format!("{registry}/p/{id}"), None).await.map_err(unavailable)?;
                if pairing.kvs().is_empty() {
                    return Err(Status::not_found("raw etcd: the pairing's key is missing"));
                }
                let activities = GetOptions::new().with_prefix().with_limit(1024);
                kv.get(format!("{registry}/v/{id}/"), Some(activities)).await.map_err(unavailable)?;
                let ops: Vec<TxnOp> =
                    (0..6).map(|i| TxnOp::get(format!("{registry}/a/party-{i}"), Some(GetOptions::new()))).collect();
                let actors = kv.txn(Txn::new().and_then(ops)).await.map_err(unavailable)?;
                let found = actors
                    .op_responses()
                    .iter()
                    .filter(|r| matches!(r, TxnOpResponse::Get(g) if !g.kvs().is_empty()))
                    .count();
                if found != 6 {
                    return Err(Status::not_found(format!("raw etcd: {found} of the 6 actors found")));
                }
                Ok(1)
            })
        }),
        Scenario::Evaluate | Scenario::EvaluateLarge | Scenario::EvaluateStream | Scenario::All => return None,
    };
    Some(call)
}

/// The raw etcd side of a scenario: `channels` etcd clients (one HTTP/2 connection each, as the
/// load has towards the registry), driven by the run's closed loop.
async fn raw_side(
    scenario: Scenario,
    channels: usize,
    endpoints: &[String],
    prefixes: &Prefixes,
    seq: Arc<AtomicU64>,
    records: u64,
) -> anyhow::Result<Option<Side>> {
    let Some(call) = raw_call(scenario, records, prefixes) else { return Ok(None) };
    let mut clients = Vec::with_capacity(channels);
    for _ in 0..channels {
        clients.push(Client::connect(endpoints, Some(connect_options())).await?.kv_client());
    }
    Ok(Some(side(call, clients, seq)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny(records: u64) -> Shape {
        Shape { duration: Duration::from_millis(600), concurrency: 4, channels: 2, records: Some(records) }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_member_of_our_own_is_gone_once_dropped() {
        let member = Member::start().await.unwrap();
        let pid = member.child.id();
        assert!(std::path::Path::new(&format!("/proc/{pid}")).exists());
        drop(member);
        assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists(), "etcd {pid} outlived its Member");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_registry_scenario_reports_raw_etcd_beside_the_registry() {
        for (scenario, records) in [
            (Scenario::GetActor, 50),
            (Scenario::CreateActor, 0),
            (Scenario::ListActors, 200),
            (Scenario::GetPairing, 3),
        ] {
            let (figures, first_error) = measure(scenario, tiny(records), &[]).await.unwrap();
            assert_eq!(figures.errors, 0, "{}: {first_error:?}", scenario.name());
            assert!(figures.rps > 0.0 && figures.baseline_rps > 0.0, "{figures:?}");
            assert_eq!(figures.store, Some("etcd"));
            let raw = figures.etcd_raw_rps.unwrap();
            assert!(raw > 0.0, "{figures:?}");
            assert!((figures.etcd_ratio.unwrap() - figures.rps / raw).abs() < 1e-9);
        }
    }
}
