//! The year's assessment beside the criteria: results per indicator, the two sides graded apart,
//! the findings about evidence and reconciliation, and improvements computed by evaluating again.

use std::collections::BTreeMap;

use chrono::Datelike;

use eastwest_domain::names::activity_name;
use eastwest_domain::{
    Activity, ActivityKind, CooperationForm, FlowDirection, Labels, Measure, PairingSnapshot, Side, Verification,
};

use super::criteria::{MAX_RECORDS, pct, text};
use super::effect::{Goalpost, Source, binding, weights};
use super::facts::{Facts, Period};
use super::grade::{grade_for, shown};
use super::ledger::{Ledger, amount, indicator_names, target_key, wire};
use super::types::{Finding, Grade, IndicatorResult};

/// At most this many improvements are computed.
pub(crate) const MAX_IMPROVEMENTS: usize = 3;
/// At most this many findings of the year's assessment.
const MAX_FINDINGS: usize = 12;

pub(crate) fn side_names(side: Option<Side>) -> (&'static str, &'static str) {
    match side {
        Some(Side::East) => ("东部", "the east"),
        Some(Side::West) => ("西部", "the west"),
        None => ("全结对", "the pairing"),
    }
}

fn records(cell: &super::ledger::Cell) -> Vec<String> {
    cell.records.iter().map(|(p, a)| activity_name(p, a)).collect()
}

/// One result per target of the agreement, then one per indicator with an actual (or last year's
/// figure) but no target for the pairing as a whole, for the pairing as a whole.
pub(crate) fn results(f: &Facts) -> Vec<IndicatorResult> {
    let mut out = Vec::new();
    let mut targets: Vec<_> = f.agreement.map_or(&[][..], |a| a.targets.as_slice()).to_vec();
    targets.sort_by_key(|t| (t.indicator, t.side));
    for t in &targets {
        let cell = f.ledger.cell(t.indicator, t.side);
        let attainment = if t.value > 0 { cell.total as f64 / t.value as f64 } else { 0.0 };
        out.push(IndicatorResult {
            indicator: t.indicator,
            side: t.side,
            target: t.value,
            actual: wire(cell.total),
            previous_actual: wire(f.last.total(t.indicator, t.side)),
            attainment: super::grade::indicator_value(attainment),
            unconfirmed: wire(cell.unconfirmed),
            records: records(&cell),
        });
    }
    let mut untargeted = f.ledger.indicators();
    untargeted.extend(f.last.indicators());
    untargeted.sort();
    untargeted.dedup();
    for i in untargeted {
        // A side's target leaves the pairing's total to be shown on its own row.
        if targets.iter().any(|t| t.indicator == i && t.side.is_none()) {
            continue;
        }
        let cell = f.ledger.cell(i, None);
        out.push(IndicatorResult {
            indicator: i,
            side: None,
            target: 0,
            actual: wire(cell.total),
            previous_actual: wire(f.last.total(i, None)),
            attainment: 0.0,
            unconfirmed: wire(cell.unconfirmed),
            records: records(&cell),
        });
    }
    out
}

/// What one side reports of one fact: the sum and the records behind it.
type SideReport = (i128, Vec<String>);

