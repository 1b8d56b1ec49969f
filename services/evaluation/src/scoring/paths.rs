//! PATH_DIVERSITY (帮扶路径多元化): is assistance spread over several forms of cooperation, several
//! kinds of actors, and government, market and social money alike?

use super::criteria::{CriterionDef, Sheet, ind};
use super::facts::{CATEGORIES, Channel, FORMS, Facts, category_index, form_index, money_channel, tally};
use super::types::Criterion;

pub(crate) static DEF: CriterionDef = CriterionDef {
    criterion: Criterion::PathDiversity,
    about_zh: "活动在产业、教育、就业、消费等协作形式间的分布(香农多样性,以四种形式均匀分布为满分);\
               参与主体类别的多样性;政府、市场、社会三类渠道是否都有活动。",
    about_en: "How evenly activities spread over the forms of cooperation (Shannon diversity, full \
               marks at an even spread over four forms); how many categories of parties take \
               part (log scale, four or more for full marks); whether government, market and society channels all act.",
    indicators: &[
        ind("form_diversity", "协作形式多样性", "Diversity of cooperation forms", 0.45),
        ind("category_diversity", "主体类别多样性", "Diversity of actor categories", 0.35),
        ind("lead_channels", "活动渠道数(政府/市场/社会)", "Channels acting (government, market, society)", 0.20),
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
    let mut s = Sheet::new(&DEF);
    let mut forms = [0usize; 7];
    let mut channels = [false; 3];
    for x in &f.acts {
        if let Some(slot) = forms.get_mut(form_index(x.a.form)) {
            *slot += 1;
        }
        if let Some(c) = x.category
            && let Some(on) = channels.get_mut(money_channel(c, x.a.kind).index())
        {
            *on = true;
        }
    }
    let mut categories = [0usize; 7];
    for a in &f.parties {
        if let Some(c) = f.category(a)
            && let Some(slot) = categories.get_mut(category_index(c))
        {
            *slot += 1;
        }
    }
    let form_div = diversity(&forms);
    s.part("form_diversity", form_div, form_div.min(1.0));
    // Each category present counts once: who takes part, not how many of each. A new party can
    // therefore never lower it (a second government body would, under an evenness measure).
    let present: Vec<usize> = categories.iter().map(|c| usize::from(*c > 0)).collect();
    let cat_div = diversity(&present);
    s.part("category_diversity", cat_div, cat_div.min(1.0));
    let n_channels = channels.iter().filter(|x| **x).count();
    s.part("lead_channels", n_channels as f64, n_channels as f64 / 3.0);
    let forms_used = forms.iter().filter(|x| **x > 0).count();
    s.part("forms_used", forms_used as f64, 0.0);
    let cats = categories.iter().filter(|x| **x > 0).count();
    s.part("categories_taking_part", cats as f64, 0.0);

    let pairing = || vec![f.name.clone()];
    if f.acts.is_empty() {
        s.find(
            format!("截至 {} 没有任何活动记录", f.as_of),
            format!("No activities are recorded on or before {}", f.as_of),
            pairing(),
        );
    } else {
        let (zh, en) = tally(&forms, &FORMS);
        s.find(format!("活动按协作形式分布:{zh}"), format!("Activities by form: {en}"), pairing());
    }
    if f.later > 0 {
        s.find(
            format!("另有 {} 项活动日期晚于 {},未计入", f.later, f.as_of),
            format!("Activities dated after {} and not counted: {}", f.as_of, f.later),
            pairing(),
        );
    }
    if form_div < 1.0 {
        s.recommend(
            format!("{REC}:在产业、教育、就业、消费等协作形式间均衡开展活动"),
            format!("{REC_EN}: spread activities over industry, education, employment and consumption cooperation"),
        );
    }
    let (zh, en) = tally(&categories, &CATEGORIES);
    s.find(format!("参与主体按类别:{zh}"), format!("Parties by category: {en}"), pairing());
    if cat_div < 1.0 {
        s.recommend(
            format!("{REC}:吸纳人民团体、社会组织、民营企业和爱心人士参与结对"),
            format!("{REC_EN}: bring people's organizations, social organizations, private enterprises and caring individuals into the pairing"),
        );
    }
    let names = [("政府", "government"), ("市场", "market"), ("社会", "society")];
    let absent: Vec<(&str, &str)> = Channel::ALL
        .iter()
        .filter(|c| !channels.get(c.index()).copied().unwrap_or(false))
        .filter_map(|c| names.get(c.index()).copied())
        .collect();
    if !absent.is_empty() && !f.acts.is_empty() {
        let zh: Vec<&str> = absent.iter().map(|(z, _)| *z).collect();
        let en: Vec<&str> = absent.iter().map(|(_, e)| *e).collect();
        s.find(
            format!("没有来自{}渠道的活动", zh.join("、")),
            format!("No activity comes through the {} channel", en.join(" or ")),
            pairing(),
        );
    }
    if n_channels < 3 {
        s.recommend(
            format!("{REC}:让政府投入、企业投资与采购、社会捐赠等渠道共同发力"),
            format!("{REC_EN}: combine government funds, enterprise investment and purchases, and social donations"),
        );
    }
    let idle: Vec<usize> =
        f.p.forms.iter().map(|x| form_index(*x)).filter(|k| forms.get(*k).copied().unwrap_or(0) == 0).collect();
    if !idle.is_empty() {
        let zh: Vec<&str> = idle.iter().filter_map(|k| FORMS.get(*k)).map(|x| x.1).collect();
        let en: Vec<&str> = idle.iter().filter_map(|k| FORMS.get(*k)).map(|x| x.2).collect();
        s.find(
            format!("已申报但尚无活动的协作形式:{}", zh.join("、")),
            format!("Declared forms without any activity: {}", en.join(", ")),
            pairing(),
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::ActivityKind as K;
    use eastwest_domain::{ActorCategory::*, CooperationForm::*, FlowDirection::*};

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

    #[test]
    fn table() {
        let rows = [
            Row {
                name: "no activities, two government bodies",
                build: |_| {},
                values: [0.0, 0.0, 0.0, 0.0, 1.0],
                score: 0.0,
            },
            Row {
                name: "two forms evenly, government and market money",
                build: |s| {
                    s.actor("ent", PrivateEnterprise, EAST);
                    s.activity("a1", "js", Industry, K::Funds, EastToWest, date(2025, 3, 1), 100);
                    s.activity("a2", "ent", Consumption, K::Purchase, EastToWest, date(2025, 4, 1), 100);
                    // After as_of: ignored.
                    s.activity("a3", "ent", Education, K::Donation, EastToWest, date(2026, 1, 1), 100);
                },
                // forms (1, 1) → 0.5; parties js, sn (government), ent (private): two categories
                // present → ln 2 / ln 4 = 0.5; channels 2.
                values: [0.5, 0.5, 2.0, 2.0, 2.0],
                // 100 × (0.45·0.5 + 0.35·0.5 + 0.2·2/3) = 53.3333…
                score: 53.333333,
            },
        ];
        check_rows(&rows, score);
    }
}
