//! What the scoring model produces. Plain data: the gRPC layer converts it, the model fills it.

use chrono::NaiveDate;
use eastwest_domain::{Indicator as Measured, Leadership, Side};

/// The eight criteria: the paper's four target properties of social assistance and the four
/// governance moves that reach them (Xie & Liang 2023).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Criterion {
    /// 帮扶边界清晰化
    BoundaryClarity,
    /// 帮扶责任清单化
    ResponsibilityListing,
    /// 帮扶目标精准化
    GoalPrecision,
    /// 帮扶路径多元化
    PathDiversity,
    /// 合理界定政府职能
    GovernmentRole,
    /// 扩大社会自主性
    SocialAutonomy,
    /// 强化共同体意识
    CommunityAwareness,
    /// 走向协同治理
    CoordinatedGovernance,
}

impl Criterion {
    pub const ALL: [Criterion; 8] = [
        Criterion::BoundaryClarity,
        Criterion::ResponsibilityListing,
        Criterion::GoalPrecision,
        Criterion::PathDiversity,
        Criterion::GovernmentRole,
        Criterion::SocialAutonomy,
        Criterion::CommunityAwareness,
        Criterion::CoordinatedGovernance,
    ];
}

/// The official grades (好 / 较好 / 一般 / 差).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// ≥ 90, 好
    Good,
    /// 75–89, 较好
    FairlyGood,
    /// 60–74, 一般
    Average,
    /// < 60, 差
    Poor,
}

/// A text in Chinese with its English twin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

/// One named sub-indicator value that went into a criterion's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Stable machine key, e.g. `accountable_parties`.
    pub key: String,
    pub name: Text,
    /// The value as computed (a share in 0..=1, a count, or an index; `docs/scoring.md` says which).
    pub value: f64,
}

/// A fact that moved a score, naming the records it came from (resource names such as
/// `pairings/js-sn` or `pairings/js-sn/activities/a1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub text: Text,
    pub records: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriterionScore {
    pub criterion: Criterion,
    /// 0 to 100.
    pub score: f64,
    /// The criterion's weight in the overall score (weights sum to 1).
    pub weight: f64,
    pub indicators: Vec<Indicator>,
    pub findings: Vec<Finding>,
    /// What would raise the score, in the paper's terms.
    pub recommendations: Vec<Text>,
}

/// The evaluation of one pairing as of one date.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// `pairings/{id}`.
    pub pairing: String,
    pub pairing_title: String,
    pub model_version: String,
    pub as_of: NaiveDate,
    /// Weighted mean of the criteria, 0 to 100.
    pub overall_score: f64,
    pub grade: Grade,
    /// All eight, in the order of [`Criterion::ALL`].
    pub criteria: Vec<CriterionScore>,
    pub declared_leadership: Leadership,
    /// Who leads, judged from who funds and who is accountable; `None` when the data do not say.
    pub inferred_leadership: Option<Leadership>,
    /// The inferred type is known and differs from the declared one.
    pub leadership_mismatch: bool,
    /// The calendar year evaluated, if one was asked for.
    pub year: Option<i32>,
    /// Attainment of the year's goalposts, 0 to 100; `None` with nothing to measure against.
    pub effectiveness_score: Option<f64>,
    /// The eight criteria combined, 0 to 100.
    pub governance_score: f64,
    pub results: Vec<IndicatorResult>,
    /// EAST then WEST.
    pub sides: Vec<SideAssessment>,
    pub improvements: Vec<Improvement>,
    /// Findings about effectiveness and evidence (the criteria carry their own).
    pub findings: Vec<Finding>,
}

/// One indicator of the year for one side (`None`: the pairing as a whole).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorResult {
    pub indicator: Measured,
    pub side: Option<Side>,
    /// The agreement's target; 0 when it sets none.
    pub target: i64,
    pub actual: i64,
    pub previous_actual: i64,
    /// actual ÷ target (not capped); 0 without a target.
    pub attainment: f64,
    /// How much of `actual` rests on REPORTED records only.
    pub unconfirmed: i64,
    /// The activities behind `actual`, by resource name (at most 20).
    pub records: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SideAssessment {
    pub side: Side,
    pub score: f64,
    pub grade: Grade,
}

/// What meeting one goalpost would do to the overall score, computed by evaluating again with it met.
#[derive(Debug, Clone, PartialEq)]
pub struct Improvement {
    pub text: Text,
    pub score_gain: f64,
}

/// A criterion as the model defines it, for clients that render scores.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionInfo {
    pub criterion: Criterion,
    pub weight: f64,
    pub name: Text,
    pub description: Text,
    /// Indicator keys and names, in the order evaluations list them.
    pub indicators: Vec<(String, Text)>,
}

/// Statistics of one group of evaluations (e.g. every pairing whose west side is in 52xxxx).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    pub key: String,
    pub count: u32,
    pub mean: f64,
    pub min: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub max: f64,
    /// One entry per grade, in the order Good, FairlyGood, Average, Poor.
    pub grade_counts: Vec<(Grade, u32)>,
    /// The criterion with the lowest mean score in the group, and that mean.
    pub weakest: Option<(Criterion, f64)>,
}
