//! GOVERNMENT_ROLE (合理界定政府职能): does each side's government answer for the pairing and set
//! the year's terms in an agreement, keep to steering rather than doing everything itself, and does
//! its money set market and social delivery moving?
//!
//! Government here is GOVERNMENT_BODY only: public institutions (schools, hospitals) and
//! state-owned enterprises are not government (see docs/scoring.md). Model 2026.2 read the
//! government's share of implementing *records*, so filing the same work under a 事业单位 earned full
//! marks and western counties carrying out fiscal projects, as they are meant to, read as crowding
//! out. What the money set moving is read from the year's actuals instead.

use eastwest_domain::{ActorCategory, Indicator, Side};

use super::criteria::{CriterionDef, Sample, Sheet, ind, pct, share};
use super::facts::{Facts, actor_record};
use super::reach::{best_reach, reach};
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::GovernmentRole,
    about_zh: "东西两侧是否各有政府机关承担负责角色;是否签订本年度协作协议;政府机关是否专注统筹\
               (出资、负责、执行管理)而不兼任实施;投资、消费和社会捐赠等政府以外的投入做到了多大\
               规模(对照同级全国平均,对数刻度)。",
    about_en: "Whether a government body is accountable on each side; whether the year's \
               agreement is signed; whether government bodies keep to steering (funding, \
               accountable, extending) rather than also implementing; how far investment, \
               consumption and social donations reach against the national average for the level \
               (log scale).",
    indicators: &[
        ind(
            "sides_with_accountable_government",
            "有政府机关负责的东西侧数",
            "Sides where a government body is accountable (0–2)",
            0.30,
        ),
        ind("agreement_signed", "签订年度协作协议", "Annual agreement signed (0–1)", 0.20),
        ind(
            "government_steering_focus",
            "专注统筹的政府机关占比",
            "Share of government bodies that steer without implementing",
            0.20,
        ),
        ind("market_social_reach", "政府以外投入的规模", "Reach of market and social delivery", 0.30),
        ind("fiscal_aid_reach", "财政援助资金规模", "Reach of fiscal aid", 0.0),
    ],
};

const REC: &str = "合理界定政府职能";
const REC_EN: &str = "Define the functions of government reasonably";

