//! Evaluations for the unit tests.

use eastwest_proto::evaluation::v1::{CriterionScore, Evaluation, Finding, Grade, Recommendation};
use eastwest_proto::registry::v1::{Leadership, PairingLevel};

use super::ReportInput;
use super::labels::CRITERIA;

/// An evaluation whose eight criteria all score `score`, each with one finding and one recommendation.
pub(crate) fn evaluation(name: &str, title: &str, score: f64, grade: Grade, west: &str) -> Evaluation {
    with_scores(name, title, [score; 8], score, grade, west)
}

pub(crate) fn with_scores(
    name: &str,
    title: &str,
    scores: [f64; 8],
    overall: f64,
    grade: Grade,
    west: &str,
) -> Evaluation {
    let weights = [0.15, 0.15, 0.15, 0.15, 0.10, 0.10, 0.10, 0.10];
    let criteria = CRITERIA
        .iter()
        .zip(scores.iter().zip(weights))
        .map(|(&c, (&score, weight))| CriterionScore {
            criterion: c as i32,
            score,
            weight,
            indicators: vec![],
            findings: vec![Finding {
                text: format!("{title} 的第 {} 项发现", c as i32),
                text_en: format!("Finding {} of {title}", c as i32),
                records: vec![format!("{name}/activities/a{}", c as i32), format!("{name}#goals/g1")],
            }],
            recommendations: vec![Recommendation {
                text: "保持每个季度都有协作活动".to_owned(),
                text_en: "Keep up activity every quarter".to_owned(),
            }],
        })
        .collect();
    Evaluation {
        pairing: name.to_owned(),
        model_version: "2026.1".to_owned(),
        overall_score: overall,
        grade: grade as i32,
        criteria,
        inferred_leadership: Leadership::GovernmentLed as i32,
        leadership_mismatch: false,
        evaluate_time: None,
        as_of: "2026-11-27".to_owned(),
        pairing_title: title.to_owned(),
        declared_leadership: Leadership::GovernmentLed as i32,
        level: PairingLevel::Province as i32,
        east_region_code: "320000".to_owned(),
        west_region_code: west.to_owned(),
        ..Default::default()
    }
}

/// A varied set: every grade, two provinces, one mismatch, one criterion at 0, one pairing at 100.
pub(crate) fn sample() -> Vec<Evaluation> {
    let mut mismatch = with_scores(
        "pairings/gz-bj",
        "广州—毕节",
        [80.0, 72.5, 0.0, 90.0, 85.0, 40.0, 66.6, 70.0],
        62.3,
        Grade::Average,
        "520500",
    );
    mismatch.leadership_mismatch = true;
    mismatch.inferred_leadership = Leadership::MarketLed as i32;
    vec![
        evaluation("pairings/js-sn", "江苏—陕西东西部协作", 81.4, Grade::FairlyGood, "610000"),
        with_scores("pairings/full", "满分结对", [100.0; 8], 100.0, Grade::Good, "520000"),
        mismatch,
        evaluation("pairings/empty", "空白结对", 4.0, Grade::Poor, "610100"),
    ]
}

pub(crate) fn input<'a>(title: &'a str, evaluations: &'a [Evaluation]) -> ReportInput<'a> {
    ReportInput {
        title,
        generated: "2026-11-28",
        as_of: "2026-11-27",
        model_version: "2026.1",
        filters: "all pairings",
        evaluations,
    }
}
