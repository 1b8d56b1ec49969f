//! Races between clients: lost updates, dangling references and cycles must never appear.

use eastwest_proto::registry::v1 as pb;
use eastwest_tests::grpc::mask;
use eastwest_tests::races::{
    assert_pairings_name_existing_actors, count_created, one_update_wins, race_renames, spawn_persistent_delete,
};
use eastwest_tests::records::{activity, actor, all_actor_names, create_pairing, east, pairing, west};
use eastwest_tests::registry::TestRegistry;

async fn of_many_updates_with_one_etag_exactly_one_wins() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    for round in 0..5 {
        let id = format!("raced-{round}");
        let created = east(&mut c, &id).await;
        let mut clients = Vec::new();
        for _ in 0..12 {
            clients.push(server.client().await);
        }
        let winner =
            race_renames(clients, &created, |i| format!("writer {i}"), &format!("round {round}: an update")).await;
        let stored = c.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("get").into_inner();
        assert_eq!(stored.display_name, winner.display_name, "the stored value is the winner's");
    }
}

async fn racing_pairing_updates_with_one_etag_have_one_winner() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    east(&mut c, "e").await;
    west(&mut c, "w").await;
    let created = create_pairing(&mut c, "p", pairing("p", "e", "w")).await;
    let mut tasks = Vec::new();
    for i in 0..10 {
        let mut client = server.client().await;
        let update = pb::Pairing {
            name: created.name.clone(),
            etag: created.etag.clone(),
            title: format!("t{i}"),
            ..Default::default()
        };
        tasks.push(tokio::spawn(async move {
            client
                .update_pairing(pb::UpdatePairingRequest { pairing: Some(update), update_mask: mask(&["title"]) })
                .await
        }));
    }
    one_update_wins(tasks, "a pairing update").await;
}

/// Creates that name an actor race a delete of that actor. Whatever interleaving happens, no
/// committed record may name an actor that is gone.
async fn concurrent_creates_and_deletes_never_leave_a_dangling_reference() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    west(&mut c, "w").await;
    east(&mut c, "anchor").await;
    create_pairing(&mut c, "base", pairing("base", "anchor", "w")).await;
    for round in 0..8 {
        let target = format!("target-{round}");
        east(&mut c, &target).await;
        let mut tasks = Vec::new();
        for i in 0..6 {
            let mut client = server.client().await;
            let target = target.clone();
            tasks.push(tokio::spawn(async move {
                if i % 2 == 0 {
                    let id = format!("r{round}-p{i}");
                    let result = client
                        .create_pairing(pb::CreatePairingRequest {
                            pairing: Some(pairing(&id, &target, "w")),
                            pairing_id: id.clone(),
                        })
                        .await;
                    result.map(|_| ())
                } else {
                    let id = format!("r{round}-a{i}");
                    client
                        .create_activity(pb::CreateActivityRequest {
                            parent: "pairings/base".into(),
                            activity: Some(activity(&target)),
                            activity_id: id,
                        })
                        .await
                        .map(|_| ())
                }
            }));
        }
        let delete = spawn_persistent_delete(server.client().await, format!("actors/{target}"));
        let created = count_created(tasks).await;
        if delete.await.expect("deleter") {
            // Records that name the actor are never deleted here, so a successful delete means
            // every create lost the race.
            assert_eq!(created, 0, "round {round}: the actor was deleted although {created} record(s) name it");
        }
    }
    // Every reference in the registry must resolve.
    let actors = assert_pairings_name_existing_actors(&mut c).await;
    let snap = c
        .get_pairing_snapshot(pb::GetPairingSnapshotRequest { name: "pairings/base".into() })
        .await
        .expect("snap")
        .into_inner();
    for a in &snap.activities {
        assert!(actors.contains(&a.actor), "{} names deleted {}", a.name, a.actor);
    }
}

