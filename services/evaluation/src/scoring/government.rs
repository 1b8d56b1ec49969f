//! GOVERNMENT_ROLE (合理界定政府职能): do government bodies steer (answer for the pairing, fund
//! it, manage its budget) rather than do everything themselves, leaving implementation to others?
//!
//! Government here is GOVERNMENT_BODY only: public institutions (schools, hospitals) and
//! state-owned enterprises implementing is not government crowding out (see docs/scoring.md).

use eastwest_domain::{ActivityKind, ActorCategory};

use super::criteria::{CriterionDef, Sample, Sheet, ind, pct, share};
use super::facts::{Facts, activity_record, actor_record};
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::GovernmentRole,
    about_zh: "政府机关是否承担负责角色;政府机关是否专注统筹(出资、负责、执行管理)而不兼任实施;\
               政府机关在实施类活动中的占比是否挤占其他主体(一半以内不扣分)。",
    about_en: "Whether a government body is accountable; whether government bodies keep to \
               steering (funding, accountable, extending) rather than also implementing; whether their \
               share of implementing activities crowds others out (up to half costs nothing).",
    indicators: &[
        ind("government_accountable", "政府机关承担负责角色", "A government body is accountable", 0.30),
        ind(
            "government_steering_focus",
            "专注统筹的政府机关占比",
            "Share of government bodies that steer without implementing",
            0.30,
        ),
        ind(
            "government_implementing_share",
            "政府机关实施类活动占比",
            "Government bodies' share of implementing activities",
            0.40,
        ),
        ind("implementing_activities", "实施类活动数", "Implementing activities", 0.0),
    ],
};

const REC: &str = "合理界定政府职能";
const REC_EN: &str = "Define the functions of government reasonably";

/// Activities that carry out assistance, as opposed to steering it (fiscal funds, joint meetings).
pub(crate) fn is_implementing(kind: ActivityKind) -> bool {
    !matches!(kind, ActivityKind::Funds | ActivityKind::JointMeeting)
}