/// What government money is meant to set moving: enterprises, investment, purchases, donations and
/// villages paired by enterprises and social organisations.
pub(crate) const MOBILISED: [Indicator; 5] = [
    Indicator::EnterprisesLanded,
    Indicator::InvestmentArrived,
    Indicator::Consumption,
    Indicator::SocialDonations,
    Indicator::VillagePairs,
];

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF, f.quiet);
    let is_gov = |a: &str| f.category(a) == Some(ActorCategory::GovernmentBody);

    let (mut east, mut west) = (false, false);
    let mut bodies = 0;
    let mut unfocused = Sample::new();
    for (a, r) in &f.roles {
        if !is_gov(a) {
            continue;
        }
        bodies += 1;
        if r.accountable {
            match f.side(a) {
                Some(Side::East) => east = true,
                Some(Side::West) => west = true,
                None => {}
            }
        }
        if !(r.funding || r.accountable || r.extending) || r.implementing {
            unfocused.push(*a);
        }
    }
    let sides = f64::from(u8::from(east)) + f64::from(u8::from(west));
    s.part("sides_with_accountable_government", sides, sides / 2.0);
    let signed = match f.agreement {
        Some(a) if a.signed_date.is_some_and(|d| d <= f.as_of) => 1.0,
        Some(_) => 0.5,
        None => 0.0,
    };
    s.part("agreement_signed", signed, signed);
    let focus = share(bodies - unfocused.total(), bodies);
    s.part("government_steering_focus", focus, focus);
    let mobilised = best_reach(&f.ledger, &MOBILISED, None, f.level());
    s.part("market_social_reach", mobilised, mobilised);
    let fiscal = reach(f.ledger.total(Indicator::FiscalAid, None), Indicator::FiscalAid, f.level());
    s.part("fiscal_aid_reach", fiscal, 0.0);

    let pairing = || vec![f.name.clone()];
    if !(east && west) {
        let (zh, en) = match (east, west) {
            (true, false) => ("西部没有政府机关承担负责角色", "No western government body is accountable"),
            (false, true) => ("东部没有政府机关承担负责角色", "No eastern government body is accountable"),
            _ => ("没有政府机关承担负责(ACCOUNTABLE)角色", "No government body holds the ACCOUNTABLE role"),
        };
        if s.loud() {
            s.find(zh, en, pairing());
        }
        if s.loud() {
            s.recommend(
            format!("{REC}:东西两侧政府机关各自承担负责角色,统筹规划、监督和考核"),
            format!("{REC_EN}: let a government body on each side be accountable, steering planning, oversight and assessment"),
        );
        }
    }
    match (f.year, f.agreement) {
        (Some(y), None) => {
            if s.loud() {
                s.find(format!("{y} 年没有年度协作协议"), format!("No annual agreement for {y}"), pairing());
            }
            if s.loud() {
                s.recommend(
                    format!("{REC}:由东西双方政府签订年度协作协议,明确目标任务"),
                    format!("{REC_EN}: have the two governments sign an annual agreement setting the year's targets"),
                );
            }
        }
        (_, Some(_)) if signed < 1.0 && s.loud() => s.find(
            "年度协作协议没有签订日期,或签订日期晚于评价日",
            "The annual agreement has no signing date, or one after the evaluation date",
            vec![f.agreement_record()],
        ),
        _ => {}
    }
    if bodies == 0 {
        if s.loud() {
            s.find("参与方中没有政府机关", "No government body is a participant", pairing());
        }
    } else if !unfocused.is_empty() {
        if s.loud() {
            s.find_sample(
                format!("{} 个政府机关没有出资、负责或执行管理角色,或兼任实施角色", unfocused.total()),
                format!(
                    "Government bodies with no funding, accountable or extending role, or also implementing: {}",
                    unfocused.total()
                ),
                &unfocused,
                actor_record,
            );
        }
        if s.loud() {
            s.recommend(
            format!("{REC}:政府机关侧重出资和负责,把具体实施交给企业、社会组织和事业单位"),
            format!("{REC_EN}: keep government bodies to funding and accountability and hand implementation to enterprises, social organizations and public institutions"),
        );
        }
    }
    if s.loud() {
        s.find(
        format!("政府以外投入(投资、消费、捐赠、结对村)的规模 {},财政援助资金规模 {}", pct(mobilised), pct(fiscal)),
        format!("Reach of market and social delivery (investment, consumption, donations, villages paired) {}; of fiscal aid {}", pct(mobilised), pct(fiscal)),
        pairing(),
    );
    }
    if mobilised < 1.0 && s.loud() {
        s.recommend(
            format!("{REC}:用财政资金撬动企业投资、消费帮扶和社会捐赠"),
            format!("{REC_EN}: use fiscal money to draw in enterprise investment, consumption assistance and social donations"),
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::ActorCategory::PrivateEnterprise;
    use eastwest_domain::Indicator::{Consumption, FiscalAid, InvestmentArrived, LabourEmployed};
    use eastwest_domain::ParticipantRole::*;

    /// Both governments accountable and steering; an eastern enterprise implements; the 2025
    /// agreement signed in January; investment at `investment` of the reference.
    fn steering(investment: f64) -> Snap {
        let mut s = Snap::bare();
        s.actor("ent", PrivateEnterprise, EAST);
        s.participant("js", &[Accountable, Funding]).participant("sn", &[Accountable, Extending]);
        s.participant("ent", &[Implementing]);
        s.agreement(2025, Some(date(2025, 1, 15)), &[(LabourEmployed, Some(WEST), 100)]);
        s.deliver("inv", "ent", date(2025, 5, 1), &[(InvestmentArrived, of_reference(InvestmentArrived, investment))]);
        s.deliver("aid", "js", date(2025, 3, 1), &[(FiscalAid, of_reference(FiscalAid, 0.1))]);
        s
    }

    #[test]
    fn steering_governments_a_signed_agreement_and_investment_at_the_reference_score_full() {
        let s = steering(1.0);
        let sheet = score(&s.facts_in(year_2025()));
        // Accountable government on both sides → 2; signed 15 January ≤ 31 December → 1; js and sn
        // both steer without implementing → 1; investment at the reference → 1. Fiscal aid at a
        // tenth → ½, shown as context.
        assert_values(&sheet, &[2.0, 1.0, 1.0, 1.0, 0.5], "steering");
        assert_eq!(sheet.score(), 100.0);
    }

    #[test]
    fn an_implementing_western_government_and_an_unsigned_agreement_are_named() {
        let mut s = Snap::bare();
        s.participant("js", &[Accountable, Funding]).participant("sn", &[Implementing]);
        s.agreement(2025, None, &[(LabourEmployed, Some(WEST), 100)]);
        s.deliver("buy", "sn", date(2025, 5, 1), &[(Consumption, of_reference(Consumption, 0.1))]);
        let sheet = score(&s.facts_in(year_2025()));
        // East only → 1 side, ½; an agreement without a signing date → ½; sn implements without
        // steering → 1 of 2 focused; consumption at a tenth → ½ (whoever bought); no fiscal aid.
        // 100 × (0.30·½ + 0.20·½ + 0.20·½ + 0.30·½) = 50
        assert_values(&sheet, &[1.0, 0.5, 0.5, 0.5, 0.0], "implementing");
        assert_eq!(sheet.score(), 50.0);
        let findings = sheet.finish(0.1, 50.0).findings;
        let named =
            |en: &str, records: &[&str]| findings.iter().any(|x| x.text.en.starts_with(en) && x.records == records);
        assert!(named("No western government body is accountable", &["pairings/js-sn"]));
        assert!(named("The annual agreement has no signing date", &["pairings/js-sn/agreements/2025"]));
        assert!(named("Government bodies with no funding, accountable or extending role", &["actors/sn"]));
    }

    #[test]
    fn more_fiscal_aid_neither_raises_nor_lowers_the_score() {
        let mut s = steering(0.1);
        let before = score(&s.facts_in(year_2025()));
        s.deliver("aid2", "js", date(2025, 6, 1), &[(FiscalAid, of_reference(FiscalAid, 10.0))]);
        let after = score(&s.facts_in(year_2025()));
        // Investment at a tenth → ½: 100 × (0.30 + 0.20 + 0.20 + 0.30·½) = 85 either way; only
        // the context fiscal_aid_reach moves, from ½ to 1.
        assert_eq!((before.score(), after.score()), (85.0, 85.0));
        assert_eq!((before.values()[4], after.values()[4]), (0.5, 1.0));
    }

    #[test]
    fn an_agreement_signed_after_the_evaluation_date_counts_as_unsigned() {
        let mut s = steering(1.0);
        let mut signed_on = |d: Option<chrono::NaiveDate>| {
            s.s.agreements[0].record.signed_date = d;
            score(&s.facts_in(year_2025())).score()
        };
        // Signed on the evaluation date counts; the day after, or never, earns ½ instead of 1 on
        // a 0.20 weight: 100 − 10.
        let on_the_day = signed_on(Some(as_of()));
        let day_after = signed_on(Some(date(2026, 1, 1)));
        let unsigned = signed_on(None);
        assert_eq!((on_the_day, day_after, unsigned), (100.0, 90.0, 90.0));
    }

    #[test]
    fn a_token_investment_earns_no_market_reach() {
        let mut s = steering(1.0);
        s.s.activities.retain(|a| a.record.id != "inv");
        let without = score(&s.facts_in(year_2025())).score();
        // 1 yuan of investment against ~1.15e12 fen: under a hundredth → reach 0.
        s.deliver("token", "ent", date(2025, 5, 1), &[(InvestmentArrived, 100)]);
        let token = score(&s.facts_in(year_2025()));
        // 100 × (0.30 + 0.20 + 0.20) = 70 either way.
        assert_eq!((without, token.score()), (70.0, 70.0));
        assert_eq!(token.values()[3], 0.0);
    }

    #[test]
    fn adding_a_steering_role_to_an_implementing_government_body_does_not_make_it_focused() {
        let mut s = Snap::bare();
        s.participant("js", &[Accountable, Funding]).participant("sn", &[Implementing]);
        let before = score(&s.facts_at(as_of()));
        s.participant("sn", &[Extending]);
        let after = score(&s.facts_at(as_of()));
        // sn still implements → 1 of 2 focused: 100 × (0.30·½ + 0.20·½) = 25 either way.
        assert_eq!((before.values()[2], after.values()[2]), (0.5, 0.5));
        assert_eq!((before.score(), after.score()), (25.0, 25.0));
    }
}
