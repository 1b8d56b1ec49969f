//! Pairings and activities over gRPC against a real server and a real sled directory.

use eastwest_proto::registry::v1 as pb;
use eastwest_tests::grpc::{Client, assert_code, assert_violation, mask};
use eastwest_tests::records::{
    activity, actor, all_pairing_names, create_activity, create_actor, create_pairing, east, pairing, west,
};
use eastwest_tests::registry::TestRegistry;
use tonic::Code;

fn full_pairing() -> pb::Pairing {
    let mut p = pairing("江苏—陕西东西部协作", "js", "sn");
    p.forms = vec![pb::CooperationForm::Industry as i32, pb::CooperationForm::Employment as i32];
    p.start_date = "2021-01-01".into();
    p.end_date = "2025-12-31".into();
    p.scope = Some(pb::Scope {
        statement: "产业与劳务协作".into(),
        in_scope: vec!["帮扶车间".into()],
        out_of_scope: vec!["基础设施".into()],
    });
    p.participants = vec![
        pb::Participant {
            actor: "actors/js".into(),
            roles: vec![pb::ParticipantRole::Funding as i32, pb::ParticipantRole::Accountable as i32],
        },
        pb::Participant { actor: "actors/ngo".into(), roles: vec![pb::ParticipantRole::Implementing as i32] },
    ];
    p.responsibilities = vec![pb::Responsibility {
        id: String::new(),
        party: "actors/sn".into(),
        duty: "建设帮扶车间".into(),
        due_date: "2021-12-31".into(),
        status: pb::ResponsibilityStatus::Open as i32,
    }];
    p.goals = vec![pb::Goal {
        id: "jobs".into(),
        indicator: "帮扶车间吸纳脱贫人口就业".into(),
        form: pb::CooperationForm::Employment as i32,
        unit: "人".into(),
        baseline: Some(0.0),
        target: Some(4_729.0),
        actual: None,
        due_date: "2021-12-31".into(),
        beneficiary: "脱贫人口".into(),
        responsible: "actors/ngo".into(),
    }];
    p
}

async fn seed_actors(c: &mut Client) {
    east(c, "js").await;
    west(c, "sn").await;
    let mut ngo = actor("公益基金会", pb::Side::East, "320100");
    ngo.category = pb::ActorCategory::SocialOrganization as i32;
    create_actor(c, "ngo", ngo).await;
}

async fn a_full_pairing_round_trips() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    let created = create_pairing(&mut c, "js-sn", full_pairing()).await;
    assert_eq!(created.name, "pairings/js-sn");
    assert_eq!((created.east_region_code.as_str(), created.west_region_code.as_str()), ("320000", "610000"));
    assert_eq!(created.responsibilities[0].id, "r-1", "an empty item id gets the first free number");
    assert_eq!(created.goals[0].target, Some(4_729.0));
    assert_eq!(created.goals[0].actual, None, "an unreported actual stays absent, not zero");
    let got = c.get_pairing(pb::GetPairingRequest { name: "pairings/js-sn".into() }).await.expect("get").into_inner();
    assert_eq!(got, created);
}

async fn invalid_pairings_name_the_field() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    type Edit = Box<dyn Fn(&mut pb::Pairing)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("pairing.title", Box::new(|p| p.title.clear())),
        ("pairing.level", Box::new(|p| p.level = 0)),
        ("pairing.leadership", Box::new(|p| p.leadership = 42)),
        ("pairing.state", Box::new(|p| p.state = 0)),
        ("pairing.east", Box::new(|p| p.east = "js".into())),
        ("pairing.end_date", Box::new(|p| p.end_date = "2020-12-31".into())),
        ("pairing.start_date", Box::new(|p| p.start_date = "2021-02-30".into())),
        ("pairing.forms[2]", Box::new(|p| p.forms.push(0))),
        ("pairing.goals[0].target", Box::new(|p| p.goals[0].target = Some(f64::INFINITY))),
        ("pairing.goals[0].form", Box::new(|p| p.goals[0].form = 0)),
        ("pairing.participants[1].actor", Box::new(|p| p.participants[1].actor = "actors/js".into())),
        ("pairing.participants[0].roles", Box::new(|p| p.participants[0].roles.clear())),
        ("pairing.responsibilities[0].duty", Box::new(|p| p.responsibilities[0].duty = "a\u{0}b".into())),
        ("pairing.responsibilities[0].id", Box::new(|p| p.responsibilities[0].id = "Bad Id".into())),
        ("pairing.scope.in_scope", Box::new(|p| p.scope.as_mut().expect("scope").in_scope = vec!["x".into(); 1001])),
        (
            "pairing.goals",
            Box::new(|p| {
                p.goals = vec![p.goals[0].clone(); 1001]
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut g)| {
                        g.id = format!("g{i}");
                        g
                    })
                    .collect()
            }),
        ),
    ];
    for (field, edit) in cases {
        let mut p = full_pairing();
        edit(&mut p);
        let s = assert_code(
            c.create_pairing(pb::CreatePairingRequest { pairing: Some(p), pairing_id: "p".into() }).await,
            Code::InvalidArgument,
        );
        assert_violation(&s, field);
    }
    assert!(all_pairing_names(&mut c, pb::ListPairingsRequest::default()).await.is_empty());
}

