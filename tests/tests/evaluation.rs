//! The evaluation service against a real registry: both servers on 127.0.0.1, data loaded over gRPC.

use std::time::{Duration, Instant};

use eastwest_proto::evaluation::v1 as ev;
use eastwest_proto::evaluation::v1::evaluation_service_client::EvaluationServiceClient;
use eastwest_proto::registry::v1 as pb;
use eastwest_tests::evaluation::TestEvaluation;
use eastwest_tests::grpc::{Client, assert_violation};
use eastwest_tests::records::{activity, actor, create_activity, create_actor, create_pairing, east, pairing, west};
use eastwest_tests::registry::TestRegistry;
use tonic::Code;
use tonic_health::pb::health_check_response::ServingStatus;

fn role(r: pb::ParticipantRole) -> i32 {
    r as i32
}

async fn actor_of(c: &mut Client, id: &str, name: &str, category: pb::ActorCategory, side: pb::Side, region: &str) {
    let mut a = actor(name, side, region);
    a.category = category as i32;
    create_actor(c, id, a).await;
}

/// A Jiangsu–Shaanxi-like pairing with every kind of data the model reads.
async fn load_rich_pairing(c: &mut Client, id: &str) {
    use pb::ActorCategory as Cat;
    actor_of(c, "js", "江苏省人民政府", Cat::GovernmentBody, pb::Side::East, "320000").await;
    actor_of(c, "sn", "陕西省人民政府", Cat::GovernmentBody, pb::Side::West, "610000").await;
    actor_of(c, "js-firm", "江苏某民营企业", Cat::PrivateEnterprise, pb::Side::East, "320500").await;
    actor_of(c, "js-ngo", "江苏某公益基金会", Cat::SocialOrganization, pb::Side::East, "320100").await;
    actor_of(c, "sn-coop", "陕西某合作社", Cat::SocialOrganization, pb::Side::West, "610100").await;
    let mut p = pairing("江苏—陕西东西部协作", "js", "sn");
    p.forms = vec![pb::CooperationForm::Industry as i32, pb::CooperationForm::Employment as i32];
    p.start_date = "2021-01-01".into();
    p.scope = Some(pb::Scope {
        statement: "产业协作与劳务协作，帮扶脱贫人口稳岗就业".into(),
        in_scope: vec!["帮扶车间".into(), "转移就业".into()],
        out_of_scope: vec!["一般性基础设施".into()],
    });
    p.participants = vec![
        pb::Participant {
            actor: "actors/js".into(),
            roles: vec![role(pb::ParticipantRole::Funding), role(pb::ParticipantRole::Accountable)],
        },
        pb::Participant { actor: "actors/sn".into(), roles: vec![role(pb::ParticipantRole::Extending)] },
        pb::Participant { actor: "actors/js-firm".into(), roles: vec![role(pb::ParticipantRole::Implementing)] },
        pb::Participant { actor: "actors/js-ngo".into(), roles: vec![role(pb::ParticipantRole::Implementing)] },
        pb::Participant { actor: "actors/sn-coop".into(), roles: vec![role(pb::ParticipantRole::Implementing)] },
    ];
    let duty = |id: &str, party: &str, due: &str, done: bool| pb::Responsibility {
        id: id.into(),
        party: format!("actors/{party}"),
        duty: format!("{id} duty"),
        due_date: due.into(),
        status: if done { pb::ResponsibilityStatus::Done } else { pb::ResponsibilityStatus::Open } as i32,
    };
    p.responsibilities = vec![
        duty("fund", "js", "2021-12-31", true),
        duty("workshops", "sn", "2021-12-31", true),
        duty("hire", "js-firm", "2022-06-30", true),
        duty("train", "js-ngo", "2022-06-30", false),
        duty("sell", "sn-coop", "2023-06-30", false),
    ];
    p.goals = vec![pb::Goal {
        id: "jobs".into(),
        indicator: "帮扶车间吸纳脱贫人口就业".into(),
        form: pb::CooperationForm::Employment as i32,
        unit: "人".into(),
        baseline: Some(0.0),
        target: Some(4_000.0),
        actual: Some(4_729.0),
        due_date: "2021-12-31".into(),
        beneficiary: "脱贫人口".into(),
        responsible: "actors/sn".into(),
    }];
    create_pairing(c, id, p).await;
    let act = |actor: &str,
               form: pb::CooperationForm,
               kind: pb::ActivityKind,
               dir: pb::FlowDirection,
               date: &str,
               fen: i64,
               people: i64| pb::Activity {
        actor: format!("actors/{actor}"),
        form: form as i32,
        kind: kind as i32,
        direction: dir as i32,
        date: date.into(),
        amount_fen: fen,
        people,
        ..Default::default()
    };
    use pb::ActivityKind as K;
    use pb::CooperationForm as F;
    use pb::FlowDirection as D;
    let activities = [
        act("js", F::Industry, K::Funds, D::EastToWest, "2021-03-01", 269_000_000_000, 0),
        act("js-firm", F::Industry, K::Investment, D::EastToWest, "2021-06-01", 697_000_000_000, 0),
        act("js-firm", F::Employment, K::Employment, D::WestToEast, "2021-09-01", 0, 5_381),
        act("js-ngo", F::Education, K::Training, D::EastToWest, "2022-03-01", 5_000_000, 300),
        act("sn-coop", F::Consumption, K::Purchase, D::WestToEast, "2022-05-01", 80_000_000, 0),
        act("sn", F::Talent, K::PersonnelExchange, D::WestToEast, "2022-07-01", 0, 20),
        act("js", F::Other, K::JointMeeting, D::Joint, "2021-04-01", 0, 30),
        act("sn", F::Other, K::JointMeeting, D::Joint, "2022-04-01", 0, 30),
        act("js", F::Other, K::JointMeeting, D::Joint, "2023-04-01", 0, 30),
    ];
    for (i, a) in activities.into_iter().enumerate() {
        create_activity(c, id, &format!("a{i}"), a).await;
    }
}

