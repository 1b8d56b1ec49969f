//! The scoring model: a version and one weight per criterion, read from a TOML file, and the
//! evaluation that applies it.
//!
//! ```toml
//! version = "2026.1"
//!
//! [weights]
//! boundary_clarity = 15
//! responsibility_listing = 15
//! # … one line per criterion; only the ratios matter (they are normalised to sum to 1)
//! ```

use eastwest_domain::{PairingSnapshot, Side};

use super::criteria::{CriterionDef, Sheet};
use super::effect::{Effectiveness, cap, effectiveness, goalposts};
use super::facts::{Facts, Period};
use super::grade::{grade_for, shown, snap};
use super::ledger::Ledger;
use super::types::{Criterion, CriterionInfo, Evaluation, Improvement, SideAssessment};
use super::{assess, boundary, community, goals, governance, government, leadership, paths, responsibility, social};

/// Effectiveness's share of the overall score when the year has an agreement (at least half, as
/// the evaluation issue requires; 0.6 is a design choice: results first, governance second).
pub const EFFECTIVENESS_WITH_AGREEMENT: f64 = 0.6;
/// Its share when only last year's figures give goalposts: they say whether delivery held up, not
/// what was agreed, so they count for less.
pub const EFFECTIVENESS_WITHOUT_AGREEMENT: f64 = 0.4;

/// The default model, `services/evaluation/weights.toml`.
const STANDARD: &str = include_str!("../../weights.toml");