async fn references_must_exist_and_sides_must_match() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    let mut p = full_pairing();
    p.participants[1].actor = "actors/ghost".into();
    let s = assert_code(
        c.create_pairing(pb::CreatePairingRequest { pairing: Some(p), pairing_id: "p".into() }).await,
        Code::NotFound,
    );
    assert!(s.message().contains("actors/ghost") && s.message().contains("participants[1]"), "{}", s.message());

    let swapped = pairing("swapped", "sn", "js");
    let s = assert_code(
        c.create_pairing(pb::CreatePairingRequest { pairing: Some(swapped), pairing_id: "p".into() }).await,
        Code::FailedPrecondition,
    );
    assert!(s.message().contains("pairing.east"), "{}", s.message());

    let mut orphan = pairing("orphan", "js", "sn");
    orphan.parent = "pairings/none".into();
    assert_code(
        c.create_pairing(pb::CreatePairingRequest { pairing: Some(orphan), pairing_id: "p".into() }).await,
        Code::NotFound,
    );

    create_pairing(&mut c, "p", pairing("ok", "js", "sn")).await;
    assert_code(
        c.create_pairing(pb::CreatePairingRequest {
            pairing: Some(pairing("again", "js", "sn")),
            pairing_id: "p".into(),
        })
        .await,
        Code::AlreadyExists,
    );
}

async fn named_actors_are_protected_until_the_pairing_lets_go() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    create_pairing(&mut c, "js-sn", full_pairing()).await;

    let s = assert_code(
        c.delete_actor(pb::DeleteActorRequest { name: "actors/ngo".into(), etag: String::new() }).await,
        Code::FailedPrecondition,
    );
    assert!(s.message().contains("actors/ngo"), "{}", s.message());
    let s = assert_code(
        c.delete_actor(pb::DeleteActorRequest { name: "actors/js".into(), etag: String::new() }).await,
        Code::FailedPrecondition,
    );
    assert!(s.message().contains("pairings/js-sn"), "names the pairing in the way: {}", s.message());
    let flip = pb::Actor { name: "actors/sn".into(), side: pb::Side::East as i32, ..Default::default() };
    assert_code(
        c.update_actor(pb::UpdateActorRequest { actor: Some(flip), update_mask: mask(&["side"]) }).await,
        Code::FailedPrecondition,
    );

    // Dropping the NGO from the pairing releases it.
    let mut p = full_pairing();
    p.name = "pairings/js-sn".into();
    p.participants.truncate(1);
    p.goals[0].responsible.clear();
    c.update_pairing(pb::UpdatePairingRequest { pairing: Some(p), update_mask: mask(&["participants", "goals"]) })
        .await
        .expect("update");
    c.delete_actor(pb::DeleteActorRequest { name: "actors/ngo".into(), etag: String::new() }).await.expect("released");

    c.delete_pairing(pb::DeletePairingRequest { name: "pairings/js-sn".into(), etag: String::new(), force: false })
        .await
        .expect("delete");
    c.delete_actor(pb::DeleteActorRequest { name: "actors/js".into(), etag: String::new() }).await.expect("released");
}

