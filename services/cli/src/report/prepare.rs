//! What both formats show, computed once: the ranking (by level, like with like), the summary,
//! the provinces, and the rows of a year's results.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use eastwest_proto::evaluation::v1::{CriterionScore, Evaluation};

use eastwest_proto::registry::v1::{Indicator, Side};

use super::labels::{
    CRITERIA, GRADES, criterion_of, grade_index, indicator_text, level_order, quantity, quantity_per, side_text,
};
use super::provinces::Province;

/// Counts per grade, indexed as [`GRADES`].
pub(crate) type GradeCounts = [usize; GRADES.len()];

pub(crate) struct Prepared<'a> {
    /// The evaluations by level (province first), then by overall score, best first; ties by
    /// pairing name. Indexes into it are the report's anchors, not ranks: a rank is within a level.
    pub ranked: Vec<&'a Evaluation>,
    /// The levels present, in order, each with its run of `ranked`.
    pub levels: Vec<LevelGroup>,
    pub grades: GradeCounts,
    /// Mean of the shown overall scores; `None` without pairings.
    pub mean: Option<f64>,
    /// Ranks (indexes into `ranked`) of the pairings whose inferred leadership contradicts the declared.
    pub mismatches: Vec<usize>,
    /// West provinces in code order, unknown codes last.
    pub provinces: Vec<ProvinceGroup>,
}

pub(crate) struct ProvinceGroup {
    pub province: Province,
    pub grades: GradeCounts,
    pub mean: Option<f64>,
    /// Ranks of the province's pairings, best first.
    pub ranks: Vec<usize>,
}

/// The pairings of one level: `ranked[range]`, best first.
pub(crate) struct LevelGroup {
    /// The wire level number.
    pub level: i32,
    pub range: std::ops::Range<usize>,
}

impl Prepared<'_> {
    /// The rank of `ranked[i]` within its level, from 1.
    pub(crate) fn rank(&self, i: usize) -> usize {
        self.levels.iter().find(|g| g.range.contains(&i)).map_or(i + 1, |g| i - g.range.start + 1)
    }
}

impl ProvinceGroup {
    pub(super) fn count(&self) -> usize {
        self.ranks.len()
    }
}

pub(crate) fn prepare(evaluations: &[Evaluation]) -> Prepared<'_> {
    let mut ranked: Vec<&Evaluation> = evaluations.iter().collect();
    ranked.sort_by(|a, b| {
        level_order(a.level)
            .cmp(&level_order(b.level))
            .then_with(|| by_score_desc(a.overall_score, b.overall_score))
            .then_with(|| a.pairing.cmp(&b.pairing))
    });
    let mut levels: Vec<LevelGroup> = Vec::new();
    for (i, e) in ranked.iter().enumerate() {
        match levels.last_mut() {
            Some(g) if level_order(g.level) == level_order(e.level) => g.range.end = i + 1,
            Some(_) | None => levels.push(LevelGroup { level: e.level, range: i..i + 1 }),
        }
    }

    let mut grades = [0; GRADES.len()];
    let mut mismatches = Vec::new();
    let mut by_province: BTreeMap<Province, Vec<usize>> = BTreeMap::new();
    for (rank, e) in ranked.iter().enumerate() {
        grades[grade_index(e.grade)] += 1;
        if e.leadership_mismatch {
            mismatches.push(rank);
        }
        by_province.entry(Province::of(&e.west_region_code)).or_default().push(rank);
    }
    let provinces = by_province
        .into_iter()
        .map(|(province, ranks)| {
            let mut grades = [0; GRADES.len()];
            for &r in &ranks {
                grades[grade_index(ranked[r].grade)] += 1;
            }
            let mean = mean(ranks.iter().map(|&r| ranked[r].overall_score));
            ProvinceGroup { province, grades, mean, ranks }
        })
        .collect();
    let mean = mean(ranked.iter().map(|e| e.overall_score));
    Prepared { ranked, levels, grades, mean, mismatches, provinces }
}

/// One row of a year's results, as both formats and the table output show it.
pub(crate) struct ResultRow {
    pub indicator: String,
    pub side: &'static str,
    pub target: String,
    pub actual: String,
    /// The actual shared among the county pairings below, where that number is known.
    pub per_county: Option<String>,
    pub previous: String,
    /// actual ÷ target as a percentage; `—` without a target.
    pub attainment: String,
    /// The share of the actual resting on one side's report only; `—` for nothing delivered.
    pub unconfirmed: String,
}

pub(crate) fn result_rows(e: &Evaluation, counties: Option<usize>) -> Vec<ResultRow> {
    e.results
        .iter()
        .map(|r| ResultRow {
            indicator: indicator_text(r.indicator),
            side: side_text(r.side),
            target: if r.target > 0 { quantity(r.indicator, r.target) } else { "—".to_owned() },
            actual: quantity(r.indicator, r.actual),
            per_county: counties.filter(|&n| n > 0).map(|n| quantity_per(r.indicator, r.actual, n)),
            previous: quantity(r.indicator, r.previous_actual),
            attainment: if r.target > 0 && r.attainment.is_finite() {
                format!("{:.1}%", r.attainment * 100.0 + 0.0)
            } else {
                "—".to_owned()
            },
            unconfirmed: if r.actual > 0 {
                format!("{:.0}%", r.unconfirmed as f64 / r.actual as f64 * 100.0 + 0.0)
            } else {
                "—".to_owned()
            },
        })
        .collect()
}