async fn evaluate(
    e: &mut EvaluationServiceClient<tonic::transport::Channel>,
    pairing: &str,
    as_of: &str,
) -> Result<ev::Evaluation, tonic::Status> {
    e.evaluate_pairing(ev::EvaluatePairingRequest { pairing: pairing.into(), as_of: as_of.into(), year: 0 })
        .await
        .map(tonic::Response::into_inner)
}

fn grade_of(score: f64) -> ev::Grade {
    if score >= 90.0 {
        ev::Grade::Good
    } else if score >= 75.0 {
        ev::Grade::FairlyGood
    } else if score >= 60.0 {
        ev::Grade::Average
    } else {
        ev::Grade::Poor
    }
}

fn criterion(e: &ev::Evaluation, c: ev::Criterion) -> &ev::CriterionScore {
    e.criteria.iter().find(|x| x.criterion == c as i32).expect("criterion present")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rich_pairing_scores_well_and_explains_itself() {
    let registry = TestRegistry::start().await;
    let mut c = registry.client().await;
    load_rich_pairing(&mut c, "js-sn").await;
    let empty_east = east(&mut c, "lonely-e").await;
    let empty_west = west(&mut c, "lonely-w").await;
    let _ = (empty_east, empty_west);
    create_pairing(&mut c, "bare", pairing("只有名称的结对", "lonely-e", "lonely-w")).await;

    let evaluation = TestEvaluation::start(&registry.url()).await;
    let mut e = evaluation.client().await;
    let rich = evaluate(&mut e, "pairings/js-sn", "2023-12-31").await.expect("evaluate");
    assert_eq!(rich.pairing, "pairings/js-sn");
    assert!(!rich.model_version.is_empty());
    assert_eq!(rich.as_of, "2023-12-31");
    assert!(rich.evaluate_time.is_some());
    assert_eq!(rich.criteria.len(), 8);
    let weights: f64 = rich.criteria.iter().map(|c| c.weight).sum();
    assert!((weights - 1.0).abs() < 1e-9, "weights sum to 1, got {weights}");
    let weighted: f64 = rich.criteria.iter().map(|c| c.weight * c.score).sum();
    assert!(
        (weighted - rich.overall_score).abs() < 0.1,
        "overall {} is the weighted mean {weighted}",
        rich.overall_score
    );
    assert_eq!(rich.grade, grade_of(rich.overall_score) as i32);
    for c in &rich.criteria {
        assert!((0.0..=100.0).contains(&c.score), "{c:?}");
        assert!(!c.indicators.is_empty(), "every criterion shows its sub-indicators: {c:?}");
        for f in &c.findings {
            assert!(!f.text.is_empty() && !f.text_en.is_empty(), "findings come in Chinese and English: {f:?}");
            assert!(f.records.iter().all(|r| r.starts_with("pairings/js-sn") || r.starts_with("actors/")), "{f:?}");
        }
    }
    assert_eq!(rich.east_region_code, "320000");
    assert_eq!(rich.declared_leadership, pb::Leadership::GovernmentLed as i32);

    let bare = evaluate(&mut e, "pairings/bare", "2023-12-31").await.expect("a pairing without data is not an error");
    assert_eq!(bare.grade, ev::Grade::Poor as i32);
    assert!(
        bare.overall_score < rich.overall_score - 20.0,
        "bare {} vs rich {}",
        bare.overall_score,
        rich.overall_score
    );
    let missing: usize = bare.criteria.iter().map(|c| c.findings.len() + c.recommendations.len()).sum();
    assert!(missing > 0, "a bare pairing is told what is missing");
    for c in [ev::Criterion::GoalPrecision, ev::Criterion::ResponsibilityListing, ev::Criterion::PathDiversity] {
        assert!(criterion(&rich, c).score > criterion(&bare, c).score, "{c:?}");
    }

    // The same question gets the same answer.
    let again = evaluate(&mut e, "pairings/js-sn", "2023-12-31").await.expect("evaluate");
    assert_eq!(again.criteria, rich.criteria);
    assert_eq!(again.overall_score, rich.overall_score);

    // Activities after as_of do not count.
    let early = evaluate(&mut e, "pairings/js-sn", "2021-03-31").await.expect("evaluate");
    assert!(
        criterion(&early, ev::Criterion::PathDiversity).score < criterion(&rich, ev::Criterion::PathDiversity).score
    );
}

#[tokio::test]
async fn bad_requests_get_field_violations_and_unknown_pairings_not_found() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let mut e = evaluation.client().await;
    let s = evaluate(&mut e, "pairing/x", "").await.expect_err("bad name");
    assert_violation(&s, "pairing");
    let s = evaluate(&mut e, "pairings/x", "2023-13-01").await.expect_err("bad date");
    assert_violation(&s, "as_of");
    let s = evaluate(&mut e, "pairings/nope", "").await.expect_err("unknown");
    assert_eq!(s.code(), Code::NotFound, "{}", s.message());
    assert!(s.message().contains("pairings/nope"), "{}", s.message());
    let s = e
        .summarize_evaluations(ev::SummarizeEvaluationsRequest {
            filter: None,
            as_of: String::new(),
            group_by: 0,
            year: 0,
        })
        .await
        .expect_err("group_by required");
    assert_violation(&s, "group_by");
    let s = e
        .evaluate_pairings(ev::EvaluatePairingsRequest {
            filter: Some(ev::PairingFilter { region_code_prefix: "9".into(), ..Default::default() }),
            as_of: String::new(),
            year: 0,
        })
        .await
        .expect_err("bad filter");
    assert_violation(&s, "filter.region_code_prefix");
}

