//! Several registry replicas on one etcd cluster (real etcd processes on 127.0.0.1): what one
//! replica writes the other reads, races across replicas have one winner, a lost member is
//! survived, a lost quorum is reported (UNAVAILABLE, NOT_SERVING) and recovered from, a write
//! whose answer is lost is settled by reading it back, and a listing reads one snapshot.
#![cfg(feature = "etcd")]

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eastwest_proto::registry::v1 as pb;
use eastwest_tests::etcd::EtcdCluster;
use eastwest_tests::evaluation::TestEvaluation;
use eastwest_tests::grpc::{Client, assert_violation, health, health_of, wait_for_health};
use eastwest_tests::proxy::FaultProxy;
use eastwest_tests::races::{
    assert_pairings_name_existing_actors, count_created, race_renames, spawn_persistent_delete,
};
use eastwest_tests::records::{activity, actor, all_actor_names, create_activity, create_pairing, east, pairing, west};
use eastwest_tests::registry::{Backing, TestRegistry, any_addr, replicas};
use tonic::Code;
use tonic_health::pb::health_check_response::ServingStatus;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_share_writes_and_races_across_them_have_one_winner() {
    let (_cluster, a, b) = replicas(1).await;
    let (mut ca, mut cb) = (a.client().await, b.client().await);
    let created = east(&mut ca, "js").await;
    let read = cb.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("read via b");
    assert_eq!(read.into_inner(), created, "a write through one replica is read through the other");

    for round in 0..5 {
        let current = ca.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("get").into_inner();
        let mut clients = Vec::new();
        for i in 0..8 {
            clients.push(if i % 2 == 0 { a.client().await } else { b.client().await });
        }
        let winner = race_renames(
            clients,
            &current,
            |i| format!("round {round} writer {i}"),
            &format!("round {round}: an update"),
        )
        .await;
        let stored = cb.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("get").into_inner();
        assert_eq!(stored.display_name, winner.display_name);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_whose_answer_is_lost_is_settled_by_reading_it_back_never_resent() {
    let cluster = Arc::new(Mutex::new(EtcdCluster::start(1)));
    let endpoints = cluster.lock().expect("cluster").endpoints();
    let proxy = FaultProxy::start(&endpoints[0]).await;
    let backing =
        |endpoints: Vec<String>| Backing::Etcd { cluster: Arc::clone(&cluster), endpoints, prefix: "/ew".into() };
    // A reaches etcd through the proxy, B directly.
    // No health probes from A: a probe's answer swallowed just before A's write would break the
    // proxy's connection, and the write would then wait on a handshake that never completes.
    let quiet = eastwest_registry::ServeOptions {
        health_interval: Duration::from_secs(3600),
        ..eastwest_registry::ServeOptions::default()
    };
    let a = TestRegistry::start_on_with(backing(vec![proxy.url().to_string()]), any_addr(), quiet).await;
    let b = TestRegistry::start_on(backing(endpoints.clone()), any_addr()).await;
    let (mut ca, mut cb) = (a.client().await, b.client().await);

    // The reply is lost, nothing else happens: A reads its write back and reports it.
    proxy.drop_replies();
    let create =
        |id: &str| pb::CreateActorRequest { actor: Some(actor(id, pb::Side::East, "320000")), actor_id: id.into() };
    let pending = tokio::spawn({
        let mut ca = ca.clone();
        let request = create("lost-reply");
        async move { ca.create_actor(request).await }
    });
    tokio::time::sleep(Duration::from_millis(800)).await;
    proxy.pass();
    let settled = pending.await.expect("task").expect("the write applied; A must say so, not ALREADY_EXISTS");
    assert_eq!(settled.into_inner().name, "actors/lost-reply");

    // The reply is lost and B deletes the record before A learns anything: A must not create it
    // again (a resent "if absent" would), and must not claim an outcome it cannot know.
    proxy.drop_replies();
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
    proxy.pass();
    let unknown = pending.await.expect("task").expect_err("A cannot know");
    assert_eq!(unknown.code(), Code::Unavailable, "{}", unknown.message());
    assert!(unknown.message().contains("may or may not"), "{}", unknown.message());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = cb.get_actor(pb::GetActorRequest { name }).await.expect_err("B's delete stands");
    assert_eq!(after.code(), Code::NotFound);
    assert_whole_or_absent(&mut ca, "deleted-meanwhile").await;
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
