//! Actors over gRPC against a real server and a real sled directory.

use eastwest_proto::registry::v1 as pb;
use eastwest_tests::grpc::{assert_code, assert_violation, mask, violated_fields};
use eastwest_tests::records::{actor, all_actor_names, create_actor, east, west};
use eastwest_tests::registry::TestRegistry;
use tonic::Code;

async fn create_and_get_round_trip_every_field() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    let mut a = actor("江苏省人民政府", pb::Side::East, "320000");
    a.credit_code = "91350100M000100Y43".into();
    a.description = "省级帮扶方\n负责统筹".into();
    a.labels.insert("source".into(), "test".into());
    let created = create_actor(&mut c, "js-gov", a).await;
    assert_eq!(created.name, "actors/js-gov");
    assert_eq!(created.credit_code_check, pb::CreditCodeCheck::Valid as i32);
    assert!(!created.etag.is_empty());
    assert!(created.create_time.is_some() && created.create_time == created.update_time);

    let got = c.get_actor(pb::GetActorRequest { name: "actors/js-gov".into() }).await.expect("get").into_inner();
    assert_eq!(got, created);
    assert_eq!(got.labels.get("source").map(String::as_str), Some("test"));

    let generated = c
        .create_actor(pb::CreateActorRequest {
            actor: Some(actor("x", pb::Side::West, "520000")),
            actor_id: String::new(),
        })
        .await
        .expect("create without id")
        .into_inner();
    let id = generated.name.strip_prefix("actors/").expect("name");
    assert!(
        !id.is_empty()
            && id.len() <= 63
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    );
}

async fn invalid_actors_name_every_bad_field_and_change_nothing() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    let mut cases: Vec<(&str, pb::Actor, &str)> = Vec::new();
    let base = || actor("ok", pb::Side::East, "320000");
    cases.push(("actor.display_name", pb::Actor { display_name: " ".into(), ..base() }, "ok"));
    cases.push(("actor.display_name", pb::Actor { display_name: "长".repeat(201), ..base() }, "ok"));
    cases.push(("actor.display_name", pb::Actor { display_name: "bell\u{7}".into(), ..base() }, "ok"));
    cases.push(("actor.description", pb::Actor { description: "x".repeat(10_001), ..base() }, "ok"));
    cases.push(("actor.category", pb::Actor { category: 0, ..base() }, "ok"));
    cases.push(("actor.category", pb::Actor { category: 99, ..base() }, "ok"));
    cases.push(("actor.side", pb::Actor { side: 0, ..base() }, "ok"));
    cases.push(("actor.region_code", pb::Actor { region_code: "32000".into(), ..base() }, "ok"));
    cases.push(("actor.region_code", pb::Actor { region_code: "990000".into(), ..base() }, "ok"));
    cases.push(("actor.credit_code", pb::Actor { credit_code: "91350100M000100YI3".into(), ..base() }, "ok"));
    cases.push(("actor.credit_code", pb::Actor { credit_code: "9135A100M000100Y43".into(), ..base() }, "ok"));
    cases.push((
        "actor.credit_code",
        pb::Actor {
            category: pb::ActorCategory::Individual as i32,
            credit_code: "91350100M000100Y43".into(),
            ..base()
        },
        "ok",
    ));
    cases.push(("actor.parent", pb::Actor { parent: "pairings/x".into(), ..base() }, "ok"));
    cases.push((
        "actor.labels[\"Bad Key\"]",
        pb::Actor { labels: [("Bad Key".to_string(), "v".to_string())].into(), ..base() },
        "ok",
    ));
    cases.push(("actor_id", base(), "Not_An_Id"));
    for (field, a, id) in cases {
        let status = assert_code(
            c.create_actor(pb::CreateActorRequest { actor: Some(a), actor_id: id.into() }).await,
            Code::InvalidArgument,
        );
        assert_violation(&status, field);
    }
    // Several problems at once are all reported.
    let status = assert_code(
        c.create_actor(pb::CreateActorRequest { actor: Some(pb::Actor::default()), actor_id: String::new() }).await,
        Code::InvalidArgument,
    );
    let fields = violated_fields(&status);
    for f in ["actor.display_name", "actor.category", "actor.side", "actor.region_code"] {
        assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
    }
    assert!(status.message().contains("actor.side"), "the message lists the violations: {}", status.message());
    let missing = assert_code(
        c.create_actor(pb::CreateActorRequest { actor: None, actor_id: String::new() }).await,
        Code::InvalidArgument,
    );
    assert_violation(&missing, "actor");
    assert!(all_actor_names(&mut c, pb::ListActorsRequest::default()).await.is_empty(), "bad input changed nothing");
}