/// Findings about the year's delivery: shortfalls, the "not less than last year" rule, how much
/// rests on one side's word, the two sides reporting one fact differently, and children reporting
/// more than their parent.
pub(crate) fn findings(f: &Facts, posts: &[Goalpost], children: &[(String, Ledger)]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |zh: String, en: String, records: Vec<String>| {
        if out.len() < MAX_FINDINGS {
            out.push(Finding { text: text(zh, en), records });
        }
    };
    for p in posts {
        let (iz, ie) = indicator_names(p.indicator);
        let (sz, se) = side_names(p.side);
        let (az, ae) = amount(p.indicator, p.actual.total);
        let rec = records(&p.actual).into_iter().take(MAX_RECORDS).collect::<Vec<_>>();
        if binding(p.indicator) && p.previous > 0 && p.actual.total < p.previous {
            let (pz, pe) = amount(p.indicator, p.previous);
            push(
                format!("{sz}{iz}从上年 {pz} 减少到 {az},不符合\"资金、干部人才支持不减少\"的要求"),
                format!(
                    "{} {ie} fell from {pe} last year to {ae}, against the rule that support must not decrease",
                    capital(se)
                ),
                rec.clone(),
            );
        }
        if p.source == Source::Target && p.actual.total < p.target {
            let (tz, te) = amount(p.indicator, p.target);
            push(
                format!("{sz}{iz}完成 {az},未达协议目标 {tz}({})", pct(ratio(p.actual.total, p.target))),
                format!("{} {ie}: {ae} of the agreed {te} ({})", capital(se), pct(ratio(p.actual.total, p.target))),
                vec![format!("{}#targets/{}", f.agreement_record(), target_key(p.indicator, p.side))],
            );
        }
    }
    // An agreement changed after its year ended: its targets may not be the ones agreed.
    if let Some(a) = f.agreement {
        let changed = chrono::DateTime::from_timestamp_micros(a.update_time).map(|t| t.date_naive());
        if let Some(day) = changed.filter(|day| day.year() > a.year) {
            push(
                format!("{} 年度协议在 {day} 修改过,晚于该年度结束:其目标可能不是当年商定的目标", a.year),
                format!(
                    "The {} agreement was changed on {day}, after its year ended: its targets may not be the ones agreed",
                    a.year
                ),
                vec![f.agreement_record()],
            );
        }
    }
    // How much of the effectiveness score rests on REPORTED records only.
    let w = weights(posts, None);
    let earned: f64 = posts.iter().zip(&w).map(|(p, w)| w * p.credit()).sum();
    let unconfirmed: f64 = posts
        .iter()
        .zip(&w)
        .filter(|(p, _)| p.actual.total > 0)
        .map(|(p, w)| w * p.credit() * p.actual.unconfirmed as f64 / p.actual.total as f64)
        .sum();
    if earned > 0.0 && unconfirmed > 0.5 * earned {
        push(
            format!("成效得分的 {} 来自仅由一方报告、未经另一方确认的记录", pct(unconfirmed / earned)),
            format!(
                "{} of the effectiveness score rests on records reported by one side and not confirmed by the other",
                pct(unconfirmed / earned)
            ),
            vec![f.name.clone()],
        );
    }
    // The two sides reporting the same fact (indicator and date): with different values, or with
    // equal ones (likely one fact counted twice in a pairing-wide total).
    let mut by_fact: BTreeMap<(eastwest_domain::Indicator, chrono::NaiveDate), [SideReport; 2]> = BTreeMap::new();
    for x in &f.acts {
        let slot = match f.side(&x.a.actor) {
            Some(Side::East) => 0,
            Some(Side::West) => 1,
            None => continue,
        };
        for m in x.a.measures() {
            let entry = by_fact.entry((m.indicator, x.a.date)).or_default();
            if let Some((sum, names)) = entry.get_mut(slot) {
                *sum += i128::from(m.value.max(0));
                names.push(activity_name(&x.a.pairing, &x.a.id));
            }
        }
    }
    for ((i, date), [(east, e_names), (west, w_names)]) in by_fact {
        if east > 0 && west > 0 && east != west {
            let (iz, ie) = indicator_names(i);
            let (ez, ee) = amount(i, east);
            let (wz, we) = amount(i, west);
            push(
                format!("东西双方对 {date} 的{iz}报告不一致:东部 {ez},西部 {wz},需交叉核查"),
                format!("The two sides report {ie} on {date} differently: east {ee}, west {we}; reconcile them"),
                e_names.into_iter().chain(w_names).take(MAX_RECORDS).collect(),
            );
        } else if east > 0 && east == west {
            // Equal reports are most likely one fact told twice: a pairing-wide actual counts it
            // once per side.
            let (iz, ie) = indicator_names(i);
            let (az, ae) = amount(i, east);
            push(
                format!("东西双方对 {date} 的{iz}各报告了 {az}:若是同一事实,全结对合计会重复计算,请只由实施方记录一次"),
                format!(
                    "Both sides report {ae} of {ie} on {date}: if this is one fact, the pairing's total counts it twice; record it once, by the side that delivered it"
                ),
                e_names.into_iter().chain(w_names).take(MAX_RECORDS).collect(),
            );
        }
    }
    // A child pairing reporting more than its parent for the same indicator and period.
    for (child, ledger) in children {
        for i in ledger.indicators() {
            let theirs = ledger.total(i, None);
            let ours = f.ledger.total(i, None);
            if theirs > ours {
                let (iz, ie) = indicator_names(i);
                let (cz, ce) = amount(i, theirs);
                let (oz, oe) = amount(i, ours);
                push(
                    format!("下级结对 {child} 的{iz}({cz})高于本结对({oz}),上下级数据需核对"),
                    format!("Child pairing {child} reports more {ie} ({ce}) than this pairing ({oe}); reconcile them"),
                    vec![child.clone(), f.name.clone()],
                );
            }
        }
    }
    out
}

