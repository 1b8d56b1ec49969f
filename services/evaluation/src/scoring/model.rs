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
use super::effect::{Effectiveness, cap, effectiveness, goalposts, size_effectiveness};
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
/// The highest overall score of a year measured by its size alone (no target above 0, no figure of
/// the year before): the top of 一般, where a pairing meeting 60 % of its targets stands.
pub const SIZE_CEILING: f64 = 74.9;

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
/// How many criteria, first in `sheets`' order, read no activity of the year: boundaries,
/// responsibilities and goals read the pairing, its agreement and last year only, so a re-run that
/// adds an activity of the year leaves their scores as they were.
const ACTIVITY_FREE: usize = 3;

/// The criteria that read the year's activities (through the ledger): `sheets` after the first
/// [`ACTIVITY_FREE`].
fn activity_sheets(f: &Facts) -> [Sheet; 5] {
    [paths::score(f), government::score(f), social::score(f), community::score(f), governance::score(f)]
}

/// The eight criteria in enum order: the [`ACTIVITY_FREE`] first, then [`activity_sheets`].
pub(crate) fn sheets(f: &Facts) -> [Sheet; 8] {
    let [paths, government, social, community, governance] = activity_sheets(f);
    [boundary::score(f), responsibility::score(f), goals::score(f), paths, government, social, community, governance]
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
    pub fn evaluate_with(
        &self,
        snapshot: &PairingSnapshot,
        period: Period,
        children: &[PairingSnapshot],
    ) -> Evaluation {
        let Run { evaluation: mut e, overall: base, posts, fixed, .. } = self.score(snapshot, period, children);
        for p in assess::candidates(&posts) {
            let met = assess::met_activity(snapshot, p, period);
            // The same model, run again: only its overall score is needed, and the criteria that
            // read no activity score as they did.
            let reached = self.overall_with_activity(snapshot, &met, period, fixed);
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

    /// The weighted sum of the criteria that read no activity, as a full run computes it.
    #[cfg(test)]
    pub(crate) fn fixed_of(&self, snapshot: &PairingSnapshot, period: Period) -> f64 {
        self.score(snapshot, period, &[]).fixed
    }

    /// The overall and effectiveness scores before they are shown (snapped, not truncated): what
    /// the property tests compare.
    #[cfg(test)]
    pub(crate) fn raw(&self, snapshot: &PairingSnapshot, period: Period) -> (f64, Option<f64>) {
        let run = self.score(snapshot, period, &[]);
        (run.overall, run.effectiveness)
    }

    /// The overall score before it is shown, and nothing else: the model as `score` runs it,
    /// without the findings, results and texts an evaluation carries.
    #[cfg(test)]
    pub(crate) fn overall_only(&self, snapshot: &PairingSnapshot, period: Period) -> f64 {
        let mut f = Facts::new(snapshot, period);
        f.quiet = true;
        let governance: f64 = sheets(&f).iter().map(|sheet| self.weight(sheet.criterion()) * sheet.score()).sum();
        let blend = Blend::new(&f, period, snap(governance));
        blend.overall(blend.effectiveness(None))
    }

    /// The overall score of `snapshot` with one more activity of the year, reusing the weighted
    /// scores of the criteria that read no activity (`fixed`, from the run without it).
    pub(crate) fn overall_with_activity(
        &self,
        snapshot: &PairingSnapshot,
        extra: &eastwest_domain::Activity,
        period: Period,
        fixed: f64,
    ) -> f64 {
        let mut f = Facts::with_extra(snapshot, period, Some(extra));
        f.quiet = true;
        // Added in criterion order after the fixed three, as a full run adds them, so that the
        // sum is the same to the last bit.
        let governance =
            activity_sheets(&f).iter().fold(fixed, |sum, sheet| sum + self.weight(sheet.criterion()) * sheet.score());
        let blend = Blend::new(&f, period, snap(governance));
        blend.overall(blend.effectiveness(None))
    }

    /// The evaluation without improvements, and its overall and effectiveness scores before they
    /// are shown.
    fn score(&self, snapshot: &PairingSnapshot, period: Period, children: &[PairingSnapshot]) -> Run {
        let f = Facts::new(snapshot, period);
        let mut governance = 0.0;
        let mut fixed = 0.0;
        let criteria = sheets(&f)
            .into_iter()
            .enumerate()
            .map(|(k, sheet)| {
                let weight = self.weight(sheet.criterion());
                let score = sheet.score();
                governance += weight * score;
                if k + 1 == ACTIVITY_FREE {
                    fixed = governance;
                }
                sheet.finish(weight, shown(score))
            })
            .collect();
        let blend = Blend::new(&f, period, snap(governance));
        let overall_eff = blend.effectiveness(None);
        let overall = blend.overall(overall_eff);
        let sides = [Side::East, Side::West]
            .into_iter()
            .map(|side| {
                let score = blend.overall(blend.effectiveness(Some(side)));
                SideAssessment { side, score: shown(score), grade: grade_for(score) }
            })
            .collect();
        let (posts, governance) = (blend.posts, blend.governance);
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
        Run { evaluation: e, overall, effectiveness: overall_eff.map(|x| snap(x.score)), posts, fixed }
    }
}

/// One run of the model: the evaluation without improvements, its overall and effectiveness
/// scores before they are shown, its goalposts, and the weighted sum of the criteria that read no
/// activity (for the improvements' re-runs).
struct Run {
    evaluation: Evaluation,
    overall: f64,
    #[cfg_attr(not(test), expect(dead_code, reason = "the property tests read it through raw()"))]
    effectiveness: Option<f64>,
    posts: Vec<super::effect::Goalpost>,
    fixed: f64,
}

/// How effectiveness and governance combine for one period: the goalposts, whether the year is
/// measured by its size, the share of effectiveness and the ceilings (docs/scoring.md, "The
/// overall score and the two sides").
struct Blend<'a> {
    facts: &'a Facts<'a>,
    posts: Vec<super::effect::Goalpost>,
    /// With a year but nothing to measure it against, the year is measured by its size, and
    /// grades no better than 一般: 较好 and 好 rest on targets met or last year bettered.
    by_size: bool,
    share: f64,
    governance: f64,
}

impl<'a> Blend<'a> {
    fn new(f: &'a Facts<'a>, period: Period, governance: f64) -> Self {
        let posts = if period.year.is_some() { goalposts(f.agreement, &f.ledger, &f.last) } else { Vec::new() };
        let by_size = period.year.is_some() && posts.is_empty();
        let share = if f.agreement.is_some() { EFFECTIVENESS_WITH_AGREEMENT } else { EFFECTIVENESS_WITHOUT_AGREEMENT };
        Blend { facts: f, posts, by_size, share, governance }
    }

    /// Effectiveness for one side (`None`: the pairing); `None` without a year.
    fn effectiveness(&self, side: Option<Side>) -> Option<Effectiveness> {
        if self.by_size {
            Some(size_effectiveness(&self.facts.ledger, side, self.facts.level()))
        } else {
            effectiveness(&self.posts, side)
        }
    }

    /// The overall score (or a side's) before it is shown.
    fn overall(&self, eff: Option<Effectiveness>) -> f64 {
        match eff {
            None => self.governance,
            Some(e) => {
                let raw = self.share * e.score + (1.0 - self.share) * self.governance;
                let ceiling = match e.met {
                    _ if self.by_size => SIZE_CEILING,
                    Some(met) => cap(met),
                    None => 100.0,
                };
                snap(raw.min(ceiling))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use crate::scoring::types::Grade;
    use Indicator::{FiscalAid, LabourEmployed};
    use eastwest_domain::{ActivityKind, CooperationForm, FlowDirection, Indicator, Leadership, Verification};

    const YEAR: i32 = 2025;

    fn year() -> Period {
        Period::year(YEAR, as_of())
    }

    fn d(m: u32) -> chrono::NaiveDate {
        date(YEAR, m, 1)
    }

    /// js gov (east) and sn gov (west) each accountable; no other structure.
    fn base() -> Snap {
        let mut s = Snap::bare();
        s.participant(
            "js",
            &[eastwest_domain::ParticipantRole::Accountable, eastwest_domain::ParticipantRole::Funding],
        );
        s.participant(
            "sn",
            &[eastwest_domain::ParticipantRole::Accountable, eastwest_domain::ParticipantRole::Implementing],
        );
        s
    }

    #[test]
    fn effectiveness_is_attainment_and_growth_weighted_by_family() {
        let mut s = base();
        // Funding: fiscal aid 100 of 200 agreed (east); labour: 300 of 300 agreed (west).
        s.agreement(YEAR, Some(d(1)), &[(FiscalAid, Some(EAST), 200), (LabourEmployed, Some(WEST), 300)]);
        s.deliver("aid", "js", d(6), &[(FiscalAid, 100)]);
        s.deliver("jobs", "sn", d(6), &[(LabourEmployed, 300)]);
        let e = ScoringModel::standard().evaluate(&s.s, year());
        // No last year: growth credit equals attainment. Funding 15, labour 15 → ½ each:
        // ½ × (0.9·0.5 + 0.1·0.5) + ½ × (0.9·1 + 0.1·1) = 0.75.
        assert_eq!(e.effectiveness_score, Some(75.0));
        // Met share ½·0.5 + ½·1 = 0.75 → cap 74.9 + 62.75 × 0.15 = 84.3125.
        let raw = 0.6 * 75.0 + 0.4 * e.governance_score;
        assert!(e.overall_score <= raw.min(84.3125) + 1e-9 && e.overall_score >= raw.min(84.3125) - 0.2, "{e:?}");
        // The east is judged on its own target, the west on its own.
        let east = &e.sides[0];
        let west = &e.sides[1];
        assert_eq!(east.side, EAST);
        assert!(west.score > east.score, "{:?}", e.sides);
        // Results: one per target, in indicator order, with exact actuals and the records, then
        // the pairing's totals of the two indicators, which only sides hold targets for.
        assert_eq!(e.results.len(), 4);
        assert_eq!((e.results[2].indicator, e.results[2].side, e.results[2].actual), (FiscalAid, None, 100));
        assert_eq!(
            (e.results[0].indicator, e.results[0].side, e.results[0].target, e.results[0].actual),
            (FiscalAid, Some(EAST), 200, 100)
        );
        assert_eq!(e.results[0].attainment, 0.5);
        assert_eq!(e.results[0].records, ["pairings/js-sn/activities/aid"]);
        assert_eq!(e.results[0].unconfirmed, 100);
        let texts: Vec<&str> = e.findings.iter().map(|f| f.text.en.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("fiscal aid") && t.contains("of the agreed")), "{texts:?}");
    }

    #[test]
    fn a_target_below_last_year_earns_no_more_than_matching_last_year_and_growth_counts() {
        let mut s = base();
        s.deliver("aid-2024", "js", date(YEAR - 1, 12, 31), &[(FiscalAid, 1000)]);
        // The agreement asks for 500, less than the 1,000 given last year.
        s.agreement(YEAR, Some(d(1)), &[(FiscalAid, Some(EAST), 500)]);
        s.deliver("aid", "js", d(12), &[(FiscalAid, 500)]);
        let e = ScoringModel::standard().evaluate(&s.s, year());
        // bar = max(500, 1000): attainment ½, growth 0 → 0.9 × 0.5 = 45.
        assert_eq!(e.effectiveness_score, Some(45.0));
        assert_eq!(e.results[0].attainment, 1.0, "the agreement's own figure is met");
        assert!(e.findings.iter().any(|f| f.text.en.contains("must not decrease")), "{:?}", e.findings);
        // 1,200 (+20 %): full attainment and full growth.
        s.deliver("aid-more", "js", d(12), &[(FiscalAid, 700)]);
        let e = ScoringModel::standard().evaluate(&s.s, year());
        assert_eq!(e.effectiveness_score, Some(100.0));
        // 1,100 (+10 %): growth ln 1.1 / ln 1.2 = 0.52277 → 0.9 + 0.052277.
        let mut s2 = s.clone();
        s2.s.activities.retain(|a| a.record.id != "aid-more");
        s2.deliver("aid-more", "js", d(12), &[(FiscalAid, 600)]);
        let e = ScoringModel::standard().evaluate(&s2.s, year());
        assert_eq!(e.effectiveness_score, Some(95.2));
    }

    #[test]
    fn support_must_not_decrease_even_where_the_agreement_is_silent() {
        let mut s = base();
        s.deliver("cadres-2024", "js", date(YEAR - 1, 6, 1), &[(Indicator::CadresExchanged, 100)]);
        s.agreement(YEAR, Some(d(1)), &[(LabourEmployed, Some(WEST), 10)]);
        s.deliver("jobs", "sn", d(6), &[(LabourEmployed, 10)]);
        s.deliver("cadres", "js", d(6), &[(Indicator::CadresExchanged, 50)]);
        let e = ScoringModel::standard().evaluate(&s.s, year());
        // Labour 15 → full; talent 10 (the cadres goalpost, last year's 100) → 0.9 × 0.5:
        // (15 × 1 + 10 × 0.45) / 25 = 0.78.
        assert_eq!(e.effectiveness_score, Some(78.0));
        // The goalpost is not a target: the cap reads the agreement's own targets, all met.
        let cadres = e.results.iter().find(|r| r.indicator == Indicator::CadresExchanged).expect("a result row");
        assert_eq!((cadres.target, cadres.actual, cadres.previous_actual), (0, 50, 100));
    }

    #[test]
    fn without_an_agreement_last_year_sets_the_goalposts_and_counts_for_less() {
        let mut s = base();
        s.deliver("aid-2024", "js", date(YEAR - 1, 12, 31), &[(FiscalAid, 1000)]);
        s.deliver("aid", "js", d(6), &[(FiscalAid, 1000)]);
        let e = ScoringModel::standard().evaluate(&s.s, year());
        assert_eq!(e.effectiveness_score, Some(90.0));
        let want =
            snap(EFFECTIVENESS_WITHOUT_AGREEMENT * 90.0 + (1.0 - EFFECTIVENESS_WITHOUT_AGREEMENT) * e.governance_score);
        assert!((e.overall_score - want).abs() <= 0.2, "{} vs {want}", e.overall_score);
        // Nothing last year and no agreement: the year is measured by its size. Fiscal aid at the
        // national average for the level is full reach in the funding family, 15 of the families'
        // 75: 100 × 15 / 75 = 20.
        let mut bare = base();
        let level = bare.s.pairing.record.level;
        let average = crate::scoring::reach::reference(FiscalAid, level).ceil() as i64;
        bare.deliver("aid", "js", d(6), &[(FiscalAid, average)]);
        let e = ScoringModel::standard().evaluate(&bare.s, year());
        assert_eq!(e.effectiveness_score, Some(20.0));
        let want =
            snap(EFFECTIVENESS_WITHOUT_AGREEMENT * 20.0 + (1.0 - EFFECTIVENESS_WITHOUT_AGREEMENT) * e.governance_score);
        assert!((e.overall_score - want).abs() <= 0.2, "{} vs {want}", e.overall_score);
        // The east delivered it: the west's size is 0.
        assert!(e.sides[0].score > e.sides[1].score, "{:?}", e.sides);
        // Without a year there is no effectiveness layer: governance alone.
        let e = ScoringModel::standard().evaluate(&bare.s, Period::as_of(d(12)));
        assert_eq!(e.effectiveness_score, None);
        assert_eq!(e.overall_score, e.governance_score);
    }

    #[test]
    fn zeroing_the_targets_measures_the_year_by_size_and_cannot_lift_it_above_average() {
        let mut s = base();
        let level = s.s.pairing.record.level;
        // Twice the national average for the level in every family: full reach everywhere.
        let families = [
            Indicator::FiscalAid,
            Indicator::ProfessionalsExchanged,
            Indicator::InvestmentArrived,
            Indicator::LabourEmployed,
            Indicator::Consumption,
            Indicator::SocialDonations,
        ];
        for (k, i) in families.iter().enumerate() {
            let value = (crate::scoring::reach::reference(*i, level) * 2.0) as i64;
            let actor = if *i == Indicator::LabourEmployed { "sn" } else { "js" };
            s.deliver(&format!("d{k}"), actor, d(6), &[(*i, value)]);
        }
        // Against targets ten times higher: a fifth met, capped at 74.9 + 62.75 × (0.2 − 0.6).
        let targets: Vec<_> =
            families.iter().map(|i| (*i, None, (crate::scoring::reach::reference(*i, level) * 20.0) as i64)).collect();
        s.agreement(YEAR, Some(d(1)), &targets);
        let missed = ScoringModel::standard().evaluate(&s.s, year());
        assert!(missed.overall_score <= 49.8, "{}", missed.overall_score);
        // The same agreement with its targets zeroed: effectiveness by size is full, but the grade
        // stays at 一般 or below.
        let zeroed: Vec<_> = families.iter().map(|i| (*i, None, 0)).collect();
        s.agreement(YEAR, Some(d(1)), &zeroed);
        // Changed on 1 March of the year after (update_time in microseconds since the epoch).
        let changed = date(YEAR + 1, 3, 1).and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_micros());
        if let Some(a) = s.s.agreements.last_mut() {
            a.record.update_time = changed.unwrap_or_default();
        }
        let by_size = ScoringModel::standard().evaluate(&s.s, year());
        assert_eq!(by_size.effectiveness_score, Some(100.0));
        assert!(by_size.overall_score <= SIZE_CEILING, "{}", by_size.overall_score);
        assert!(matches!(by_size.grade, Grade::Average | Grade::Poor), "{:?}", by_size.grade);
        // The change after the year began is a finding.
        assert!(by_size.findings.iter().any(|f| f.text.en.contains("changed")), "{:?}", by_size.findings);
    }

    #[test]
    fn under_sixty_percent_met_caps_the_grade_at_average() {
        let mut s = base();
        s.scope("范围", &["产业"], &["援藏"]);
        s.agreement(YEAR, Some(d(1)), &[(FiscalAid, Some(EAST), 1000), (LabourEmployed, Some(WEST), 1000)]);
        s.deliver("aid", "js", d(6), &[(FiscalAid, 500)]);
        s.deliver("jobs", "sn", d(6), &[(LabourEmployed, 690)]);
        let e = ScoringModel::standard().evaluate(&s.s, year());
        // Met ½·0.5 + ½·0.69 = 0.595 < 0.6.
        assert!(e.overall_score < 75.0 && matches!(e.grade, Grade::Average | Grade::Poor), "{}", e.overall_score);
    }

    #[test]
    fn activities_of_other_years_do_not_count_and_without_a_year_everything_to_as_of_does() {
        let mut s = base();
        s.agreement(YEAR, Some(d(1)), &[(FiscalAid, Some(EAST), 100)]);
        s.deliver("old", "js", date(YEAR - 2, 6, 1), &[(FiscalAid, 100)]);
        s.deliver("later", "js", date(YEAR + 1, 1, 2), &[(FiscalAid, 100)]);
        let e = ScoringModel::standard().evaluate(&s.s, year());
        assert_eq!(e.results[0].actual, 0);
        let e = ScoringModel::standard().evaluate(&s.s, Period::as_of(as_of()));
        assert_eq!(e.year, None);
        assert_eq!(e.effectiveness_score, None);
        assert_eq!(e.results.iter().map(|r| (r.indicator, r.actual)).collect::<Vec<_>>(), [(FiscalAid, 100)]);
    }

    #[test]
    fn improvements_are_computed_by_evaluating_again_with_the_goalpost_met() {
        let mut s = base();
        s.agreement(YEAR, Some(d(1)), &[(FiscalAid, Some(EAST), 1000), (LabourEmployed, Some(WEST), 1000)]);
        s.deliver("aid", "js", d(6), &[(FiscalAid, 900)]);
        s.deliver("jobs", "sn", d(6), &[(LabourEmployed, 100)]);
        let m = ScoringModel::standard();
        let e = m.evaluate(&s.s, year());
        assert!(!e.improvements.is_empty());
        // The largest shortfall first: labour (0.9 short) before fiscal aid (0.1 short).
        let first = &e.improvements[0];
        assert!(first.text.en.contains("rural workers employed"), "{first:?}");
        let mut met = s.clone();
        met.deliver("more-jobs", "sn", d(6), &[(LabourEmployed, 900)]);
        let after = m.evaluate(&met.s, year());
        assert!(
            (first.score_gain - (after.overall_score - e.overall_score)).abs() < 0.11,
            "{first:?} vs {}",
            after.overall_score
        );
        for i in &e.improvements {
            assert!(i.score_gain > 0.0 && !i.text.zh.is_empty());
        }
    }

    #[test]
    fn children_are_not_added_and_a_child_above_its_parent_is_a_finding() {
        let mut parent = base();
        parent.deliver("aid", "js", d(6), &[(FiscalAid, 100)]);
        let mut child = base();
        child.p().id = "js-sn-county".into();
        child.deliver("aid", "js", d(6), &[(FiscalAid, 300)]);
        let m = ScoringModel::standard();
        let alone = m.evaluate(&parent.s, year());
        let e = m.evaluate_with(&parent.s, year(), &[child.s.clone()]);
        // The child's 300 is not added to the parent's 100: each pairing's records are its own.
        assert_eq!(e.results.iter().map(|r| r.actual).collect::<Vec<_>>(), [100]);
        assert_eq!(e.overall_score, alone.overall_score);
        let f = e.findings.iter().find(|f| f.text.en.contains("Child pairing")).expect("a finding");
        assert_eq!(f.records, ["pairings/js-sn-county", "pairings/js-sn"]);
    }

    #[test]
    fn the_two_sides_reporting_one_fact_differently_and_unconfirmed_figures_are_findings() {
        let mut s = base();
        s.agreement(YEAR, Some(d(1)), &[(LabourEmployed, None, 1000)]);
        s.deliver("east-says", "js", date(YEAR, 12, 31), &[(LabourEmployed, 1200)]);
        s.deliver("west-says", "sn", date(YEAR, 12, 31), &[(LabourEmployed, 900)]);
        let e = ScoringModel::standard().evaluate(&s.s, year());
        let texts: Vec<&str> = e.findings.iter().map(|f| f.text.en.as_str()).collect();
        assert!(
            texts.iter().any(|t| t.contains("report rural workers employed on 2025-12-31 differently")),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t.contains("rests on records reported by one side")), "{texts:?}");
        // Confirmed by the other side, the second finding goes.
        s.verify("east-says", Verification::Confirmed).verify("west-says", Verification::Audited);
        let e = ScoringModel::standard().evaluate(&s.s, year());
        assert!(e.findings.iter().all(|f| !f.text.en.contains("rests on records")));
        assert_eq!(e.results[0].unconfirmed, 0);
        // The same figure from both sides is most likely one fact counted twice.
        let mut twice = base();
        twice.deliver("east-says", "js", date(YEAR, 12, 31), &[(LabourEmployed, 900)]);
        twice.deliver("west-says", "sn", date(YEAR, 12, 31), &[(LabourEmployed, 900)]);
        let e = ScoringModel::standard().evaluate(&twice.s, year());
        let told: Vec<&str> = e.findings.iter().map(|f| f.text.en.as_str()).collect();
        assert!(told.iter().any(|t| t.contains("counts it twice")), "{told:?}");
        assert!(told.iter().all(|t| !t.contains("differently")), "{told:?}");
    }

    #[test]
    fn an_empty_pairing_scores_low_and_says_what_is_missing() {
        let e = ScoringModel::standard().evaluate(&Snap::bare().s, year());
        assert!(e.overall_score < 10.0, "{}", e.overall_score);
        assert_eq!(e.grade, Grade::Poor);
        for c in &e.criteria {
            assert!(c.score.is_finite() && c.score < 50.0, "{:?} {}", c.criterion, c.score);
            assert!(!c.findings.is_empty(), "{:?} has no finding", c.criterion);
            assert!(!c.recommendations.is_empty(), "{:?} has no recommendation", c.criterion);
        }
        let texts: Vec<&str> = e.criteria.iter().flat_map(|c| c.findings.iter().map(|f| f.text.en.as_str())).collect();
        for missing in
            ["No scope statement", "No responsibilities", "No goals", "No activities", "There is no annual agreement"]
        {
            assert!(texts.iter().any(|t| t.starts_with(missing)), "{missing}: {texts:?}");
        }
    }

    #[test]
    fn findings_stay_short_for_a_large_pairing() {
        let mut snap = base();
        for i in 0..1000 {
            snap.activity(
                &format!("bulk-{i:04}"),
                if i % 2 == 0 { "js" } else { "ghost" },
                CooperationForm::Industry,
                ActivityKind::Training,
                FlowDirection::EastToWest,
                date(YEAR, 1 + (i % 12) as u32, 1),
                1,
            );
            if let Some(a) = snap.s.activities.last_mut() {
                a.record.people = 3;
            }
        }
        for i in 0..300 {
            snap.responsibility(&format!("x{i}"), "ghost", "", None, false);
        }
        let e = ScoringModel::standard().evaluate(&snap.s, year());
        let debug = format!("{e:?}");
        assert!(debug.len() < 40_000, "{} bytes", debug.len());
        for c in &e.criteria {
            assert!(c.findings.len() <= 10);
            for f in &c.findings {
                assert!(f.records.len() <= 5, "{f:?}");
            }
        }
        assert!(e.findings.len() <= 12);
        // 1,000 trainings of 3 people: the exact sum, 20 records named.
        let trained = e.results.iter().find(|r| r.indicator == Indicator::PeopleTrained).expect("trained");
        assert_eq!(trained.actual, 3000);
        assert_eq!(trained.records.len(), 20);
    }

    #[test]
    fn a_declared_type_the_money_contradicts_is_flagged() {
        let mut snap = base();
        snap.activity(
            "aid",
            "js",
            CooperationForm::Industry,
            ActivityKind::Funds,
            FlowDirection::EastToWest,
            d(3),
            1_000_000,
        );
        snap.declare(Leadership::SocietyLed);
        let e = ScoringModel::standard().evaluate(&snap.s, year());
        assert_eq!(e.inferred_leadership, Some(Leadership::GovernmentLed));
        assert!(e.leadership_mismatch);
        let bare = ScoringModel::standard().evaluate(&Snap::bare().s, year());
        assert_eq!(bare.inferred_leadership, None);
        assert!(!bare.leadership_mismatch);
    }

    #[test]
    fn a_model_with_other_weights_reports_its_version() {
        let m = ScoringModel::from_toml(GOOD).unwrap();
        let e = m.evaluate(&base().s, year());
        assert_eq!(e.model_version, "test-1");
        assert_eq!(e.criteria[4].weight, 0.0);
        assert_eq!(e.criteria[0].weight, 1.0 / 6.0);
    }

    #[test]
    fn the_embedded_model_parses() {
        let m = ScoringModel::standard();
        assert_eq!(m.version(), "2027.1");
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
