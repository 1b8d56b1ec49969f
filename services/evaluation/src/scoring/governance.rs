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
    let mut s = Sheet::new(&DEF, f.quiet);
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
    if s.loud() {
        s.find(
            format!("参与主体覆盖 {breadth} 种东西部×类别组合(东部 {east_n} 种,西部 {} 种)", breadth - east_n),
            format!("Parties cover {breadth} side × category combinations ({east_n} east, {} west)", breadth - east_n),
            pairing(),
        );
    }
    if breadth < 4 && s.loud() {
        s.recommend(
            format!("{REC}:东西两侧都吸纳政府以外的多类主体,形成多元协作网络"),
            format!("{REC_EN}: bring several kinds of actors beyond government into the pairing on both sides"),
        );
    }
    if both < 1.0 && s.loud() {
        s.recommend(
            format!("{REC}:东西双方共同商定年度协作协议,各自承担量化目标"),
            format!("{REC_EN}: agree the year's agreement together, with quantified targets for each side"),
        );
    }
    if s.loud() {
        s.find(
            format!("实绩规模:东部 {},西部 {}", pct(east), pct(west)),
            format!("Reach of delivery: east {}, west {}", pct(east), pct(west)),
            pairing(),
        );
    }
    if !meetings.is_empty() && s.loud() {
        s.find_sample(
            format!("评价期内召开 {} 次联席会议(列示,不计分)", meetings.total()),
            format!("Joint meetings in the period (shown, not scored): {}", meetings.total()),
            &meetings,
            activity_record,
        );
    }
    if goals.is_empty() {
        if s.loud() {
            s.find(
                "没有设定目标,也就没有共同目标的责任主体",
                "No goals are set, so no shared goal has a responsible party",
                pairing(),
            );
        }
    } else if !unowned.is_empty() && s.loud() {
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
        if s.loud() {
            s.find(zh, en, pairing());
        }
    }
    if (owned < 1.0 || sides < 2) && s.loud() {
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
    use eastwest_domain::ActorCategory::{PrivateEnterprise, SocialOrganization};
    use eastwest_domain::CooperationForm::{Consumption, Employment, Other};
    use eastwest_domain::FlowDirection::Joint;
    use eastwest_domain::Goal;
    use eastwest_domain::Indicator::{FiscalAid, LabourEmployed};
    use eastwest_domain::ParticipantRole::Implementing;

    fn meetings(s: &mut Snap, n: u32) {
        for k in 0..n {
            s.activity(&format!("m{k}"), "js", Other, K::JointMeeting, Joint, date(2025, 1 + k, 10), 0);
        }
    }

    #[test]
    fn four_combinations_a_joint_agreement_both_sides_delivering_and_owned_goals_score_full() {
        let mut s = Snap::bare();
        s.actor("ent", PrivateEnterprise, EAST).actor("so", SocialOrganization, WEST);
        s.participant("ent", &[Implementing]).participant("so", &[Implementing]);
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 100)]);
        s.deliver("aid", "js", date(2025, 3, 1), &[(FiscalAid, of_reference(FiscalAid, 1.0))]);
        s.deliver("jobs", "sn", date(2025, 6, 1), &[(LabourEmployed, of_reference(LabourEmployed, 1.0))]);
        s.goal(full_goal("jobs", Employment, "sn")).goal(full_goal("sales", Consumption, "js"));
        meetings(&mut s, 2);
        let sheet = score(&s.facts_in(year_2025()));
        // (east, government), (west, government), (east, private), (west, social) → 4 → 1. Targets
        // on both sides → 1. Both sides reach 1 → min 1. Both goals owned → 1, by both sides → 2.
        // Two joint meetings, context.
        assert_values(&sheet, &[4.0, 1.0, 1.0, 1.0, 2.0, 2.0], "coordinated");
        assert_eq!(sheet.score(), 100.0);
    }

    /// Two government bodies, a pairing-wide target, the east alone delivering, one goal owned by
    /// sn and one by nobody.
    fn one_sided() -> Snap {
        let mut s = Snap::bare();
        s.agreement(2025, None, &[(FiscalAid, None, 100)]);
        s.deliver("aid", "js", date(2025, 3, 1), &[(FiscalAid, of_reference(FiscalAid, 1.0))]);
        s.goal(full_goal("jobs", Employment, "sn"));
        s.goal(Goal { responsible: None, ..full_goal("sales", Consumption, "js") });
        s
    }

    #[test]
    fn an_agreement_for_the_pairing_one_side_delivering_and_an_unowned_goal() {
        let sheet = score(&one_sided().facts_in(year_2025()));
        // 2 combinations → ½; targets, but none held by a side → ½; east 1, west 0 → 0; goals
        // owned 1 of 2 → ½; sides: west only → 1, ½.
        // 100 × (0.25·½ + 0.30·½ + 0.15·0 + 0.15·½ + 0.15·½) = 12.5 + 15 + 7.5 + 7.5 = 42.5
        assert_values(&sheet, &[2.0, 0.5, 0.0, 0.5, 1.0, 0.0], "one-sided");
        assert_eq!(sheet.score(), 42.5);
        let findings = sheet.finish(0.1, 42.5).findings;
        assert!(findings.iter().any(|x| x.text.en == "Goals without a known responsible party: 1"
            && x.records == ["pairings/js-sn#goals/sales"]));
        assert!(findings.iter().any(|x| x.text.en == "Only western parties answer for goals"));
    }

    #[test]
    fn logging_joint_meetings_does_not_raise_the_score() {
        let mut s = one_sided();
        meetings(&mut s, 6);
        let sheet = score(&s.facts_in(year_2025()));
        assert_eq!(sheet.values()[5], 6.0);
        assert_eq!(sheet.score(), 42.5);
    }

    #[test]
    fn a_zero_valued_target_for_the_west_does_not_make_the_agreement_joint() {
        let mut s = one_sided();
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100)]);
        let before = score(&s.facts_in(year_2025()));
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 0)]);
        let after = score(&s.facts_in(year_2025()));
        // The east alone takes on a target either way → ½: 42.5.
        assert_eq!((before.values()[1], after.values()[1]), (0.5, 0.5));
        assert_eq!((before.score(), after.score()), (42.5, 42.5));
    }

    #[test]
    fn naming_an_actor_the_snapshot_does_not_hold_as_a_goal_owner_counts_as_no_owner() {
        let mut s = one_sided();
        let before = score(&s.facts_in(year_2025())).score();
        for g in &mut s.p().goals {
            if g.id == "sales" {
                g.responsible = Some("ghost".into());
            }
        }
        let after = score(&s.facts_in(year_2025()));
        // ghost has no side and no category: still 1 of 2 owned, 2 combinations.
        assert_values(&after, &[2.0, 0.5, 0.0, 0.5, 1.0, 0.0], "ghost");
        assert_eq!((before, after.score()), (42.5, 42.5));
    }
}
