//! COMMUNITY_AWARENESS (强化共同体意识): is the pairing a two-way relation: does the west deliver
//! of its own, are cadres and professionals sent by both sides, and does the west hold its share
//! of duties and targets?
//!
//! Model 2026.2 read the share of records labelled WEST_TO_EAST or JOINT (a free label: twelve
//! token records moved one pairing from 79.6 to 97.1), counted western workers moving east as
//! reciprocity, and judged quarters with any record, so annual totals dated 31 December read as
//! inactivity. Here both sides' delivery is read from the year's actuals of each side's actors.

use eastwest_domain::{Indicator, Side};

use super::criteria::{CriterionDef, Sheet, ind, pct, share};
use super::effect::Family;
use super::facts::Facts;
use super::reach::{best_reach, family_reach};
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::CommunityAwareness,
    about_zh: "西部自身在劳务、人才、产业领域做到的规模(对照同级全国平均);东西双方是否都派出\
               干部和专业技术人才(取两侧中较小者);西部承担的责任和协议目标占比(达到一半即满分)。",
    about_en: "How far the west's own delivery in labour, talent and industry reaches against the \
               national average for the level; whether both sides send cadres and professionals \
               (the smaller side counts); the west's share of duties and agreement targets (full \
               marks at one half).",
    indicators: &[
        ind("west_delivery", "西部自身实绩规模", "Reach of the west's own delivery", 0.35),
        ind("exchange_both_ways", "干部人才双向交流规模", "Reach of personnel sent by the smaller side", 0.35),
        ind("west_share_of_duties", "西部承担的责任和目标占比", "Western share of duties and agreement targets", 0.30),
    ],
};

const REC: &str = "强化共同体意识";
const REC_EN: &str = "Strengthen community awareness";