async fn credit_codes_checksum_mismatch_is_stored_and_duplicates_are_refused() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    let mut a = actor("早期企业", pb::Side::East, "350100");
    a.category = pb::ActorCategory::PrivateEnterprise as i32;
    a.credit_code = "91350100M000100Y44".into();
    let created = create_actor(&mut c, "early", a.clone()).await;
    assert_eq!(created.credit_code_check, pb::CreditCodeCheck::ChecksumMismatch as i32);

    let status = assert_code(
        c.create_actor(pb::CreateActorRequest { actor: Some(a), actor_id: "copy".into() }).await,
        Code::AlreadyExists,
    );
    assert!(status.message().contains("actors/early"), "{}", status.message());
    let plain = create_actor(&mut c, "plain", actor("无代码", pb::Side::East, "350100")).await;
    assert_eq!(plain.credit_code_check, pb::CreditCodeCheck::Absent as i32);

    // Taking the code over on update is refused too; freeing it lets another actor take it.
    let mut update = plain.clone();
    update.credit_code = "91350100M000100Y44".into();
    assert_code(
        c.update_actor(pb::UpdateActorRequest { actor: Some(update.clone()), update_mask: mask(&["credit_code"]) })
            .await,
        Code::AlreadyExists,
    );
    c.delete_actor(pb::DeleteActorRequest { name: "actors/early".into(), etag: String::new() }).await.expect("delete");
    let moved = c
        .update_actor(pb::UpdateActorRequest { actor: Some(update), update_mask: mask(&["credit_code"]) })
        .await
        .expect("code is free now")
        .into_inner();
    assert_eq!(moved.credit_code, "91350100M000100Y44");
}

async fn ids_are_unique() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    east(&mut c, "dup").await;
    let status = assert_code(
        c.create_actor(pb::CreateActorRequest {
            actor: Some(actor("again", pb::Side::East, "320000")),
            actor_id: "dup".into(),
        })
        .await,
        Code::AlreadyExists,
    );
    assert!(status.message().contains("actors/dup"));
    assert_code(c.get_actor(pb::GetActorRequest { name: "actors/nope".into() }).await, Code::NotFound);
    let bad = assert_code(c.get_actor(pb::GetActorRequest { name: "nope".into() }).await, Code::InvalidArgument);
    assert_violation(&bad, "name");
}

async fn batch_get_keeps_the_order_and_is_all_or_nothing() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    east(&mut c, "a").await;
    west(&mut c, "b").await;
    let names = vec!["actors/b".to_string(), "actors/a".to_string(), "actors/b".to_string()];
    let got = c.batch_get_actors(pb::BatchGetActorsRequest { names: names.clone() }).await.expect("batch").into_inner();
    assert_eq!(got.actors.iter().map(|a| a.name.clone()).collect::<Vec<_>>(), names);

    let status = assert_code(
        c.batch_get_actors(pb::BatchGetActorsRequest { names: vec!["actors/a".into(), "actors/zz".into()] }).await,
        Code::NotFound,
    );
    assert!(status.message().contains("actors/zz"));
    let status = assert_code(
        c.batch_get_actors(pb::BatchGetActorsRequest { names: vec!["actors/a".into(), "bad name".into()] }).await,
        Code::InvalidArgument,
    );
    assert_violation(&status, "names[1]");
    let too_many = vec!["actors/a".to_string(); 1001];
    assert_code(c.batch_get_actors(pb::BatchGetActorsRequest { names: too_many }).await, Code::InvalidArgument);
}

