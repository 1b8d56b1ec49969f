//! RESPONSIBILITY_LISTING (帮扶责任清单化): does each side hold targets of the year's agreement,
//! does every party have listed duties, is each duty complete (party, duty, due date), and are they
//! being done on time?
//!
//! An agreement's targets, each held by a side, are the official responsibility list (年度协议
//! 目标任务); the pairing's own duties are the finer list beneath it.

use eastwest_domain::ResponsibilityStatus;

use super::criteria::{CriterionDef, Sample, Sheet, ind, pct, share};
use super::facts::{Facts, actor_record};
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::ResponsibilityListing,
    about_zh: "年度协议是否给东西两侧都定了目标;东西双方和各参与方是否都有列入清单的责任;\
               每项责任是否写明主体、事项和完成时限;已完成的比例;逾期未完成的责任扣分。",
    about_en: "Whether the year's agreement gives targets to both the east and the west; whether \
               the east, the west and every participant have listed responsibilities; whether each \
               names its party, duty and due date; the share done; open responsibilities past \
               their due date count against.",
    indicators: &[
        ind("sides_with_targets", "有协议目标的东西侧数", "Sides holding agreement targets (0–2)", 0.30),
        ind(
            "parties_with_responsibilities",
            "有责任清单的主体占比",
            "Share of core parties with a listed responsibility",
            0.20,
        ),
        ind(
            "responsibilities_complete",
            "要素齐全的责任占比",
            "Share of responsibilities with party, duty and due date",
            0.20,
        ),
        ind("responsibilities_done", "已完成责任占比", "Share of responsibilities done", 0.10),
        ind("responsibilities_overdue", "逾期未完成责任数", "Responsibilities overdue", 0.20),
        ind("responsibilities", "责任总数", "Responsibilities listed", 0.0),
    ],
};