async fn pairing_trees_refuse_cycles_and_orphans() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    create_pairing(&mut c, "root", pairing("root", "js", "sn")).await;
    let mut mid = pairing("mid", "js", "sn");
    mid.parent = "pairings/root".into();
    mid.level = pb::PairingLevel::Prefecture as i32;
    create_pairing(&mut c, "mid", mid).await;
    let mut leaf = pairing("leaf", "js", "sn");
    leaf.parent = "pairings/mid".into();
    create_pairing(&mut c, "leaf", leaf).await;

    let cycle = pb::Pairing { name: "pairings/root".into(), parent: "pairings/leaf".into(), ..Default::default() };
    let s = assert_code(
        c.update_pairing(pb::UpdatePairingRequest { pairing: Some(cycle), update_mask: mask(&["parent"]) }).await,
        Code::FailedPrecondition,
    );
    assert!(s.message().contains("cycle"), "{}", s.message());

    let s = assert_code(
        c.delete_pairing(pb::DeletePairingRequest { name: "pairings/mid".into(), etag: String::new(), force: true })
            .await,
        Code::FailedPrecondition,
    );
    assert!(s.message().contains("pairings/leaf"), "{}", s.message());
    let children =
        all_pairing_names(&mut c, pb::ListPairingsRequest { parent: "pairings/root".into(), ..Default::default() })
            .await;
    assert_eq!(children, ["pairings/mid"]);

    // Re-parenting the leaf to the root frees the middle.
    let moved = pb::Pairing { name: "pairings/leaf".into(), parent: "pairings/root".into(), ..Default::default() };
    c.update_pairing(pb::UpdatePairingRequest { pairing: Some(moved), update_mask: mask(&["parent"]) })
        .await
        .expect("re-parent");
    c.delete_pairing(pb::DeletePairingRequest { name: "pairings/mid".into(), etag: String::new(), force: false })
        .await
        .expect("no children left");
    let children =
        all_pairing_names(&mut c, pb::ListPairingsRequest { parent: "pairings/root".into(), ..Default::default() })
            .await;
    assert_eq!(children, ["pairings/leaf"]);
}