async fn listing_pages_return_each_actor_once_under_every_filter() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    let regions = ["320100", "320200", "440100", "520100", "520200", "610000"];
    let mut expected_all = Vec::new();
    for i in 0..30 {
        let region = regions[i % regions.len()];
        let side = if region.starts_with('3') || region.starts_with('4') { pb::Side::East } else { pb::Side::West };
        let mut a = actor(&format!("actor {i}"), side, region);
        if i % 3 == 0 {
            a.category = pb::ActorCategory::SocialOrganization as i32;
        }
        let id = format!("a{i:02}");
        create_actor(&mut c, &id, a).await;
        expected_all.push(format!("actors/{id}"));
    }
    let all = all_actor_names(&mut c, pb::ListActorsRequest { page_size: 7, ..Default::default() }).await;
    assert_eq!(all, expected_all, "every actor once, in id order");

    let west = all_actor_names(
        &mut c,
        pb::ListActorsRequest { page_size: 4, side: pb::Side::West as i32, ..Default::default() },
    )
    .await;
    assert_eq!(west.len(), 15);
    let guizhou = all_actor_names(
        &mut c,
        pb::ListActorsRequest { page_size: 2, region_code_prefix: "52".into(), ..Default::default() },
    )
    .await;
    assert_eq!(guizhou.len(), 10);
    let guiyang = all_actor_names(
        &mut c,
        pb::ListActorsRequest { page_size: 2, region_code_prefix: "5201".into(), ..Default::default() },
    )
    .await;
    assert_eq!(guiyang.len(), 5);
    let social_east = all_actor_names(
        &mut c,
        pb::ListActorsRequest {
            page_size: 1,
            side: pb::Side::East as i32,
            category: pb::ActorCategory::SocialOrganization as i32,
            ..Default::default()
        },
    )
    .await;
    // i % 3 == 0 and region index 0..=2 (east): i in {0, 6, 12, 18, 24} → region 320100; {... } check by rule.
    let want: Vec<String> =
        (0..30usize).filter(|i| i % 3 == 0 && i % regions.len() < 3).map(|i| format!("actors/a{i:02}")).collect();
    let mut got = social_east.clone();
    got.sort();
    assert_eq!(got, want);
    let mut dedup = social_east.clone();
    dedup.dedup();
    assert_eq!(dedup.len(), social_east.len());
}

