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
    let mut s = Sheet::new(&DEF);
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
    if west < 1.0 {
        s.recommend(
            format!("{REC}:西部主动组织劳务输出、培训和园区共建,把\"要我帮\"变为\"一起干\""),
            format!("{REC_EN}: let the west organise workers, training and co-built parks of its own, turning aid into joint work"),
        );
    }
    if exchange < 1.0 {
        s.recommend(
            format!("{REC}:东西双方互派干部和专业技术人才,并分别记录各自派出的人数"),
            format!("{REC_EN}: exchange cadres and professionals both ways, each side recording whom it sends"),
        );
    }
    if held == 0 {
        s.find(
            "没有列出责任或协议目标,西部也就没有承担责任",
            "No duties or agreement targets are listed, so none is held in the west",
            pairing(),
        );
    } else {
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
    if ws < 0.5 {
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
    use eastwest_domain::{CooperationForm::*, FlowDirection::*};

    #[test]
    fn table() {
        let rows = [
            Row { name: "nothing", build: |_| {}, values: [0.0, 0.0, 0.0, 0.0], score: 0.0 },
            Row {
                name: "one year of quarterly work, exchange one way",
                build: |s| {
                    s.start(date(2025, 1, 1));
                    s.activity("a1", "js", Talent, K::PersonnelExchange, EastToWest, date(2025, 2, 1), 0);
                    s.activity("a2", "js", Industry, K::Funds, EastToWest, date(2025, 5, 1), 1);
                    s.activity("a3", "sn", Consumption, K::Purchase, WestToEast, date(2025, 8, 1), 1);
                    s.activity("a4", "js", Industry, K::Investment, EastToWest, date(2025, 8, 2), 1);
                    s.responsibility("r1", "sn", "组织劳务", None, false);
                    s.responsibility("r2", "js", "拨付资金", None, false);
                    s.responsibility("r3", "js", "培训", None, false);
                },
                // two-way 1/4 → credit 1; exchange east→west only → 0.5;
                // west holds 1/3 → credit 2/3; quarters 2025Q1..Q4 judged (31 December closes
                // Q4), Q4 idle → 3/4.
                values: [0.25, 0.5, 0.3333, 0.75],
                // 100 × (0.3 + 0.2·0.5 + 0.2·2/3 + 0.3·0.75) = 75.833…
                score: 75.833333,
            },
        ];
        check_rows(&rows, score);
    }
}
