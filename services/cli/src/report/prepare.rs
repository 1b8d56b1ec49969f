//! What both formats show, computed once: the ranking, the summary and the provinces.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use eastwest_proto::evaluation::v1::{CriterionScore, Evaluation};

use super::labels::{CRITERIA, GRADES, criterion_of, grade_index};
use super::provinces::Province;

/// Counts per grade, indexed as [`GRADES`].
pub(crate) type GradeCounts = [usize; GRADES.len()];

pub(crate) struct Prepared<'a> {
    /// The evaluations by overall score, best first; ties by pairing name.
    pub ranked: Vec<&'a Evaluation>,
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

impl ProvinceGroup {
    pub(super) fn count(&self) -> usize {
        self.ranks.len()
    }
}

pub(crate) fn prepare(evaluations: &[Evaluation]) -> Prepared<'_> {
    let mut ranked: Vec<&Evaluation> = evaluations.iter().collect();
    ranked.sort_by(|a, b| by_score_desc(a.overall_score, b.overall_score).then_with(|| a.pairing.cmp(&b.pairing)));

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
    Prepared { ranked, grades, mean, mismatches, provinces }
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
