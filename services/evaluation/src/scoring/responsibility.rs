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
    let mut s = Sheet::new(&DEF);
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
        s.find(zh, en, vec![f.agreement_record()]);
        s.recommend(
            format!("{REC}:年度协议分别给东部和西部定出量化目标,形成东西双方的责任清单"),
            format!("{REC_EN}: let the annual agreement set quantified targets for both the east and the west"),
        );
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
        s.find("没有列出任何帮扶责任", "No responsibilities are listed", vec![f.name.clone()]);
        s.recommend(
            format!("{REC}:为东西双方和每个参与方列出责任清单,写明事项和完成时限"),
            format!("{REC_EN}: list duties with due dates for the east, the west and every participant"),
        );
        return s;
    }
    if !without.is_empty() {
        s.find_sample(
            format!("{} 个主体没有列入清单的责任", without.total()),
            format!("Core parties without a listed responsibility: {}", without.total()),
            &without,
            actor_record,
        );
        s.recommend(
            format!("{REC}:为每个参与方至少列出一项本方承担的责任"),
            format!("{REC_EN}: give every participant at least one duty of its own"),
        );
    }
    if !incomplete.is_empty() {
        s.find_sample(
            format!("{} 项责任缺少主体、事项或完成时限", incomplete.total()),
            format!("Responsibilities lacking a party, a duty or a due date: {}", incomplete.total()),
            &incomplete,
            record,
        );
        s.recommend(
            format!("{REC}:每项责任写明承担主体、具体事项和完成时限"),
            format!("{REC_EN}: give every responsibility its party, duty and due date"),
        );
    }
    s.find(
        format!("已完成 {done}/{total} 项责任({})", pct(done_share)),
        format!("Responsibilities done: {done} of {total} ({})", pct(done_share)),
        vec![f.name.clone()],
    );
    if !overdue.is_empty() {
        s.find_sample(
            format!("截至 {} 有 {} 项责任逾期未完成", f.as_of, overdue.total()),
            format!("Responsibilities past due and not done as of {}: {}", f.as_of, overdue.total()),
            &overdue,
            record,
        );
        s.recommend(
            format!("{REC}:督促逾期责任按期办结,并如实更新完成状态"),
            format!("{REC_EN}: close the overdue duties and keep their status up to date"),
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;

    #[test]
    fn table() {
        let rows = [
            Row { name: "none listed", build: |_| {}, values: [0.0, 0.0, 0.0, 0.0, 0.0], score: 0.0 },
            Row {
                name: "one party of two, complete, open and not yet due",
                build: |s| {
                    s.responsibility("r1", "js", "拨付资金", Some(date(2026, 3, 1)), false);
                },
                // core js, sn: 1/2; complete 1/1; done 0; overdue 0 → on time 1.
                values: [0.5, 1.0, 0.0, 0.0, 1.0],
                score: 70.0,
            },
            Row {
                name: "due today is not overdue; yesterday is",
                build: |s| {
                    s.responsibility("r1", "js", "拨付资金", Some(as_of()), false);
                    s.responsibility("r2", "sn", "组织实施", Some(date(2025, 12, 30)), false);
                    s.responsibility("r3", "sn", "报告进展", None, true);
                    s.responsibility("r4", "sn", "培训", Some(date(2025, 1, 1)), true);
                },
                // covered 2/2; complete 3/4; done 2/4; overdue 1 → on time 3/4.
                values: [1.0, 0.75, 0.5, 1.0, 4.0],
                // 100 × (0.3 + 0.3·0.75 + 0.15·0.5 + 0.25·0.75) = 78.75
                score: 78.75,
            },
        ];
        check_rows(&rows, score);
    }

    #[test]
    fn marking_an_overdue_duty_done_raises_the_score() {
        let mut snap = Snap::bare();
        snap.responsibility("r1", "js", "拨付资金", Some(date(2025, 6, 1)), false);
        snap.responsibility("r2", "sn", "组织实施", Some(date(2026, 6, 1)), false);
        let before = score(&snap.facts_at(as_of())).score();
        snap.mark_done("r1");
        let after = score(&snap.facts_at(as_of())).score();
        // 0.3 + 0.3 + 0.15·0 + 0.25·0.5 = 72.5 → 0.3 + 0.3 + 0.15·0.5 + 0.25 = 92.5
        assert_eq!((before, after), (72.5, 92.5));
    }
}
