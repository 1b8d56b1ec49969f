//! GOAL_PRECISION (帮扶目标精准化): does the year's agreement set quantified targets across the
//! official families, at least as high as what was already done last year, and aimed at the people
//! 精准 means (脱贫劳动力)? Is every goal of the pairing measurable and aimed at someone: indicator,
//! unit, baseline, target, due date and a named beneficiary group?
//!
//! Ambition is judged against last year's actual, which the pairing cannot change this year: a
//! target back-filled below what was delivered last year earns nothing here, and effectiveness
//! holds it to last year's figure anyway.
//!
//! Attainment (actual against target, capped at 120%) is computed and reported, but it is context,
//! not score: scoring it would let an honest, fully specified goal that is falling short lower the
//! score, which rewards leaving hard goals out. Precision is what this criterion measures; a goal
//! missed is reported as a finding.

use std::collections::BTreeSet;

use eastwest_domain::{Goal, Indicator};

use super::criteria::{CriterionDef, Sample, Sheet, ind, pct, share};
use super::effect::Family;
use super::facts::Facts;
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::GoalPrecision,
    about_zh: "年度协议是否在各考核领域设定量化目标;目标是否不低于上年实际;是否瞄准脱贫劳动力等\
               重点人群;目标是否写明指标、单位、基线、目标值、完成时限和受益对象;完成度\
               (实际值/目标值,封顶 120%)作为参考列示,不计分。",
    about_en: "Whether the year's agreement sets quantified targets across the assessment's \
               families; whether they are no lower than last year's actuals; whether they aim at \
               the ex-poor and other priority groups; whether goals state their indicator, unit, \
               baseline, target, due date and beneficiary group; attainment (actual over target, \
               capped at 120%) is shown for reference and not scored.",
    indicators: &[
        ind("families_targeted", "设定协议目标的考核领域数", "Assessment families with agreement targets", 0.25),
        ind(
            "targets_not_below_last_year",
            "不低于上年实际的协议目标占比",
            "Share of agreement targets not below last year's actual",
            0.25,
        ),
        ind("priority_groups_targeted", "瞄准重点人群", "Aimed at priority groups (0–1)", 0.15),
        ind("goals_fully_specified", "要素齐全的目标占比", "Share of goals fully specified", 0.20),
        ind("goal_fields_present", "目标要素填写率", "Share of goal fields filled in", 0.15),
        ind("goals", "目标总数", "Goals", 0.0),
        ind("goal_attainment", "目标平均完成度", "Mean goal attainment (0–1.2)", 0.0),
        ind("goals_measured", "可计算完成度的目标数", "Goals with a measurable attainment", 0.0),
    ],
};

const REC: &str = "推进帮扶目标精准化";
const REC_EN: &str = "Make the goals of assistance precise";

/// The six fields of a precise goal, with their names for findings.
const FIELDS: [(&str, &str); 6] = [
    ("指标", "indicator"),
    ("单位", "unit"),
    ("基线值", "baseline"),
    ("目标值", "target"),
    ("完成时限", "due date"),
    ("受益对象", "beneficiary"),
];

fn fields(g: &Goal) -> [bool; 6] {
    let finite = |x: Option<f64>| x.is_some_and(f64::is_finite);
    [
        !g.indicator.trim().is_empty(),
        !g.unit.trim().is_empty(),
        finite(g.baseline),
        finite(g.target),
        g.due_date.is_some(),
        !g.beneficiary.trim().is_empty(),
    ]
}

