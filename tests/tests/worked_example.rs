//! docs/scoring.md's worked example, number for number: the bundled sample imported through the
//! real `eastwest` binary, Guangdong–Guangxi evaluated for 2022 over gRPC.

use eastwest_proto::evaluation::v1 as ev;
use eastwest_tests::cli::Cli;
use eastwest_tests::evaluation::TestEvaluation;
use eastwest_tests::registry::TestRegistry;

fn indicator(e: &ev::Evaluation, criterion: ev::Criterion, key: &str) -> f64 {
    let c = e.criteria.iter().find(|c| c.criterion == criterion as i32).expect("criterion");
    c.indicators.iter().find(|i| i.key == key).map(|i| i.value).unwrap_or_else(|| panic!("{key}"))
}

fn score(e: &ev::Evaluation, criterion: ev::Criterion) -> f64 {
    e.criteria.iter().find(|c| c.criterion == criterion as i32).expect("criterion").score
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guangdong_guangxi_2022_scores_as_the_worked_example_says() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/sample/registry.jsonl");
    Cli::new(&registry, &evaluation).await.ok(&["import", sample]).await;

    let mut e = evaluation.client().await;
    let got = e
        .evaluate_pairing(ev::EvaluatePairingRequest {
            pairing: "pairings/gd-gx".into(),
            as_of: String::new(),
            year: 2022,
        })
        .await
        .expect("evaluate")
        .into_inner();
    // Effectiveness by size (no target, no 2021 figure): (15 × 0.96055 + 10 + 15 + 15 + 10 +
    // 10 × 0.97880) / 75 = 98.93.
    assert_eq!(got.effectiveness_score, Some(98.9));
    assert_eq!(indicator(&got, ev::Criterion::GovernmentRole, "fiscal_aid_reach"), 0.9606);
    assert_eq!(indicator(&got, ev::Criterion::SocialAutonomy, "social_donations_reach"), 0.9788);
    assert_eq!(indicator(&got, ev::Criterion::PathDiversity, "families_reached"), 0.9899);
    let scores: Vec<f64> = [
        ev::Criterion::BoundaryClarity,
        ev::Criterion::ResponsibilityListing,
        ev::Criterion::GoalPrecision,
        ev::Criterion::PathDiversity,
        ev::Criterion::GovernmentRole,
        ev::Criterion::SocialAutonomy,
        ev::Criterion::CommunityAwareness,
        ev::Criterion::CoordinatedGovernance,
    ]
    .into_iter()
    .map(|c| score(&got, c))
    .collect();
    assert_eq!(scores, [57.5, 0.0, 0.0, 59.3, 80.0, 44.0, 11.6, 27.5]);
    assert_eq!(got.governance_score, 33.8);
    // 0.6 × 98.93 + 0.4 × 33.86 = 72.90, shown truncated.
    assert_eq!((got.overall_score, got.grade), (72.8, ev::Grade::Average as i32));
    let sides: Vec<f64> = got.sides.iter().map(|s| s.score).collect();
    assert_eq!(sides, [60.8, 25.5]);
    assert_eq!(got.results.len(), 12, "every indicator the year delivered, none targeted");
    evaluation.stop().await;
    registry.stop().await;
}
