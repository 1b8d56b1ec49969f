//! What every criterion shares: its definition (indicator table with in-criterion weights), the
//! sheet a criterion fills while it scores, and bounded lists of the records a finding names.
//!
//! A criterion's score is `100 × Σ weight_i × credit_i` over its indicators, where each credit is
//! in 0..=1. Indicators with weight 0 are context: shown, not scored. Keeping the table, the
//! formula text and the computation in one place means `describe()` cannot drift from `evaluate()`.

use super::grade::{indicator_value, snap};
use super::types::{Criterion, CriterionScore, Finding, Indicator, Text};

/// At most this many findings per criterion.
pub(crate) const MAX_FINDINGS: usize = 10;
/// At most this many records named by one finding; the rest are counted in its text.
pub(crate) const MAX_RECORDS: usize = 5;

pub(crate) struct IndicatorDef {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Weight within the criterion; the scored weights of a criterion sum to 1.
    pub weight: f64,
}

pub(crate) const fn ind(key: &'static str, zh: &'static str, en: &'static str, weight: f64) -> IndicatorDef {
    IndicatorDef { key, zh, en, weight }
}

pub(crate) struct CriterionDef {
    pub criterion: Criterion,
    pub about_zh: &'static str,
    pub about_en: &'static str,
    pub indicators: &'static [IndicatorDef],
}

impl CriterionDef {
    /// The prose description followed by the formula, generated from the indicator table.
    pub(super) fn description(&self) -> Text {
        let terms: Vec<String> =
            self.indicators.iter().filter(|i| i.weight > 0.0).map(|i| format!("{:.2}·{}", i.weight, i.key)).collect();
        let formula = terms.join(" + ");
        Text {
            zh: format!("{}得分 = 100 × ({formula}),各项按 docs/scoring.md 折算为 0–1。", self.about_zh),
            en: format!(
                "{} Score = 100 × ({formula}), each term credited 0–1 as docs/scoring.md defines.",
                self.about_en
            ),
        }
    }

    pub(super) fn indicator_names(&self) -> Vec<(String, Text)> {
        self.indicators.iter().map(|i| (i.key.to_string(), text(i.zh, i.en))).collect()
    }
}

impl Criterion {
    /// The key used in `weights.toml`, e.g. `boundary_clarity`.
    pub fn key(self) -> &'static str {
        match self {
            Criterion::BoundaryClarity => "boundary_clarity",
            Criterion::ResponsibilityListing => "responsibility_listing",
            Criterion::GoalPrecision => "goal_precision",
            Criterion::PathDiversity => "path_diversity",
            Criterion::GovernmentRole => "government_role",
            Criterion::SocialAutonomy => "social_autonomy",
            Criterion::CommunityAwareness => "community_awareness",
            Criterion::CoordinatedGovernance => "coordinated_governance",
        }
    }

    /// The paper's name of the criterion, with an English twin.
    pub fn name(self) -> Text {
        let (zh, en) = match self {
            Criterion::BoundaryClarity => ("帮扶边界清晰化", "Clear boundaries of assistance"),
            Criterion::ResponsibilityListing => ("帮扶责任清单化", "Listed responsibilities of assistance"),
            Criterion::GoalPrecision => ("帮扶目标精准化", "Precise goals of assistance"),
            Criterion::PathDiversity => ("帮扶路径多元化", "Diverse paths of assistance"),
            Criterion::GovernmentRole => ("合理界定政府职能", "Well-defined government functions"),
            Criterion::SocialAutonomy => ("扩大社会自主性", "Wider social autonomy"),
            Criterion::CommunityAwareness => ("强化共同体意识", "Stronger community awareness"),
            Criterion::CoordinatedGovernance => ("走向协同治理", "Towards coordinated governance"),
        };
        text(zh, en)
    }
}

pub(crate) fn text(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text { zh: zh.into(), en: en.into() }
}

/// A criterion's working sheet: one (value, credit) per indicator, in table order.
pub(crate) struct Sheet {
    def: &'static CriterionDef,
    /// Findings and recommendations are not wanted: callers skip building them (`loud`).
    quiet: bool,
    parts: Vec<(f64, f64)>,
    findings: Vec<Finding>,
    recommendations: Vec<Text>,
}

impl Sheet {
    /// A sheet for `def`; `quiet` leaves findings and recommendations out (a re-run of the model
    /// that needs the score alone).
    pub(super) fn new(def: &'static CriterionDef, quiet: bool) -> Self {
        Sheet {
            def,
            quiet,
            parts: Vec::with_capacity(def.indicators.len()),
            findings: Vec::new(),
            recommendations: Vec::new(),
        }
    }

    /// Whether findings and recommendations are wanted; criteria build their texts only then.
    pub(super) fn loud(&self) -> bool {
        !self.quiet
    }