async fn racing_reparents_cannot_build_a_cycle() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    for round in 0..10 {
        let (a, b) = (format!("a{round}"), format!("b{round}"));
        east(&mut c, &a).await;
        east(&mut c, &b).await;
        let mut c1 = server.client().await;
        let mut c2 = server.client().await;
        let (na, nb) = (format!("actors/{a}"), format!("actors/{b}"));
        let t1 = {
            let (na, nb) = (na.clone(), nb.clone());
            tokio::spawn(async move {
                let u = pb::Actor { name: na, parent: nb, ..Default::default() };
                c1.update_actor(pb::UpdateActorRequest { actor: Some(u), update_mask: mask(&["parent"]) }).await
            })
        };
        let t2 = {
            let (na, nb) = (na.clone(), nb.clone());
            tokio::spawn(async move {
                let u = pb::Actor { name: nb, parent: na, ..Default::default() };
                c2.update_actor(pb::UpdateActorRequest { actor: Some(u), update_mask: mask(&["parent"]) }).await
            })
        };
        let r1 = t1.await.expect("t1");
        let r2 = t2.await.expect("t2");
        assert!(r1.is_ok() != r2.is_ok(), "exactly one re-parent succeeds: {r1:?} {r2:?}");
        let pa = c.get_actor(pb::GetActorRequest { name: na.clone() }).await.expect("a").into_inner().parent;
        let pb_ = c.get_actor(pb::GetActorRequest { name: nb.clone() }).await.expect("b").into_inner().parent;
        assert!(!(pa == nb && pb_ == na), "cycle committed");
    }
}

async fn many_concurrent_writers_all_land() {
    let server = TestRegistry::start().await;
    let mut tasks = Vec::new();
    for w in 0..16 {
        let mut client = server.client().await;
        tasks.push(tokio::spawn(async move {
            for i in 0..20 {
                let id = format!("w{w:02}-{i:02}");
                client
                    .create_actor(pb::CreateActorRequest {
                        actor: Some(actor(&id, pb::Side::East, "320000")),
                        actor_id: id.clone(),
                    })
                    .await
                    .expect("create");
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
    let mut c = server.client().await;
    assert_eq!(
        all_actor_names(&mut c, pb::ListActorsRequest { page_size: 1000, ..Default::default() }).await.len(),
        320
    );
}

/// Every activity of a pairing bumps the same reference counts: many writers into one pairing
/// contend on them, and must all get through.
async fn many_writers_into_one_pairing_all_land() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    east(&mut c, "e").await;
    west(&mut c, "w").await;
    create_pairing(&mut c, "hot", pairing("hot", "e", "w")).await;
    let mut tasks = Vec::new();
    for w in 0..24 {
        let mut client = server.client().await;
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                let request = pb::CreateActivityRequest {
                    parent: "pairings/hot".into(),
                    activity: Some(activity(if w % 2 == 0 { "e" } else { "w" })),
                    activity_id: format!("w{w:02}-{i:02}"),
                };
                client.create_activity(request).await.expect("every write lands");
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
    let snap = c.get_pairing_snapshot(pb::GetPairingSnapshotRequest { name: "pairings/hot".into() }).await;
    assert_eq!(snap.expect("snapshot").into_inner().activities.len(), 240);
    // The counts are exact: force-deleting the pairing releases both actors completely.
    c.delete_pairing(pb::DeletePairingRequest { name: "pairings/hot".into(), etag: String::new(), force: true })
        .await
        .expect("force delete");
    for name in ["actors/e", "actors/w"] {
        c.delete_actor(pb::DeleteActorRequest { name: name.into(), etag: String::new() }).await.expect("released");
    }
}

eastwest_tests::on_every_engine!(
    of_many_updates_with_one_etag_exactly_one_wins,
    racing_pairing_updates_with_one_etag_have_one_winner,
    concurrent_creates_and_deletes_never_leave_a_dangling_reference,
    racing_reparents_cannot_build_a_cycle,
    many_concurrent_writers_all_land,
    many_writers_into_one_pairing_all_land,
);
