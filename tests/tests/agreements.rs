//! Annual agreements and activity measures over gRPC against a real server, on every engine: what
//! is stored comes back, what is refused names its field and stores nothing, and a pairing with
//! agreements is deleted only with `force`.

use eastwest_proto::registry::v1 as pb;
use eastwest_tests::grpc::{Client, assert_code, assert_violation, mask, violated_fields};
use eastwest_tests::records::{activity, create_activity, create_pairing, east, pairing, west};
use eastwest_tests::registry::{TestRegistry, any_addr};
use tonic::Code;

const PAIRING: &str = "pairings/gd-gx";

fn target(indicator: pb::Indicator, side: pb::Side, value: i64) -> pb::Target {
    pb::Target { indicator: indicator as i32, side: side as i32, value }
}

/// 2022 targets of the size Guangdong and Guangxi reported: 17.58 亿元 of fiscal aid, 267 cadres,
/// 378 workshops.
fn agreement() -> pb::Agreement {
    pb::Agreement {
        signed_date: "2022-03-01".into(),
        targets: vec![
            target(pb::Indicator::Workshops, pb::Side::West, 378),
            target(pb::Indicator::FiscalAid, pb::Side::East, 175_800_000_000),
            target(pb::Indicator::CadresExchanged, pb::Side::Unspecified, 267),
        ],
        description: "2022年粤桂东西部协作协议".into(),
        ..Default::default()
    }
}

async fn seed(c: &mut Client) {
    east(c, "gd").await;
    west(c, "gx").await;
    create_pairing(c, "gd-gx", pairing("广东—广西东西部协作", "gd", "gx")).await;
}

async fn create(c: &mut Client, year: &str, agreement: pb::Agreement) -> Result<pb::Agreement, tonic::Status> {
    c.create_agreement(pb::CreateAgreementRequest {
        parent: PAIRING.into(),
        agreement: Some(agreement),
        agreement_id: year.into(),
    })
    .await
    .map(tonic::Response::into_inner)
}

async fn list_years(c: &mut Client, page_size: i32) -> Vec<i32> {
    let mut years = Vec::new();
    let mut token = String::new();
    loop {
        let page = c
            .list_agreements(pb::ListAgreementsRequest { parent: PAIRING.into(), page_size, page_token: token })
            .await
            .expect("list")
            .into_inner();
        years.extend(page.agreements.iter().map(|a| a.year));
        if page.next_page_token.is_empty() {
            return years;
        }
        token = page.next_page_token;
    }
}

async fn agreements_are_stored_per_year_and_listed_in_year_order() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed(&mut c).await;
    let created = create(&mut c, "2022", agreement()).await.expect("create");
    assert_eq!((created.name.as_str(), created.year), ("pairings/gd-gx/agreements/2022", 2022));
    let order: Vec<(i32, i32)> = created.targets.iter().map(|t| (t.indicator, t.side)).collect();
    assert_eq!(
        order,
        [
            (pb::Indicator::FiscalAid as i32, pb::Side::East as i32),
            (pb::Indicator::CadresExchanged as i32, 0),
            (pb::Indicator::Workshops as i32, pb::Side::West as i32),
        ],
        "targets are kept ordered by indicator, then side"
    );
    assert!(created.create_time.is_some() && created.create_time == created.update_time);
    assert!(!created.etag.is_empty());
    let got = c.get_agreement(pb::GetAgreementRequest { name: created.name.clone() }).await.expect("get").into_inner();
    assert_eq!(got, created);

    create(&mut c, "2024", pb::Agreement::default()).await.expect("an agreement without targets yet");
    create(&mut c, "2021", pb::Agreement::default()).await.expect("2021");
    create(&mut c, "2023", pb::Agreement::default()).await.expect("2023");
    assert_eq!(list_years(&mut c, 2).await, [2021, 2022, 2023, 2024], "two pages and a last one");
    assert_eq!(list_years(&mut c, 0).await, [2021, 2022, 2023, 2024]);

    let again = assert_code(create(&mut c, "2022", agreement()).await, Code::AlreadyExists);
    assert!(again.message().contains("agreements/2022"), "{}", again.message());

    let snapshot = c
        .get_pairing_snapshot(pb::GetPairingSnapshotRequest { name: PAIRING.into() })
        .await
        .expect("snapshot")
        .into_inner();
    let years: Vec<i32> = snapshot.agreements.iter().map(|a| a.year).collect();
    assert_eq!(years, [2021, 2022, 2023, 2024], "the snapshot holds every agreement, by year");
    assert_eq!(snapshot.agreements[1], created);
}

