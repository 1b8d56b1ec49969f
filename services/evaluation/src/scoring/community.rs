//! COMMUNITY_AWARENESS (强化共同体意识): is the pairing a two-way relation that lasts: flows from
//! west to east and joint work, people exchanged in both directions, western parties holding
//! duties, and activity kept up quarter after quarter?

use eastwest_domain::{ActivityKind, FlowDirection, Side};

use super::criteria::{CriterionDef, Sheet, ind, pct, share};
use super::facts::{Facts, QUARTERS};
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::CommunityAwareness,
    about_zh: "西向东和双向联合活动占比(达到四分之一即满分);人员是否双向交流;西部主体承担的责任占比\
               (达到一半即满分);近 12 个季度中开展活动的季度占比。",
    about_en: "The share of west-to-east and joint activities (full marks at one quarter); whether \
               personnel are exchanged both ways; the western parties' share of responsibilities \
               (full marks at one half); the share of the last 12 quarters with activity.",
    indicators: &[
        ind("two_way_share", "西向东及双向联合活动占比", "Share of west-to-east and joint activities", 0.30),
        ind("exchange_both_ways", "人员双向交流", "Personnel exchanged both ways", 0.20),
        ind("west_responsibility_share", "西部主体承担责任占比", "Western parties' share of responsibilities", 0.20),
        ind("continuity", "活动连续性(季度)", "Continuity (quarters with activity)", 0.30),
    ],
};

const REC: &str = "强化共同体意识";
const REC_EN: &str = "Strengthen community awareness";

/// Most gap periods listed in one finding.
const MAX_GAPS: usize = 6;

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF);
    let mut two_way = 0;
    let (mut east_to_west, mut west_to_east) = (false, false);
    for x in &f.acts {
        let dir = x.a.direction;
        if matches!(dir, FlowDirection::WestToEast | FlowDirection::Joint) {
            two_way += 1;
        }
        if x.a.kind == ActivityKind::PersonnelExchange {
            east_to_west |= matches!(dir, FlowDirection::EastToWest | FlowDirection::Joint);
            west_to_east |= matches!(dir, FlowDirection::WestToEast | FlowDirection::Joint);
        }
    }
    let tw = share(two_way, f.acts.len());
    s.part("two_way_share", tw, (tw / 0.25).clamp(0.0, 1.0));
    let exchange = (f64::from(u8::from(east_to_west)) + f64::from(u8::from(west_to_east))) / 2.0;
    s.part("exchange_both_ways", exchange, exchange);

    let list = &f.p.responsibilities;
    let western = list.iter().filter(|r| f.side(&r.party) == Some(Side::West)).count();
    let ws = share(western, list.len());
    s.part("west_responsibility_share", ws, (ws / 0.5).clamp(0.0, 1.0));

    let cover = QUARTERS.coverage(f.start(), f.as_of, f.acts.iter().map(|x| x.a.date));
    let continuity = share(cover.active, cover.judged);
    s.part("continuity", continuity, continuity);

    let pairing = || vec![f.name.clone()];
    if f.acts.is_empty() {
        s.find(
            format!("截至 {} 没有任何活动记录", f.as_of),
            format!("No activities are recorded on or before {}", f.as_of),
            pairing(),
        );
    } else {
        s.find(
            format!("西向东或双向联合的活动 {two_way}/{} 项({})", f.acts.len(), pct(tw)),
            format!("{two_way} of {} activities flow west to east or are joint ({})", f.acts.len(), pct(tw)),
            pairing(),
        );
    }
    if tw < 0.25 {
        s.recommend(
            format!("{REC}:开展西部到东部的交流和双方联合活动,变单向帮扶为双向协作"),
            format!("{REC_EN}: add west-to-east exchanges and joint activities, turning one-way aid into two-way collaboration"),
        );
    }
    match (east_to_west, west_to_east) {
        (true, true) => {}
        (false, false) => s.find("没有人员交流活动", "No personnel exchange is recorded", pairing()),
        (true, false) => s.find("人员交流只有东部到西部一个方向", "Personnel go only from east to west", pairing()),
        (false, true) => s.find("人员交流只有西部到东部一个方向", "Personnel go only from west to east", pairing()),
    }
    if exchange < 1.0 {
        s.recommend(
            format!("{REC}:互派干部和专业技术人才,东西双向交流"),
            format!("{REC_EN}: exchange cadres and professionals in both directions"),
        );
    }
    if list.is_empty() {
        s.find(
            "没有列出责任,西部主体也就没有承担责任",
            "No responsibilities are listed, so none is held in the west",
            pairing(),
        );
    } else {
        s.find(
            format!("西部主体承担 {western}/{} 项责任({})", list.len(), pct(ws)),
            format!("Western parties hold {western} of {} responsibilities ({})", list.len(), pct(ws)),
            pairing(),
        );
    }
    if ws < 0.5 {
        s.recommend(
            format!("{REC}:让西部主体承担更多责任,共同对帮扶成效负责"),
            format!("{REC_EN}: let western parties hold more of the duties and share responsibility for results"),
        );
    }
    if cover.judged == 0 {
        s.find(
            "尚无可评价的时段(没有起始日期,或尚未开展活动)",
            "No period can be judged yet (no start date, or no activity so far)",
            pairing(),
        );
    } else if cover.active < cover.judged {
        let shown: Vec<&str> = cover.gaps.iter().take(MAX_GAPS).map(String::as_str).collect();
        let more = cover.gaps.len().saturating_sub(MAX_GAPS);
        let (more_zh, more_en) = if more > 0 {
            (format!(" 等 {} 个", cover.gaps.len()), format!(" and {more} more"))
        } else {
            (String::new(), String::new())
        };
        s.find(
            format!("评价期内 {}/{} 个季度有活动;空缺季度:{}{more_zh}", cover.active, cover.judged, shown.join("、")),
            format!(
                "{} of {} quarters judged have activity; quarters without: {}{more_en}",
                cover.active,
                cover.judged,
                shown.join(", ")
            ),
            pairing(),
        );
    }
    if continuity < 1.0 {
        s.recommend(
            format!("{REC}:保持每个季度都有协作活动,形成长期稳定的结对关系"),
            format!("{REC_EN}: keep up activity every quarter so the pairing becomes a lasting relation"),
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