/// Credit for the government's share `g` of implementing activities: full up to one half, then
/// falling linearly to 0 when government does everything.
pub(crate) fn crowding_credit(g: f64) -> f64 {
    (2.0 * (1.0 - g)).clamp(0.0, 1.0)
}

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF);
    let is_gov = |a: &str| f.category(a) == Some(ActorCategory::GovernmentBody);

    let mut bodies = 0;
    let mut accountable = false;
    let mut unfocused = Sample::new();
    for (a, r) in &f.roles {
        if !is_gov(a) {
            continue;
        }
        bodies += 1;
        accountable |= r.accountable;
        if !(r.funding || r.accountable || r.extending) || r.implementing {
            unfocused.push(*a);
        }
    }
    let acc = f64::from(u8::from(accountable));
    s.part("government_accountable", acc, acc);
    let focus = share(bodies - unfocused.total(), bodies);
    s.part("government_steering_focus", focus, focus);

    let mut implementing = 0;
    let mut by_gov = Sample::new();
    for x in &f.acts {
        if is_implementing(x.a.kind) {
            implementing += 1;
            if x.category == Some(ActorCategory::GovernmentBody) {
                by_gov.push(x.key());
            }
        }
    }
    let g = share(by_gov.total(), implementing);
    let credit = if implementing == 0 { 0.0 } else { crowding_credit(g) };
    s.part("government_implementing_share", g, credit);
    s.part("implementing_activities", implementing as f64, 0.0);

    let pairing = || vec![f.name.clone()];
    if !accountable {
        s.find("没有政府机关承担负责(ACCOUNTABLE)角色", "No government body holds the ACCOUNTABLE role", pairing());
        s.recommend(
            format!("{REC}:由政府机关承担负责角色,统筹规划、监督和考核"),
            format!("{REC_EN}: let a government body be accountable, steering planning, oversight and assessment"),
        );
    }
    if bodies == 0 {
        s.find("参与方中没有政府机关", "No government body is a participant", pairing());
    } else if !unfocused.is_empty() {
        s.find_sample(
            format!("{} 个政府机关没有出资、负责或执行管理角色,或兼任实施角色", unfocused.total()),
            format!(
                "Government bodies with no funding, accountable or extending role, or also implementing: {}",
                unfocused.total()
            ),
            &unfocused,
            actor_record,
        );
        s.recommend(
            format!("{REC}:政府机关侧重出资和负责,把具体实施交给企业、社会组织和事业单位"),
            format!("{REC_EN}: keep government bodies to funding and accountability and hand implementation to enterprises, social organizations and public institutions"),
        );
    }
    if implementing == 0 {
        s.find(
            format!("截至 {} 没有实施类活动(资金拨付和联席会议以外的活动)", f.as_of),
            format!("No implementing activities (other than funds and joint meetings) on or before {}", f.as_of),
            pairing(),
        );
    } else if by_gov.total() > 0 {
        let (zh, en) = if g > 0.5 {
            ("超过一半,挤占了其他主体", "over half, crowding out others")
        } else {
            ("未超过一半", "no more than half")
        };
        s.find_sample(
            format!("政府机关开展了 {}/{implementing} 项实施类活动({}),{zh}", by_gov.total(), pct(g)),
            format!(
                "Government bodies carried out {} of {implementing} implementing activities ({}), {en}",
                by_gov.total(),
                pct(g)
            ),
            &by_gov,
            activity_record,
        );
    }
    if credit < 1.0 {
        s.recommend(
            format!("{REC}:减少政府机关直接实施,为市场和社会力量留出空间"),
            format!(
                "{REC_EN}: have government bodies implement less themselves, leaving room for market and social forces"
            ),
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::ActivityKind as K;
    use eastwest_domain::{ActorCategory::*, CooperationForm::*, FlowDirection::*, ParticipantRole::*};

    #[test]
    fn crowding_credit_is_full_to_one_half() {
        for (g, want) in [(0.0, 1.0), (0.5, 1.0), (0.75, 0.5), (1.0, 0.0)] {
            assert_eq!(crowding_credit(g), want, "{g}");
        }
    }

    #[test]
    fn table() {
        let rows = [
            Row { name: "nothing", build: |_| {}, values: [0.0, 0.0, 0.0, 0.0], score: 0.0 },
            Row {
                name: "steering government, others implement",
                build: |s| {
                    s.actor("ent", PrivateEnterprise, EAST);
                    s.participant("js", &[Accountable, Funding]);
                    s.participant("sn", &[Extending]);
                    s.participant("ent", &[Implementing]);
                    s.activity("a1", "js", Industry, K::Funds, EastToWest, date(2025, 3, 1), 100);
                    s.activity("a2", "js", Other, K::JointMeeting, Joint, date(2025, 3, 2), 0);
                    s.activity("a3", "ent", Industry, K::Investment, EastToWest, date(2025, 4, 1), 100);
                    s.activity("a4", "sn", Employment, K::Training, WestToEast, date(2025, 5, 1), 0);
                },
                // accountable; js funds and is accountable, sn extends: both steer → 1;
                // implementing a3, a4; by government a4 → 1/2 → credit 1.
                values: [1.0, 1.0, 0.5, 2.0],
                score: 100.0,
            },
            Row {
                name: "a government body that only implements",
                build: |s| {
                    s.participant("js", &[Accountable]);
                    s.participant("sn", &[Implementing]);
                    s.activity("a1", "sn", Employment, K::Training, EastToWest, date(2025, 3, 1), 0);
                },
                // sn implements → focus 1/2; a1 is government's → g = 1 → credit 0.
                values: [1.0, 0.5, 1.0, 1.0],
                score: 45.0,
            },
            Row {
                name: "government does three of four",
                build: |s| {
                    s.actor("ent", PrivateEnterprise, EAST);
                    s.participant("js", &[Accountable, Funding, Implementing]);
                    s.activity("a1", "js", Industry, K::Training, EastToWest, date(2025, 3, 1), 0);
                    s.activity("a2", "js", Industry, K::Purchase, EastToWest, date(2025, 3, 1), 10);
                    s.activity("a3", "sn", Industry, K::Training, WestToEast, date(2025, 3, 1), 0);
                    s.activity("a4", "ent", Industry, K::Investment, EastToWest, date(2025, 3, 1), 9);
                },
                // js implements too → focus 0; g = 3/4 → credit 0.5.
                values: [1.0, 0.0, 0.75, 4.0],
                score: 50.0,
            },
        ];
        check_rows(&rows, score);
    }
}
