//! SOCIAL_AUTONOMY (扩大社会自主性): how much do social forces put in, in absolute terms, and do
//! social actors act in their own right?
//!
//! Social forces are the paper's four: people's organizations, social organizations, private
//! enterprises and individuals. Public institutions and state-owned enterprises are not counted
//! as social (see docs/scoring.md). Model 2026.2 read social forces' *share* of money and records,
//! so deleting a pairing's fiscal aid raised it and more fiscal aid could never help. Here social
//! contribution is absolute: the official indicators 社会力量投入帮扶款物 and 村企/社会组织结对村,
//! against the national average for the level (`reach.rs`). More government money neither helps
//! nor hurts it.

use eastwest_domain::Indicator;

use super::criteria::{CriterionDef, Sample, Sheet, ind, pct, share};
use super::facts::{Facts, Sector, actor_record, sector};
use super::ledger::amount;
use super::reach::reach;
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::SocialAutonomy,
    about_zh: "社会力量投入帮扶款物和村企/社会组织结对村的规模(对照同级全国平均,对数刻度);\
               社会力量(人民团体、社会组织、民营企业、爱心人士)是否以执行或实施角色自主参与。",
    about_en: "How far social donations and villages paired with enterprises and social \
               organisations reach against the national average for the level (log scale); \
               whether social actors (people's organizations, social organizations, private \
               enterprises, individuals) take part in extending or implementing roles of their own.",
    indicators: &[
        ind("social_donations_reach", "社会力量投入帮扶款物规模", "Reach of social donations", 0.45),
        ind("villages_paired_reach", "结对村规模", "Reach of villages paired", 0.25),
        ind(
            "social_actors_acting",
            "以执行或实施角色参与的社会主体占比",
            "Share of social actors in an extending or implementing role",
            0.30,
        ),
        ind("social_actors", "参与的社会主体数", "Social actors taking part", 0.0),
    ],
};

const REC: &str = "扩大社会自主性";
const REC_EN: &str = "Expand social autonomy";

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF);
    let donations = f.ledger.total(Indicator::SocialDonations, None);
    let d = reach(donations, Indicator::SocialDonations, f.level());
    s.part("social_donations_reach", d, d);
    let villages = f.ledger.total(Indicator::VillagePairs, None);
    let v = reach(villages, Indicator::VillagePairs, f.level());
    s.part("villages_paired_reach", v, v);

    let mut social = 0;
    let mut passive = Sample::new();
    for a in &f.parties {
        if f.category(a).is_none_or(|c| sector(c) != Sector::Social) {
            continue;
        }
        social += 1;
        let r = f.roles(a);
        if !(r.extending || r.implementing) {
            passive.push(*a);
        }
    }
    let acting = share(social - passive.total(), social);
    s.part("social_actors_acting", acting, acting);
    s.part("social_actors", social as f64, 0.0);

    let pairing = || vec![f.name.clone()];
    let (zh, en) = amount(Indicator::SocialDonations, donations);
    s.find(
        format!("社会力量投入帮扶款物 {zh}(规模 {}),结对村 {villages} 个(规模 {})", pct(d), pct(v)),
        format!("Social donations {en} (reach {}); villages paired {villages} (reach {})", pct(d), pct(v)),
        pairing(),
    );
    if d < 1.0 || v < 1.0 {
        s.recommend(
            format!("{REC}:动员人民团体、社会组织、民营企业和爱心人士投入款物、结对帮扶村"),
            format!("{REC_EN}: mobilise people's organizations, social organizations, private enterprises and caring individuals to donate and to pair with villages"),
        );
    }
    if social == 0 {
        s.find("没有社会力量参与", "No social force takes part", pairing());
    } else if !passive.is_empty() {
        s.find_sample(
            format!("{} 个社会主体没有执行或实施角色", passive.total()),
            format!("Social actors without an extending or implementing role: {}", passive.total()),
            &passive,
            actor_record,
        );
    }
    if acting < 1.0 {
        s.recommend(
            format!("{REC}:让社会主体以执行或实施角色自主开展帮扶"),
            format!("{REC_EN}: let social actors take extending or implementing roles of their own"),
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