async fn pairing_filters_page_through_each_match_once() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    east(&mut c, "js").await;
    east(&mut c, "zj").await;
    create_actor(&mut c, "gz", actor("贵州", pb::Side::West, "520000")).await;
    create_actor(&mut c, "sc", actor("四川", pb::Side::West, "510000")).await;
    // A western actor whose region also starts with 3, to see pairings matched on both sides once.
    create_actor(&mut c, "odd", actor("west in 33", pb::Side::West, "330100")).await;
    let mut expected_js = Vec::new();
    for i in 0..12 {
        let (e, w) = match i % 4 {
            0 => ("js", "gz"),
            1 => ("zj", "sc"),
            2 => ("js", "sc"),
            _ => ("zj", "odd"),
        };
        let mut p = pairing(&format!("p{i}"), e, w);
        if i % 2 == 0 {
            p.leadership = pb::Leadership::SocietyLed as i32;
            p.level = pb::PairingLevel::Village as i32;
        }
        let id = format!("p{i:02}");
        create_pairing(&mut c, &id, p).await;
        if e == "js" {
            expected_js.push(format!("pairings/{id}"));
        }
    }
    let by_actor = all_pairing_names(
        &mut c,
        pb::ListPairingsRequest { actor: "actors/js".into(), page_size: 2, ..Default::default() },
    )
    .await;
    assert_eq!(by_actor, expected_js);
    let by_west_actor = all_pairing_names(
        &mut c,
        pb::ListPairingsRequest { actor: "actors/sc".into(), page_size: 2, ..Default::default() },
    )
    .await;
    assert_eq!(by_west_actor.len(), 6);

    let guizhou = all_pairing_names(
        &mut c,
        pb::ListPairingsRequest { region_code_prefix: "52".into(), page_size: 1, ..Default::default() },
    )
    .await;
    assert_eq!(guizhou.len(), 3);
    let mut threes = all_pairing_names(
        &mut c,
        pb::ListPairingsRequest { region_code_prefix: "3".into(), page_size: 2, ..Default::default() },
    )
    .await;
    assert_eq!(threes.len(), 12, "all pairings have an east actor in 3x; each appears once: {threes:?}");
    threes.sort();
    threes.dedup();
    assert_eq!(threes.len(), 12);

    let society = all_pairing_names(
        &mut c,
        pb::ListPairingsRequest { leadership: pb::Leadership::SocietyLed as i32, page_size: 4, ..Default::default() },
    )
    .await;
    assert_eq!(society.len(), 6);
    let js_villages = all_pairing_names(
        &mut c,
        pb::ListPairingsRequest {
            actor: "actors/js".into(),
            level: pb::PairingLevel::Village as i32,
            page_size: 1,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(js_villages, expected_js, "every js pairing has an even index, so all are villages");
    let active = all_pairing_names(
        &mut c,
        pb::ListPairingsRequest { state: pb::PairingState::Active as i32, ..Default::default() },
    )
    .await;
    assert_eq!(active.len(), 12);
    let none = all_pairing_names(
        &mut c,
        pb::ListPairingsRequest { state: pb::PairingState::Closed as i32, ..Default::default() },
    )
    .await;
    assert!(none.is_empty());
    assert_code(
        c.list_pairings(pb::ListPairingsRequest { actor: "js".into(), ..Default::default() }).await,
        Code::InvalidArgument,
    );
}

async fn activities_live_inside_their_pairing() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    create_pairing(&mut c, "js-sn", full_pairing()).await;
    let a = create_activity(&mut c, "js-sn", "workshops", activity("js")).await;
    assert_eq!(a.name, "pairings/js-sn/activities/workshops");
    assert_eq!(a.people, 42);
    let got = c.get_activity(pb::GetActivityRequest { name: a.name.clone() }).await.expect("get").into_inner();
    assert_eq!(got, a);

    let bad = |edit: fn(&mut pb::Activity)| {
        let mut x = activity("js");
        edit(&mut x);
        x
    };
    for (field, act) in [
        ("activity.amount_fen", bad(|a| a.amount_fen = -1)),
        ("activity.people", bad(|a| a.people = -5)),
        ("activity.date", bad(|a| a.date = "2021/06/30".into())),
        ("activity.date", bad(|a| a.date.clear())),
        ("activity.kind", bad(|a| a.kind = 0)),
        ("activity.direction", bad(|a| a.direction = 7)),
        ("activity.actor", bad(|a| a.actor = "nobody".into())),
    ] {
        let s = assert_code(
            c.create_activity(pb::CreateActivityRequest {
                parent: "pairings/js-sn".into(),
                activity: Some(act),
                activity_id: String::new(),
            })
            .await,
            Code::InvalidArgument,
        );
        assert_violation(&s, field);
    }
    assert_code(
        c.create_activity(pb::CreateActivityRequest {
            parent: "pairings/js-sn".into(),
            activity: Some(activity("ghost")),
            activity_id: String::new(),
        })
        .await,
        Code::NotFound,
    );
    assert_code(
        c.create_activity(pb::CreateActivityRequest {
            parent: "pairings/none".into(),
            activity: Some(activity("js")),
            activity_id: String::new(),
        })
        .await,
        Code::NotFound,
    );
    assert_code(
        c.create_activity(pb::CreateActivityRequest {
            parent: "pairings/js-sn".into(),
            activity: Some(activity("js")),
            activity_id: "workshops".into(),
        })
        .await,
        Code::AlreadyExists,
    );
    for i in 0..9 {
        create_activity(&mut c, "js-sn", &format!("m{i}"), activity("sn")).await;
    }
    let mut names = Vec::new();
    let mut token = String::new();
    loop {
        let page = c
            .list_activities(pb::ListActivitiesRequest {
                parent: "pairings/js-sn".into(),
                page_size: 4,
                page_token: token,
            })
            .await
            .expect("list")
            .into_inner();
        names.extend(page.activities.into_iter().map(|a| a.name));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(names.len(), 10);
    assert_code(
        c.list_activities(pb::ListActivitiesRequest { parent: "pairings/none".into(), ..Default::default() }).await,
        Code::NotFound,
    );
    // Tokens are not signed. One edited to resume outside this pairing's activities (where the
    // next key would be another pairing's, or no activity at all) is refused.
    let first = c
        .list_activities(pb::ListActivitiesRequest {
            parent: "pairings/js-sn".into(),
            page_size: 1,
            ..Default::default()
        })
        .await
        .expect("list")
        .into_inner();
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut token: serde_json::Value =
        serde_json::from_slice(&base64::Engine::decode(&engine, &first.next_page_token).expect("base64"))
            .expect("json");
    for elsewhere in ["v/", "p/"] {
        token["k"] = elsewhere.bytes().map(|b| format!("{b:02x}")).collect::<String>().into();
        let forged = base64::Engine::encode(&engine, token.to_string());
        let s = assert_code(
            c.list_activities(pb::ListActivitiesRequest {
                parent: "pairings/js-sn".into(),
                page_size: 5,
                page_token: forged,
            })
            .await,
            Code::InvalidArgument,
        );
        assert_violation(&s, "page_token");
    }

    assert_code(
        c.delete_activity(pb::DeleteActivityRequest { name: a.name.clone(), etag: "0".into() }).await,
        Code::Aborted,
    );
    c.delete_activity(pb::DeleteActivityRequest { name: a.name.clone(), etag: a.etag }).await.expect("delete");
    assert_code(c.get_activity(pb::GetActivityRequest { name: a.name }).await, Code::NotFound);
}

async fn deleting_a_pairing_with_activities_needs_force() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    create_pairing(&mut c, "js-sn", full_pairing()).await;
    create_activity(&mut c, "js-sn", "a1", activity("ngo")).await;
    create_activity(&mut c, "js-sn", "a2", activity("ngo")).await;

    let s = assert_code(
        c.delete_pairing(pb::DeletePairingRequest { name: "pairings/js-sn".into(), etag: String::new(), force: false })
            .await,
        Code::FailedPrecondition,
    );
    assert!(s.message().contains("2 activities") && s.message().contains("force"), "{}", s.message());
    let stale = assert_code(
        c.delete_pairing(pb::DeletePairingRequest { name: "pairings/js-sn".into(), etag: "1".into(), force: true })
            .await,
        Code::Aborted,
    );
    assert!(stale.message().contains("stale"));
    c.delete_pairing(pb::DeletePairingRequest { name: "pairings/js-sn".into(), etag: String::new(), force: true })
        .await
        .expect("force");
    assert_code(
        c.get_activity(pb::GetActivityRequest { name: "pairings/js-sn/activities/a1".into() }).await,
        Code::NotFound,
    );
    // The activities' actor is free again: every reference went with them.
    c.delete_actor(pb::DeleteActorRequest { name: "actors/ngo".into(), etag: String::new() })
        .await
        .expect("no references left");
}