async fn bad_agreements_name_the_field_and_store_nothing() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed(&mut c).await;
    for id in ["", "23", "1999", "2101", "02022", "２０２２", "20x2"] {
        let s = assert_code(create(&mut c, id, agreement()).await, Code::InvalidArgument);
        assert_eq!(violated_fields(&s), ["agreement_id"], "{id:?}: {}", s.message());
    }
    type Edit = Box<dyn Fn(&mut pb::Agreement)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("agreement.targets[0].indicator", Box::new(|a| a.targets[0].indicator = 0)),
        ("agreement.targets[0].indicator", Box::new(|a| a.targets[0].indicator = 99)),
        ("agreement.targets[1].side", Box::new(|a| a.targets[1].side = 7)),
        ("agreement.targets[2].value", Box::new(|a| a.targets[2].value = -1)),
        ("agreement.targets[3]", Box::new(|a| a.targets.push(target(pb::Indicator::Workshops, pb::Side::West, 1)))),
        ("agreement.signed_date", Box::new(|a| a.signed_date = "2022-13-01".into())),
        ("agreement.signed_date", Box::new(|a| a.signed_date = "2020-03-01".into())),
        ("agreement.labels[\"\"]", Box::new(|a| _ = a.labels.insert(String::new(), "x".into()))),
    ];
    for (field, edit) in cases {
        let mut a = agreement();
        edit(&mut a);
        let s = assert_code(create(&mut c, "2022", a).await, Code::InvalidArgument);
        assert_violation(&s, field);
    }
    // The same (indicator) for a side and for the pairing as a whole are two targets, not one.
    let mut both = agreement();
    both.targets.push(target(pb::Indicator::Workshops, pb::Side::Unspecified, 400));
    let kept = create(&mut c, "2023", both).await.expect("a side's and the pairing's targets");
    assert_eq!(kept.targets.len(), 4);
    c.delete_agreement(pb::DeleteAgreementRequest { name: kept.name, etag: kept.etag }).await.expect("delete");

    let missing = c
        .create_agreement(pb::CreateAgreementRequest {
            parent: "pairings/none".into(),
            agreement: Some(agreement()),
            agreement_id: "2022".into(),
        })
        .await;
    assert_code(missing, Code::NotFound);
    let s = assert_code(
        c.create_agreement(pb::CreateAgreementRequest {
            parent: PAIRING.into(),
            agreement: None,
            agreement_id: "2022".into(),
        })
        .await,
        Code::InvalidArgument,
    );
    assert_violation(&s, "agreement");
    assert_code(
        c.get_agreement(pb::GetAgreementRequest { name: "pairings/gd-gx/agreements/22".into() }).await,
        Code::InvalidArgument,
    );
    assert_code(
        c.get_agreement(pb::GetAgreementRequest { name: "pairings/gd-gx/agreements/2022".into() }).await,
        Code::NotFound,
    );
    assert!(list_years(&mut c, 10).await.is_empty(), "nothing refused was stored");
}

async fn updates_replace_what_the_mask_names() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed(&mut c).await;
    let created = create(&mut c, "2022", agreement()).await.expect("create");
    let change = pb::Agreement {
        name: created.name.clone(),
        etag: created.etag.clone(),
        year: 1999,
        targets: vec![target(pb::Indicator::Consumption, pb::Side::Unspecified, 22_445_000_000_000)],
        description: "not replaced: the mask leaves it out".into(),
        ..Default::default()
    };
    let updated = c
        .update_agreement(pb::UpdateAgreementRequest {
            agreement: Some(change.clone()),
            update_mask: mask(&["targets", "year"]),
        })
        .await
        .expect("update")
        .into_inner();
    assert_eq!(updated.year, 2022, "the year is output only");
    assert_eq!(updated.targets, change.targets);
    assert_eq!(updated.description, created.description);
    assert_eq!(updated.signed_date, created.signed_date);
    assert_eq!(updated.create_time, created.create_time);
    assert_ne!(updated.etag, created.etag);

    let stale = c
        .update_agreement(pb::UpdateAgreementRequest {
            agreement: Some(change.clone()),
            update_mask: mask(&["targets"]),
        })
        .await;
    assert_code(stale, Code::Aborted);
    let mut unknown = change.clone();
    unknown.etag.clear();
    let s = assert_code(
        c.update_agreement(pb::UpdateAgreementRequest {
            agreement: Some(unknown.clone()),
            update_mask: mask(&["amount"]),
        })
        .await,
        Code::InvalidArgument,
    );
    assert_violation(&s, "update_mask.paths[0]");
    let mut duplicate = unknown.clone();
    duplicate.targets.push(duplicate.targets[0]);
    let s = assert_code(
        c.update_agreement(pb::UpdateAgreementRequest { agreement: Some(duplicate), update_mask: mask(&["targets"]) })
            .await,
        Code::InvalidArgument,
    );
    assert_violation(&s, "agreement.targets[1]");
    let mut elsewhere = unknown;
    elsewhere.name = "pairings/gd-gx/agreements/2030".into();
    assert_code(
        c.update_agreement(pb::UpdateAgreementRequest { agreement: Some(elsewhere), update_mask: mask(&["targets"]) })
            .await,
        Code::NotFound,
    );
    let now = c.get_agreement(pb::GetAgreementRequest { name: created.name }).await.expect("get").into_inner();
    assert_eq!(now, updated, "refused updates changed nothing");
}