/// A province pairing's fiscal aid, its county pairings and the aid per county, as table cells
/// (`—` where unknown).
pub(crate) fn county_cells(input: &super::ReportInput<'_>, e: &Evaluation) -> [String; 3] {
    let n = input.counties.get(&e.pairing).copied();
    let aid = fiscal_aid(e);
    let fiscal = Indicator::FiscalAid as i32;
    [
        aid.map_or_else(|| "—".to_owned(), |a| super::labels::quantity(fiscal, a)),
        n.map_or_else(|| "—".to_owned(), |n| n.to_string()),
        match (aid, n) {
            (Some(a), Some(n)) if n > 0 => super::labels::quantity_per(fiscal, a, n),
            _ => "—".to_owned(),
        },
    ]
}

/// The year's fiscal aid of the pairing as a whole: its own row, else the sum of its sides' rows.
pub(crate) fn fiscal_aid(e: &Evaluation) -> Option<i64> {
    let rows: Vec<_> = e.results.iter().filter(|r| r.indicator == Indicator::FiscalAid as i32).collect();
    if let Some(whole) = rows.iter().find(|r| r.side == Side::Unspecified as i32) {
        return Some(whole.actual);
    }
    (!rows.is_empty()).then(|| rows.iter().fold(0i64, |sum, r| sum.saturating_add(r.actual)))
}

/// A side's score and grade, if the evaluation grades it.
pub(crate) fn side(e: &Evaluation, side: Side) -> Option<&eastwest_proto::evaluation::v1::SideAssessment> {
    e.sides.iter().find(|s| s.side == side as i32)
}

/// Higher scores first; a score that is not a number sorts last.
fn by_score_desc(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (false, false) => b.total_cmp(&a),
        (a_nan, b_nan) => a_nan.cmp(&b_nan),
    }
}

/// Mean of the finite values; `None` when there are none.
fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.filter(|v| v.is_finite()).fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// The score of each of the eight criteria in axis order; 0 for one the evaluation lacks.
pub(crate) fn criterion_scores(e: &Evaluation) -> [f64; 8] {
    CRITERIA.map(|c| find(e, c).map_or(0.0, |s| s.score))
}

/// The evaluation's score for criterion `c`, if present.
pub(crate) fn find(e: &Evaluation, c: eastwest_proto::evaluation::v1::Criterion) -> Option<&CriterionScore> {
    e.criteria.iter().find(|s| criterion_of(s.criterion) == c)
}

/// The part of a resource name after `pairings/`, the pairing's id.
pub(crate) fn pairing_id(name: &str) -> &str {
    name.strip_prefix("pairings/").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::evaluation;
    use eastwest_proto::evaluation::v1::Grade;

    #[test]
    fn ranks_within_each_level_then_by_score_then_name() {
        use eastwest_proto::registry::v1::PairingLevel;
        let mut county = evaluation("pairings/county", "County", 99.0, Grade::Good, "520000");
        county.level = PairingLevel::County as i32;
        let mut unknown = evaluation("pairings/unknown", "Unknown", 95.0, Grade::Good, "520000");
        unknown.level = 0;
        let evaluations = vec![
            unknown,
            county,
            evaluation("pairings/b", "B", 70.0, Grade::Average, "620000"),
            evaluation("pairings/a", "A", 80.0, Grade::FairlyGood, "620000"),
        ];
        let p = prepare(&evaluations);
        let names: Vec<_> = p.ranked.iter().map(|e| e.pairing.as_str()).collect();
        assert_eq!(names, ["pairings/a", "pairings/b", "pairings/county", "pairings/unknown"], "province first");
        let levels: Vec<_> = p.levels.iter().map(|g| (g.level, g.range.clone())).collect();
        assert_eq!(levels, [(1, 0..2), (3, 2..3), (0, 3..4)]);
        assert_eq!((0..4).map(|i| p.rank(i)).collect::<Vec<_>>(), [1, 2, 1, 1], "a county is first among counties");
    }

    #[test]
    fn ranks_by_score_then_name_and_groups_by_west_province() {
        let evaluations = vec![
            evaluation("pairings/b", "B", 70.0, Grade::Average, "620000"),
            evaluation("pairings/a", "A", 70.0, Grade::Average, "620102"),
            evaluation("pairings/c", "C", 92.5, Grade::Good, "520000"),
            evaluation("pairings/d", "D", f64::NAN, Grade::Unspecified, ""),
            evaluation("pairings/e", "E", 40.0, Grade::Poor, "520100"),
        ];
        let p = prepare(&evaluations);
        let names: Vec<_> = p.ranked.iter().map(|e| e.pairing.as_str()).collect();
        assert_eq!(names, ["pairings/c", "pairings/a", "pairings/b", "pairings/e", "pairings/d"]);
        assert_eq!(p.grades, [1, 0, 2, 1, 1]);
        assert_eq!(p.mean, Some((92.5 + 70.0 + 70.0 + 40.0) / 4.0));
        let codes: Vec<_> = p.provinces.iter().map(|g| (g.province.code(), g.ranks.clone())).collect();
        assert_eq!(codes, [("520000", vec![0, 3]), ("620000", vec![1, 2]), ("—", vec![4])]);
        assert_eq!(p.provinces[0].grades, [1, 0, 0, 1, 0]);
        assert_eq!(p.provinces[0].mean, Some(66.25));
        assert_eq!(p.provinces[2].mean, None);
    }

    #[test]
    fn no_evaluations_no_mean() {
        let p = prepare(&[]);
        assert!(p.ranked.is_empty() && p.provinces.is_empty() && p.mean.is_none());
    }
}