async fn a_snapshot_holds_everything_evaluation_needs() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    let mut donor = actor("爱心人士", pb::Side::East, "320100");
    donor.category = pb::ActorCategory::Individual as i32;
    create_actor(&mut c, "donor", donor).await;
    create_actor(&mut c, "unrelated", actor("unrelated", pb::Side::East, "320000")).await;
    let p = create_pairing(&mut c, "js-sn", full_pairing()).await;
    for i in 0..5 {
        create_activity(&mut c, "js-sn", &format!("a{i}"), activity(if i == 4 { "donor" } else { "js" })).await;
    }
    let snap = c
        .get_pairing_snapshot(pb::GetPairingSnapshotRequest { name: "pairings/js-sn".into() })
        .await
        .expect("snapshot")
        .into_inner();
    assert_eq!(snap.pairing, Some(p));
    let actors: Vec<_> = snap.actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(actors, ["actors/donor", "actors/js", "actors/ngo", "actors/sn"]);
    assert_eq!(snap.activities.len(), 5);
    assert!(snap.activities.windows(2).all(|w| w[0].name < w[1].name));
    assert_code(
        c.get_pairing_snapshot(pb::GetPairingSnapshotRequest { name: "pairings/none".into() }).await,
        Code::NotFound,
    );
}

async fn batch_get_pairings_is_all_or_nothing() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    create_pairing(&mut c, "p1", pairing("p1", "js", "sn")).await;
    create_pairing(&mut c, "p2", pairing("p2", "js", "sn")).await;
    let got = c
        .batch_get_pairings(pb::BatchGetPairingsRequest { names: vec!["pairings/p2".into(), "pairings/p1".into()] })
        .await
        .expect("batch")
        .into_inner();
    assert_eq!(got.pairings.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), ["p2", "p1"]);
    assert_code(
        c.batch_get_pairings(pb::BatchGetPairingsRequest { names: vec!["pairings/p1".into(), "pairings/p3".into()] })
            .await,
        Code::NotFound,
    );
}