async fn deleting_needs_the_current_etag_and_a_pairing_with_agreements_needs_force() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed(&mut c).await;
    let a = create(&mut c, "2022", agreement()).await.expect("2022");
    create(&mut c, "2023", agreement_for_2023()).await.expect("2023");
    let stale = c.delete_agreement(pb::DeleteAgreementRequest { name: a.name.clone(), etag: "1".into() }).await;
    assert_code(stale, Code::Aborted);
    c.delete_agreement(pb::DeleteAgreementRequest { name: a.name.clone(), etag: a.etag }).await.expect("delete");
    assert_code(
        c.delete_agreement(pb::DeleteAgreementRequest { name: a.name, etag: String::new() }).await,
        Code::NotFound,
    );

    let refused = assert_code(
        c.delete_pairing(pb::DeletePairingRequest { name: PAIRING.into(), etag: String::new(), force: false }).await,
        Code::FailedPrecondition,
    );
    assert!(
        refused.message().contains("holds 1 agreement;") && refused.message().contains("force"),
        "{}",
        refused.message()
    );
    c.delete_pairing(pb::DeletePairingRequest { name: PAIRING.into(), etag: String::new(), force: true })
        .await
        .expect("force deletes the agreements with the pairing");
    // A pairing of the same id starts with none.
    create_pairing(&mut c, "gd-gx", pairing("广东—广西东西部协作", "gd", "gx")).await;
    assert!(list_years(&mut c, 10).await.is_empty());
}

fn agreement_for_2023() -> pb::Agreement {
    let mut a = agreement();
    a.signed_date = "2023-02-15".into();
    a
}

async fn measures_and_verification_are_stored_and_checked() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed(&mut c).await;
    let mut investment = activity("gd");
    investment.kind = pb::ActivityKind::Investment as i32;
    investment.form = pb::CooperationForm::Industry as i32;
    investment.amount_fen = 1_791_600_000_000;
    investment.people = 0;
    investment.verification = pb::Verification::Confirmed as i32;
    investment.measures = vec![
        pb::Measure { indicator: pb::Indicator::EnterprisesLanded as i32, value: 321 },
        pb::Measure { indicator: pb::Indicator::InvestmentArrived as i32, value: 1_791_600_000_000 },
    ];
    let stored = create_activity(&mut c, "gd-gx", "2022-investment", investment.clone()).await;
    assert_eq!(stored.measures, investment.measures);
    assert_eq!(stored.verification, pb::Verification::Confirmed as i32);
    let plain = create_activity(&mut c, "gd-gx", "plain", activity("gd")).await;
    assert_eq!(plain.verification, pb::Verification::Reported as i32, "REPORTED unless said otherwise");
    assert!(plain.measures.is_empty(), "measures derived from the kind are not stored");

    type Edit = Box<dyn Fn(&mut pb::Activity)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("activity.measures[0].indicator", Box::new(|a| a.measures[0].indicator = 0)),
        ("activity.measures[1].indicator", Box::new(|a| a.measures[1].indicator = 42)),
        ("activity.measures[1].value", Box::new(|a| a.measures[1].value = -5)),
        ("activity.measures[2].indicator", Box::new(|a| a.measures.push(a.measures[0]))),
        ("activity.verification", Box::new(|a| a.verification = 9)),
    ];
    for (field, edit) in cases {
        let mut a = investment.clone();
        edit(&mut a);
        let s = assert_code(
            c.create_activity(pb::CreateActivityRequest {
                parent: PAIRING.into(),
                activity: Some(a),
                activity_id: "refused".into(),
            })
            .await,
            Code::InvalidArgument,
        );
        assert_violation(&s, field);
    }
    assert_code(
        c.get_activity(pb::GetActivityRequest { name: format!("{PAIRING}/activities/refused") }).await,
        Code::NotFound,
    );
}

async fn agreements_survive_a_restart() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    seed(&mut c).await;
    let a = create(&mut c, "2022", agreement()).await.expect("create");
    let backing = server.stop_keeping_store().await;
    let again = TestRegistry::start_on(backing, any_addr()).await;
    let mut c = again.client().await;
    let got = c.get_agreement(pb::GetAgreementRequest { name: a.name.clone() }).await.expect("get").into_inner();
    assert_eq!(got, a);
}

eastwest_tests::on_every_engine!(
    agreements_are_stored_per_year_and_listed_in_year_order,
    bad_agreements_name_the_field_and_store_nothing,
    updates_replace_what_the_mask_names,
    deleting_needs_the_current_etag_and_a_pairing_with_agreements_needs_force,
    measures_and_verification_are_stored_and_checked,
    agreements_survive_a_restart,
);
