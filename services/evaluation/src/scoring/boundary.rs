//! BOUNDARY_CLARITY (帮扶边界清晰化): is it written down what the pairing does and does not do,
//! who plays which role, which side answers for what, and who holds each duty and each target?

use std::collections::BTreeMap;

use super::criteria::{CriterionDef, Sample, Sheet, ind, share};
use super::facts::{Facts, Sector, actor_record, sector};
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::BoundaryClarity,
    about_zh: "帮扶范围及范围内外事项是否写明;参与各方是否都有明确角色;东西两侧是否各有负责方;\
               政府与社会力量可以分开时,出资与负责是否分属不同主体;每项责任是否只落到一个主体;\
               年度协议的目标是否分别落到东部或西部。",
    about_en: "Whether the scope and what lies in and out of it are written down; whether every \
               party holds a role; whether each side has an accountable party; whether funding and \
               accountability sit with different actors where government and social forces could \
               split them; whether each duty falls to exactly one party; whether the year's \
               agreement assigns its targets to the east or the west.",
    indicators: &[
        ind("scope_statement", "帮扶范围说明", "Scope statement written", 0.10),
        ind("scope_lists", "范围内外事项", "In- and out-of-scope lists", 0.15),
        ind("roles_held", "有角色的参与方占比", "Share of parties holding a role", 0.15),
        ind("sides_accountable", "有负责方的东西侧数", "Sides with an accountable party (0–2)", 0.15),
        ind(
            "funding_accountable_separated",
            "出资与负责分离占比",
            "Share of funders and accountable parties kept separate",
            0.10,
        ),
        ind(
            "responsibilities_single_party",
            "责任主体唯一占比",
            "Share of responsibilities held by exactly one party",
            0.15,
        ),
        ind("targets_sided", "落到一侧的协议目标占比", "Share of agreement targets held by a side", 0.20),
    ],
};