/// Longest model version, in characters.
const MAX_VERSION_CHARS: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("the model file is not valid TOML: {0}")]
    Syntax(String),
    #[error("`version` is missing: give the model version as a string, e.g. version = \"2026.1\"")]
    MissingVersion,
    #[error("`version` must be 1 to 32 characters of letters, digits, '.', '-' and '_'; got {0:?}")]
    BadVersion(String),
    #[error("the [weights] table is missing: give one weight per criterion ({keys})", keys = criterion_keys())]
    MissingWeights,
    #[error("weights.{0} is missing: every criterion needs a weight (0 leaves it out of the overall score)")]
    MissingCriterion(&'static str),
    #[error("unknown key `{0}`: the file holds `version` and a [weights] table of {keys}", keys = criterion_keys())]
    UnknownKey(String),
    #[error("weights.{key} must be a number; got {found}")]
    NotANumber { key: &'static str, found: String },
    #[error("weights.{key} must be a finite number; got {value}")]
    NotFinite { key: &'static str, value: f64 },
    #[error("weights.{key} must not be negative; got {value}")]
    NegativeWeight { key: &'static str, value: f64 },
    #[error("every weight is 0: at least one criterion must count towards the overall score")]
    AllZero,
}

fn criterion_keys() -> String {
    Criterion::ALL.map(Criterion::key).join(", ")
}

/// A model version and the eight criterion weights, normalised to sum to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringModel {
    version: String,
    weights: [f64; 8],
}

fn index(c: Criterion) -> usize {
    match c {
        Criterion::BoundaryClarity => 0,
        Criterion::ResponsibilityListing => 1,
        Criterion::GoalPrecision => 2,
        Criterion::PathDiversity => 3,
        Criterion::GovernmentRole => 4,
        Criterion::SocialAutonomy => 5,
        Criterion::CommunityAwareness => 6,
        Criterion::CoordinatedGovernance => 7,
    }
}

pub(crate) fn def(c: Criterion) -> &'static CriterionDef {
    match c {
        Criterion::BoundaryClarity => &boundary::DEF,
        Criterion::ResponsibilityListing => &responsibility::DEF,
        Criterion::GoalPrecision => &goals::DEF,
        Criterion::PathDiversity => &paths::DEF,
        Criterion::GovernmentRole => &government::DEF,
        Criterion::SocialAutonomy => &social::DEF,
        Criterion::CommunityAwareness => &community::DEF,
        Criterion::CoordinatedGovernance => &governance::DEF,
    }
}

/// Every criterion's sheet, in [`Criterion::ALL`] order.
pub(crate) fn sheets(f: &Facts) -> [Sheet; 8] {
    [
        boundary::score(f),
        responsibility::score(f),
        goals::score(f),
        paths::score(f),
        government::score(f),
        social::score(f),
        community::score(f),
        governance::score(f),
    ]
}

impl ScoringModel {
    /// The model embedded from `weights.toml`.
    pub fn standard() -> ScoringModel {
        match ScoringModel::from_toml(STANDARD) {
            Ok(model) => model,
            // The embedded file is checked by the test `the_embedded_model_parses`.
            Err(e) => unreachable!("the embedded weights.toml is invalid: {e}"),
        }
    }

    /// Reads a model file: `version = "…"` and a `[weights]` table with one non-negative number per
    /// criterion (keys as [`Criterion::key`]), not all zero. Nothing else is allowed.
    pub fn from_toml(text: &str) -> Result<ScoringModel, ModelError> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| ModelError::Syntax(e.to_string().trim_end().to_string()))?;
        if let Some(key) = table.keys().find(|k| k.as_str() != "version" && k.as_str() != "weights") {
            return Err(ModelError::UnknownKey(key.clone()));
        }
        let version = match table.get("version") {
            None => return Err(ModelError::MissingVersion),
            Some(toml::Value::String(v)) => v.clone(),
            Some(other) => return Err(ModelError::BadVersion(other.to_string())),
        };
        let valid = !version.is_empty()
            && version.chars().count() <= MAX_VERSION_CHARS
            && version.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !valid {
            return Err(ModelError::BadVersion(version));
        }
        let Some(toml::Value::Table(given)) = table.get("weights") else {
            return Err(ModelError::MissingWeights);
        };
        if let Some(key) = given.keys().find(|k| !Criterion::ALL.iter().any(|c| c.key() == k.as_str())) {
            return Err(ModelError::UnknownKey(format!("weights.{key}")));
        }
        let mut raw = [0.0; 8];
        for c in Criterion::ALL {
            let key = c.key();
            let value = match given.get(key) {
                None => return Err(ModelError::MissingCriterion(key)),
                Some(toml::Value::Float(x)) => *x,
                Some(toml::Value::Integer(n)) => *n as f64,
                Some(other) => {
                    return Err(ModelError::NotANumber { key, found: other.to_string() });
                }
            };
            if !value.is_finite() {
                return Err(ModelError::NotFinite { key, value });
            }
            if value < 0.0 {
                return Err(ModelError::NegativeWeight { key, value });
            }
            if let Some(slot) = raw.get_mut(index(c)) {
                *slot = value;
            }
        }
        let total: f64 = raw.iter().sum();
        if total <= 0.0 {
            return Err(ModelError::AllZero);
        }
        Ok(ScoringModel { version, weights: raw.map(|w| w / total) })
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// The criterion's share of the overall score; the eight weights sum to 1.
    pub fn weight(&self, c: Criterion) -> f64 {
        self.weights.get(index(c)).copied().unwrap_or(0.0)
    }

    /// All eight criteria, in [`Criterion::ALL`] order, with their weights, names, descriptions
    /// (including the formula) and indicators.
    pub fn describe(&self) -> Vec<CriterionInfo> {
        Criterion::ALL
            .iter()
            .map(|c| {
                let d = def(*c);
                CriterionInfo {
                    criterion: *c,
                    weight: self.weight(*c),
                    name: c.name(),
                    description: d.description(),
                    indicators: d.indicator_names(),
                }
            })
            .collect()
    }

    /// Scores the pairing for a period: with a year, that year's activities against its agreement
    /// and the year before; without, every activity up to `as_of`. Responsibilities and goals are
    /// judged as of `as_of`. Pure and deterministic.
    pub fn evaluate(&self, snapshot: &PairingSnapshot, period: Period) -> Evaluation {
        self.evaluate_with(snapshot, period, &[])
    }

    /// As [`ScoringModel::evaluate`], also checking the pairing's direct children (their own
    /// snapshots) for totals above the pairing's. Children are never added to the pairing's
    /// actuals: each pairing's records are its own (docs/scoring.md, "Levels").
    pub fn evaluate_with(&self, snapshot: &PairingSnapshot, period: Period, children: &[PairingSnapshot]) -> Evaluation {
        let (mut e, base) = self.score(snapshot, period, children);
        let posts = {
            let f = Facts::new(snapshot, period);
            if period.year.is_some() { goalposts(f.agreement, &f.ledger, &f.last) } else { Vec::new() }
        };
        for p in assess::candidates(&posts) {
            let met = assess::with_met(snapshot, p, period);
            let (_, reached) = self.score(&met, period, &[]);
            let gain = shown(reached) - shown(base);
            if gain > 0.0 {
                e.improvements.push(Improvement {
                    text: assess::improvement_text(p, gain, reached),
                    score_gain: (gain * 10.0).round() / 10.0,
                });
            }
        }
        e
    }

    /// The overall and effectiveness scores before they are shown (snapped, not truncated): what
    /// the property tests compare.
    #[cfg(test)]
    pub(crate) fn raw(&self, snapshot: &PairingSnapshot, period: Period) -> (f64, Option<f64>) {
        let (_, overall) = self.score(snapshot, period, &[]);
        let f = Facts::new(snapshot, period);
        let posts = if period.year.is_some() { goalposts(f.agreement, &f.ledger, &f.last) } else { Vec::new() };
        (overall, effectiveness(&posts, None).map(|x| snap(x.score)))
    }

    /// The evaluation without improvements, and its overall score before it is shown.
    fn score(&self, snapshot: &PairingSnapshot, period: Period, children: &[PairingSnapshot]) -> (Evaluation, f64) {
        let f = Facts::new(snapshot, period);
        let mut governance = 0.0;
        let criteria = sheets(&f)
            .into_iter()
            .map(|sheet| {
                let weight = self.weight(sheet.criterion());
                let score = sheet.score();
                governance += weight * score;
                sheet.finish(weight, shown(score))
            })
            .collect();
        let governance = snap(governance);
        let posts = if period.year.is_some() { goalposts(f.agreement, &f.ledger, &f.last) } else { Vec::new() };
        let share = if f.agreement.is_some() { EFFECTIVENESS_WITH_AGREEMENT } else { EFFECTIVENESS_WITHOUT_AGREEMENT };
        let combine = |eff: Option<Effectiveness>| -> f64 {
            match eff {
                None => governance,
                Some(e) => {
                    let raw = share * e.score + (1.0 - share) * governance;
                    snap(e.met.map_or(raw, |met| raw.min(cap(met))))
                }
            }
        };
        let overall_eff = effectiveness(&posts, None);
        let overall = combine(overall_eff);
        let sides = [Side::East, Side::West]
            .into_iter()
            .map(|side| {
                let score = combine(effectiveness(&posts, Some(side)));
                SideAssessment { side, score: shown(score), grade: grade_for(score) }
            })
            .collect();
        let child_ledgers: Vec<(String, Ledger)> = children
            .iter()
            .map(|c| {
                let cf = Facts::new(c, period);
                (cf.name.clone(), cf.ledger)
            })
            .collect();
        let findings = assess::findings(&f, &posts, &child_ledgers);
        let inferred = leadership::infer(&f);
        let declared = f.p.leadership;
        let e = Evaluation {
            pairing: f.name.clone(),
            pairing_title: f.p.title.clone(),
            model_version: self.version.clone(),
            as_of: period.as_of,
            overall_score: shown(overall),
            grade: grade_for(overall),
            criteria,
            declared_leadership: declared,
            inferred_leadership: inferred,
            leadership_mismatch: inferred.is_some_and(|l| l != declared),
            year: period.year,
            effectiveness_score: overall_eff.map(|e| shown(snap(e.score))),
            governance_score: shown(governance),
            results: assess::results(&f),
            sides,
            improvements: Vec::new(),
            findings,
        };
        (e, overall)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use crate::scoring::types::Grade;
    use eastwest_domain::{ActivityKind, CooperationForm, FlowDirection, Leadership};

    /// The worked example of docs/scoring.md, number for number.
    #[test]
    fn the_worked_example_matches_the_docs() {
        let snap = worked_example();
        let e = ScoringModel::standard().evaluate(&snap.s, Period::as_of(as_of()));
        assert_eq!(e.pairing, "pairings/js-sn");
        assert_eq!(e.model_version, "2026.2");
        let want: [(Criterion, f64, &[f64]); 8] = [
            (Criterion::BoundaryClarity, 91.6, &[1.0, 1.0, 0.8333, 1.0, 0.5, 1.0]),
            (Criterion::ResponsibilityListing, 83.0, &[1.0, 0.8, 0.6, 1.0, 5.0]),
            (Criterion::GoalPrecision, 53.3, &[0.3333, 0.8333, 3.0, 0.94, 2.0]),
            (Criterion::PathDiversity, 100.0, &[1.2752, 1.161, 3.0, 6.0, 5.0]),
            (Criterion::GovernmentRole, 85.0, &[1.0, 0.5, 0.25, 8.0]),
            (Criterion::SocialAutonomy, 75.1, &[0.4545, 0.3333, 0.6667, 3.0]),
            (Criterion::CommunityAwareness, 84.2, &[0.3636, 1.0, 0.2, 0.875]),
            (Criterion::CoordinatedGovernance, 78.3, &[6.0, 0.5, 0.6667, 2.0, 2.0]),
        ];
        assert_eq!(e.criteria.len(), 8);
        for (got, (c, score, values)) in e.criteria.iter().zip(want) {
            assert_eq!(got.criterion, c);
            assert_eq!(got.score, score, "{c:?}");
            let shown: Vec<f64> = got.indicators.iter().map(|i| i.value).collect();
            assert_eq!(shown, values, "{c:?}");
        }
        // 0.15 × (91.666667 + 83 + 53.333333 + 100) + 0.10 × (85 + 75.151515 + 84.25 + 78.333333)
        assert_eq!(e.overall_score, 81.4);
        assert_eq!(e.grade, Grade::FairlyGood);
        // Points: government 2·200/300 + 1 + 1/2, market 2·80/300 + 1/2, society 2·20/300.
        assert_eq!(e.inferred_leadership, Some(Leadership::GovernmentLed));
        assert!(!e.leadership_mismatch);
    }

    #[test]
    fn a_declared_type_the_money_contradicts_is_flagged() {
        let mut snap = worked_example();
        snap.declare(Leadership::SocietyLed);
        let e = ScoringModel::standard().evaluate(&snap.s, Period::as_of(as_of()));
        assert_eq!(e.inferred_leadership, Some(Leadership::GovernmentLed));
        assert!(e.leadership_mismatch);
        let bare = ScoringModel::standard().evaluate(&Snap::bare().s, Period::as_of(as_of()));
        assert_eq!(bare.inferred_leadership, None);
        assert!(!bare.leadership_mismatch);
    }

    #[test]
    fn an_empty_pairing_scores_low_and_says_what_is_missing() {
        let e = ScoringModel::standard().evaluate(&Snap::bare().s, Period::as_of(as_of()));
        assert!(e.overall_score < 10.0, "{}", e.overall_score);
        assert_eq!(e.grade, Grade::Poor);
        for c in &e.criteria {
            assert!(c.score.is_finite() && c.score < 50.0, "{:?} {}", c.criterion, c.score);
            assert!(!c.findings.is_empty(), "{:?} has no finding", c.criterion);
            assert!(!c.recommendations.is_empty(), "{:?} has no recommendation", c.criterion);
            for i in &c.indicators {
                assert!(i.value.is_finite(), "{:?} {}", c.criterion, i.key);
            }
        }
        let texts: Vec<&str> = e.criteria.iter().flat_map(|c| c.findings.iter().map(|f| f.text.en.as_str())).collect();
        for missing in ["No scope statement", "No responsibilities", "No goals", "No activities"] {
            assert!(texts.iter().any(|t| t.starts_with(missing)), "{missing}: {texts:?}");
        }
    }

    #[test]
    fn findings_stay_short_for_a_large_pairing() {
        let mut snap = worked_example();
        for i in 0..1000 {
            snap.activity(
                &format!("bulk-{i:04}"),
                if i % 2 == 0 { "js" } else { "ghost" },
                CooperationForm::Industry,
                ActivityKind::Training,
                FlowDirection::EastToWest,
                date(2025, 1 + (i % 12) as u32, 1),
                1,
            );
        }
        for i in 0..300 {
            snap.responsibility(&format!("x{i}"), "ghost", "", None, false);
        }
        let e = ScoringModel::standard().evaluate(&snap.s, Period::as_of(as_of()));
        let debug = format!("{e:?}");
        assert!(debug.len() < 40_000, "{} bytes", debug.len());
        for c in &e.criteria {
            assert!(c.findings.len() <= 10);
            for f in &c.findings {
                assert!(f.records.len() <= 5, "{f:?}");
            }
        }
        // 502 government activities (js's 500 and a05, a06), five named.
        assert!(debug.contains("(497 more not listed)"), "the rest are counted: {debug}");
    }

    #[test]
    fn a_model_with_other_weights_reports_its_version() {
        let m = ScoringModel::from_toml(GOOD).unwrap();
        let e = m.evaluate(&worked_example().s, Period::as_of(as_of()));
        assert_eq!(e.model_version, "test-1");
        assert_eq!(e.criteria[4].weight, 0.0);
        assert_eq!(e.criteria[0].weight, 1.0 / 6.0);
    }

    #[test]
    fn the_embedded_model_parses() {
        let m = ScoringModel::standard();
        assert_eq!(m.version(), "2026.2");
        let sum: f64 = Criterion::ALL.iter().map(|c| m.weight(*c)).sum();
        assert!((sum - 1.0).abs() < 1e-12);
        for (c, want) in Criterion::ALL.iter().zip([0.15, 0.15, 0.15, 0.15, 0.10, 0.10, 0.10, 0.10]) {
            assert!((m.weight(*c) - want).abs() < 1e-12, "{c:?}");
        }
    }

    #[test]
    fn describe_lists_all_eight_with_consistent_tables() {
        let m = ScoringModel::standard();
        let info = m.describe();
        assert_eq!(info.iter().map(|i| i.criterion).collect::<Vec<_>>(), Criterion::ALL);
        for i in &info {
            let d = def(i.criterion);
            assert_eq!(d.criterion, i.criterion);
            let scored: f64 = d.indicators.iter().map(|x| x.weight).sum();
            assert!((scored - 1.0).abs() < 1e-12, "{:?} weights sum {scored}", i.criterion);
            assert!(i.description.zh.contains("得分 = 100 ×"));
            assert!(i.description.en.contains("Score = 100 ×"));
            let mut keys: Vec<&str> = i.indicators.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), i.indicators.len(), "duplicate key in {:?}", i.criterion);
        }
    }

    const GOOD: &str = r#"
