//! Several registry replicas on one etcd cluster (real etcd processes on 127.0.0.1): what one
//! replica writes the other reads, races across replicas have one winner, a lost member is
//! survived, a lost quorum is reported (UNAVAILABLE, NOT_SERVING) and recovered from, and a
//! listing reads one snapshot.
#![cfg(feature = "etcd")]

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::etcd::EtcdCluster;
use common::*;
use eastwest_proto::registry::v1 as pb;
use eastwest_registry::store::StoreError;
use tonic::Code;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

fn any_addr() -> std::net::SocketAddr {
    "127.0.0.1:0".parse().expect("addr")
}

/// A cluster of `members` and two registry replicas on it.
async fn replicas(members: usize) -> (Arc<Mutex<EtcdCluster>>, TestRegistry, TestRegistry) {
    let cluster = EtcdCluster::start(members);
    let endpoints = cluster.endpoints();
    let cluster = Arc::new(Mutex::new(cluster));
    let backing =
        || Backing::Etcd { cluster: Arc::clone(&cluster), endpoints: endpoints.clone(), prefix: "/ew".into() };
    let a = TestRegistry::start_on(backing(), any_addr()).await;
    let b = TestRegistry::start_on(backing(), any_addr()).await;
    (cluster, a, b)
}

fn mask(paths: &[&str]) -> Option<prost_types::FieldMask> {
    Some(prost_types::FieldMask { paths: paths.iter().map(|p| p.to_string()).collect() })
}

async fn health_of(url: &str, service: &str) -> Option<i32> {
    let channel = tonic::transport::Endpoint::from_shared(url.to_string()).ok()?.connect().await.ok()?;
    let request = tonic_health::pb::HealthCheckRequest { service: service.into() };
    HealthClient::new(channel).check(request).await.ok().map(|r| r.into_inner().status)
}

async fn health(url: &str) -> Option<i32> {
    health_of(url, "eastwest.registry.v1.RegistryService").await
}

