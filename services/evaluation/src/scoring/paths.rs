//! PATH_DIVERSITY (帮扶路径多元化): does assistance reach a real size in each of the assessment's
//! families, and do several kinds of actors take part?
//!
//! Model 2026.2 measured the spread of record *counts* over forms, so one token record per form
//! earned full marks and a 26.9 亿元 transfer counted like a 3-person training. Here each family is
//! judged by the size of its actuals (`reach.rs`).

use super::criteria::{CriterionDef, Sheet, ind, pct};
use super::effect::Family;
use super::facts::{CATEGORIES, FORMS, Facts, category_index, form_index, tally};
use super::reach::family_reach;
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::PathDiversity,
    about_zh: "资金、人才、产业、劳务、消费、社会帮扶六个考核领域各自做到了多大规模(对照同级结对的\
               全国平均,对数刻度);参与主体类别的多样性。只看做成了多少,不看记录了几条。",
    about_en: "How far each of the six assessment families (funding, talent, industry, labour, \
               consumption, social assistance) reaches against the national average for a pairing \
               of its level (log scale); how many categories of parties take part. What was \
               delivered counts, not how many records were filed.",
    indicators: &[
        ind("families_reached", "六个考核领域的平均规模", "Mean reach over the six families", 0.60),
        ind("category_diversity", "主体类别多样性", "Diversity of actor categories", 0.40),
        ind("families_delivered", "规模大于 0 的考核领域数", "Families with a reach above 0", 0.0),
        ind("forms_used", "已开展的协作形式数", "Forms of cooperation used", 0.0),
        ind("categories_taking_part", "参与主体类别数", "Actor categories taking part", 0.0),
    ],
};

const REC: &str = "推进帮扶路径多元化";
const REC_EN: &str = "Diversify the paths of assistance";

/// Shannon entropy of the counts divided by ln 4: an even spread over four kinds (the paper's four
/// forms; the four social-force categories) is 1, and earns full credit; more kinds read above 1
/// and earn no more.
pub(crate) fn diversity(counts: &[usize]) -> f64 {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let n = total as f64;
    let h: f64 = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / n;
            p * (1.0 / p).ln()
        })
        .sum();
    (h / 4f64.ln()).max(0.0)
}

