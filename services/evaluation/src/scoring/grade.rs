//! Rounding and grades.
//!
//! Scores are computed in `f64` and first *snapped* to six decimals, which removes floating-point
//! noise (a perfect score summed from weights such as 0.2 + 0.2 + 0.15 … lands on 100 exactly, not
//! on 99.99999999999999). Grades are read from the snapped, otherwise unrounded score. The score
//! that is shown is then *truncated* to one decimal, so the printed number never sits in a higher
//! band than its grade: 89.96 is shown as 89.9 and graded 较好, never shown as 90.0.

use super::types::Grade;

/// Lowest score graded 好 (GOOD).
pub const GOOD_FROM: f64 = 90.0;
/// Lowest score graded 较好 (FAIRLY_GOOD).
pub const FAIRLY_GOOD_FROM: f64 = 75.0;
/// Lowest score graded 一般 (AVERAGE); anything below is 差 (POOR).
pub const AVERAGE_FROM: f64 = 60.0;

/// The official grade of a score on the half-open bands [90, ∞) 好, [75, 90) 较好, [60, 75) 一般,
/// below 60 差. A score that is not a number is graded 差.
pub fn grade_for(score: f64) -> Grade {
    if score >= GOOD_FROM {
        Grade::Good
    } else if score >= FAIRLY_GOOD_FROM {
        Grade::FairlyGood
    } else if score >= AVERAGE_FROM {
        Grade::Average
    } else {
        Grade::Poor
    }
}

/// Clamps to 0..=100 (not-a-number becomes 0) and rounds to six decimals.
pub(crate) fn snap(score: f64) -> f64 {
    if !score.is_finite() {
        return 0.0;
    }
    // Adding 0.0 turns a negative zero into zero.
    (score.clamp(0.0, 100.0) * 1e6).round() / 1e6 + 0.0
}

/// A snapped score as shown: truncated to one decimal. The tiny epsilon is far below the
/// 1e-5 step of a snapped score times ten, so it only absorbs the binary representation of
/// decimals (e.g. 0.3 × 10 = 2.9999999999999996).
pub(crate) fn shown(snapped: f64) -> f64 {
    ((snapped * 10.0 + 1e-9).floor() / 10.0).clamp(0.0, 100.0)
}

/// An indicator value as shown: four decimals, not-a-number as 0.
pub(crate) fn indicator_value(value: f64) -> f64 {
    if value.is_finite() { (value * 1e4).round() / 1e4 + 0.0 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_half_open_on_the_unrounded_score() {
        let table = [
            (100.0, Grade::Good),
            (90.0, Grade::Good),
            (89.999_999, Grade::FairlyGood),
            (89.96, Grade::FairlyGood),
            (75.0, Grade::FairlyGood),
            (74.95, Grade::Average),
            (60.0, Grade::Average),
            (59.999, Grade::Poor),
            (0.0, Grade::Poor),
            (f64::NAN, Grade::Poor),
        ];
        for (score, want) in table {
            assert_eq!(grade_for(score), want, "{score}");
        }
    }

    #[test]
    fn shown_scores_truncate_and_never_cross_a_band() {
        let table = [
            (89.96, 89.9),
            (90.0, 90.0),
            (0.3, 0.3),
            (66.66666666666667, 66.6),
            (99.99999999999999, 100.0),
            (12.349_999, 12.3),
        ];
        for (raw, want) in table {
            assert_eq!(shown(snap(raw)), want, "{raw}");
        }
        for raw in [59.95, 74.99, 89.999] {
            assert_eq!(grade_for(shown(snap(raw))), grade_for(snap(raw)), "{raw}");
        }
        assert_eq!(snap(f64::NAN), 0.0);
        assert_eq!(snap(-3.0), 0.0);
        assert_eq!(snap(130.0), 100.0);
    }
}
