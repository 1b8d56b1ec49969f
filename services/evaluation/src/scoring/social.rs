//! SOCIAL_AUTONOMY (扩大社会自主性): how much of the work and the money comes from social forces,
//! and do social actors act in their own right (their own role and their own duties)?
//!
//! Social forces are the paper's four: people's organizations, social organizations, private
//! enterprises and individuals. Public institutions and state-owned enterprises are not counted
//! as social (see docs/scoring.md).

use std::collections::BTreeSet;

use super::criteria::{CriterionDef, Sample, Sheet, ind, pct, share, wan_yuan, yuan};
use super::facts::{Facts, Sector, actor_record, sector};
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::SocialAutonomy,
    about_zh: "社会力量(人民团体、社会组织、民营企业、爱心人士)开展的活动占比和投入资金占比\
               (达到一半即满分);社会力量是否以执行或实施角色参与并承担自己的责任。",
    about_en: "The share of activities and of money from social forces (people's organizations, \
               social organizations, private enterprises, individuals; full marks at one half); \
               whether social actors hold extending or implementing roles with duties of their own.",
    indicators: &[
        ind("social_activity_share", "社会力量活动占比", "Social forces' share of activities", 0.35),
        ind("social_money_share", "社会力量资金占比", "Social forces' share of money", 0.30),
        ind(
            "social_actors_autonomous",
            "自主参与的社会主体占比",
            "Share of social actors with their own role and duties",
            0.35,
        ),
        ind("social_actors", "参与的社会主体数", "Social actors taking part", 0.0),
    ],
};

const REC: &str = "扩大社会自主性";
const REC_EN: &str = "Expand social autonomy";

/// Full marks at parity with the state side: a share of one half or more.
pub(crate) fn parity_credit(x: f64) -> f64 {
    (x / 0.5).clamp(0.0, 1.0)
}

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF);
    let is_social = |c: Option<eastwest_domain::ActorCategory>| c.is_some_and(|c| sector(c) == Sector::Social);
    let mut social_acts = 0;
    let mut money = 0i128;
    let mut social_money = 0i128;
    for x in &f.acts {
        let fen = x.fen();
        money += fen;
        if is_social(x.category) {
            social_acts += 1;
            social_money += fen;
        }
    }
    let act_share = share(social_acts, f.acts.len());
    s.part("social_activity_share", act_share, parity_credit(act_share));
    let money_share = if money == 0 { 0.0 } else { social_money as f64 / money as f64 };
    s.part("social_money_share", money_share, parity_credit(money_share));

    let holders: BTreeSet<&str> = f.p.responsibilities.iter().map(|r| r.party.as_str()).collect();
    let mut social = 0;
    let mut dependent = Sample::new();
    for a in &f.parties {
        if !is_social(f.category(a)) {
            continue;
        }
        social += 1;
        let r = f.roles(a);
        if !((r.extending || r.implementing) && holders.contains(a)) {
            dependent.push(*a);
        }
    }
    let autonomous = share(social - dependent.total(), social);
    s.part("social_actors_autonomous", autonomous, autonomous);
    s.part("social_actors", social as f64, 0.0);

    let pairing = || vec![f.name.clone()];
    if f.acts.is_empty() {
        s.find(
            format!("截至 {} 没有任何活动记录", f.as_of),
            format!("No activities are recorded on or before {}", f.as_of),
            pairing(),
        );
    } else {
        s.find(
            format!("社会力量开展了 {social_acts}/{} 项活动({})", f.acts.len(), pct(act_share)),
            format!("Social forces carried out {social_acts} of {} activities ({})", f.acts.len(), pct(act_share)),
            pairing(),
        );
        if money == 0 {
            s.find("活动均未记录金额", "No activity records an amount of money", pairing());
        } else {
            s.find(
                format!(
                    "社会力量投入 {} 万元,占全部 {} 万元的 {}",
                    wan_yuan(social_money),
                    wan_yuan(money),
                    pct(money_share)
                ),
                format!("Social forces put in {} of {} ({})", yuan(social_money), yuan(money), pct(money_share)),
                pairing(),
            );
        }
    }
    if act_share < 0.5 || money_share < 0.5 {
        s.recommend(
            format!("{REC}:动员人民团体、社会组织、民营企业和爱心人士更多开展活动、投入资金"),
            format!("{REC_EN}: mobilise people's organizations, social organizations, private enterprises and caring individuals to act and invest more"),
        );
    }
    if social == 0 {
        s.find("没有社会力量参与", "No social force takes part", pairing());
    } else if !dependent.is_empty() {
        s.find_sample(
            format!("{} 个社会主体没有执行或实施角色,或没有承担自己的责任", dependent.total()),
            format!(
                "Social actors without an extending or implementing role, or without a duty of their own: {}",
                dependent.total()
            ),
            &dependent,
            actor_record,
        );
    }
    if autonomous < 1.0 {
        s.recommend(
            format!("{REC}:让社会主体以执行或实施角色参与,并列明其自身承担的责任"),
            format!("{REC_EN}: let social actors take extending or implementing roles with duties of their own"),
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
    fn table() {
        let rows = [
            Row { name: "nothing", build: |_| {}, values: [0.0, 0.0, 0.0, 0.0], score: 0.0 },
            Row {
                name: "a quarter of activities, a tenth of money; one of two social actors autonomous",
                build: |s| {
                    s.actor("ent", PrivateEnterprise, EAST);
                    s.actor("soe", StateOwnedEnterprise, EAST);
                    s.actor("so", SocialOrganization, WEST);
                    s.participant("ent", &[Implementing]);
                    s.participant("so", &[Implementing]);
                    s.responsibility("r1", "ent", "建车间", None, false);
                    s.activity("a1", "js", Industry, K::Funds, EastToWest, date(2025, 1, 1), 800);
                    s.activity("a2", "soe", Industry, K::Investment, EastToWest, date(2025, 1, 1), 100);
                    s.activity("a3", "ent", Industry, K::Investment, EastToWest, date(2025, 1, 1), 100);
                    s.activity("a4", "sn", Employment, K::Training, WestToEast, date(2025, 1, 1), 0);
                },
                // social a3 → 1/4 → credit 1/2; money 100/1000 → credit 1/5;
                // ent holds a role and a duty of its own; so holds a role but no duty → 1/2.
                values: [0.25, 0.1, 0.5, 2.0],
                // 100 × (0.35·0.5 + 0.3·0.2 + 0.35·0.5) = 41
                score: 41.0,
            },
        ];
        check_rows(&rows, score);
    }
}