async fn load_many(c: &mut Client, n: usize) -> Vec<String> {
    east(c, "e1").await;
    create_actor(c, "gz", actor("贵州省人民政府", pb::Side::West, "520000")).await;
    create_actor(c, "gx", actor("广西壮族自治区人民政府", pb::Side::West, "450000")).await;
    let mut names = Vec::new();
    for i in 0..n {
        let west = if i % 3 == 0 { "gx" } else { "gz" };
        let mut p = pairing(&format!("结对 {i}"), "e1", west);
        if i % 2 == 0 {
            p.leadership = pb::Leadership::SocietyLed as i32;
        }
        let id = format!("p{i:03}");
        create_pairing(c, &id, p).await;
        if i % 4 == 0 {
            create_activity(c, &id, "a", activity("e1")).await;
        }
        names.push(format!("pairings/{id}"));
    }
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_and_summaries_cover_each_matching_pairing_once() {
    let registry = TestRegistry::start().await;
    let mut c = registry.client().await;
    let names = load_many(&mut c, 30).await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let mut e = evaluation.client().await;

    let mut stream = e.evaluate_pairings(ev::EvaluatePairingsRequest::default()).await.expect("stream").into_inner();
    let mut seen = Vec::new();
    while let Some(item) = stream.message().await.expect("item") {
        seen.push(item.pairing);
    }
    assert_eq!(seen, names, "every pairing once, in listing order");

    let filtered = ev::EvaluatePairingsRequest {
        filter: Some(ev::PairingFilter { region_code_prefix: "45".into(), ..Default::default() }),
        as_of: "2024-01-01".into(),
        year: 0,
    };
    let mut stream = e.evaluate_pairings(filtered).await.expect("stream").into_inner();
    let mut guangxi = 0;
    while let Some(item) = stream.message().await.expect("item") {
        assert_eq!(item.west_region_code, "450000");
        assert_eq!(item.as_of, "2024-01-01");
        guangxi += 1;
    }
    assert_eq!(guangxi, 10);

    let summary = e
        .summarize_evaluations(ev::SummarizeEvaluationsRequest {
            filter: None,
            as_of: "2024-01-01".into(),
            group_by: ev::GroupBy::WestProvince as i32,
            year: 0,
        })
        .await
        .expect("summary")
        .into_inner();
    assert_eq!(summary.pairings, 30);
    let keys: Vec<_> = summary.groups.iter().map(|g| (g.key.as_str(), g.count)).collect();
    assert_eq!(keys, [("450000", 10), ("520000", 20)]);
    for g in &summary.groups {
        let graded: u32 = g.grade_counts.iter().map(|x| x.count).sum();
        assert_eq!(graded, g.count);
        assert!(g.min_score <= g.median_score && g.median_score <= g.max_score);
        assert!(g.min_score <= g.mean_score && g.mean_score <= g.max_score);
        assert_ne!(g.weakest_criterion, 0);
    }
    let by_leadership = e
        .summarize_evaluations(ev::SummarizeEvaluationsRequest {
            filter: None,
            as_of: String::new(),
            group_by: ev::GroupBy::Leadership as i32,
            year: 0,
        })
        .await
        .expect("summary")
        .into_inner();
    let keys: Vec<_> = by_leadership.groups.iter().map(|g| (g.key.as_str(), g.count)).collect();
    assert_eq!(keys, [("LEADERSHIP_GOVERNMENT_LED", 15), ("LEADERSHIP_SOCIETY_LED", 15)]);
}

#[tokio::test]
async fn the_scoring_model_describes_itself() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let mut e = evaluation.client().await;
    let model = e.get_scoring_model(ev::GetScoringModelRequest {}).await.expect("model").into_inner();
    assert!(!model.version.is_empty());
    assert_eq!(model.criteria.len(), 8);
    let total: f64 = model.criteria.iter().map(|c| c.weight).sum();
    assert!((total - 1.0).abs() < 1e-9);
    for c in &model.criteria {
        assert!(
            !c.name.is_empty() && !c.name_en.is_empty() && !c.description.is_empty() && !c.indicators.is_empty(),
            "{c:?}"
        );
    }
    assert_eq!((model.good_from, model.fairly_good_from, model.average_from), (90.0, 75.0, 60.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_registry_means_unavailable_within_two_seconds_and_recovery_after() {
    let registry = TestRegistry::start().await;
    let (addr, dir) = (registry.addr, registry.dir.clone());
    let mut c = registry.client().await;
    load_many(&mut c, 200).await;
    drop(c);
    let evaluation = TestEvaluation::start(&registry.url()).await;
    evaluation.wait_for_health(ServingStatus::Serving).await;
    let mut e = evaluation.client().await;
    evaluate(&mut e, "pairings/p000", "").await.expect("registry up");

    // Stop the registry in the middle of a stream.
    let mut stream = e.evaluate_pairings(ev::EvaluatePairingsRequest::default()).await.expect("stream").into_inner();
    let first = stream.message().await.expect("first item");
    assert!(first.is_some());
    let tempdir = registry.stop().await;
    let mut streamed = 1;
    let ended_with = loop {
        match stream.message().await {
            Ok(Some(_)) => streamed += 1,
            Ok(None) => break None,
            Err(status) => break Some(status),
        }
    };
    // Evaluations already buffered may arrive; the stream must then fail, not end as if complete.
    let status = ended_with
        .unwrap_or_else(|| panic!("the stream ended cleanly after {streamed} of 200 although the registry went away"));
    assert_eq!(status.code(), Code::Unavailable, "{}", status.message());
    assert!(streamed < 200);

    let started = Instant::now();
    let s = evaluate(&mut e, "pairings/p001", "").await.expect_err("registry down");
    assert_eq!(s.code(), Code::Unavailable, "{}", s.message());
    assert!(started.elapsed() < Duration::from_secs(2), "UNAVAILABLE took {:?}", started.elapsed());
    evaluation.wait_for_health(ServingStatus::NotServing).await;

    // The registry comes back on the same address: evaluation recovers by itself.
    let registry = TestRegistry::start_at(&dir, addr).await;
    evaluation.wait_for_health(ServingStatus::Serving).await;
    let back = evaluate(&mut e, "pairings/p001", "").await.expect("recovered");
    assert_eq!(back.pairing, "pairings/p001");
    evaluation.stop().await;
    registry.stop().await;
    drop(tempdir);
}

#[tokio::test]
async fn a_declared_leadership_that_the_money_contradicts_is_flagged() {
    let registry = TestRegistry::start().await;
    let mut c = registry.client().await;
    east(&mut c, "gd").await;
    west(&mut c, "gz").await;
    let mut ngo = actor("某公益基金会", pb::Side::East, "440100");
    ngo.category = pb::ActorCategory::SocialOrganization as i32;
    create_actor(&mut c, "ngo", ngo).await;
    let mut p = pairing("声称政府主导", "gd", "gz");
    p.leadership = pb::Leadership::GovernmentLed as i32;
    p.participants = vec![pb::Participant {
        actor: "actors/ngo".into(),
        roles: vec![pb::ParticipantRole::Funding as i32, pb::ParticipantRole::Accountable as i32],
    }];
    create_pairing(&mut c, "claimed", p).await;
    for i in 0..3 {
        let mut gift = activity("ngo");
        gift.kind = pb::ActivityKind::Donation as i32;
        gift.form = pb::CooperationForm::Education as i32;
        gift.amount_fen = 1_000_000;
        create_activity(&mut c, "claimed", &format!("gift{i}"), gift).await;
    }
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let mut e = evaluation.client().await;
    let got = evaluate(&mut e, "pairings/claimed", "2024-01-01").await.expect("evaluate");
    assert_eq!(got.declared_leadership, pb::Leadership::GovernmentLed as i32);
    assert_eq!(got.inferred_leadership, pb::Leadership::SocietyLed as i32);
    assert!(got.leadership_mismatch);
}

async fn evaluate_year(
    e: &mut EvaluationServiceClient<tonic::transport::Channel>,
    pairing: &str,
    year: i32,
    as_of: &str,
) -> Result<ev::Evaluation, tonic::Status> {
    e.evaluate_pairing(ev::EvaluatePairingRequest { pairing: pairing.into(), as_of: as_of.into(), year })
        .await
        .map(tonic::Response::into_inner)
}

fn measured(actor: &str, date: &str, indicator: pb::Indicator, value: i64) -> pb::Activity {
    pb::Activity {
        actor: format!("actors/{actor}"),
        form: pb::CooperationForm::Other as i32,
        kind: pb::ActivityKind::Other as i32,
        direction: pb::FlowDirection::EastToWest as i32,
        date: date.into(),
        measures: vec![pb::Measure { indicator: indicator as i32, value }],
        ..Default::default()
    }
}

/// A province pairing with 2021 and 2022 figures and a 2022 agreement: fiscal aid 15 亿元 then
/// 17.58 亿元 against a target of 16 亿元 for the east; 378 workshops against 400 for the west;
/// 753,100 workers against 700,000 for the pairing.
async fn load_agreed_year(c: &mut Client) {
    east(c, "gd").await;
    west(c, "gx").await;
    create_pairing(c, "gd-gx", pairing("广东—广西东西部协作", "gd", "gx")).await;
    create_activity(c, "gd-gx", "f2021", measured("gd", "2021-12-31", pb::Indicator::FiscalAid, 150_000_000_000)).await;
    create_activity(c, "gd-gx", "f2022", measured("gd", "2022-12-31", pb::Indicator::FiscalAid, 175_800_000_000)).await;
    create_activity(c, "gd-gx", "w2022", measured("gx", "2022-12-31", pb::Indicator::Workshops, 378)).await;
    create_activity(c, "gd-gx", "l2022", measured("gx", "2022-12-31", pb::Indicator::LabourEmployed, 753_100)).await;
    let target = |indicator: pb::Indicator, side: pb::Side, value| pb::Target {
        indicator: indicator as i32,
        side: side as i32,
        value,
    };
    c.create_agreement(pb::CreateAgreementRequest {
        parent: "pairings/gd-gx".into(),
        agreement_id: "2022".into(),
        agreement: Some(pb::Agreement {
            signed_date: "2022-03-01".into(),
            targets: vec![
                target(pb::Indicator::FiscalAid, pb::Side::East, 160_000_000_000),
                target(pb::Indicator::Workshops, pb::Side::West, 400),
                target(pb::Indicator::LabourEmployed, pb::Side::Unspecified, 700_000),
            ],
            ..Default::default()
        }),
    })
    .await
    .expect("agreement");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_is_scored_against_its_agreement_and_the_year_before() {
    let registry = TestRegistry::start().await;
    let mut c = registry.client().await;
    load_agreed_year(&mut c).await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let mut e = evaluation.client().await;
    let got = evaluate_year(&mut e, "pairings/gd-gx", 2022, "").await.expect("evaluate 2022");
    assert_eq!((got.year, got.as_of.as_str()), (2022, "2022-12-31"), "a past year is read to its last day");

    let rows: Vec<(i32, i32, i64, i64, i64)> =
        got.results.iter().map(|r| (r.indicator, r.side, r.target, r.actual, r.previous_actual)).collect();
    assert_eq!(
        rows,
        [
            (pb::Indicator::FiscalAid as i32, pb::Side::East as i32, 160_000_000_000, 175_800_000_000, 150_000_000_000),
            (pb::Indicator::Workshops as i32, pb::Side::West as i32, 400, 378, 0),
            (pb::Indicator::LabourEmployed as i32, 0, 700_000, 753_100, 0),
            (pb::Indicator::FiscalAid as i32, 0, 0, 175_800_000_000, 150_000_000_000),
            (pb::Indicator::Workshops as i32, 0, 0, 378, 0),
        ],
        "one result per target, each actual the exact sum of that side's measures, then the pairing's \
         totals of indicators only a side holds a target for"
    );
    assert!((got.results[1].attainment - 0.945).abs() < 1e-12);
    assert_eq!(got.results[0].unconfirmed, 175_800_000_000, "a REPORTED record is unconfirmed");
    assert_eq!(got.results[0].records, ["pairings/gd-gx/activities/f2022"]);

    // Fiscal aid: bar 16 亿, met; growth ln(17.58/15)/ln 1.2 = 0.87050 → credit 0.98705.
    // Workshops: 378/400 = 0.945, no previous figure, so growth = attainment → 0.945.
    // Labour: met, no previous → 1. Funding weighs 15, labour 15 split over its two goalposts:
    // (15 × 0.98705 + 7.5 × 0.945 + 7.5 × 1) / 30 = 97.977 → shown 97.9.
    assert_eq!(got.effectiveness_score, Some(97.9));
    let combined = 0.6 * 97.977 + 0.4 * got.governance_score;
    assert!((got.overall_score - combined).abs() < 0.15, "{} vs {combined}", got.overall_score);
    // The east holds fiscal aid and shares labour: (15 × 0.98705 + 15 × 1) / 30 = 99.35; the west
    // holds workshops and shares labour, both labour: (0.945 + 1) / 2 = 97.25.
    let sides: Vec<(i32, f64)> = got.sides.iter().map(|s| (s.side, s.score)).collect();
    assert_eq!(sides.len(), 2);
    assert_eq!((sides[0].0, sides[1].0), (pb::Side::East as i32, pb::Side::West as i32));
    let east_expected = 0.6 * 99.3525 + 0.4 * got.governance_score;
    let west_expected = 0.6 * 97.25 + 0.4 * got.governance_score;
    assert!((sides[0].1 - east_expected).abs() < 0.15, "{} vs {east_expected}", sides[0].1);
    assert!((sides[1].1 - west_expected).abs() < 0.15, "{} vs {west_expected}", sides[1].1);
    // The one shortfall is the one improvement, and meeting it would raise the score.
    assert_eq!(got.improvements.len(), 1, "{:?}", got.improvements);
    assert!(got.improvements[0].score_gain > 0.5, "{:?}", got.improvements);

    // The next year has no agreement: last year's figures are the goalposts, and nothing was
    // recorded, so effectiveness is 0 and a finding says fiscal aid fell.
    let next = evaluate_year(&mut e, "pairings/gd-gx", 2023, "").await.expect("evaluate 2023");
    assert_eq!(next.effectiveness_score, Some(0.0));
    assert!(next.overall_score < got.overall_score - 30.0, "{} vs {}", next.overall_score, got.overall_score);
    assert!(next.findings.iter().any(|f| f.text_en.contains("fiscal aid")), "{:?}", next.findings);

    // Without a year: every record up to as_of, no effectiveness layer.
    let plain = evaluate(&mut e, "pairings/gd-gx", "2023-12-31").await.expect("evaluate");
    assert_eq!((plain.year, plain.effectiveness_score), (0, None));
    assert!(plain.sides.iter().all(|s| s.score == plain.overall_score));
    let fiscal = plain.results.iter().find(|r| r.indicator == pb::Indicator::FiscalAid as i32).expect("fiscal aid");
    assert_eq!((fiscal.target, fiscal.actual, fiscal.side), (0, 325_800_000_000, 0), "every year to as_of, summed");
    assert_eq!(plain.overall_score, plain.governance_score);
}

#[tokio::test]
async fn a_bad_year_or_an_as_of_outside_it_names_the_field() {
    let registry = TestRegistry::start().await;
    let mut c = registry.client().await;
    load_agreed_year(&mut c).await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let mut e = evaluation.client().await;
    for year in [1999, 2101, -1] {
        let s = evaluate_year(&mut e, "pairings/gd-gx", year, "").await.expect_err("bad year");
        assert_violation(&s, "year");
    }
    let s = evaluate_year(&mut e, "pairings/gd-gx", 2022, "2023-01-01").await.expect_err("outside");
    assert_violation(&s, "as_of");
    let inside = evaluate_year(&mut e, "pairings/gd-gx", 2022, "2022-06-30").await.expect("inside the year");
    assert_eq!(inside.as_of, "2022-06-30");
    let s = e
        .summarize_evaluations(ev::SummarizeEvaluationsRequest {
            filter: None,
            as_of: String::new(),
            group_by: ev::GroupBy::Level as i32,
            year: 1900,
        })
        .await
        .expect_err("bad year");
    assert_violation(&s, "year");
}

#[tokio::test]
async fn a_child_reporting_more_than_its_parent_is_a_finding_and_is_not_added() {
    let registry = TestRegistry::start().await;
    let mut c = registry.client().await;
    load_agreed_year(&mut c).await;
    let mut sz = actor("深圳市人民政府", pb::Side::East, "440300");
    sz.category = pb::ActorCategory::GovernmentBody as i32;
    create_actor(&mut c, "sz", sz).await;
    let mut bs = actor("百色市人民政府", pb::Side::West, "451000");
    bs.category = pb::ActorCategory::GovernmentBody as i32;
    create_actor(&mut c, "bs", bs).await;
    let mut child = pairing("深圳—百色", "sz", "bs");
    child.level = pb::PairingLevel::Prefecture as i32;
    child.parent = "pairings/gd-gx".into();
    create_pairing(&mut c, "sz-bs", child).await;
    create_activity(&mut c, "sz-bs", "f2022", measured("sz", "2022-12-31", pb::Indicator::FiscalAid, 200_000_000_000))
        .await;
    let snapshot = c
        .get_pairing_snapshot(pb::GetPairingSnapshotRequest { name: "pairings/gd-gx".into() })
        .await
        .expect("snapshot")
        .into_inner();
    assert_eq!(snapshot.child_pairings, ["pairings/sz-bs"], "the snapshot names the direct children");
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let mut e = evaluation.client().await;
    let got = evaluate_year(&mut e, "pairings/gd-gx", 2022, "").await.expect("evaluate");
    assert_eq!(got.results[0].actual, 175_800_000_000, "the child's figure is not added to the parent's");
    let finding = got.findings.iter().find(|f| f.records.contains(&"pairings/sz-bs".to_string()));
    assert!(finding.is_some_and(|f| f.text_en.contains("more")), "{:?}", got.findings);
}