/// Actual against target, clamped to 0..=1.2. A goal whose target lies below its baseline is a
/// goal to reduce something: progress is (baseline − actual) / (baseline − target). `None` when
/// the goal cannot be measured (no finite actual or target, or an increasing target of 0 or less).
pub(crate) fn attainment(g: &Goal) -> Option<f64> {
    let actual = g.actual.filter(|x| x.is_finite())?;
    let target = g.target.filter(|x| x.is_finite())?;
    let ratio = match g.baseline.filter(|x| x.is_finite()) {
        Some(base) if target < base => (base - actual) / (base - target),
        _ if target > 0.0 => actual / target,
        _ => return None,
    };
    ratio.is_finite().then(|| ratio.clamp(0.0, 1.2))
}

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF, f.quiet);
    agreement_targets(f, &mut s);
    let goals = &f.p.goals;
    let n = goals.len();
    let mut full = 0;
    let mut present = 0;
    let mut missing: [Sample<&str>; 6] = std::array::from_fn(|_| Sample::new());
    let mut attained = 0.0;
    let mut measured = 0;
    let mut missed = Sample::new();
    let mut unreported = Sample::new();
    for g in goals {
        let have = fields(g);
        let count = have.iter().filter(|x| **x).count();
        present += count;
        if count == FIELDS.len() {
            full += 1;
        }
        for (k, ok) in have.iter().enumerate() {
            if !ok && let Some(m) = missing.get_mut(k) {
                m.push(g.id.as_str());
            }
        }
        let due = g.due_date.is_some_and(|d| d <= f.as_of);
        match attainment(g) {
            Some(r) => {
                attained += r;
                measured += 1;
                if due && r < 1.0 {
                    missed.push(g.id.as_str());
                }
            }
            None => {
                if due && g.actual.is_none() {
                    unreported.push(g.id.as_str());
                }
            }
        }
    }
    let fully = share(full, n);
    s.part("goals_fully_specified", fully, fully);
    let filled = share(present, n * FIELDS.len());
    s.part("goal_fields_present", filled, filled);
    s.part("goals", n as f64, 0.0);
    let mean_attainment = if measured == 0 { 0.0 } else { attained / measured as f64 };
    s.part("goal_attainment", mean_attainment, 0.0);
    s.part("goals_measured", measured as f64, 0.0);

    let record = |id: &str| f.goal_record(id);
    let mut claimed = Sample::new();
    for g in goals {
        let met =
            matches!((g.actual, g.target), (Some(a), Some(t)) if a.is_finite() && t.is_finite() && t > 0.0 && a >= t);
        if met && !f.acts.iter().any(|x| x.a.form == g.form) {
            claimed.push(g.id.as_str());
        }
    }
    if !claimed.is_empty() && s.loud() {
        s.find_sample(
            format!("{} 个目标报告已达成,但评价期内没有该协作形式的活动记录作为依据", claimed.total()),
            format!("Goals reported met with no activity of their form in the period behind them: {}", claimed.total()),
            &claimed,
            record,
        );
    }
    if n == 0 {
        if s.loud() {
            s.find("没有设定任何帮扶目标", "No goals are set", vec![f.name.clone()]);
        }
        if s.loud() {
            s.recommend(
            format!("{REC}:按帮扶形式设定可量化的目标,写明指标、单位、基线、目标值、时限和受益对象"),
            format!(
                "{REC_EN}: set measurable goals per form of cooperation, each with indicator, unit, baseline, target, due date and beneficiary group"
            ),
        );
        }
        return s;
    }
    for ((zh, en), sample) in FIELDS.iter().zip(&missing) {
        if !sample.is_empty() && s.loud() {
            s.find_sample(
                format!("{} 个目标缺少{zh}", sample.total()),
                format!("Goals missing the {en}: {}", sample.total()),
                sample,
                record,
            );
        }
    }
    if full < n && s.loud() {
        s.recommend(
            format!("{REC}:补齐每个目标的指标、单位、基线、目标值、完成时限和受益对象"),
            format!("{REC_EN}: give every goal its indicator, unit, baseline, target, due date and beneficiary group"),
        );
    }
    if measured > 0 && s.loud() {
        s.find(
            format!("{measured} 个目标可计算完成度,平均完成度 {}(单个目标封顶 120%,不计分)", pct(mean_attainment)),
            format!(
                "Goals with a measurable attainment: {measured}; mean attainment {} (each capped at 120%; not scored)",
                pct(mean_attainment)
            ),
            vec![f.name.clone()],
        );
    }
    if !missed.is_empty() && s.loud() {
        s.find_sample(
            format!("{} 个已到期目标未达成", missed.total()),
            format!("Goals past their due date that fell short: {}", missed.total()),
            &missed,
            record,
        );
    }
    if !unreported.is_empty() {
        if s.loud() {
            s.find_sample(
                format!("{} 个已到期目标未报告实际值", unreported.total()),
                format!("Goals past their due date without an actual value: {}", unreported.total()),
                &unreported,
                record,
            );
        }
        if s.loud() {
            s.recommend(
                format!("{REC}:到期目标及时填报实际值,便于对照目标精准考核"),
                format!("{REC_EN}: report the actual value of every goal that has come due"),
            );
        }
    }
    s
}