pub(crate) fn score(f: &Facts) -> Sheet {
    let mut s = Sheet::new(&DEF, f.quiet);
    let reaches: Vec<(Family, f64)> =
        Family::ALL.iter().map(|x| (*x, family_reach(&f.ledger, *x, None, f.level()))).collect();
    let mean = reaches.iter().map(|(_, r)| r).sum::<f64>() / reaches.len() as f64;
    s.part("families_reached", mean, mean);
    let mut categories = [0usize; 7];
    for a in &f.parties {
        if let Some(c) = f.category(a)
            && let Some(slot) = categories.get_mut(category_index(c))
        {
            *slot += 1;
        }
    }
    // Each category present counts once: who takes part, not how many of each. A new party can
    // therefore never lower it (a second government body would, under an evenness measure).
    let present: Vec<usize> = categories.iter().map(|c| usize::from(*c > 0)).collect();
    let cat_div = diversity(&present);
    s.part("category_diversity", cat_div, cat_div.min(1.0));
    let delivered = reaches.iter().filter(|(_, r)| *r > 0.0).count();
    s.part("families_delivered", delivered as f64, 0.0);
    let mut forms = [0usize; 7];
    for x in &f.acts {
        if let Some(slot) = forms.get_mut(form_index(x.a.form)) {
            *slot += 1;
        }
    }
    let forms_used = forms.iter().filter(|x| **x > 0).count();
    s.part("forms_used", forms_used as f64, 0.0);
    let cats = categories.iter().filter(|x| **x > 0).count();
    s.part("categories_taking_part", cats as f64, 0.0);

    let pairing = || vec![f.name.clone()];
    if f.acts.is_empty() {
        if s.loud() {
            s.find(
                format!("评价期内(截至 {})没有任何活动记录", f.as_of),
                format!("No activities are recorded in the period (up to {})", f.as_of),
                pairing(),
            );
        }
    } else if s.loud() {
        let (zh, en): (Vec<String>, Vec<String>) = reaches
            .iter()
            .map(|(x, r)| {
                let (z, e) = x.names();
                (format!("{z} {}", pct(*r)), format!("{e} {}", pct(*r)))
            })
            .unzip();
        if s.loud() {
            s.find(
                format!("各考核领域规模(对照同级全国平均):{}", zh.join("、")),
                format!("Reach per family against the national average for the level: {}", en.join(", ")),
                pairing(),
            );
        }
        let (zh, en) = tally(&forms, &FORMS);
        if s.loud() {
            s.find(
                format!("活动按协作形式分布:{zh}(不计分)"),
                format!("Activities by form (not scored): {en}"),
                pairing(),
            );
        }
    }
    if f.later > 0 && s.loud() {
        s.find(
            format!("另有 {} 项活动日期晚于 {},未计入", f.later, f.as_of),
            format!("Activities dated after {} and not counted: {}", f.as_of, f.later),
            pairing(),
        );
    }
    let weak: Vec<(&str, &str)> = reaches.iter().filter(|(_, r)| *r < 0.5).map(|(x, _)| x.names()).collect();
    if !weak.is_empty() && s.loud() {
        let (zh, en): (Vec<&str>, Vec<&str>) = weak.into_iter().unzip();
        if s.loud() {
            s.recommend(
                format!("{REC}:在{}等领域形成规模,而不是只在一两个领域用力", zh.join("、")),
                format!("{REC_EN}: build up {} rather than relying on one or two families", en.join(", ")),
            );
        }
    }
    if s.loud() {
        let (zh, en) = tally(&categories, &CATEGORIES);
        s.find(format!("参与主体按类别:{zh}"), format!("Parties by category: {en}"), pairing());
    }
    if cat_div < 1.0 && s.loud() {
        s.recommend(
            format!("{REC}:吸纳人民团体、社会组织、民营企业和爱心人士参与结对"),
            format!("{REC_EN}: bring people's organizations, social organizations, private enterprises and caring individuals into the pairing"),
        );
    }
    let idle: Vec<usize> =
        f.p.forms.iter().map(|x| form_index(*x)).filter(|k| forms.get(*k).copied().unwrap_or(0) == 0).collect();
    if !idle.is_empty() && s.loud() {
        let zh: Vec<&str> = idle.iter().filter_map(|k| FORMS.get(*k)).map(|x| x.1).collect();
        let en: Vec<&str> = idle.iter().filter_map(|k| FORMS.get(*k)).map(|x| x.2).collect();
        if s.loud() {
            s.find(
                format!("已申报但尚无活动的协作形式:{}", zh.join("、")),
                format!("Declared forms without any activity: {}", en.join(", ")),
                pairing(),
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::ActivityKind as K;
    use eastwest_domain::ActorCategory::*;
    use eastwest_domain::Indicator::*;
    use eastwest_domain::ParticipantRole::Implementing;
    use eastwest_domain::{FlowDirection, PairingLevel};

    #[test]
    fn diversity_is_shannon_over_ln4() {
        let table: [(&[usize], f64); 4] = [(&[], 0.0), (&[5], 0.0), (&[1, 1], 0.5), (&[3, 3, 3, 3], 1.0)];
        for (counts, want) in table {
            assert!((diversity(counts) - want).abs() < 1e-12, "{counts:?}");
        }
        // p = (1/2, 1/4, 1/4): H = 1.5 ln 2, over ln 4 = 2 ln 2 → 0.75.
        assert!((diversity(&[2, 1, 1]) - 0.75).abs() < 1e-12);
        // Seven even kinds: ln 7 / ln 4, above 1.
        assert!((diversity(&[1; 7]) - 7f64.ln() / 4f64.ln()).abs() < 1e-12);
    }

    /// js gov and sn gov, with an eastern private enterprise taking part.
    fn with_enterprise() -> Snap {
        let mut s = Snap::bare();
        s.actor("ent", PrivateEnterprise, EAST).participant("ent", &[Implementing]);
        s
    }

    #[test]
    fn funding_at_the_reference_and_consumption_at_a_tenth_reach_a_quarter_of_six_families() {
        let mut s = with_enterprise();
        s.deliver("aid", "js", date(2025, 3, 1), &[(FiscalAid, of_reference(FiscalAid, 1.0))]);
        s.deliver("buy", "ent", date(2025, 4, 1), &[(Consumption, of_reference(Consumption, 0.1))]);
        // After the evaluation date: ignored.
        s.deliver("late", "ent", date(2026, 1, 5), &[(SocialDonations, of_reference(SocialDonations, 1.0))]);
        let sheet = score(&s.facts_at(as_of()));
        // Reach: funding 1, consumption 1 + log10(0.1)/2 = ½, the other four 0 → mean 1.5/6 = ¼.
        // Categories government and private enterprise → ln 2 / ln 4 = ½. Context: 2 families
        // delivered, 1 form (both records are OTHER), 2 categories.
        // 100 × (0.60·¼ + 0.40·½) = 35
        assert_values(&sheet, &[0.25, 0.5, 2.0, 1.0, 2.0], "province");
        assert_eq!(sheet.score(), 35.0);
        let findings = sheet.finish(0.1, 35.0).findings;
        assert!(findings.iter().any(|x| x.text.en == format!("Activities dated after {} and not counted: 1", as_of())));

        // The same delivery by a county pairing is judged against a county's share, 11/447 of a
        // province's: both families reach 1 → mean 2/6; 100 × (0.60·⅓ + 0.40·½) = 40.
        s.p().level = PairingLevel::County;
        let county = score(&s.facts_at(as_of()));
        assert_values(&county, &[0.3333, 0.5, 2.0, 1.0, 2.0], "county");
        assert_eq!(county.score(), 40.0);
    }

    #[test]
    fn a_token_record_in_every_form_and_family_earns_nothing() {
        let mut s = with_enterprise();
        s.deliver("aid", "js", date(2025, 3, 1), &[(FiscalAid, of_reference(FiscalAid, 0.1))]);
        let before = score(&s.facts_at(as_of()));
        // Funding ½ → mean 0.5/6: 100 × (0.60·0.5/6 + 0.40·½) = 5 + 20 = 25.
        assert_eq!(before.score(), 25.0);
        for (k, (form, _, _)) in crate::scoring::facts::FORMS.iter().enumerate() {
            s.activity(&format!("t{k}"), "ent", *form, K::Other, FlowDirection::Joint, date(2025, 5, 1), 0);
        }
        // One unit in each other family, far under a hundredth of its reference (1 of ~277
        // cadres, 1 fen of ~1.15e12, 1 of ~66,455 workers…) → reach 0.
        for (k, i) in
            [CadresExchanged, InvestmentArrived, LabourEmployed, Consumption, SocialDonations].iter().enumerate()
        {
            s.deliver(&format!("u{k}"), "ent", date(2025, 6, 1), &[(*i, 1)]);
        }
        let after = score(&s.facts_at(as_of()));
        // Still one family delivered; seven forms used, which is context only.
        assert_values(&after, &[0.5 / 6.0, 0.5, 1.0, 7.0, 2.0], "tokens");
        assert_eq!(after.score(), 25.0);
    }

    #[test]
    fn splitting_one_delivery_into_ten_records_does_not_change_the_score() {
        let k = of_reference(Consumption, 0.01);
        let mut one = Snap::bare();
        one.deliver("buy", "js", date(2025, 4, 1), &[(Consumption, 10 * k)]);
        let mut ten = Snap::bare();
        for n in 0..10 {
            ten.deliver(&format!("buy{n}"), "js", date(2025, 4, 1 + n), &[(Consumption, k)]);
        }
        let (one, ten) = (score(&one.facts_at(as_of())), score(&ten.facts_at(as_of())));
        // Ten hundredths are a tenth: consumption ½ → 100 × 0.60 × 0.5/6 = 5; one category → 0.
        assert_eq!((one.score(), ten.score()), (5.0, 5.0));
    }

    #[test]
    fn categories_count_once_each_and_earn_nothing_beyond_four() {
        let mut s = Snap::bare();
        s.actor("js-dept", GovernmentBody, EAST).participant("js-dept", &[Implementing]);
        // Three government bodies are one category → ln 1 = 0.
        assert_eq!(score(&s.facts_at(as_of())).score(), 0.0);
        for (id, c) in [("fic", PeoplesOrganization), ("so", SocialOrganization), ("ent", PrivateEnterprise)] {
            s.actor(id, c, WEST).participant(id, &[Implementing]);
        }
        let four = score(&s.facts_at(as_of()));
        // Four categories → ln 4 / ln 4 = 1: 100 × 0.40 = 40.
        assert_values(&four, &[0.0, 1.0, 0.0, 0.0, 4.0], "four");
        assert_eq!(four.score(), 40.0);
        s.actor("donor", Individual, EAST).participant("donor", &[Implementing]);
        let five = score(&s.facts_at(as_of()));
        // ln 5 / ln 4 = 1.1610 shown, credit capped at 1.
        assert_values(&five, &[0.0, 5f64.ln() / 4f64.ln(), 0.0, 0.0, 5.0], "five");
        assert_eq!(five.score(), 40.0);
    }
}