async fn listing_rejects_bad_paging_input() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    for i in 0..3 {
        east(&mut c, &format!("e{i}")).await;
    }
    let s = assert_code(
        c.list_actors(pb::ListActorsRequest { page_size: -1, ..Default::default() }).await,
        Code::InvalidArgument,
    );
    assert_violation(&s, "page_size");
    let s = assert_code(
        c.list_actors(pb::ListActorsRequest { page_token: "not-a-token".into(), ..Default::default() }).await,
        Code::InvalidArgument,
    );
    assert_violation(&s, "page_token");
    let first =
        c.list_actors(pb::ListActorsRequest { page_size: 1, ..Default::default() }).await.expect("list").into_inner();
    assert!(!first.next_page_token.is_empty());
    let s = assert_code(
        c.list_actors(pb::ListActorsRequest {
            page_size: 1,
            side: pb::Side::West as i32,
            page_token: first.next_page_token,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
    );
    assert_violation(&s, "page_token");
    let s = assert_code(
        c.list_actors(pb::ListActorsRequest { region_code_prefix: "9".into(), ..Default::default() }).await,
        Code::InvalidArgument,
    );
    assert_violation(&s, "region_code_prefix");
    let big = c.list_actors(pb::ListActorsRequest { page_size: 5000, ..Default::default() }).await.expect("clamped");
    assert_eq!(big.into_inner().actors.len(), 3);
}

async fn updates_follow_the_mask_and_the_etag() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    let created = east(&mut c, "gd").await;

    let mut change =
        pb::Actor { name: "actors/gd".into(), display_name: "广东省人民政府".into(), ..Default::default() };
    change.description = "ignored: not in the mask".into();
    let updated = c
        .update_actor(pb::UpdateActorRequest { actor: Some(change.clone()), update_mask: mask(&["display_name"]) })
        .await
        .expect("update")
        .into_inner();
    assert_eq!(updated.display_name, "广东省人民政府");
    assert_eq!(updated.description, "");
    assert_eq!(updated.region_code, created.region_code);
    assert_ne!(updated.etag, created.etag);
    assert_eq!(updated.create_time, created.create_time);

    // A stale etag is ABORTED and changes nothing.
    let stale = pb::Actor { etag: created.etag.clone(), display_name: "stale".into(), ..change.clone() };
    assert_code(
        c.update_actor(pb::UpdateActorRequest { actor: Some(stale), update_mask: mask(&["display_name"]) }).await,
        Code::Aborted,
    );
    let fresh = pb::Actor { etag: updated.etag.clone(), display_name: "fresh".into(), ..change.clone() };
    let fresh = c
        .update_actor(pb::UpdateActorRequest { actor: Some(fresh), update_mask: mask(&["display_name"]) })
        .await
        .expect("current etag")
        .into_inner();
    assert_eq!(fresh.display_name, "fresh");

    // Without a mask, the fields that are set are replaced.
    let implied = pb::Actor { name: "actors/gd".into(), description: "only this".into(), ..Default::default() };
    let implied = c
        .update_actor(pb::UpdateActorRequest { actor: Some(implied), update_mask: None })
        .await
        .expect("update")
        .into_inner();
    assert_eq!((implied.display_name.as_str(), implied.description.as_str()), ("fresh", "only this"));

    let s = assert_code(
        c.update_actor(pb::UpdateActorRequest {
            actor: Some(change.clone()),
            update_mask: mask(&["display_name", "colour"]),
        })
        .await,
        Code::InvalidArgument,
    );
    assert_violation(&s, "update_mask.paths[1]");
    // A mask of output-only fields, or nothing set without a mask, selects nothing: refused, and
    // the etag other clients hold does not move.
    for nothing in [mask(&["create_time", "etag"]), None] {
        let s = assert_code(
            c.update_actor(pb::UpdateActorRequest {
                actor: Some(pb::Actor { name: "actors/gd".into(), ..Default::default() }),
                update_mask: nothing,
            })
            .await,
            Code::InvalidArgument,
        );
        assert_violation(&s, "update_mask");
    }
    let s = assert_code(
        c.update_actor(pb::UpdateActorRequest {
            actor: Some(pb::Actor { name: "actors/gd".into(), ..Default::default() }),
            update_mask: mask(&["display_name"]),
        })
        .await,
        Code::InvalidArgument,
    );
    assert_violation(&s, "actor.display_name");
    assert_code(
        c.update_actor(pb::UpdateActorRequest {
            actor: Some(pb::Actor { name: "actors/none".into(), ..change }),
            update_mask: mask(&["display_name"]),
        })
        .await,
        Code::NotFound,
    );
    let after = c.get_actor(pb::GetActorRequest { name: "actors/gd".into() }).await.expect("get").into_inner();
    assert_eq!(after, implied, "failed updates changed nothing");
}