/// The agreement's targets: families covered, ambition against last year, priority groups.
fn agreement_targets(f: &Facts, s: &mut Sheet) {
    let targets: Vec<_> =
        f.agreement.map_or(&[][..], |a| a.targets.as_slice()).iter().filter(|t| t.value > 0).collect();
    let families: BTreeSet<Family> = targets.iter().map(|t| Family::of(t.indicator)).collect();
    s.part("families_targeted", families.len() as f64, families.len() as f64 / 4.0);
    let mut low = Sample::new();
    for t in &targets {
        let last = f.last.total(t.indicator, t.side);
        if i128::from(t.value) < last {
            low.push((t.indicator, t.side));
        }
    }
    let ambitious = share(targets.len() - low.total(), targets.len());
    s.part("targets_not_below_last_year", ambitious, ambitious);
    let ex_poor = targets.iter().any(|t| t.indicator == Indicator::ExPoorEmployed);
    let named = f.p.goals.iter().any(|g| !g.beneficiary.trim().is_empty());
    let priority = if ex_poor {
        1.0
    } else if named {
        0.5
    } else {
        0.0
    };
    s.part("priority_groups_targeted", priority, priority);

    let agreement = || vec![f.agreement_record()];
    if f.agreement.is_some() && targets.is_empty() && s.loud() {
        s.find("年度协议没有设定大于 0 的目标", "The year's agreement sets no target above 0", agreement());
    }
    if !targets.is_empty() && families.len() < 4 {
        let (zh, en): (Vec<&str>, Vec<&str>) = families.iter().map(|x| x.names()).unzip();
        if s.loud() {
            s.find(
                format!("年度协议只在 {} 个考核领域设定目标:{}", families.len(), zh.join("、")),
                format!("The agreement sets targets in {} families only: {}", families.len(), en.join(", ")),
                agreement(),
            );
        }
    }
    if !low.is_empty() {
        if s.loud() {
            s.find_sample(
                format!("{} 项协议目标低于上年实际", low.total()),
                format!("Agreement targets below last year's actual: {}", low.total()),
                &low,
                |(i, side)| format!("{}#targets/{}", f.agreement_record(), super::ledger::target_key(i, side)),
            );
        }
        if s.loud() {
            s.recommend(
                format!("{REC}:协议目标不低于上年实际完成数,体现\"只增不减\""),
                format!("{REC_EN}: set targets no lower than last year's actuals"),
            );
        }
    }
    if !ex_poor && s.loud() {
        s.recommend(
            format!("{REC}:在年度协议中设定帮助脱贫劳动力就业的目标,把帮扶精准到人"),
            format!("{REC_EN}: set a target for ex-poor workers employed, so that help reaches the people it is for"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::CooperationForm;
    use eastwest_domain::Indicator::{Consumption, ExPoorEmployed, FiscalAid, LabourEmployed, SocialDonations};

    #[test]
    fn attainment_reads_direction_from_baseline_and_target() {
        let g = |baseline, target, actual| Goal {
            baseline,
            target,
            actual,
            ..full_goal("g", CooperationForm::Employment, "sn")
        };
        let table = [
            (Some(0.0), Some(5000.0), Some(5400.0), Some(1.08)),
            (None, Some(100.0), Some(300.0), Some(1.2)),
            // Reduce a rate from 10 to 4; now at 7: (10 − 7) / (10 − 4) = 0.5.
            (Some(10.0), Some(4.0), Some(7.0), Some(0.5)),
            (Some(10.0), Some(4.0), Some(12.0), Some(0.0)),
            (None, Some(0.0), Some(3.0), None),
            (Some(1.0), Some(2.0), None, None),
            (Some(1.0), Some(f64::NAN), Some(1.0), None),
        ];
        for (baseline, target, actual, want) in table {
            let got = attainment(&g(baseline, target, actual));
            assert_eq!(got.map(|x| (x * 1e9).round() / 1e9), want, "{baseline:?} {target:?} {actual:?}");
        }
    }

    /// Last year (2024): js delivered 100 of fiscal aid, sn employed 300 workers.
    fn with_last_year() -> Snap {
        let mut s = Snap::bare();
        s.deliver("aid-2024", "js", date(2024, 5, 1), &[(FiscalAid, 100)]);
        s.deliver("jobs-2024", "sn", date(2024, 6, 1), &[(LabourEmployed, 300)]);
        s
    }

    #[test]
    fn targets_in_four_families_at_or_above_last_year_aimed_at_the_ex_poor_with_a_full_goal_score_full() {
        let mut s = with_last_year();
        s.agreement(
            2025,
            None,
            &[
                (FiscalAid, Some(EAST), 120),
                (LabourEmployed, Some(WEST), 300),
                (ExPoorEmployed, Some(WEST), 100),
                (Consumption, None, 50),
                (SocialDonations, Some(EAST), 10),
            ],
        );
        s.goal(full_goal("jobs", CooperationForm::Employment, "sn"));
        let sheet = score(&s.facts_in(year_2025()));
        // Families funding, labour, consumption, social → 4, credit 1. Every target is at least
        // last year's actual of its indicator and side (120 ≥ 100, 300 ≥ 300, the rest ≥ 0) → 1.
        // An ex-poor target → 1. One goal with all six fields → 1 and 1.
        // Context: 1 goal, attainment 5400 / 5000 = 1.08, 1 measured.
        assert_values(&sheet, &[4.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.08, 1.0], "precise");
        assert_eq!(sheet.score(), 100.0);
    }

    #[test]
    fn a_target_below_last_year_two_families_and_a_half_specified_goal() {
        let mut s = with_last_year();
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 250)]);
        s.goal(full_goal("jobs", CooperationForm::Employment, "sn"));
        s.goal(Goal {
            baseline: None,
            due_date: None,
            actual: None,
            ..full_goal("parks", CooperationForm::Industry, "js")
        });
        let sheet = score(&s.facts_in(year_2025()));
        // Families funding, labour → 2, credit ½. Labour 250 < last year's 300 → 1 of 2 low → ½.
        // No ex-poor target, but goals name their beneficiaries → ½. Goals: jobs full, parks
        // lacks baseline and due date → ½; fields (6 + 4) / 12. Attainment: jobs only, 1.08.
        // 100 × (0.25·½ + 0.25·½ + 0.15·½ + 0.20·½ + 0.15·10/12) = 12.5 + 12.5 + 7.5 + 10 + 12.5
        assert_values(&sheet, &[2.0, 0.5, 0.5, 0.5, 0.8333, 2.0, 1.08, 1.0], "low");
        assert_eq!(sheet.score(), 55.0);
        let findings = sheet.finish(0.1, 0.0).findings;
        assert!(findings.iter().any(|x| x.text.en == "Agreement targets below last year's actual: 1"
            && x.records == ["pairings/js-sn/agreements/2025#targets/labour_employed:west"]));
        assert!(
            findings
                .iter()
                .any(|x| x.text.en == "Goals missing the baseline: 1" && x.records == ["pairings/js-sn#goals/parks"])
        );
    }

    #[test]
    fn a_missed_goal_scores_the_same_as_a_met_one_and_is_named() {
        let mut met = Snap::bare();
        met.goal(full_goal("jobs", CooperationForm::Employment, "sn"));
        let mut missed = Snap::bare();
        missed.goal(Goal { actual: Some(100.0), ..full_goal("jobs", CooperationForm::Employment, "sn") });
        let (met, missed) = (score(&met.facts_at(as_of())), score(&missed.facts_at(as_of())));
        // No agreement; a named beneficiary → ½; one full goal.
        // 100 × (0.15·½ + 0.20 + 0.15) = 42.5 whether 5,400 or 100 of 5,000 jobs were reached.
        assert_eq!((met.score(), missed.score()), (42.5, 42.5));
        assert_eq!(missed.values()[6], 0.02);
        let out = missed.finish(0.15, 42.5);
        assert!(
            out.findings.iter().any(|x| x.records == ["pairings/js-sn#goals/jobs"] && x.text.en.contains("fell short"))
        );
    }

    #[test]
    fn back_filling_a_target_below_last_year_scores_lower_than_setting_it_at_last_year() {
        let mut s = with_last_year();
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100)]);
        let alone = score(&s.facts_in(year_2025())).score();
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 200)]);
        let below = score(&s.facts_in(year_2025())).score();
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 300)]);
        let matched = score(&s.facts_in(year_2025())).score();
        // Funding alone: 100 × (0.25·¼ + 0.25·1) = 31.25.
        // With labour at 200 < 300: 100 × (0.25·½ + 0.25·½) = 25: the second family does not pay
        // for the low target. At 300: 100 × (0.25·½ + 0.25·1) = 37.5.
        assert_eq!((alone, below, matched), (31.25, 25.0, 37.5));
    }

    #[test]
    fn zero_valued_targets_count_neither_as_families_nor_as_aiming_at_the_ex_poor() {
        let mut s = with_last_year();
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100)]);
        let before = score(&s.facts_in(year_2025()));
        s.agreement(
            2025,
            None,
            &[
                (FiscalAid, Some(EAST), 100),
                (ExPoorEmployed, Some(WEST), 0),
                (Consumption, None, 0),
                (SocialDonations, None, 0),
            ],
        );
        let after = score(&s.facts_in(year_2025()));
        // One family, ambitious, no priority group: 31.25 either way.
        assert_eq!((&after.values()[..3], after.score()), (&[1.0, 1.0, 0.0][..], 31.25));
        assert_eq!(before.score(), after.score());
    }
}