/// The families where the west acts of its own: organising workers and training, sending cadres
/// and professionals, building parks and workshops with the east.
const WEST_FAMILIES: [Family; 3] = [Family::Labour, Family::Talent, Family::Industry];
const PERSONNEL: [Indicator; 2] = [Indicator::CadresExchanged, Indicator::ProfessionalsExchanged];

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF, f.quiet);
    let level = f.level();
    let west = WEST_FAMILIES.iter().map(|x| family_reach(&f.ledger, *x, Some(Side::West), level)).sum::<f64>()
        / WEST_FAMILIES.len() as f64;
    s.part("west_delivery", west, west);
    let east_sent = best_reach(&f.ledger, &PERSONNEL, Some(Side::East), level);
    let west_sent = best_reach(&f.ledger, &PERSONNEL, Some(Side::West), level);
    let exchange = east_sent.min(west_sent);
    s.part("exchange_both_ways", exchange, exchange);

    let list = &f.p.responsibilities;
    let western_duties = list.iter().filter(|r| f.side(&r.party) == Some(Side::West)).count();
    let (east_t, west_t, _) = f.targets_by_side();
    let held = list.len() + east_t + west_t;
    let ws = share(western_duties + west_t, held);
    s.part("west_share_of_duties", ws, (ws / 0.5).clamp(0.0, 1.0));

    let pairing = || vec![f.name.clone()];
    if s.loud() {
        s.find(
            format!("西部自身实绩规模 {};干部人才派出规模:东部 {},西部 {}", pct(west), pct(east_sent), pct(west_sent)),
            format!(
                "Reach of the west's own delivery {}; personnel sent: east {}, west {}",
                pct(west),
                pct(east_sent),
                pct(west_sent)
            ),
            pairing(),
        );
    }
    if west < 1.0 && s.loud() {
        s.recommend(
            format!("{REC}:西部主动组织劳务输出、培训和园区共建,把\"要我帮\"变为\"一起干\""),
            format!("{REC_EN}: let the west organise workers, training and co-built parks of its own, turning aid into joint work"),
        );
    }
    if exchange < 1.0 && s.loud() {
        s.recommend(
            format!("{REC}:东西双方互派干部和专业技术人才,并分别记录各自派出的人数"),
            format!("{REC_EN}: exchange cadres and professionals both ways, each side recording whom it sends"),
        );
    }
    if held == 0 {
        if s.loud() {
            s.find(
                "没有列出责任或协议目标,西部也就没有承担责任",
                "No duties or agreement targets are listed, so none is held in the west",
                pairing(),
            );
        }
    } else {
        if s.loud() {
            s.find(
                format!("西部承担 {}/{held} 项责任和协议目标({})", western_duties + west_t, pct(ws)),
                format!(
                    "Western parties hold {} of {held} duties and agreement targets ({})",
                    western_duties + west_t,
                    pct(ws)
                ),
                pairing(),
            );
        }
    }
    if ws < 0.5 && s.loud() {
        s.recommend(
            format!("{REC}:让西部承担更多责任和协议目标,共同对帮扶成效负责"),
            format!("{REC_EN}: let the west hold more of the duties and targets and share responsibility for results"),
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::ActivityKind as K;
    use eastwest_domain::CooperationForm::{Employment, Other, Talent};
    use eastwest_domain::FlowDirection::{Joint, WestToEast};
    use eastwest_domain::Indicator::*;

    /// sn employs workers and sends professionals at the reference; js sends professionals and
    /// brings investment at the reference; three duties (one western) and three targets (one
    /// eastern, one western, one for the pairing).
    fn two_way() -> Snap {
        let mut s = Snap::bare();
        s.deliver("jobs", "sn", date(2025, 5, 1), &[(LabourEmployed, of_reference(LabourEmployed, 1.0))]);
        s.deliver(
            "sn-staff",
            "sn",
            date(2025, 6, 1),
            &[(ProfessionalsExchanged, of_reference(ProfessionalsExchanged, 1.0))],
        );
        s.deliver(
            "js-staff",
            "js",
            date(2025, 6, 1),
            &[(ProfessionalsExchanged, of_reference(ProfessionalsExchanged, 1.0))],
        );
        s.deliver("inv", "js", date(2025, 7, 1), &[(InvestmentArrived, of_reference(InvestmentArrived, 1.0))]);
        s.responsibility("r1", "sn", "组织劳务", None, false)
            .responsibility("r2", "js", "拨付资金", None, false)
            .responsibility("r3", "js", "培训", None, false);
        s.agreement(
            2025,
            None,
            &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 100), (Consumption, None, 100)],
        );
        s
    }

    #[test]
    fn the_west_delivering_labour_and_talent_both_sides_sending_staff_and_two_of_five_duties() {
        let sheet = score(&two_way().facts_in(year_2025()));
        // West: labour 1, talent 1, industry 0 (the investment is the east's) → ⅔. Both sides
        // send professionals at the reference → min(1, 1) = 1. Duties and sided targets 3 + 2 = 5
        // (the pairing-wide target holds no side); the west holds r1 and one target → 2/5,
        // credit 0.4 / 0.5 = 0.8.
        // 100 × (0.35·⅔ + 0.35·1 + 0.30·0.8) = 23.333333 + 35 + 24
        assert_values(&sheet, &[0.6667, 1.0, 0.4], "two-way");
        assert_eq!(sheet.score(), 82.333333);
    }

    #[test]
    fn personnel_exchange_counts_the_side_that_sends_less() {
        let mut s = Snap::bare();
        s.deliver(
            "js-staff",
            "js",
            date(2025, 6, 1),
            &[(ProfessionalsExchanged, of_reference(ProfessionalsExchanged, 1.0))],
        );
        let one_way = score(&s.facts_at(as_of())).score();
        s.deliver(
            "js-more",
            "js",
            date(2025, 7, 1),
            &[(ProfessionalsExchanged, of_reference(ProfessionalsExchanged, 9.0))],
        );
        let ten_times = score(&s.facts_at(as_of())).score();
        // The west sends no one: min(1, 0) = 0, however many the east sends.
        assert_eq!((one_way, ten_times), (0.0, 0.0));
        // The west sending cadres at the reference counts for it: min(1, 1) = 1, and its talent
        // family reaches 1 → west delivery ⅓. 100 × (0.35·⅓ + 0.35) = 46.666667.
        s.deliver("sn-cadres", "sn", date(2025, 8, 1), &[(CadresExchanged, of_reference(CadresExchanged, 1.0))]);
        let both = score(&s.facts_at(as_of()));
        assert_values(&both, &[0.3333, 1.0, 0.0], "both ways");
        assert_eq!(both.score(), 46.666667);
    }

    #[test]
    fn records_labelled_west_to_east_or_joint_do_not_raise_the_score() {
        let mut s = two_way();
        let before = score(&s.facts_in(year_2025())).score();
        // Twelve records without measures, labelled as flowing east or joint (a 2026.2 exploit),
        // and the east's investment relabelled WEST_TO_EAST: none of it is the west's delivery.
        let kinds = [K::JointMeeting, K::Other, K::PersonnelExchange, K::Training];
        for n in 0..12 {
            let (actor, dir) = if n % 2 == 0 { ("sn", WestToEast) } else { ("js", Joint) };
            let form = [Other, Talent, Employment][n % 3];
            s.activity(&format!("t{n}"), actor, form, kinds[n % 4], dir, date(2025, 9, 1), 0);
        }
        for a in &mut s.s.activities {
            if a.record.id == "inv" {
                a.record.direction = WestToEast;
            }
        }
        let after = score(&s.facts_in(year_2025())).score();
        assert_eq!((before, after), (82.333333, 82.333333));
    }

    #[test]
    fn zero_valued_western_targets_do_not_raise_the_west_share() {
        let mut s = Snap::bare();
        s.deliver("jobs", "sn", date(2025, 5, 1), &[(LabourEmployed, of_reference(LabourEmployed, 1.0))]);
        s.responsibility("r1", "js", "拨付资金", None, false).responsibility("r2", "js", "培训", None, false);
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100)]);
        let before = score(&s.facts_in(year_2025()));
        s.agreement(
            2025,
            None,
            &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 0), (Workshops, Some(WEST), 0)],
        );
        let after = score(&s.facts_in(year_2025()));
        // The west holds 0 of 3 either way; west labour → ⅓: 100 × 0.35 / 3 = 11.666667.
        assert_eq!((before.values()[2], after.values()[2]), (0.0, 0.0));
        assert_eq!((before.score(), after.score()), (11.666667, 11.666667));
    }
}
