//! Evaluations for the unit tests.

use std::collections::BTreeMap;

use eastwest_proto::evaluation::v1::{
    CriterionScore, Evaluation, Finding, Grade, Improvement, IndicatorResult, Recommendation, SideAssessment,
};
use eastwest_proto::registry::v1::{Indicator, Leadership, PairingLevel, Side};

use super::labels::CRITERIA;
use super::{ReportInput, Trends, YearGrade};

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

static NO_TRENDS: Trends = BTreeMap::new();
static NO_COUNTIES: BTreeMap<String, usize> = BTreeMap::new();

pub(crate) fn input<'a>(title: &'a str, evaluations: &'a [Evaluation]) -> ReportInput<'a> {
    ReportInput {
        title,
        generated: "2026-11-28",
        as_of: "2026-11-27",
        model_version: "2026.1",
        filters: "all pairings",
        evaluations,
        year: None,
        trend_years: &[],
        trends: &NO_TRENDS,
        counties: &NO_COUNTIES,
    }
}

/// Jiangsu–Shaanxi assessed for 2024: fiscal aid of 26.9 亿元 against a target of 30 亿元 (a
/// quarter of it confirmed), 4,729 ex-poor workers employed without a target, both sides graded,
/// one improvement and one finding of the year; and a county pairing of the same year.
pub(crate) fn yearly() -> Vec<Evaluation> {
    let mut js = evaluation("pairings/js-sn", "江苏—陕西东西部协作", 78.3, Grade::FairlyGood, "610000");
    js.year = 2024;
    js.as_of = "2024-12-31".to_owned();
    js.effectiveness_score = Some(80.0);
    js.governance_score = 75.8;
    js.sides = vec![
        SideAssessment { side: Side::East as i32, score: 91.0, grade: Grade::Good as i32 },
        SideAssessment { side: Side::West as i32, score: 64.5, grade: Grade::Average as i32 },
    ];
    js.results = vec![
        IndicatorResult {
            indicator: Indicator::FiscalAid as i32,
            side: Side::East as i32,
            target: 300_000_000_000,
            actual: 269_000_000_000,
            previous_actual: 250_000_000_000,
            attainment: 269.0 / 300.0,
            unconfirmed: 67_250_000_000,
            records: vec!["pairings/js-sn/activities/2024-fiscal-aid".to_owned()],
        },
        IndicatorResult {
            indicator: Indicator::ExPoorEmployed as i32,
            side: Side::Unspecified as i32,
            target: 0,
            actual: 4_729,
            previous_actual: 4_100,
            attainment: 0.0,
            unconfirmed: 0,
            records: vec![],
        },
    ];
    js.improvements = vec![Improvement {
        text: "完成财政援助资金目标 30.00 亿元".to_owned(),
        text_en: "Meet the fiscal aid target of 30.00 亿元".to_owned(),
        score_gain: 4.2,
    }];
    js.findings = vec![Finding {
        text: "东部财政援助资金完成 26.90 亿元,未达协议目标 30.00 亿元(89.7%)".to_owned(),
        text_en: "The east fiscal aid: 26.90 亿元 of the agreed 30.00 亿元 (89.7%)".to_owned(),
        records: vec!["pairings/js-sn/agreements/2024#targets/fiscal-aid-east".to_owned()],
    }];
    let mut county = evaluation("pairings/kunshan-xunyang", "昆山—旬阳", 95.0, Grade::Good, "610900");
    county.level = PairingLevel::County as i32;
    county.year = 2024;
    county.as_of = "2024-12-31".to_owned();
    county.governance_score = 95.0;
    vec![js, county]
}

/// The trend of [`yearly`]: Jiangsu–Shaanxi rising from 一般 to 较好, the county missing in 2022.
pub(crate) fn yearly_trends() -> Trends {
    let mut t = Trends::new();
    t.insert(
        "pairings/js-sn".to_owned(),
        vec![
            YearGrade { year: 2022, score: 62.0, grade: Grade::Average as i32 },
            YearGrade { year: 2023, score: 76.1, grade: Grade::FairlyGood as i32 },
            YearGrade { year: 2024, score: 78.3, grade: Grade::FairlyGood as i32 },
        ],
    );
    t.insert(
        "pairings/kunshan-xunyang".to_owned(),
        vec![
            YearGrade { year: 2023, score: 91.0, grade: Grade::Good as i32 },
            YearGrade { year: 2024, score: 95.0, grade: Grade::Good as i32 },
        ],
    );
    t
}
