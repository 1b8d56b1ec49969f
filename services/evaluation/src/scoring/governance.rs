//! COORDINATED_GOVERNANCE (走向协同治理): is the pairing run together: many kinds of actors on
//! both sides, a year's agreement in which both sides take on targets, both sides delivering, and
//! goals that both sides answer for?
//!
//! The year's agreement is the joint decision that Ansell & Gash put at the core of collaborative
//! governance; model 2026.2 credited any record labelled JOINT_MEETING each half-year instead, which
//! logging a phone call satisfied. Joint meetings are still counted and shown, not scored.

use std::collections::BTreeSet;

use eastwest_domain::{ActivityKind, Indicator, Side};

use super::criteria::{CriterionDef, Sample, Sheet, ind, pct, share};
use super::facts::{Facts, activity_record, category_index};
use super::reach::best_reach;
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::CoordinatedGovernance,
    about_zh: "参与主体覆盖的(东西部 × 主体类别)组合数(四种即满分);本年度协作协议是否让东西双方\
               都承担目标;东西双方是否都有成规模的实绩(取两侧中较小者);有责任主体的目标占比;\
               目标责任主体是否覆盖东西两侧。联席会议次数列示,不计分。",
    about_en: "How many (side × category) combinations the parties cover (full marks at four); \
               whether the year's agreement has both sides take on targets; whether both sides \
               deliver at scale (the smaller side counts); the share of goals with a responsible \
               party; whether goals have responsible parties on both sides. Joint meetings are \
               counted and shown, not scored.",
    indicators: &[
        ind("actor_breadth", "参与主体的东西部×类别组合数", "Side × category combinations among parties", 0.25),
        ind("agreement_both_sides", "东西双方共同承担协议目标", "Agreement targets taken on by both sides (0–1)", 0.30),
        ind("both_sides_deliver", "东西双方实绩规模(较小者)", "Reach of the smaller side's delivery", 0.15),
        ind("goals_with_responsible", "有责任主体的目标占比", "Share of goals with a responsible party", 0.15),
        ind("goal_sides_responsible", "目标责任主体覆盖的东西侧数", "Sides holding goal responsibility (0–2)", 0.15),
        ind("joint_meetings", "联席会议次数", "Joint meetings", 0.0),
    ],
};