/// Every field within its own limit, the whole too large for one store transaction: refused, and
/// nothing is written.
async fn a_pairing_too_large_to_store_is_refused_whole() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    let mut p = full_pairing();
    // 400 items of 2,000 three-byte characters: about 2.4 MB, each item and the count allowed.
    p.scope.as_mut().expect("scope").in_scope = vec!["帮".repeat(2_000); 400];
    let status = assert_code(
        c.create_pairing(pb::CreatePairingRequest { pairing: Some(p), pairing_id: "huge".into() }).await,
        Code::InvalidArgument,
    );
    assert_violation(&status, "pairing");
    assert!(status.message().contains("512 KiB"), "{}", status.message());
    assert_code(c.get_pairing(pb::GetPairingRequest { name: "pairings/huge".into() }).await, Code::NotFound);
}

/// Every named actor is checked and counted in the pairing's one transaction: 30 at most, on every
/// engine, so that what sled accepts etcd accepts too.
async fn a_pairing_names_at_most_thirty_actors() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed_actors(&mut c).await;
    for i in 0..29 {
        east(&mut c, &format!("p{i:02}")).await;
    }
    let with = |n: usize| {
        let mut p = pairing("many", "js", "sn");
        p.participants = (0..n)
            .map(|i| pb::Participant {
                actor: format!("actors/p{i:02}"),
                roles: vec![pb::ParticipantRole::Implementing as i32],
            })
            .collect();
        p
    };
    // East, west and 28 participants: 30.
    let created = create_pairing(&mut c, "many", with(28)).await;
    let status = assert_code(
        c.update_pairing(pb::UpdatePairingRequest {
            pairing: Some(pb::Pairing { name: created.name.clone(), ..with(29) }),
            update_mask: Some(prost_types::FieldMask { paths: vec!["participants".into()] }),
        })
        .await,
        Code::InvalidArgument,
    );
    assert_violation(&status, "pairing.participants");
    assert!(status.message().contains("31 different actors"), "{}", status.message());
    // Replacing every participant at once still fits one transaction.
    for i in 0..28 {
        east(&mut c, &format!("q{i:02}")).await;
    }
    let mut replaced = with(0);
    replaced.participants = (0..28)
        .map(|i| pb::Participant { actor: format!("actors/q{i:02}"), roles: vec![pb::ParticipantRole::Funding as i32] })
        .collect();
    c.update_pairing(pb::UpdatePairingRequest {
        pairing: Some(pb::Pairing { name: created.name.clone(), ..replaced }),
        update_mask: Some(prost_types::FieldMask { paths: vec!["participants".into()] }),
    })
    .await
    .expect("28 participants replaced by 28 others");
    // The first 28 are free again; the new ones are held.
    c.delete_actor(pb::DeleteActorRequest { name: "actors/p00".into(), etag: String::new() }).await.expect("released");
    let held = c.delete_actor(pb::DeleteActorRequest { name: "actors/q00".into(), etag: String::new() }).await;
    assert_code(held, Code::FailedPrecondition);
}

eastwest_tests::on_every_engine!(
    a_pairing_names_at_most_thirty_actors,
    a_pairing_too_large_to_store_is_refused_whole,
    a_full_pairing_round_trips,
    invalid_pairings_name_the_field,
    references_must_exist_and_sides_must_match,
    named_actors_are_protected_until_the_pairing_lets_go,
    pairing_trees_refuse_cycles_and_orphans,
    pairing_filters_page_through_each_match_once,
    activities_live_inside_their_pairing,
    deleting_a_pairing_with_activities_needs_force,
    a_snapshot_holds_everything_evaluation_needs,
    batch_get_pairings_is_all_or_nothing,
);