async fn parents_must_exist_never_cycle_and_block_deletion() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    let province = east(&mut c, "province").await;
    let mut city = actor("city", pb::Side::East, "320100");
    city.parent = province.name.clone();
    create_actor(&mut c, "city", city).await;
    let mut county = actor("county", pb::Side::East, "320102");
    county.parent = "actors/city".into();
    create_actor(&mut c, "county", county).await;

    let mut orphan = actor("orphan", pb::Side::East, "320100");
    orphan.parent = "actors/missing".into();
    let s = assert_code(
        c.create_actor(pb::CreateActorRequest { actor: Some(orphan), actor_id: "orphan".into() }).await,
        Code::NotFound,
    );
    assert!(s.message().contains("actors/missing"), "{}", s.message());

    let cycle = pb::Actor { name: "actors/province".into(), parent: "actors/county".into(), ..Default::default() };
    let s = assert_code(
        c.update_actor(pb::UpdateActorRequest { actor: Some(cycle), update_mask: mask(&["parent"]) }).await,
        Code::FailedPrecondition,
    );
    assert!(s.message().contains("cycle"), "{}", s.message());
    let own = pb::Actor { name: "actors/city".into(), parent: "actors/city".into(), ..Default::default() };
    assert_code(
        c.update_actor(pb::UpdateActorRequest { actor: Some(own), update_mask: mask(&["parent"]) }).await,
        Code::FailedPrecondition,
    );

    assert_code(
        c.delete_actor(pb::DeleteActorRequest { name: "actors/city".into(), etag: String::new() }).await,
        Code::FailedPrecondition,
    );
    c.delete_actor(pb::DeleteActorRequest { name: "actors/county".into(), etag: String::new() })
        .await
        .expect("leaf first");
    c.delete_actor(pb::DeleteActorRequest { name: "actors/city".into(), etag: String::new() })
        .await
        .expect("then its parent");
    c.delete_actor(pb::DeleteActorRequest { name: "actors/province".into(), etag: province.etag })
        .await
        .expect("unchanged etag");
    assert_code(
        c.delete_actor(pb::DeleteActorRequest { name: "actors/province".into(), etag: String::new() }).await,
        Code::NotFound,
    );
}

async fn delete_checks_the_etag() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    let a = east(&mut c, "e").await;
    c.update_actor(pb::UpdateActorRequest {
        actor: Some(pb::Actor { name: a.name.clone(), display_name: "renamed".into(), ..Default::default() }),
        update_mask: mask(&["display_name"]),
    })
    .await
    .expect("update");
    assert_code(c.delete_actor(pb::DeleteActorRequest { name: a.name.clone(), etag: a.etag }).await, Code::Aborted);
    assert!(c.get_actor(pb::GetActorRequest { name: a.name }).await.is_ok(), "a refused delete deletes nothing");
}

/// A filter that the driving index serves badly still pages correctly: pages may come back short,
/// even empty, with a token, and following the tokens finds every match exactly once.
async fn a_selective_combined_filter_pages_in_bounded_steps() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    let mut tasks = Vec::new();
    for w in 0..8 {
        let mut client = server.client().await;
        tasks.push(tokio::spawn(async move {
            for i in 0..150 {
                let id = format!("gov-{w}-{i:03}");
                create_actor(&mut client, &id, actor(&id, pb::Side::East, "320100")).await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("loader");
    }
    for id in ["zz-ngo-1", "zz-ngo-2"] {
        let mut ngo = actor(id, pb::Side::East, "320100");
        ngo.category = pb::ActorCategory::SocialOrganization as i32;
        create_actor(&mut c, id, ngo).await;
    }
    // The region index drives (1,202 entries under 32); the two matches sort last.
    let request = pb::ListActorsRequest {
        page_size: 10,
        region_code_prefix: "32".into(),
        category: pb::ActorCategory::SocialOrganization as i32,
        ..Default::default()
    };
    let first = c.list_actors(request.clone()).await.expect("first page").into_inner();
    assert!(first.actors.is_empty(), "the first 1,000 entries hold no match: {:?}", first.actors);
    assert!(!first.next_page_token.is_empty(), "a short page still says there is more");
    assert_eq!(all_actor_names(&mut c, request).await, ["actors/zz-ngo-1", "actors/zz-ngo-2"]);
}

eastwest_tests::on_every_engine!(
    create_and_get_round_trip_every_field,
    invalid_actors_name_every_bad_field_and_change_nothing,
    credit_codes_checksum_mismatch_is_stored_and_duplicates_are_refused,
    ids_are_unique,
    batch_get_keeps_the_order_and_is_all_or_nothing,
    listing_pages_return_each_actor_once_under_every_filter,
    listing_rejects_bad_paging_input,
    updates_follow_the_mask_and_the_etag,
    parents_must_exist_never_cycle_and_block_deletion,
    delete_checks_the_etag,
    a_selective_combined_filter_pages_in_bounded_steps,
);