version = "test-1"
[weights]
boundary_clarity = 1
responsibility_listing = 1
goal_precision = 1
path_diversity = 1
government_role = 0
social_autonomy = 0.5
community_awareness = 0.5
coordinated_governance = 1
"#;

    #[test]
    fn weights_are_normalised() {
        let m = ScoringModel::from_toml(GOOD).unwrap();
        assert_eq!(m.version(), "test-1");
        assert_eq!(m.weight(Criterion::BoundaryClarity), 1.0 / 6.0);
        assert_eq!(m.weight(Criterion::GovernmentRole), 0.0);
        assert_eq!(m.weight(Criterion::SocialAutonomy), 0.5 / 6.0);
    }

    #[test]
    fn bad_files_are_rejected_with_clear_messages() {
        let table: [(String, ModelError, &str); 10] = [
            ("version = ".into(), ModelError::Syntax(String::new()), "not valid TOML"),
            (GOOD.replace("version = \"test-1\"", ""), ModelError::MissingVersion, "`version` is missing"),
            (
                GOOD.replace("\"test-1\"", "\"has space\""),
                ModelError::BadVersion("has space".into()),
                "`version` must be 1 to 32 characters",
            ),
            (GOOD.replace("\"test-1\"", "2026"), ModelError::BadVersion("2026".into()), "got \"2026\""),
            (
                GOOD.replace("goal_precision = 1\n", ""),
                ModelError::MissingCriterion("goal_precision"),
                "weights.goal_precision is missing",
            ),
            (
                GOOD.replace("government_role = 0", "government_role = -0.5"),
                ModelError::NegativeWeight { key: "government_role", value: -0.5 },
                "weights.government_role must not be negative; got -0.5",
            ),
            (
                GOOD.replace("government_role = 0", "government_rol = 0"),
                ModelError::UnknownKey("weights.government_rol".into()),
                "unknown key `weights.government_rol`",
            ),
            (format!("{GOOD}\n[extra]\nx = 1\n"), ModelError::UnknownKey("extra".into()), "unknown key `extra`"),
            (
                GOOD.replace("government_role = 0", "government_role = \"high\""),
                ModelError::NotANumber { key: "government_role", found: "\"high\"".into() },
                "weights.government_role must be a number",
            ),
            (
                "version = \"z\"\n[weights]\n".to_string()
                    + &Criterion::ALL.map(|c| format!("{} = 0\n", c.key())).join(""),
                ModelError::AllZero,
                "every weight is 0",
            ),
        ];
        for (text, want, message) in table {
            let got = ScoringModel::from_toml(&text).unwrap_err();
            if !matches!(want, ModelError::Syntax(_)) {
                assert_eq!(got, want, "{text}");
            }
            assert!(got.to_string().contains(message), "{got}");
        }
        let missing = ScoringModel::from_toml("version = \"x\"").unwrap_err();
        assert_eq!(missing, ModelError::MissingWeights);
        assert!(missing.to_string().contains("boundary_clarity, responsibility_listing"));
        let nan = ScoringModel::from_toml(&GOOD.replace("government_role = 0", "government_role = nan")).unwrap_err();
        assert!(nan.to_string().contains("finite"), "{nan}");
    }
}
