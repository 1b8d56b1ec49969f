//! Statistics over groups of evaluations (e.g. every pairing with a western side in Guizhou).
//!
//! Pure and order-free: values are sorted before they are summed, so the same evaluations give the
//! same summary whatever order they arrive in.

use std::collections::BTreeMap;

use super::types::{Criterion, Evaluation, Grade, GroupSummary};

const GRADES: [Grade; 4] = [Grade::Good, Grade::FairlyGood, Grade::Average, Grade::Poor];

/// One summary per key, sorted by key. Groups given twice under one key are merged; a group with
/// no evaluations is left out. Statistics are of the shown overall scores: mean, minimum,
/// quartiles (linear interpolation between closest ranks, as R's default and NumPy's `linear`),
/// maximum, each rounded to one decimal (half away from zero); grades are counted as evaluated;
/// the weakest criterion is the one with the lowest mean score (ties to the first in
/// [`Criterion::ALL`] order).
pub fn summarize(groups: Vec<(String, Vec<&Evaluation>)>) -> Vec<GroupSummary> {
    let mut merged: BTreeMap<String, Vec<&Evaluation>> = BTreeMap::new();
    for (key, list) in groups {
        merged.entry(key).or_default().extend(list);
    }
    merged.into_iter().filter(|(_, list)| !list.is_empty()).map(|(key, list)| summarize_one(key, &list)).collect()
}

fn summarize_one(key: String, list: &[&Evaluation]) -> GroupSummary {
    let mut scores: Vec<f64> = list.iter().map(|e| e.overall_score).collect();
    scores.sort_by(f64::total_cmp);
    let grade_counts = GRADES
        .iter()
        .map(|g| {
            let n = list.iter().filter(|e| e.grade == *g).count();
            (*g, u32::try_from(n).unwrap_or(u32::MAX))
        })
        .collect();
    let mut weakest: Option<(Criterion, f64)> = None;
    for c in Criterion::ALL {
        let mut values: Vec<f64> =
            list.iter().flat_map(|e| e.criteria.iter().filter(|s| s.criterion == c)).map(|s| s.score).collect();
        if values.is_empty() {
            continue;
        }
        values.sort_by(f64::total_cmp);
        let m = mean(&values);
        if weakest.is_none_or(|(_, w)| m < w) {
            weakest = Some((c, m));
        }
    }
    GroupSummary {
        key,
        count: u32::try_from(list.len()).unwrap_or(u32::MAX),
        mean: round1(mean(&scores)),
        min: round1(scores.first().copied().unwrap_or(0.0)),
        p25: round1(quantile(&scores, 0.25)),
        median: round1(quantile(&scores, 0.5)),
        p75: round1(quantile(&scores, 0.75)),
        max: round1(scores.last().copied().unwrap_or(0.0)),
        grade_counts,
        weakest: weakest.map(|(c, m)| (c, round1(m))),
    }
}

fn mean(sorted: &[f64]) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted.iter().sum::<f64>() / sorted.len() as f64
}

/// Quantile `q` of sorted values: position `q × (n − 1)`, interpolated between its neighbours.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return 0.0;
    };
    let pos = q * last as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let (Some(a), Some(b)) = (sorted.get(lo), sorted.get(hi)) else {
        return 0.0;
    };
    a + (b - a) * (pos - lo as f64)
}

fn round1(x: f64) -> f64 {
    if x.is_finite() { (x * 10.0).round() / 10.0 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::types::CriterionScore;
    use chrono::NaiveDate;
    use eastwest_domain::Leadership;

    fn eval(overall: f64, grade: Grade, weak: f64) -> Evaluation {
        Evaluation {
            pairing: "pairings/p".into(),
            pairing_title: String::new(),
            model_version: "t".into(),
            as_of: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            overall_score: overall,
            grade,
            criteria: Criterion::ALL
                .iter()
                .map(|c| CriterionScore {
                    criterion: *c,
                    score: if *c == Criterion::SocialAutonomy { weak } else { 80.0 },
                    weight: 0.125,
                    indicators: vec![],
                    findings: vec![],
                    recommendations: vec![],
                })
                .collect(),
            declared_leadership: Leadership::GovernmentLed,
            inferred_leadership: None,
            leadership_mismatch: false,
            year: None,
            effectiveness_score: None,
            governance_score: overall,
            results: vec![],
            sides: vec![],
            improvements: vec![],
            findings: vec![],
        }
    }

    #[test]
    fn statistics_by_key() {
        let a = eval(92.0, Grade::Good, 50.0);
        let b = eval(70.0, Grade::Average, 30.0);
        let c = eval(80.0, Grade::FairlyGood, 10.0);
        let d = eval(55.5, Grade::Poor, 90.0);
        let out = summarize(vec![
            ("52".into(), vec![&a, &b]),
            ("45".into(), vec![&d]),
            ("52".into(), vec![&c]),
            ("61".into(), vec![]),
        ]);
        assert_eq!(out.len(), 2);
        let gx = &out[0];
        assert_eq!((gx.key.as_str(), gx.count), ("45", 1));
        assert_eq!((gx.min, gx.median, gx.max), (55.5, 55.5, 55.5));
        // Only criterion below 80 is social autonomy at 90; the weakest is the first at 80.
        assert_eq!(gx.weakest, Some((Criterion::BoundaryClarity, 80.0)));
        let gz = &out[1];
        assert_eq!(gz.key, "52");
        assert_eq!(gz.count, 3);
        // Sorted 70, 80, 92: mean 80.666… → 80.7; p25 at 0.5 → 75; median 80; p75 at 1.5 → 86.
        assert_eq!((gz.mean, gz.min, gz.p25, gz.median, gz.p75, gz.max), (80.7, 70.0, 75.0, 80.0, 86.0, 92.0));
        assert_eq!(gz.grade_counts, [(Grade::Good, 1), (Grade::FairlyGood, 1), (Grade::Average, 1), (Grade::Poor, 0)]);
        // Social autonomy: (50 + 30 + 10) / 3 = 30.
        assert_eq!(gz.weakest, Some((Criterion::SocialAutonomy, 30.0)));
    }

    #[test]
    fn order_does_not_matter() {
        let evals: Vec<Evaluation> =
            (0..7).map(|i| eval(50.0 + 7.3 * f64::from(i), Grade::Poor, 33.3 * f64::from(i % 3))).collect();
        let forward: Vec<&Evaluation> = evals.iter().collect();
        let backward: Vec<&Evaluation> = evals.iter().rev().collect();
        assert_eq!(summarize(vec![("k".into(), forward)]), summarize(vec![("k".into(), backward)]));
    }
}
