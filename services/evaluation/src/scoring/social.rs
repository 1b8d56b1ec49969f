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
    let mut s = Sheet::new(&DEF, f.quiet);
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
    if s.loud() {
        let (zh, en) = amount(Indicator::SocialDonations, donations);
        s.find(
            format!("社会力量投入帮扶款物 {zh}(规模 {}),结对村 {villages} 个(规模 {})", pct(d), pct(v)),
            format!("Social donations {en} (reach {}); villages paired {villages} (reach {})", pct(d), pct(v)),
            pairing(),
        );
    }
    if (d < 1.0 || v < 1.0) && s.loud() {
        s.recommend(
            format!("{REC}:动员人民团体、社会组织、民营企业和爱心人士投入款物、结对帮扶村"),
            format!("{REC_EN}: mobilise people's organizations, social organizations, private enterprises and caring individuals to donate and to pair with villages"),
        );
    }
    if social == 0 {
        if s.loud() {
            s.find("没有社会力量参与", "No social force takes part", pairing());
        }
    } else if !passive.is_empty() && s.loud() {
        s.find_sample(
            format!("{} 个社会主体没有执行或实施角色", passive.total()),
            format!("Social actors without an extending or implementing role: {}", passive.total()),
            &passive,
            actor_record,
        );
    }
    if acting < 1.0 && s.loud() {
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
    use eastwest_domain::ActorCategory::*;
    use eastwest_domain::Indicator::{FiscalAid, SocialDonations, VillagePairs};
    use eastwest_domain::ParticipantRole::*;

    /// A western social organisation implements and donates a tenth of the reference; an eastern
    /// people's organisation only funds and pairs villages at the reference; a state-owned
    /// enterprise and a college take part too.
    fn mixed() -> Snap {
        let mut s = Snap::bare();
        s.actor("so", SocialOrganization, WEST).actor("fic", PeoplesOrganization, EAST);
        s.actor("soe", StateOwnedEnterprise, EAST).actor("college", PublicInstitution, WEST);
        s.participant("so", &[Implementing]).participant("fic", &[Funding]);
        s.participant("soe", &[Funding]).participant("college", &[Implementing]);
        s.deliver("gift", "so", date(2025, 4, 1), &[(SocialDonations, of_reference(SocialDonations, 0.1))]);
        s.deliver("villages", "fic", date(2025, 6, 1), &[(VillagePairs, of_reference(VillagePairs, 1.0))]);
        s
    }

    #[test]
    fn donations_at_a_tenth_villages_at_the_reference_and_one_of_two_social_actors_acting() {
        let sheet = score(&mixed().facts_at(as_of()));
        // Donations 1 + log10(0.1)/2 = ½; villages (678 of 7452/11 ≈ 677.5) → 1. Social actors:
        // so and fic (the SOE and the college are not social forces); so implements, fic only
        // funds → ½.
        // 100 × (0.45·½ + 0.25·1 + 0.30·½) = 22.5 + 25 + 15 = 62.5
        assert_values(&sheet, &[0.5, 1.0, 0.5, 2.0], "mixed");
        assert_eq!(sheet.score(), 62.5);
        let findings = sheet.finish(0.1, 62.5).findings;
        assert!(findings.iter().any(|x| x.text.en == "Social actors without an extending or implementing role: 1"
            && x.records == ["actors/fic"]));
    }

    #[test]
    fn government_money_neither_raises_nor_lowers_the_social_score() {
        let mut s = mixed();
        s.deliver("aid", "js", date(2025, 3, 1), &[(FiscalAid, of_reference(FiscalAid, 1.0))]);
        let before = score(&s.facts_at(as_of())).score();
        // Ten times more fiscal aid, then none at all: social forces' input is absolute.
        s.deliver("aid2", "js", date(2025, 6, 1), &[(FiscalAid, of_reference(FiscalAid, 10.0))]);
        let more = score(&s.facts_at(as_of())).score();
        s.s.activities.retain(|a| !a.record.id.starts_with("aid"));
        let none = score(&s.facts_at(as_of())).score();
        assert_eq!((before, more, none), (62.5, 62.5, 62.5));
    }

    #[test]
    fn a_token_donation_earns_nothing() {
        let mut s = Snap::bare();
        s.actor("so", SocialOrganization, WEST).participant("so", &[Implementing]);
        let without = score(&s.facts_at(as_of())).score();
        // 1 yuan against 28.5 亿元 / 11: under a hundredth → reach 0.
        s.deliver("token", "so", date(2025, 4, 1), &[(SocialDonations, 100)]);
        let token = score(&s.facts_at(as_of()));
        // Only so acting counts: 100 × 0.30 = 30 either way.
        assert_eq!(token.values()[0], 0.0);
        assert_eq!((without, token.score()), (30.0, 30.0));
    }
}