const REC: &str = "推进帮扶责任清单化";
const REC_EN: &str = "List the responsibilities of assistance";

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF, f.quiet);
    let (east_t, west_t, _) = f.targets_by_side();
    let sides = usize::from(east_t > 0) + usize::from(west_t > 0);
    s.part("sides_with_targets", sides as f64, sides as f64 / 2.0);
    if sides < 2 {
        let (zh, en) = match (east_t > 0, west_t > 0, f.agreement.is_some()) {
            (_, _, false) => (
                "没有本年度协作协议,东西两侧都没有协议目标",
                "No agreement for the year, so neither side holds a target",
            ),
            (true, false, true) => ("年度协议只给东部定了目标", "The agreement sets targets for the east only"),
            (false, true, true) => ("年度协议只给西部定了目标", "The agreement sets targets for the west only"),
            _ => ("年度协议没有落到东部或西部的目标", "The agreement sets no target held by either side"),
        };
        if s.loud() {
            s.find(zh, en, vec![f.agreement_record()]);
        }
        if s.loud() {
            s.recommend(
                format!("{REC}:年度协议分别给东部和西部定出量化目标,形成东西双方的责任清单"),
                format!("{REC_EN}: let the annual agreement set quantified targets for both the east and the west"),
            );
        }
    }
    let list = &f.p.responsibilities;
    let total = list.len();

    let mut without = Sample::new();
    for a in &f.core {
        if !list.iter().any(|r| r.party == *a) {
            without.push(*a);
        }
    }
    let covered = share(f.core.len() - without.total(), f.core.len());
    s.part("parties_with_responsibilities", covered, covered);

    let mut incomplete = Sample::new();
    let mut done = 0;
    let mut overdue = Sample::new();
    for r in list {
        if r.party.trim().is_empty() || r.duty.trim().is_empty() || r.due_date.is_none() {
            incomplete.push(r.id.as_str());
        }
        match r.status {
            ResponsibilityStatus::Done => done += 1,
            ResponsibilityStatus::Open => {
                if r.due_date.is_some_and(|d| d < f.as_of) {
                    overdue.push(r.id.as_str());
                }
            }
        }
    }
    let complete = share(total - incomplete.total(), total);
    s.part("responsibilities_complete", complete, complete);
    let done_share = share(done, total);
    s.part("responsibilities_done", done_share, done_share);
    let on_time = if total == 0 { 0.0 } else { 1.0 - share(overdue.total(), total) };
    s.part("responsibilities_overdue", overdue.total() as f64, on_time);
    s.part("responsibilities", total as f64, 0.0);

    let record = |id: &str| f.responsibility_record(id);
    if total == 0 {
        if s.loud() {
            s.find("没有列出任何帮扶责任", "No responsibilities are listed", vec![f.name.clone()]);
        }
        if s.loud() {
            s.recommend(
                format!("{REC}:为东西双方和每个参与方列出责任清单,写明事项和完成时限"),
                format!("{REC_EN}: list duties with due dates for the east, the west and every participant"),
            );
        }
        return s;
    }
    if !without.is_empty() {
        if s.loud() {
            s.find_sample(
                format!("{} 个主体没有列入清单的责任", without.total()),
                format!("Core parties without a listed responsibility: {}", without.total()),
                &without,
                actor_record,
            );
        }
        if s.loud() {
            s.recommend(
                format!("{REC}:为每个参与方至少列出一项本方承担的责任"),
                format!("{REC_EN}: give every participant at least one duty of its own"),
            );
        }
    }
    if !incomplete.is_empty() {
        if s.loud() {
            s.find_sample(
                format!("{} 项责任缺少主体、事项或完成时限", incomplete.total()),
                format!("Responsibilities lacking a party, a duty or a due date: {}", incomplete.total()),
                &incomplete,
                record,
            );
        }
        if s.loud() {
            s.recommend(
                format!("{REC}:每项责任写明承担主体、具体事项和完成时限"),
                format!("{REC_EN}: give every responsibility its party, duty and due date"),
            );
        }
    }
    if s.loud() {
        s.find(
            format!("已完成 {done}/{total} 项责任({})", pct(done_share)),
            format!("Responsibilities done: {done} of {total} ({})", pct(done_share)),
            vec![f.name.clone()],
        );
    }
    if !overdue.is_empty() {
        if s.loud() {
            s.find_sample(
                format!("截至 {} 有 {} 项责任逾期未完成", f.as_of, overdue.total()),
                format!("Responsibilities past due and not done as of {}: {}", f.as_of, overdue.total()),
                &overdue,
                record,
            );
        }
        if s.loud() {
            s.recommend(
                format!("{REC}:督促逾期责任按期办结,并如实更新完成状态"),
                format!("{REC_EN}: close the overdue duties and keep their status up to date"),
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::ActorCategory::PrivateEnterprise;
    use eastwest_domain::Indicator::{Consumption, FiscalAid, LabourEmployed};
    use eastwest_domain::ParticipantRole::Implementing;

    #[test]
    fn targets_for_both_sides_and_complete_duties_half_done_and_none_overdue() {
        let mut s = Snap::bare();
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 100)]);
        s.responsibility("r1", "js", "拨付资金", Some(date(2025, 6, 30)), true);
        // Due on the evaluation date itself: not yet overdue.
        s.responsibility("r2", "sn", "组织劳务", Some(as_of()), false);
        let sheet = score(&s.facts_in(year_2025()));
        // Sides 2 → 1; core js, sn both hold a duty → 1; complete 2/2; done 1/2; overdue 0 → 1.
        // 100 × (0.30 + 0.20 + 0.20 + 0.10·½ + 0.20) = 95
        assert_values(&sheet, &[2.0, 1.0, 1.0, 0.5, 0.0, 2.0], "listed");
        assert_eq!(sheet.score(), 95.0);
    }

    #[test]
    fn one_sided_targets_an_uncovered_participant_and_incomplete_and_overdue_duties_are_named() {
        let mut s = Snap::bare();
        s.actor("ent", PrivateEnterprise, EAST).participant("ent", &[Implementing]);
        // The unsided target holds no side.
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (Consumption, None, 50)]);
        s.responsibility("r1", "js", "拨付资金", Some(date(2025, 6, 30)), false)
            .responsibility("r2", "sn", " ", Some(date(2026, 1, 31)), false)
            .responsibility("r3", "js", "培训", None, true);
        let sheet = score(&s.facts_in(year_2025()));
        // Sides: east only → ½. Core js, sn, ent; ent holds no duty → 2/3. Complete: r1 only
        // (r2 has a blank duty, r3 no due date) → 1/3. Done: r3 → 1/3. Overdue: r1 (due 30 June,
        // open) → 1, credit 1 − 1/3.
        // 100 × (0.30·½ + 0.20·⅔ + 0.20·⅓ + 0.10·⅓ + 0.20·⅔) = 15 + 13.33 + 6.67 + 3.33 + 13.33
        assert_values(&sheet, &[1.0, 0.6667, 0.3333, 0.3333, 1.0, 3.0], "muddled");
        assert_eq!(sheet.score(), 51.666667);
        let findings = sheet.finish(0.1, 0.0).findings;
        let named =
            |en: &str, records: &[&str]| findings.iter().any(|x| x.text.en.starts_with(en) && x.records == records);
        assert!(named("The agreement sets targets for the east only", &["pairings/js-sn/agreements/2025"]));
        assert!(named("Core parties without a listed responsibility: 1", &["actors/ent"]));
        assert!(named(
            "Responsibilities lacking a party, a duty or a due date: 2",
            &["pairings/js-sn#responsibilities/r2", "pairings/js-sn#responsibilities/r3"]
        ));
        assert!(named("Responsibilities past due and not done", &["pairings/js-sn#responsibilities/r1"]));
    }

    #[test]
    fn marking_an_overdue_duty_done_raises_the_score_by_three_tenths_over_the_total() {
        let mut s = Snap::bare();
        s.responsibility("r1", "js", "拨付资金", Some(date(2025, 6, 1)), false);
        s.responsibility("r2", "sn", "组织实施", Some(date(2026, 6, 1)), false);
        let before = score(&s.facts_at(as_of())).score();
        s.mark_done("r1");
        let after = score(&s.facts_at(as_of())).score();
        // No year, no targets. Before: 0.20 + 0.20 + 0.10·0 + 0.20·½ = 50.
        // After: 0.20 + 0.20 + 0.10·½ + 0.20·1 = 65, a rise of 100 × (0.10 + 0.20) / 2.
        assert_eq!((before, after), (50.0, 65.0));
    }

    #[test]
    fn dropping_the_due_date_of_an_overdue_duty_does_not_raise_the_score() {
        let mut s = Snap::bare();
        s.responsibility("r1", "js", "拨付资金", Some(date(2025, 6, 1)), false);
        s.responsibility("r2", "sn", "组织实施", Some(date(2026, 6, 1)), false);
        let before = score(&s.facts_at(as_of())).score();
        s.p().responsibilities[0].due_date = None;
        let after = score(&s.facts_at(as_of()));
        // r1 is no longer overdue (on time 1/2 → 1, +0.20·½) but no longer complete
        // (1 → 1/2, −0.20·½): 50 either way.
        assert_values(&after, &[0.0, 1.0, 0.5, 0.0, 0.0, 2.0], "undated");
        assert_eq!((before, after.score()), (50.0, 50.0));
    }

    #[test]
    fn a_zero_valued_target_does_not_give_the_west_a_responsibility() {
        let mut s = Snap::bare();
        s.responsibility("r1", "js", "拨付资金", Some(date(2026, 6, 1)), false);
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100)]);
        let before = score(&s.facts_in(year_2025()));
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 0)]);
        let after = score(&s.facts_in(year_2025()));
        // East only either way: 100 × (0.30·½ + 0.20·½ + 0.20 + 0 + 0.20) = 65.
        assert_eq!((before.values()[0], after.values()[0]), (1.0, 1.0));
        assert_eq!((before.score(), after.score()), (65.0, 65.0));
    }
}