const REC: &str = "走向协同治理";
const REC_EN: &str = "Move towards coordinated governance";

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF);
    let combos: BTreeSet<(Side, usize)> =
        f.parties.iter().filter_map(|a| Some((f.side(a)?, category_index(f.category(a)?)))).collect();
    let breadth = combos.len();
    s.part("actor_breadth", breadth as f64, (breadth as f64 / 4.0).min(1.0));

    let (east_t, west_t, all_t) = f.targets_by_side();
    let both = match f.agreement {
        Some(_) if east_t > 0 && west_t > 0 => 1.0,
        Some(_) if all_t > 0 => 0.5,
        Some(_) | None => 0.0,
    };
    s.part("agreement_both_sides", both, both);
    let east = best_reach(&f.ledger, &Indicator::ALL, Some(Side::East), f.level());
    let west = best_reach(&f.ledger, &Indicator::ALL, Some(Side::West), f.level());
    let delivered = east.min(west);
    s.part("both_sides_deliver", delivered, delivered);

    let goals = &f.p.goals;
    let mut unowned = Sample::new();
    let (mut goal_east, mut goal_west) = (false, false);
    for g in goals {
        match g.responsible.as_deref().and_then(|a| f.side(a)) {
            Some(Side::East) => goal_east = true,
            Some(Side::West) => goal_west = true,
            None => unowned.push(g.id.as_str()),
        }
    }
    let owned = share(goals.len() - unowned.total(), goals.len());
    s.part("goals_with_responsible", owned, owned);
    let sides = usize::from(goal_east) + usize::from(goal_west);
    s.part("goal_sides_responsible", sides as f64, sides as f64 / 2.0);
    let mut meetings = Sample::new();
    for x in &f.acts {
        if x.a.kind == ActivityKind::JointMeeting {
            meetings.push(x.key());
        }
    }
    s.part("joint_meetings", meetings.total() as f64, 0.0);

    let pairing = || vec![f.name.clone()];
    let east_n = combos.iter().filter(|(side, _)| *side == Side::East).count();
    s.find(
        format!("参与主体覆盖 {breadth} 种东西部×类别组合(东部 {east_n} 种,西部 {} 种)", breadth - east_n),
        format!("Parties cover {breadth} side × category combinations ({east_n} east, {} west)", breadth - east_n),
        pairing(),
    );
    if breadth < 4 {
        s.recommend(
            format!("{REC}:东西两侧都吸纳政府以外的多类主体,形成多元协作网络"),
            format!("{REC_EN}: bring several kinds of actors beyond government into the pairing on both sides"),
        );
    }
    if both < 1.0 {
        s.recommend(
            format!("{REC}:东西双方共同商定年度协作协议,各自承担量化目标"),
            format!("{REC_EN}: agree the year's agreement together, with quantified targets for each side"),
        );
    }
    s.find(
        format!("实绩规模:东部 {},西部 {}", pct(east), pct(west)),
        format!("Reach of delivery: east {}, west {}", pct(east), pct(west)),
        pairing(),
    );
    if !meetings.is_empty() {
        s.find_sample(
            format!("评价期内召开 {} 次联席会议(列示,不计分)", meetings.total()),
            format!("Joint meetings in the period (shown, not scored): {}", meetings.total()),
            &meetings,
            activity_record,
        );
    }
    if goals.is_empty() {
        s.find(
            "没有设定目标,也就没有共同目标的责任主体",
            "No goals are set, so no shared goal has a responsible party",
            pairing(),
        );
    } else if !unowned.is_empty() {
        s.find_sample(
            format!("{} 个目标没有明确的责任主体", unowned.total()),
            format!("Goals without a known responsible party: {}", unowned.total()),
            &unowned,
            |id| f.goal_record(id),
        );
    }
    if !goals.is_empty() && sides < 2 {
        let (zh, en) = match (goal_east, goal_west) {
            (true, false) => ("目标责任只由东部主体承担", "Only eastern parties answer for goals"),
            (false, true) => ("目标责任只由西部主体承担", "Only western parties answer for goals"),
            _ => ("没有主体对目标负责", "No party answers for any goal"),
        };
        s.find(zh, en, pairing());
    }
    if owned < 1.0 || sides < 2 {
        s.recommend(
            format!("{REC}:每个目标明确责任主体,东西双方共同承担目标责任"),
            format!("{REC_EN}: give every goal a responsible party, with both sides answering for goals"),
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::ActivityKind as K;
    use eastwest_domain::{ActorCategory::*, CooperationForm::*, FlowDirection::*, Goal};

    #[test]
    fn table() {
        let rows = [
            Row {
                name: "two government bodies, nothing else",
                build: |_| {},
                // (east, government), (west, government).
                values: [2.0, 0.0, 0.0, 0.0, 0.0],
                score: 15.0,
            },
            Row {
                name: "meetings in two of four half-years, goals owned on one side",
                build: |s| {
                    s.start(date(2024, 1, 1));
                    s.actor("ent", PrivateEnterprise, EAST);
                    s.actor("so", SocialOrganization, WEST);
                    s.responsibility("r1", "ent", "投资", None, false);
                    s.responsibility("r2", "so", "志愿服务", None, false);
                    s.activity("m1", "js", Other, K::JointMeeting, Joint, date(2024, 3, 1), 0);
                    s.activity("m2", "sn", Other, K::JointMeeting, Joint, date(2024, 4, 1), 0);
                    s.activity("m3", "sn", Other, K::JointMeeting, Joint, date(2025, 9, 1), 0);
                    s.goal(full_goal("jobs", Employment, "sn"));
                    s.goal(Goal { responsible: None, ..full_goal("sales", Consumption, "js") });
                },
                // combos 4; half-years 2024H1, 2024H2, 2025H1, 2025H2 → meetings in 2024H1 and
                // 2025H2 → 2/4; goals owned 1/2; sides 1 (west).
                values: [4.0, 0.5, 0.5, 1.0, 3.0],
                // 100 × (0.3 + 0.3·0.5 + 0.2·0.5 + 0.2·0.5) = 65
                score: 65.0,
            },
        ];
        check_rows(&rows, score);
    }
}