    /// Records the next indicator: its shown value and its credit (0..=1; ignored for context).
    pub(super) fn part(&mut self, key: &str, value: f64, credit: f64) {
        debug_assert_eq!(
            self.def.indicators.get(self.parts.len()).map(|i| i.key),
            Some(key),
            "indicators must be recorded in table order"
        );
        let credit = if credit.is_finite() { credit.clamp(0.0, 1.0) } else { 0.0 };
        self.parts.push((value, credit));
    }

    pub(super) fn find(&mut self, zh: impl Into<String>, en: impl Into<String>, records: Vec<String>) {
        if self.findings.len() < MAX_FINDINGS {
            self.findings.push(Finding { text: text(zh, en), records });
        }
    }

    /// A finding about a sample of records: names the first few and counts the rest.
    pub(super) fn find_sample<K: Ord + Copy>(
        &mut self,
        zh: impl Into<String>,
        en: impl Into<String>,
        sample: &Sample<K>,
        name: impl Fn(K) -> String,
    ) {
        let (mut zh, mut en) = (zh.into(), en.into());
        let rest = sample.rest();
        if rest > 0 {
            zh.push_str(&format!("(另有 {rest} 项未列出)"));
            en.push_str(&format!(" ({rest} more not listed)"));
        }
        let records = sample.keep.iter().map(|k| name(*k)).collect();
        self.find(zh, en, records);
    }

    pub(super) fn recommend(&mut self, zh: impl Into<String>, en: impl Into<String>) {
        self.recommendations.push(text(zh, en));
    }

    /// The unrounded (snapped) score.
    pub(super) fn score(&self) -> f64 {
        let sum: f64 = self.def.indicators.iter().zip(&self.parts).map(|(i, (_, credit))| i.weight * credit).sum();
        snap(100.0 * sum)
    }

    /// The indicator values as shown, in table order.
    #[cfg(test)]
    pub(super) fn values(&self) -> Vec<f64> {
        self.parts.iter().map(|(v, _)| indicator_value(*v)).collect()
    }

    pub(super) fn criterion(&self) -> Criterion {
        self.def.criterion
    }

    pub(super) fn finish(self, weight: f64, shown_score: f64) -> CriterionScore {
        let indicators = self
            .def
            .indicators
            .iter()
            .zip(&self.parts)
            .map(|(i, (value, _))| Indicator {
                key: i.key.to_string(),
                name: text(i.zh, i.en),
                value: indicator_value(*value),
            })
            .collect();
        CriterionScore {
            criterion: self.def.criterion,
            score: shown_score,
            weight,
            indicators,
            findings: self.findings,
            recommendations: self.recommendations,
        }
    }
}

/// The smallest few keys pushed, kept sorted, and how many were pushed: O(n) for n records, so a
/// pairing with thousands of activities still yields a short finding.
pub(crate) struct Sample<K> {
    total: usize,
    keep: Vec<K>,
}

impl<K: Ord + Copy> Sample<K> {
    pub(super) fn new() -> Self {
        Sample { total: 0, keep: Vec::with_capacity(MAX_RECORDS) }
    }

    pub(super) fn push(&mut self, key: K) {
        self.total += 1;
        if self.keep.len() == MAX_RECORDS && self.keep.last().is_some_and(|last| key >= *last) {
            return;
        }
        let at = self.keep.partition_point(|k| *k < key);
        if self.keep.get(at) == Some(&key) {
            return;
        }
        self.keep.insert(at, key);
        self.keep.truncate(MAX_RECORDS);
    }

    pub(super) fn total(&self) -> usize {
        self.total
    }

    pub(super) fn is_empty(&self) -> bool {
        self.total == 0
    }

    fn rest(&self) -> usize {
        self.total.saturating_sub(self.keep.len())
    }
}

/// `part / whole`, or 0 when there is nothing to divide.
pub(crate) fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// A share as a percentage with one decimal, for finding texts.
pub(crate) fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// Fen as 万元 with two decimals, for finding texts (1 万元 = 1,000,000 fen).
pub(crate) fn wan_yuan(fen: i128) -> String {
    let hundredths = (fen + 5_000) / 10_000;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Fen as whole yuan with thousands separators, for English finding texts.
pub(crate) fn yuan(fen: i128) -> String {
    let digits = ((fen + 50) / 100).to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("CNY {out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_keeps_the_smallest_keys_and_counts_all() {
        let mut s = Sample::new();
        for k in [9, 3, 7, 1, 8, 2, 6, 3] {
            s.push(k);
        }
        assert_eq!(s.keep, [1, 2, 3, 6, 7]);
        assert_eq!(s.total(), 8);
        assert_eq!(s.rest(), 3);
    }

    #[test]
    fn money_prints_in_wan_yuan() {
        assert_eq!(wan_yuan(200_000_000), "200.00");
        assert_eq!(wan_yuan(1_234_567), "1.23");
        assert_eq!(wan_yuan(0), "0.00");
        assert_eq!(yuan(200_000_000), "CNY 2,000,000");
        assert_eq!(yuan(12_345), "CNY 123");
        assert_eq!(yuan(0), "CNY 0");
    }
}