async fn wait_for_health(url: &str, want: ServingStatus, within: Duration) -> Duration {
    let started = Instant::now();
    while health(url).await != Some(want as i32) {
        assert!(started.elapsed() < within, "{url} did not report {want:?} within {within:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_share_writes_and_races_across_them_have_one_winner() {
    let (_cluster, a, b) = replicas(1).await;
    let (mut ca, mut cb) = (a.client().await, b.client().await);
    let created = east(&mut ca, "js").await;
    let read = cb.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("read via b");
    assert_eq!(read.into_inner(), created, "a write through one replica is read through the other");

    for round in 0..5 {
        let current = ca.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("get").into_inner();
        let mut racers = Vec::new();
        for i in 0..8 {
            let mut client = if i % 2 == 0 { a.client().await } else { b.client().await };
            let update = pb::Actor {
                name: current.name.clone(),
                etag: current.etag.clone(),
                display_name: format!("round {round} writer {i}"),
                ..Default::default()
            };
            racers.push(tokio::spawn(async move {
                client
                    .update_actor(pb::UpdateActorRequest { actor: Some(update), update_mask: mask(&["display_name"]) })
                    .await
            }));
        }
        let mut winners = Vec::new();
        for racer in racers {
            match racer.await.expect("task") {
                Ok(actor) => winners.push(actor.into_inner().display_name),
                Err(status) => assert_eq!(status.code(), Code::Aborted, "{}", status.message()),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: exactly one update wins: {winners:?}");
        let stored = cb.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("get").into_inner();
        assert_eq!(stored.display_name, winners[0]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn creates_and_deletes_across_replicas_never_leave_a_dangling_reference() {
    let (_cluster, a, b) = replicas(1).await;
    let mut c = a.client().await;
    west(&mut c, "w").await;
    for round in 0..6 {
        let target = format!("t{round}");
        east(&mut c, &target).await;
        let mut creators = Vec::new();
        for i in 0..4 {
            let mut client = if i % 2 == 0 { a.client().await } else { b.client().await };
            let (id, target) = (format!("r{round}-{i}"), target.clone());
            creators.push(tokio::spawn(async move {
                let request = pb::CreatePairingRequest { pairing: Some(pairing(&id, &target, "w")), pairing_id: id };
                client.create_pairing(request).await.map(|_| ())
            }));
        }
        let deleted = spawn_persistent_delete(b.client().await, format!("actors/{target}"));
        let created = count_created(creators).await;
        if deleted.await.expect("deleter") {
            assert_eq!(created, 0, "round {round}: the actor was deleted although {created} pairing(s) name it");
        }
    }
    assert_pairings_name_existing_actors(&mut c).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_listing_reads_one_snapshot_and_a_compacted_one_must_restart() {
    let (cluster, a, _b) = replicas(1).await;
    let mut c = a.client().await;
    for i in 0..6 {
        east(&mut c, &format!("e{i}")).await;
    }
    let first = c.list_actors(pb::ListActorsRequest { page_size: 3, ..Default::default() }).await.expect("page 1");
    let first = first.into_inner();
    assert_eq!(first.actors.len(), 3);
    // Written after the first page: not part of this listing's snapshot.
    east(&mut c, "e9").await;
    let second = c
        .list_actors(pb::ListActorsRequest {
            page_size: 10,
            page_token: first.next_page_token.clone(),
            ..Default::default()
        })
        .await
        .expect("page 2")
        .into_inner();
    let names: Vec<_> = second.actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["actors/e3", "actors/e4", "actors/e5"], "the second page reads the first page's revision");

    // Compact past the listing's revision: its token can no longer be served.
    let endpoints = cluster.lock().expect("cluster").endpoints();
    let mut etcd = etcd_client::Client::connect(&endpoints, None).await.expect("etcd");
    let now = etcd.get("/", None).await.expect("revision").header().expect("header").revision();
    etcd.compact(now, None).await.expect("compact");
    let stale = c
        .list_actors(pb::ListActorsRequest { page_size: 10, page_token: first.next_page_token, ..Default::default() })
        .await
        .expect_err("a compacted snapshot");
    assert_eq!(stale.code(), Code::FailedPrecondition, "{}", stale.message());
    assert!(stale.message().contains("start the listing again"), "{}", stale.message());
    // A new listing sees everything.
    assert_eq!(all_actor_names(&mut c, pb::ListActorsRequest::default()).await.len(), 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn prefixes_must_be_absolute_and_must_not_nest() {
    use eastwest_registry::store::{EtcdConfig, EtcdStore, StoreError};
    let (cluster, a, _b) = replicas(1).await;
    let mut c = a.client().await;
    east(&mut c, "js").await;
    let endpoints = cluster.lock().expect("cluster").endpoints();
    // `/fresh/a` with nothing at `/fresh`: were `/fresh` opened later, it would read the inner
    // registry's keys as its actors, so a registry's own key names are refused as segments.
    for prefix in ["/ew/inner", "/ew/a", "/fresh/a", "/fresh/p/q", "", "/", "eastwest", "/a//b"] {
        let opened = EtcdStore::open(&EtcdConfig::new(endpoints.clone(), prefix)).await;
        assert!(matches!(opened, Err(StoreError::Config(_))), "{prefix:?}: {:?}", opened.err());
    }
    // A sibling is fine, and the registry at /ew is untouched.
    EtcdStore::open(&EtcdConfig::new(endpoints, "/ew2")).await.expect("a sibling prefix");
    assert_eq!(all_actor_names(&mut c, pb::ListActorsRequest::default()).await, ["actors/js"]);
}

/// The member that leads the cluster now, by index.
async fn leader(cluster: &Arc<Mutex<EtcdCluster>>) -> usize {
    let endpoints = cluster.lock().expect("cluster").endpoints();
    for (i, endpoint) in endpoints.iter().enumerate() {
        let Ok(mut client) = etcd_client::Client::connect([endpoint], None).await else { continue };
        let Ok(status) = client.status().await else { continue };
        let header = status.header().expect("header");
        if status.leader() == header.member_id() {
            return i;
        }
    }
    panic!("no member leads the cluster");
}

/// What the writers saw: the names acknowledged (with when), and the ids whose write failed.
#[derive(Default)]
struct Writes {
    acked: Vec<(String, Instant)>,
    failed: Vec<(String, tonic::Status)>,
}

/// Creates actors through the given clients until `stop`.
async fn write_until(
    registries: Vec<Client>,
    prefix: &'static str,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Writes {
    let mut writers = Vec::new();
    for (w, mut client) in registries.into_iter().enumerate() {
        let stop = stop.clone();
        writers.push(tokio::spawn(async move {
            let mut seen = Writes::default();
            let mut i = 0;
            while !*stop.borrow() {
                let id = format!("{prefix}-{w}-{i}");
                i += 1;
                let request =
                    pb::CreateActorRequest { actor: Some(actor(&id, pb::Side::East, "320000")), actor_id: id.clone() };
                match client.create_actor(request).await {
                    Ok(created) => seen.acked.push((created.into_inner().name, Instant::now())),
                    Err(status) => seen.failed.push((id, status)),
                }
            }
            seen
        }));
    }
    let mut all = Writes::default();
    for writer in writers {
        let seen = writer.await.expect("writer");
        all.acked.extend(seen.acked);
        all.failed.extend(seen.failed);
    }
    all
}

/// A write whose outcome is unknown applied whole or not at all: its record and its index entry
/// are both there or both absent.
async fn assert_whole_or_absent(c: &mut Client, id: &str) {
    let record = c.get_actor(pb::GetActorRequest { name: format!("actors/{id}") }).await;
    let indexed = all_actor_names(c, pb::ListActorsRequest { region_code_prefix: "32".into(), ..Default::default() })
        .await
        .contains(&format!("actors/{id}"));
    assert_eq!(record.is_ok(), indexed, "{id}: a write must never land in part");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn losing_one_member_loses_no_write_and_losing_quorum_is_reported_then_recovered() {
    let (cluster, a, b) = replicas(3).await;
    let mut c = a.client().await;
    east(&mut c, "before").await;

    // One member (the leader, the harder case) killed while both replicas take writes.
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let clients = vec![a.client().await, a.client().await, b.client().await, b.client().await];
    let writing = tokio::spawn(write_until(clients, "w", stopping));
    tokio::time::sleep(Duration::from_millis(700)).await;
    let killed = leader(&cluster).await;
    cluster.lock().expect("cluster").kill(killed);
    let killed_at = Instant::now();
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    stop.send(true).expect("stop writers");
    let writes = writing.await.expect("writers");
    // Writes in flight to the killed leader may have lost their answer: those few are reported
    // as of unknown outcome (never resent blindly); everything else goes on.
    for (id, status) in &writes.failed {
        assert_eq!(status.code(), Code::Unavailable, "{id}: {}", status.message());
        assert!(status.message().contains("may or may not"), "{id}: {}", status.message());
    }
    assert!(writes.failed.len() <= 4, "more failures than writes in flight at the kill: {}", writes.failed.len());
    let after_kill =
        writes.acked.iter().filter(|(_, at)| at.duration_since(killed_at) > Duration::from_secs(1)).count();
    assert!(after_kill > 20, "writes must go on while a majority lives; {after_kill} acknowledged after the kill");
    let acked: Vec<String> = writes.acked.into_iter().map(|(name, _)| name).collect();
    // Every acknowledged write is there, through either replica.
    let mut cb = b.client().await;
    let stored: BTreeSet<String> =
        all_actor_names(&mut cb, pb::ListActorsRequest::default()).await.into_iter().collect();
    for name in &acked {
        assert!(stored.contains(name), "acknowledged {name} is missing");
    }
    for (id, _) in &writes.failed {
        assert_whole_or_absent(&mut cb, id).await;
    }
    // A majority lives: both replicas stay ready, whichever member their probes reach first.
    for _ in 0..10 {
        for url in [a.url(), b.url()] {
            assert_eq!(health(&url).await, Some(ServingStatus::Serving as i32), "{url} with one member down");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A second member gone: no quorum. Calls fail promptly with UNAVAILABLE; health follows.
    let second = (killed + 1) % 3;
    cluster.lock().expect("cluster").kill(second);
    let started = Instant::now();
    let request =
        pb::CreateActorRequest { actor: Some(actor("during", pb::Side::East, "320000")), actor_id: "during".into() };
    let refused = c.create_actor(request).await.expect_err("no quorum, no write");
    let waited = started.elapsed();
    assert_eq!(refused.code(), Code::Unavailable, "{}", refused.message());
    assert!(waited < Duration::from_secs(6), "UNAVAILABLE took {waited:?}");
    let read = c.get_actor(pb::GetActorRequest { name: "actors/before".into() }).await.expect_err("no quorum");
    assert_eq!(read.code(), Code::Unavailable, "{}", read.message());
    let noticed = wait_for_health(&a.url(), ServingStatus::NotServing, Duration::from_secs(5)).await;
    wait_for_health(&b.url(), ServingStatus::NotServing, Duration::from_secs(5)).await;
    // Not ready, but alive: a liveness probe must not restart replicas for etcd's outage.
    assert_eq!(health_of(&a.url(), "liveness").await, Some(ServingStatus::Serving as i32));

    // Members back: the replicas recover by themselves.
    {
        let mut cluster = cluster.lock().expect("cluster");
        cluster.restart(killed);
        cluster.restart(second);
    }
    let recovered = wait_for_health(&a.url(), ServingStatus::Serving, Duration::from_secs(20)).await;
    wait_for_health(&b.url(), ServingStatus::Serving, Duration::from_secs(20)).await;
    // Writes go through again; a member still catching up may cost the first one a retry.
    let since_serving = Instant::now();
    loop {
        let request =
            pb::CreateActorRequest { actor: Some(actor("after", pb::Side::East, "320000")), actor_id: "after".into() };
        match c.create_actor(request).await {
            Ok(_) => break,
            Err(s) if s.code() == Code::Unavailable && since_serving.elapsed() < Duration::from_secs(8) => {
                eprintln!("a write {:?} after SERVING: {}", since_serving.elapsed(), s.message());
            }
            Err(s) => panic!("no write {:?} after SERVING: {s:?}", since_serving.elapsed()),
        }
    }
    let first_write = since_serving.elapsed();
    // The refused write applied entirely or not at all.
    assert_whole_or_absent(&mut c, "during").await;
    let all = all_actor_names(&mut c, pb::ListActorsRequest::default()).await;
    for name in &acked {
        assert!(all.contains(name), "acknowledged {name} is missing after recovery");
    }
    eprintln!(
        "acknowledged {} writes across a leader kill ({} of unknown outcome); UNAVAILABLE after {waited:?}; NOT_SERVING after \
         {noticed:?}; SERVING again {recovered:?} after the members' restart, a write {first_write:?} later",
        acked.len(),
        writes.failed.len()
    );
}

/// Runs the `eastwest` binary against `registry` (off the async runtime: the servers live on it).
async fn eastwest(registry: &str, args: &[&str]) -> String {
    let bin = tokio::task::spawn_blocking(|| cargo_binary("eastwest-cli", "eastwest")).await.expect("build");
    let mut command = std::process::Command::new(bin);
    command.args(["--registry", registry]).args(args);
    let out = tokio::task::spawn_blocking(move || command.output().expect("run eastwest")).await.expect("join");
    assert!(out.status.success(), "eastwest {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf8")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moving_from_sled_to_etcd_is_export_then_import() {
    let sled_dir = tempfile::tempdir().expect("tempdir");
    let embedded = TestRegistry::start_at(&sled_dir.path().join("registry"), any_addr()).await;
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/sample/registry.jsonl");
    eastwest(&embedded.url(), &["import", sample]).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let exported = dir.path().join("sled.jsonl");
    eastwest(&embedded.url(), &["export", "--out", exported.to_str().expect("path")]).await;

    let (_cluster, a, b) = replicas(1).await;
    let imported = eastwest(&a.url(), &["import", exported.to_str().expect("path")]).await;
    let records = std::fs::read_to_string(&exported).expect("export").lines().count();
    assert!(imported.contains(&format!("{records} created, 0 unchanged, 0 failed")), "{imported}");
    let again = dir.path().join("etcd.jsonl");
    eastwest(&b.url(), &["export", "--out", again.to_str().expect("path")]).await;
    assert_eq!(
        std::fs::read_to_string(&again).expect("etcd export"),
        std::fs::read_to_string(&exported).expect("sled export"),
        "the etcd registry holds exactly what the sled one held"
    );
    embedded.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_registry_reaches_etcd_over_tls_with_a_client_certificate() {
    use eastwest_registry::store::{EtcdConfig, EtcdStore};
    let cluster = EtcdCluster::start_tls();
    let pki = cluster.pki().expect("tls");
    let mut config = EtcdConfig::new(cluster.endpoints(), "/tls");
    config.ca_file = Some(pki.ca.clone());
    config.cert_file = Some(pki.client_cert.clone());
    config.key_file = Some(pki.client_key.clone());
    let store = EtcdStore::open(&config).await.expect("TLS with a client certificate");
    let listener = tokio::net::TcpListener::bind(any_addr()).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let options = eastwest_registry::ServeOptions::default();
    let server = tokio::spawn(eastwest_registry::serve(listener, store, options, async {
        let _ = stopped.await;
    }));
    let mut c = connect(addr).await;
    let created = east(&mut c, "js").await;
    assert_eq!(
        c.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("get").into_inner(),
        created
    );
    let _ = stop.send(());
    server.await.expect("server task").expect("server");

    // Without the client certificate, etcd refuses the connection: the store does not open.
    let mut anonymous = EtcdConfig::new(cluster.endpoints(), "/tls");
    anonymous.ca_file = Some(pki.ca.clone());
    anonymous.connect_patience = Duration::from_millis(500);
    let refused = EtcdStore::open(&anonymous).await.err().expect("etcd must require the client certificate");
    assert!(refused.to_string().contains("unavailable"), "{refused}");
    // https:// needs the CA named: this build trusts no system roots.
    let mut no_ca = EtcdConfig::new(cluster.endpoints(), "/tls");
    no_ca.cert_file = Some(pki.client_cert.clone());
    no_ca.key_file = Some(pki.client_key.clone());
    let refused = EtcdStore::open(&no_ca).await.err().expect("https without a CA file");
    assert!(refused.to_string().contains("--etcd-ca-file"), "{refused}");
    // Half a pair is refused before any connection.
    let mut half = EtcdConfig::new(cluster.endpoints(), "/tls");
    half.cert_file = Some(pki.client_cert.clone());
    let refused = EtcdStore::open(&half).await.err().expect("a certificate without its key");
    assert!(refused.to_string().contains("go together"), "{refused}");
}

/// A TCP relay in front of an etcd member that can swallow everything etcd answers, as a network
/// that loses replies would.
struct LossyLink {
    url: String,
    swallow: Arc<std::sync::atomic::AtomicBool>,
}

impl LossyLink {
    async fn start(upstream: &str) -> Self {
        use std::sync::atomic::{AtomicBool, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let upstream = upstream.trim_start_matches("http://").to_string();
        let listener = tokio::net::TcpListener::bind(any_addr()).await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let swallow = Arc::new(AtomicBool::new(false));
        let swallowing = Arc::clone(&swallow);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = tokio::net::TcpStream::connect(&upstream).await else { continue };
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                tokio::spawn(async move { tokio::io::copy(&mut client_read, &mut server_write).await });
                let swallowing = Arc::clone(&swallowing);
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 << 10];
                    while let Ok(n) = server_read.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        if swallowing.load(Ordering::SeqCst) {
                            // Lost replies break the connection for good, as a real loss would.
                            break;
                        }
                        if client_write.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Self { url, swallow }
    }

    fn set_swallow(&self, on: bool) {
        self.swallow.store(on, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_whose_answer_is_lost_is_settled_by_reading_it_back_never_resent() {
    let cluster = Arc::new(Mutex::new(EtcdCluster::start(1)));
    let endpoints = cluster.lock().expect("cluster").endpoints();
    let link = LossyLink::start(&endpoints[0]).await;
    let backing =
        |endpoints: Vec<String>| Backing::Etcd { cluster: Arc::clone(&cluster), endpoints, prefix: "/ew".into() };
    // A reaches etcd through the lossy link, B directly.
    // No health probes from A: a probe's answer swallowed just before A's write would break the
    // link's connection, and the write would then wait on a handshake that never completes.
    let quiet = eastwest_registry::ServeOptions {
        health_interval: Duration::from_secs(3600),
        ..eastwest_registry::ServeOptions::default()
    };
    let a = TestRegistry::start_on_with(backing(vec![link.url.clone()]), any_addr(), quiet).await;
    let b = TestRegistry::start_on(backing(endpoints.clone()), any_addr()).await;
    let (mut ca, mut cb) = (a.client().await, b.client().await);

    // The reply is lost, nothing else happens: A reads its write back and reports it.
    link.set_swallow(true);
    let create =
        |id: &str| pb::CreateActorRequest { actor: Some(actor(id, pb::Side::East, "320000")), actor_id: id.into() };
    let pending = tokio::spawn({
        let mut ca = ca.clone();
        let request = create("lost-reply");
        async move { ca.create_actor(request).await }
    });
    tokio::time::sleep(Duration::from_millis(800)).await;
    link.set_swallow(false);
    let settled = pending.await.expect("task").expect("the write applied; A must say so, not ALREADY_EXISTS");
    assert_eq!(settled.into_inner().name, "actors/lost-reply");

    // The reply is lost and B deletes the record before A learns anything: A must not create it
    // again (a resent "if absent" would), and must not claim an outcome it cannot know.
    link.set_swallow(true);
    let pending = tokio::spawn({
        let mut ca = ca.clone();
        let request = create("deleted-meanwhile");
        async move { ca.create_actor(request).await }
    });
    let name = "actors/deleted-meanwhile".to_string();
    let started = Instant::now();
    while cb.get_actor(pb::GetActorRequest { name: name.clone() }).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(1), "A's write never reached etcd");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    cb.delete_actor(pb::DeleteActorRequest { name: name.clone(), etag: String::new() }).await.expect("B deletes");
    link.set_swallow(false);
    let unknown = pending.await.expect("task").expect_err("A cannot know");
    assert_eq!(unknown.code(), Code::Unavailable, "{}", unknown.message());
    assert!(unknown.message().contains("may or may not"), "{}", unknown.message());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = cb.get_actor(pb::GetActorRequest { name }).await.expect_err("B's delete stands");
    assert_eq!(after.code(), Code::NotFound);
    assert_whole_or_absent(&mut ca, "deleted-meanwhile").await;
}

/// A TCP relay in front of an etcd member that, once armed, catches the first request carrying
/// every one of `needles`: it holds it back (it never reaches etcd), or with `deliver` passes it on
/// and drops etcd's answer; either way it waits to be released, then cuts the connection. The
/// sender cannot tell the two apart.
struct RequestTrap {
    url: String,
    armed: Arc<std::sync::atomic::AtomicBool>,
    caught: Arc<tokio::sync::Notify>,
    release: Arc<tokio::sync::Notify>,
}

impl RequestTrap {
    async fn start(upstream: &str, needles: Vec<Vec<u8>>, deliver: bool) -> Self {
        use std::sync::atomic::{AtomicBool, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        use tokio::sync::Notify;
        let upstream = upstream.trim_start_matches("http://").to_string();
        let listener = tokio::net::TcpListener::bind(any_addr()).await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (armed, caught, release) =
            (Arc::new(AtomicBool::new(false)), Arc::new(Notify::new()), Arc::new(Notify::new()));
        let trap = (Arc::clone(&armed), Arc::clone(&caught), Arc::clone(&release), Arc::new(needles));
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = tokio::net::TcpStream::connect(&upstream).await else { continue };
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                // etcd's answers go back unless muted; muted, they are read and dropped, and the
                // client's side of the connection stays open until the release cuts it.
                let mute = Arc::new(AtomicBool::new(false));
                let muted = Arc::clone(&mute);
                let answers = tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 << 10];
                    while let Ok(n) = server_read.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        if !muted.load(Ordering::SeqCst) && client_write.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                    // Hold the client's half until aborted: an early close would tell the client.
                    std::future::pending::<()>().await;
                });
                let (armed, caught, release, needles) =
                    (Arc::clone(&trap.0), Arc::clone(&trap.1), Arc::clone(&trap.2), Arc::clone(&trap.3));
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 << 10];
                    while let Ok(n) = client_read.read(&mut buf).await {
                        let chunk = &buf[..n];
                        let carries = |needle: &Vec<u8>| chunk.windows(needle.len()).any(|w| w == needle.as_slice());
                        if n > 0 && armed.load(Ordering::SeqCst) && needles.iter().all(carries) {
                            armed.store(false, Ordering::SeqCst);
                            mute.store(true, Ordering::SeqCst);
                            if deliver {
                                let _ = server_write.write_all(chunk).await;
                            }
                            caught.notify_one();
                            release.notified().await;
                            answers.abort();
                            return; // both halves dropped: the connection is cut
                        }
                        if n == 0 || server_write.write_all(chunk).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Self { url, armed, caught, release }
    }
}

/// Two parties `e` and `w` and their pairing `p`, written through the registry core.
async fn seed_pairing<S: eastwest_registry::store::Store>(registry: &eastwest_registry::Registry<S>) {
    use common::drafts::{actor, pairing_of};
    use eastwest_domain::model::Side;
    registry.create_actor(actor("east", Side::East), Some("e".into())).await.expect("east");
    registry.create_actor(actor("west", Side::West), Some("w".into())).await.expect("west");
    registry.create_pairing(pairing_of("e", "w"), Some("p".into())).await.expect("pairing");
}

fn funds() -> eastwest_registry::ActivityDraft {
    common::drafts::activity("e")
}

/// The registry core on etcd under `/ew`.
async fn core_on(endpoints: Vec<String>) -> Core {
    use eastwest_registry::store::{EtcdConfig, EtcdStore};
    eastwest_registry::Registry::new(EtcdStore::open(&EtcdConfig::new(endpoints, "/ew")).await.expect("open"))
}

type Core = eastwest_registry::Registry<eastwest_registry::store::EtcdStore>;

/// One etcd member; replica A reaches it through a trap for the one transaction that writes both
/// activity `x` of `p` and `p`'s count (recording or deleting x), replica B directly; the parties
/// and pairing `p` are written.
async fn trapped_replicas(deliver: bool) -> (EtcdCluster, RequestTrap, Arc<Core>, Core) {
    let cluster = EtcdCluster::start(1);
    let endpoints = cluster.endpoints();
    let trap = RequestTrap::start(&endpoints[0], vec![b"/ew/v/p/x".to_vec(), b"/ew/rc/p/p".to_vec()], deliver).await;
    let a = Arc::new(core_on(vec![trap.url.clone()]).await);
    let b = core_on(endpoints).await;
    seed_pairing(&b).await;
    (cluster, trap, a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_write_is_not_taken_for_applied_when_another_replica_wrote_the_same_values() {
    use eastwest_registry::RegistryError;
    // A's delete of x never reaches etcd.
    let (_cluster, trap, a, b) = trapped_replicas(false).await;
    for id in ["x", "y"] {
        b.create_activity("p", funds(), Some(id.into())).await.expect("activity");
    }

    trap.armed.store(true, std::sync::atomic::Ordering::SeqCst);
    let pending = tokio::spawn({
        let a = Arc::clone(&a);
        async move { a.delete_activity("p", "x", "").await }
    });
    tokio::time::timeout(Duration::from_secs(5), trap.caught.notified()).await.expect("A's delete was sent");
    // Meanwhile B deletes the sibling y: the pairing's count becomes what A's delete would write.
    b.delete_activity("p", "y", "").await.expect("B deletes y");
    trap.release.notify_one();
    let outcome = pending.await.expect("task");
    assert!(
        matches!(&outcome, Err(RegistryError::Store(StoreError::Unavailable(why))) if why.contains("may or may not")),
        "x was never deleted; A must not report that it was: {outcome:?}"
    );
    b.get_activity("p", "x").await.expect("x is still there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_reply_is_settled_by_the_record_even_after_shared_counts_moved() {
    // A's transaction recording activity x reaches etcd; its answer does not.
    let (_cluster, trap, a, b) = trapped_replicas(true).await;

    trap.armed.store(true, std::sync::atomic::Ordering::SeqCst);
    let pending = tokio::spawn({
        let a = Arc::clone(&a);
        async move { a.create_activity("p", funds(), Some("x".into())).await }
    });
    tokio::time::timeout(Duration::from_secs(5), trap.caught.notified()).await.expect("A's write was sent");
    let started = Instant::now();
    while b.get_activity("p", "x").await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(2), "A's write never applied");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // B moves the pairing's count before A reads back: the counts no longer show A's write.
    b.create_activity("p", funds(), Some("y".into())).await.expect("B records y");
    trap.release.notify_one();
    let settled = pending.await.expect("task").expect("x is there exactly as A wrote it");
    assert_eq!(settled.record.id, "x");
}

/// An etcd store that, right after the first read of pairing `p`'s activities, renames actor `e`
/// through another registry: a write racing a snapshot.
struct RenameDuringSnapshot {
    inner: eastwest_registry::store::EtcdStore,
    other: eastwest_registry::Registry<eastwest_registry::store::EtcdStore>,
    renamed: std::sync::atomic::AtomicBool,
}

impl eastwest_registry::store::Store for RenameDuringSnapshot {
    async fn get(&self, key: Vec<u8>) -> Result<Option<eastwest_registry::store::Versioned>, StoreError> {
        self.inner.get(key).await
    }

    async fn get_many(
        &self,
        keys: Vec<Vec<u8>>,
        revision: Option<u64>,
    ) -> Result<Vec<Option<eastwest_registry::store::Versioned>>, StoreError> {
        self.inner.get_many(keys, revision).await
    }

    async fn scan(
        &self,
        scan: eastwest_registry::store::Scan,
    ) -> Result<eastwest_registry::store::Scanned, StoreError> {
        let activities_of_p = scan.prefix.starts_with(b"v/p/");
        let scanned = self.inner.scan(scan).await?;
        if activities_of_p && !self.renamed.swap(true, std::sync::atomic::Ordering::SeqCst) {
            let renamed = eastwest_registry::ActorDraft { display_name: "renamed".into(), ..Default::default() };
            let fields = eastwest_registry::ACTOR_MASK.select(&["display_name"], &renamed).expect("mask");
            self.other.update_actor("e", "", renamed, &fields).await.expect("rename mid-snapshot");
        }
        Ok(scanned)
    }

    async fn commit(
        &self,
        txn: eastwest_registry::store::Txn,
    ) -> Result<eastwest_registry::store::Outcome, StoreError> {
        self.inner.commit(txn).await
    }

    async fn flush(&self) -> Result<(), StoreError> {
        self.inner.flush().await
    }

    fn limits(&self) -> eastwest_registry::store::TxnLimits {
        self.inner.limits()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pairing_snapshot_on_etcd_is_read_at_one_revision() {
    use eastwest_registry::store::{EtcdConfig, EtcdStore};
    let cluster = EtcdCluster::start(1);
    let endpoints = cluster.endpoints();
    let writer = core_on(endpoints.clone()).await;
    seed_pairing(&writer).await;
    writer.create_activity("p", funds(), Some("x".into())).await.expect("activity");
    let racing = eastwest_registry::Registry::new(RenameDuringSnapshot {
        inner: EtcdStore::open(&EtcdConfig::new(endpoints, "/ew")).await.expect("open"),
        other: writer,
        renamed: false.into(),
    });
    let snapshot = racing.get_pairing_snapshot("p").await.expect("snapshot");
    let east = snapshot.actors.iter().find(|a| a.record.id == "e").expect("the east actor");
    assert_eq!(east.record.display_name, "east", "the rename came after the snapshot's revision");
    assert_eq!(racing.get_actor("e").await.expect("e").record.display_name, "renamed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_read_of_more_keys_than_one_transaction_holds_is_one_snapshot() {
    use eastwest_registry::store::{EtcdConfig, EtcdStore, Outcome, Store, Txn};
    let cluster = EtcdCluster::start(1);
    let store = EtcdStore::open(&EtcdConfig::new(cluster.endpoints(), "/snap")).await.expect("open");
    let keys: Vec<Vec<u8>> = (0..300).map(|i| format!("a/k{i:03}").into_bytes()).collect();
    let write_all = |value: &'static [u8]| {
        let (store, keys) = (&store, &keys);
        async move {
            let mut last = 0;
            for chunk in keys.chunks(100) {
                let mut txn = Txn::default();
                for key in chunk {
                    txn.put(key.clone(), value.to_vec());
                }
                match store.commit(txn).await.expect("commit") {
                    Outcome::Committed { revision } => last = revision,
                    Outcome::Conflict => panic!("nothing was expected"),
                }
            }
            last
        }
    };
    let before = write_all(b"old").await;
    write_all(b"new").await;
    // Pinned: all 300 at the old revision, across three read transactions.
    let pinned = store.get_many(keys.clone(), Some(before)).await.expect("pinned read");
    assert!(pinned.iter().all(|v| v.as_ref().is_some_and(|v| v.value == b"old")), "a chunk read past the pin");
    // Unpinned: one revision for all, the latest.
    let latest = store.get_many(keys, None).await.expect("latest read");
    assert!(latest.iter().all(|v| v.as_ref().is_some_and(|v| v.value == b"new")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_page_token_from_the_future_is_invalid() {
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let (_cluster, a, _b) = replicas(1).await;
    let mut c = a.client().await;
    east(&mut c, "e0").await;
    east(&mut c, "e1").await;
    let page = c.list_actors(pb::ListActorsRequest { page_size: 1, ..Default::default() }).await.expect("page");
    // The same token, its revision moved far beyond anything the store has reached.
    let mut token: serde_json::Value =
        serde_json::from_slice(&engine.decode(page.into_inner().next_page_token).expect("base64")).expect("json");
    token["r"] = serde_json::json!(1u64 << 40);
    let forged = engine.encode(token.to_string());
    let status = c
        .list_actors(pb::ListActorsRequest { page_size: 1, page_token: forged, ..Default::default() })
        .await
        .expect_err("a revision etcd has not reached");
    assert_violation(&status, "page_token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn evaluation_keeps_answering_when_one_registry_replica_stops() {
    use eastwest_proto::evaluation::v1 as ev;
    let (_cluster, a, b) = replicas(1).await;
    let mut c = a.client().await;
    east(&mut c, "js").await;
    west(&mut c, "sn").await;
    create_pairing(&mut c, "js-sn", pairing("js-sn", "js", "sn")).await;
    create_activity(&mut c, "js-sn", "a1", activity("js")).await;
    let evaluation = TestEvaluation::start(&format!("{},{}", a.url(), b.url())).await;
    let mut e = evaluation.client().await;
    let request = || ev::EvaluatePairingRequest { pairing: "pairings/js-sn".into(), ..Default::default() };
    for _ in 0..10 {
        e.evaluate_pairing(request()).await.expect("both replicas up");
    }
    a.stop().await;
    let mut slowest = Duration::ZERO;
    for i in 0..30 {
        let started = Instant::now();
        e.evaluate_pairing(request()).await.unwrap_or_else(|s| panic!("call {i} with one replica down: {s:?}"));
        slowest = slowest.max(started.elapsed());
    }
    assert!(slowest < Duration::from_secs(1), "slowest call {slowest:?}");
    evaluation.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_registry_binary_runs_on_etcd_from_its_flags_or_their_environment_twins() {
    let bin = tokio::task::spawn_blocking(|| cargo_binary_with_etcd("eastwest-registry", "eastwest-registry"))
        .await
        .expect("build");
    let cluster = EtcdCluster::start(1);
    let endpoints = cluster.endpoints().join(",");
    let flags = ["--store", "etcd", "--etcd-endpoints", endpoints.as_str(), "--etcd-prefix", "/bin"];
    let first = RegistryProcess::start_with(&bin, &flags, &[]);
    let mut c = connect(first.addr).await;
    let created = east(&mut c, "js").await;
    let status = std::process::Command::new("kill").args(["-TERM", &first.child.id().to_string()]).status();
    assert!(status.expect("kill").success());
    let mut first = first;
    assert!(first.child.wait().expect("wait").success(), "SIGTERM ends the registry cleanly");

    // The same data through the environment twins alone.
    let envs = [
        ("EASTWEST_REGISTRY_STORE", "etcd"),
        ("EASTWEST_ETCD_ENDPOINTS", endpoints.as_str()),
        ("EASTWEST_ETCD_PREFIX", "/bin"),
    ];
    let second = RegistryProcess::start_with(&bin, &[], &envs);
    let mut c = connect(second.addr).await;
    let read = c.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("same prefix");
    assert_eq!(read.into_inner(), created);
    // Another prefix is another registry.
    let other = RegistryProcess::start_with(
        &bin,
        &["--store", "etcd", "--etcd-endpoints", &endpoints],
        &[("EASTWEST_ETCD_PREFIX", "/other")],
    );
    let mut o = connect(other.addr).await;
    assert_code(o.get_actor(pb::GetActorRequest { name: created.name }).await, Code::NotFound);

    // Without endpoints it says what is missing.
    let out = std::process::Command::new(&bin).args(["--store", "etcd"]).output().expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--etcd-endpoints"), "{stderr}");
    // Endpoints without --store etcd are a forgotten flag, not a wish for sled.
    let out = std::process::Command::new(&bin)
        .env("EASTWEST_ETCD_ENDPOINTS", &endpoints)
        .args(["--listen", "127.0.0.1:0"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--store etcd"), "{stderr}");
}