fn ratio(a: i128, b: i128) -> f64 {
    if b <= 0 { 0.0 } else { a as f64 / b as f64 }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|first| first.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The goalposts whose completion would likely raise the score most: the largest weighted
/// shortfalls of attainment, at most [`MAX_IMPROVEMENTS`], in that order.
pub(crate) fn candidates(posts: &[Goalpost]) -> Vec<&Goalpost> {
    let w = weights(posts, None);
    let mut ranked: Vec<(f64, usize)> = posts
        .iter()
        .zip(&w)
        .enumerate()
        .filter(|(_, (p, _))| p.actual.total < p.bar)
        .map(|(k, (p, w))| (w * (1.0 - p.attained()), k))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(MAX_IMPROVEMENTS).filter_map(|(_, k)| posts.get(k)).collect()
}

/// The snapshot with one more activity that meets the goalpost exactly, dated `as_of`.
#[cfg(test)]
pub(crate) fn with_met(snapshot: &PairingSnapshot, p: &Goalpost, period: Period) -> PairingSnapshot {
    let mut out = snapshot.clone();
    out.activities.push(eastwest_domain::Stored { record: met_activity(snapshot, p, period), etag: String::new() });
    out
}

/// The one activity that meets the goalpost exactly, dated `as_of`, by the pairing's western party
/// for a western goalpost, else its eastern party.
pub(crate) fn met_activity(snapshot: &PairingSnapshot, p: &Goalpost, period: Period) -> Activity {
    let pairing = &snapshot.pairing.record;
    let actor = match p.side {
        Some(Side::West) => pairing.west.clone(),
        Some(Side::East) | None => pairing.east.clone(),
    };
    let missing = i64::try_from(p.bar - p.actual.total).unwrap_or(i64::MAX);
    {
        Activity {
            pairing: pairing.id.clone(),
            id: "improvement".into(),
            actor,
            form: CooperationForm::Other,
            kind: ActivityKind::Other,
            direction: FlowDirection::EastToWest,
            date: period.as_of,
            amount_fen: 0,
            people: 0,
            measures: vec![Measure { indicator: p.indicator, value: missing }],
            verification: Verification::Reported,
            description: String::new(),
            labels: Labels::new(),
            create_time: 0,
        }
    }
}

/// The improvement text for a goalpost, given the score it would reach.
pub(crate) fn improvement_text(p: &Goalpost, gain: f64, reached: f64) -> super::types::Text {
    let (iz, ie) = indicator_names(p.indicator);
    let (sz, se) = side_names(p.side);
    let (mz, me) = amount(p.indicator, p.bar - p.actual.total);
    let grade = grade_for(reached);
    let (gz, ge) = grade_names(grade);
    let what_zh = match p.source {
        Source::Target => "协议目标",
        Source::LastYear => "上年水平",
    };
    let what_en = match p.source {
        Source::Target => "agreed target",
        Source::LastYear => "last year's level",
    };
    text(
        format!("{sz}{iz}再完成 {mz} 达到{what_zh},总分可提高 {gain:.1} 分至 {:.1}({gz})", shown(reached)),
        format!(
            "Delivering {me} more {ie} for {se} to reach the {what_en} would raise the overall score by {gain:.1} to {:.1} ({ge})",
            shown(reached)
        ),
    )
}

pub(crate) fn grade_names(g: Grade) -> (&'static str, &'static str) {
    match g {
        Grade::Good => ("好", "good"),
        Grade::FairlyGood => ("较好", "fairly good"),
        Grade::Average => ("一般", "average"),
        Grade::Poor => ("差", "poor"),
    }
}