const REC: &str = "推进帮扶边界清晰化";
const REC_EN: &str = "Clarify the boundaries of assistance";

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF, f.quiet);
    let p = f.p;
    let pairing = || vec![f.name.clone()];

    // Scope statement and lists.
    let statement = !p.scope.statement.trim().is_empty();
    s.part("scope_statement", f64::from(u8::from(statement)), f64::from(u8::from(statement)));
    if !statement {
        if s.loud() {
            s.find("未填写帮扶范围说明", "No scope statement is written", pairing());
        }
        if s.loud() {
            s.recommend(
                format!("{REC}:写明帮扶范围说明,讲清帮什么、帮到什么程度"),
                format!("{REC_EN}: write a scope statement saying what the assistance covers and how far"),
            );
        }
    }
    let has_in = p.scope.in_scope.iter().any(|x| !x.trim().is_empty());
    let has_out = p.scope.out_of_scope.iter().any(|x| !x.trim().is_empty());
    let lists = (f64::from(u8::from(has_in)) + f64::from(u8::from(has_out))) / 2.0;
    s.part("scope_lists", lists, lists);
    match (has_in, has_out) {
        (true, true) => {}
        (false, false) => {
            if s.loud() {
                s.find("未列出范围内事项和范围外事项", "Neither in-scope nor out-of-scope items are listed", pairing())
            }
        }
        (false, true) => {
            if s.loud() {
                s.find("未列出范围内事项", "No in-scope items are listed", pairing())
            }
        }
        (true, false) => {
            if s.loud() {
                s.find("未列出范围外事项", "No out-of-scope items are listed", pairing())
            }
        }
    }
    if !(has_in && has_out) && s.loud() {
        s.recommend(
            format!("{REC}:分别列出范围内事项和不属于本结对的范围外事项"),
            format!("{REC_EN}: list the items in scope and the items this pairing leaves out"),
        );
    }

    // Every party taking part holds a role.
    let mut roleless = Sample::new();
    for a in &f.parties {
        if !f.roles(a).any() {
            roleless.push(*a);
        }
    }
    let held = f.parties.len() - roleless.total();
    let roles_held = share(held, f.parties.len());
    s.part("roles_held", roles_held, roles_held);
    if !roleless.is_empty() {
        if s.loud() {
            s.find_sample(
                format!("{} 个参与方没有列明角色(出资、负责、执行或实施)", roleless.total()),
                format!(
                    "Parties without a listed role (funding, accountable, extending or implementing): {}",
                    roleless.total()
                ),
                &roleless,
                actor_record,
            );
        }
        if s.loud() {
            s.recommend(
            format!("{REC}:把每个参与方列为参与者,并写明其出资、负责、执行或实施角色"),
            format!(
                "{REC_EN}: list every party as a participant with its funding, accountable, extending or implementing role"
            ),
        );
        }
    }

    // Each side answers for its part: the official assessment holds the east and the west
    // accountable apart, so one accountable party per side is what is asked, not one in all.
    let (mut east, mut west) = (false, false);
    for (a, r) in &f.roles {
        if r.accountable {
            match f.side(a) {
                Some(eastwest_domain::Side::East) => east = true,
                Some(eastwest_domain::Side::West) => west = true,
                None => {}
            }
        }
    }
    let sides = f64::from(u8::from(east)) + f64::from(u8::from(west));
    s.part("sides_accountable", sides, sides / 2.0);
    match (east, west) {
        (true, true) => {}
        (false, false) => {
            if s.loud() {
                s.find("没有参与方承担负责(ACCOUNTABLE)角色", "No participant holds the ACCOUNTABLE role", pairing())
            }
        }
        (true, false) => {
            if s.loud() {
                s.find("西部没有承担负责角色的参与方", "No western participant is ACCOUNTABLE", pairing())
            }
        }
        (false, true) => {
            if s.loud() {
                s.find("东部没有承担负责角色的参与方", "No eastern participant is ACCOUNTABLE", pairing())
            }
        }
    }
    if !(east && west) && s.loud() {
        s.recommend(
            format!("{REC}:东西两侧各明确一个负责方,分别对本侧的帮扶任务负责"),
            format!("{REC_EN}: name an accountable party on each side, answering for that side's tasks"),
        );
    }

    // Funding and accountability kept apart where government and social forces could split them.
    let categories: Vec<Sector> = f.roles.keys().filter_map(|a| f.category(a)).map(sector).collect();
    let separable = categories.contains(&Sector::Government) && categories.iter().any(|x| *x != Sector::Government);
    let mut holders = 0;
    let mut conflicted = Sample::new();
    for (a, r) in &f.roles {
        if r.funding || r.accountable {
            holders += 1;
            if separable && r.funding && r.accountable {
                conflicted.push(*a);
            }
        }
    }
    let separated = share(holders - conflicted.total(), holders);
    s.part("funding_accountable_separated", separated, separated);
    if holders == 0 {
        if s.loud() {
            s.find("没有参与方承担出资或负责角色", "No participant holds a FUNDING or ACCOUNTABLE role", pairing());
        }
    } else if !conflicted.is_empty() && s.loud() {
        s.find_sample(
            format!(
                "{} 个主体既出资又负责,而参与方中既有政府机关也有其他主体,两者本可分开",
                conflicted.total()
            ),
            format!(
                "Actors both funding and accountable, though government bodies and other actors take part and could split the roles: {}",
                conflicted.total()
            ),
            &conflicted,
            actor_record,
        );
    }
    if separated < 1.0 && s.loud() {
        s.recommend(
            format!("{REC}:出资与负责分属不同主体,划清政府与社会力量的边界"),
            format!(
                "{REC_EN}: let different actors fund and answer for the work, separating government from social forces"
            ),
        );
    }

    // Every responsibility held by exactly one known party.
    let mut parties_of_duty: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in &p.responsibilities {
        let holders = parties_of_duty.entry(r.duty.trim()).or_default();
        if !holders.contains(&r.party.as_str()) {
            holders.push(r.party.as_str());
        }
    }
    let mut unclear = Sample::new();
    for r in &p.responsibilities {
        let party = r.party.trim();
        let shared = parties_of_duty.get(r.duty.trim()).is_some_and(|holders| holders.len() > 1);
        if party.is_empty() || !f.is_known(party) || shared {
            unclear.push(r.id.as_str());
        }
    }
    let total = p.responsibilities.len();
    let single = share(total - unclear.total(), total);
    s.part("responsibilities_single_party", single, single);
    if total == 0 {
        if s.loud() {
            s.find(
                "没有列出任何帮扶责任,无法确认责任归属",
                "No responsibilities are listed, so no duty has an owner",
                pairing(),
            );
        }
    } else if !unclear.is_empty() && s.loud() {
        s.find_sample(
            format!("{} 项责任的承担主体不明确,或同一事项分派给了多个主体", unclear.total()),
            format!(
                "Responsibilities without a known party, or sharing their duty with another party: {}",
                unclear.total()
            ),
            &unclear,
            |id| f.responsibility_record(id),
        );
    }
    if single < 1.0 && s.loud() {
        s.recommend(
            format!("{REC}:每项责任只落到一个主体,避免多头负责"),
            format!("{REC_EN}: give every duty to exactly one party"),
        );
    }

    // The agreement's targets, each held by a side.
    let (east_t, west_t, all_t) = f.targets_by_side();
    let sided = share(east_t + west_t, all_t);
    s.part("targets_sided", sided, sided);
    match (f.year, f.agreement) {
        (Some(y), None) if s.loud() => {
            s.find(format!("{y} 年没有年度协作协议"), format!("There is no annual agreement for {y}"), pairing())
        }
        (_, Some(_)) if all_t > east_t + west_t && s.loud() => s.find(
            format!("年度协议 {}/{all_t} 项目标未落到东部或西部", all_t - east_t - west_t),
            format!("{} of {all_t} agreement targets are held by neither side", all_t - east_t - west_t),
            vec![f.agreement_record()],
        ),
        _ => {}
    }
    if sided < 1.0 && s.loud() {
        s.recommend(
            format!("{REC}:签订年度协作协议,把每项目标分别落到东部或西部"),
            format!("{REC_EN}: sign an annual agreement and assign each of its targets to the east or the west"),
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::ActorCategory::{PrivateEnterprise, SocialOrganization};
    use eastwest_domain::Indicator::{Consumption, FiscalAid, LabourEmployed};
    use eastwest_domain::ParticipantRole::*;

    fn findings(sheet: Sheet) -> Vec<(String, Vec<String>)> {
        sheet.finish(0.15, 0.0).findings.into_iter().map(|x| (x.text.en, x.records)).collect()
    }

    /// Scope written both ways; js and sn accountable, an eastern enterprise funds; one duty each;
    /// both targets held by a side.
    fn clear() -> Snap {
        let mut s = Snap::bare();
        s.actor("ent", PrivateEnterprise, EAST);
        s.scope("产业和劳务协作", &["产业园区共建"], &["对口支援项目"]);
        s.participant("js", &[Accountable])
            .participant("sn", &[Accountable])
            .participant("ent", &[Funding, Implementing]);
        s.responsibility("r1", "js", "统筹协调", None, false)
            .responsibility("r2", "sn", "组织实施", None, false)
            .responsibility("r3", "ent", "投资建厂", None, false);
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (LabourEmployed, Some(WEST), 50)]);
        s
    }

    #[test]
    fn a_pairing_that_writes_down_scope_roles_sides_duties_and_sided_targets_scores_full() {
        let s = clear();
        let sheet = score(&s.facts_in(year_2025()));
        // Parties js, sn, ent all hold a role; both sides accountable; government and an
        // enterprise take part, but no holder both funds and answers; three duties, three parties;
        // both targets sided.
        assert_values(&sheet, &[1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0], "clear");
        assert_eq!(sheet.score(), 100.0);
        assert!(findings(sheet).is_empty());
    }

    #[test]
    fn a_government_only_pairing_may_fund_and_answer_through_one_body() {
        let mut s = Snap::bare();
        s.participant("js", &[Accountable, Funding]).participant("sn", &[Accountable, Implementing]);
        let sheet = score(&s.facts_in(year_2025()));
        // Only government bodies take part, so js funding and answering is no conflict: holders
        // js and sn, neither conflicted → 1. Nothing else written, no agreement.
        // 100 × (0.15·1 + 0.15·2/2 + 0.10·1) = 40
        assert_values(&sheet, &[0.0, 0.0, 1.0, 2.0, 1.0, 0.0, 0.0], "government only");
        assert_eq!(sheet.score(), 40.0);
        let texts: Vec<String> = findings(sheet).into_iter().map(|(t, _)| t).collect();
        assert!(texts.contains(&"There is no annual agreement for 2025".to_string()), "{texts:?}");
    }

    #[test]
    fn the_worked_example_loses_marks_for_one_accountable_side_a_conflicted_funder_and_no_agreement() {
        let s = worked_example();
        let sheet = score(&s.facts_at(as_of()));
        // Parties: js, sn, js-fic, sushan-agri, js-college (sn-charity only acts), all with roles.
        // Accountable: js only (east) → 1 side, credit ½. Government, a people's organisation, an
        // enterprise and a college take part, so js (FUNDING + ACCOUNTABLE) is conflicted; holders
        // js and sushan-agri → ½. Five duties, five distinct texts → 1. No year, no agreement → 0.
        // 100 × (0.10 + 0.15 + 0.15 + 0.15·½ + 0.10·½ + 0.15 + 0) = 67.5
        assert_values(&sheet, &[1.0, 1.0, 1.0, 1.0, 0.5, 1.0, 0.0], "worked example");
        assert_eq!(sheet.score(), 67.5);
        let all = findings(sheet);
        assert!(all.iter().any(|(t, r)| t.contains("both funding and accountable") && *r == ["actors/js"]), "{all:?}");
    }

    #[test]
    fn roleless_parties_shared_and_unknown_duties_and_an_unsided_target_are_named() {
        let mut s = Snap::bare();
        s.actor("ent", PrivateEnterprise, EAST).actor("so", SocialOrganization, WEST);
        s.scope("产业协作", &["产业"], &[]);
        s.participant("js", &[Accountable, Funding]).participant("ent", &[Funding]);
        s.responsibility("r1", "js", "拨付资金", None, false)
            .responsibility("r2", "ent", "拨付资金", None, false)
            .responsibility("r3", "so", "动员志愿者", None, false)
            .responsibility("r4", "ghost", "培训", None, false);
        s.agreement(2025, None, &[(FiscalAid, Some(EAST), 100), (Consumption, None, 100)]);
        let sheet = score(&s.facts_in(year_2025()));
        // Lists: in-scope only → ½. Parties js, sn, ent, so, ghost; with a role js, ent → 2/5.
        // Accountable: js (east) → 1 side, ½. Separable (government and an enterprise); holders
        // js (conflicted) and ent → ½. r1 and r2 share a duty, ghost is unknown → r3 alone is
        // clear → 1/4. Targets: 1 of 2 sided → ½.
        // 100 × (0.10 + 0.15·½ + 0.15·0.4 + 0.15·½ + 0.10·½ + 0.15·¼ + 0.20·½)
        //   = 10 + 7.5 + 6 + 7.5 + 5 + 3.75 + 10 = 49.75
        assert_values(&sheet, &[1.0, 0.5, 0.4, 1.0, 0.5, 0.25, 0.5], "muddled");
        assert_eq!(sheet.score(), 49.75);
        let all = findings(sheet);
        let named = |r: &[&str]| all.iter().any(|(_, x)| x == r);
        assert!(named(&["actors/ghost", "actors/sn", "actors/so"]), "{all:?}");
        assert!(
            named(&[
                "pairings/js-sn#responsibilities/r1",
                "pairings/js-sn#responsibilities/r2",
                "pairings/js-sn#responsibilities/r4"
            ]),
            "{all:?}"
        );
        assert!(all.iter().any(|(t, r)| t == "1 of 2 agreement targets are held by neither side"
            && *r == ["pairings/js-sn/agreements/2025"]));
    }

    #[test]
    fn zero_valued_targets_on_a_side_do_not_make_the_agreement_look_sided() {
        let mut s = clear();
        s.agreement(2025, None, &[(FiscalAid, None, 100)]);
        let before = score(&s.facts_in(year_2025()));
        assert_eq!(before.values().last(), Some(&0.0));
        // Two token targets of 0, one per side: nothing is undertaken, so nothing more is sided.
        s.agreement(
            2025,
            None,
            &[(FiscalAid, None, 100), (Consumption, Some(EAST), 0), (LabourEmployed, Some(WEST), 0)],
        );
        let after = score(&s.facts_in(year_2025()));
        assert_eq!(after.values().last(), Some(&0.0));
        // 100 × (1 − 0.20) = 80 either way.
        assert_eq!((before.score(), after.score()), (80.0, 80.0));
    }

    #[test]
    fn handing_the_same_duty_to_a_second_party_with_different_spacing_is_still_shared() {
        let mut s = clear();
        let before = score(&s.facts_in(year_2025())).score();
        s.responsibility("r4", "ent", " 统筹协调 ", None, false);
        let sheet = score(&s.facts_in(year_2025()));
        // r1 (js) and r4 (ent) now share 统筹协调 → 2 of 4 → ½: 100 − 0.15·½·100 = 92.5.
        assert_eq!(sheet.values().get(5), Some(&0.5));
        assert_eq!((before, sheet.score()), (100.0, 92.5));
    }
}
