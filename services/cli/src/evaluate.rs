//! `evaluate`, `summary` and `report`: the evaluation service seen from the command line.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use eastwest_proto::evaluation::v1 as ev;
use eastwest_proto::evaluation::v1::evaluation_service_client::EvaluationServiceClient;
use eastwest_proto::registry::v1 as pb;
use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;
use tonic::transport::Channel;

use crate::cli::{EvaluateArgs, GroupByArg, Output, PairingFilters, ReportArgs, ReportFormat, SummaryArgs};
use crate::connect::named;
use crate::error::{CliError, CliResult};
use crate::json::{self, Fields};
use crate::output::{Table, print_json, short};
use crate::records::pairing_listing;
use crate::report::{ResultRow, fiscal_aid, level_order, quantity, quantity_per, result_rows};

type Evaluation = EvaluationServiceClient<Channel>;
type Registry = RegistryServiceClient<Channel>;

/// The wire year of a request: the one given, or 0 for none.
fn wire_year(year: Option<i32>) -> i32 {
    year.unwrap_or(0)
}

pub fn filter(f: &PairingFilters) -> ev::PairingFilter {
    let l = pairing_listing(f);
    ev::PairingFilter {
        actor: l.actor,
        level: l.level,
        leadership: l.leadership,
        state: l.state,
        parent: l.parent,
        region_code_prefix: l.region_code_prefix,
    }
}

/// 好 / 较好 / 一般 / 差 with the English name.
pub fn grade_label(raw: i32) -> &'static str {
    match ev::Grade::try_from(raw) {
        Ok(ev::Grade::Good) => "好 good",
        Ok(ev::Grade::FairlyGood) => "较好 fairly good",
        Ok(ev::Grade::Average) => "一般 average",
        Ok(ev::Grade::Poor) => "差 poor",
        _ => "-",
    }
}

/// A side's score and grade, `-` where the evaluation does not grade it.
fn side_label(e: &ev::Evaluation, side: pb::Side) -> String {
    e.sides
        .iter()
        .find(|s| s.side == side as i32)
        .map_or_else(|| "-".to_owned(), |s| format!("{:.1} {}", s.score, grade_label(s.grade)))
}

fn level_label(raw: i32) -> String {
    pb::PairingLevel::try_from(raw)
        .ok()
        .filter(|l| *l != pb::PairingLevel::Unspecified)
        .map(|l| short(l.as_str_name(), "PAIRING_LEVEL_").to_lowercase().replace('_', "-"))
        .unwrap_or_else(|| "level not stated".into())
}

fn criterion_label(raw: i32) -> String {
    ev::Criterion::try_from(raw).map(|c| short(c.as_str_name(), "CRITERION_")).unwrap_or_else(|_| raw.to_string())
}

fn leadership_label(raw: i32) -> String {
    eastwest_proto::registry::v1::Leadership::try_from(raw)
        .ok()
        .filter(|l| *l != eastwest_proto::registry::v1::Leadership::Unspecified)
        .map(|l| short(l.as_str_name(), "LEADERSHIP_"))
        .unwrap_or_else(|| "unknown".into())
}

/// The ranking, like with like: one table per level (province, prefecture, county, …, an unstated
/// level last), each ranked by score, best first, ties by pairing name. Evaluations of a year add
/// effectiveness, governance and both sides' grades; province pairings of a year add their fiscal
/// aid, the county pairings below them (`counties`, by pairing name) and the aid per county pairing.
pub fn ranking_text(evaluations: &[ev::Evaluation], counties: &BTreeMap<String, usize>) -> String {
    let mut sorted: Vec<&ev::Evaluation> = evaluations.iter().collect();
    sorted.sort_by(|a, b| {
        level_order(a.level)
            .cmp(&level_order(b.level))
            .then_with(|| b.overall_score.total_cmp(&a.overall_score))
            .then_with(|| a.pairing.cmp(&b.pairing))
    });
    let mut out = String::new();
    for group in sorted.chunk_by(|a, b| level_order(a.level) == level_order(b.level)) {
        let Some(first) = group.first() else { continue };
        let yearly = group.iter().any(|e| e.year != 0);
        let province = yearly && first.level == pb::PairingLevel::Province as i32;
        let mut headers = vec!["#", "SCORE", "GRADE"];
        if yearly {
            headers.extend(["EFFECTIVENESS", "GOVERNANCE", "EAST", "WEST"]);
        }
        if province {
            headers.extend(["FISCAL AID", "COUNTIES", "PER COUNTY"]);
        }
        headers.extend(["PAIRING", "TITLE", "LEADERSHIP (DECLARED/INFERRED)"]);
        let mut table = Table::new(&headers);
        for (i, e) in group.iter().enumerate() {
            let mismatch = if e.leadership_mismatch { " !" } else { "" };
            let mut row =
                vec![(i + 1).to_string(), format!("{:.1}", e.overall_score), grade_label(e.grade).to_string()];
            if yearly {
                row.extend([
                    e.effectiveness_score.map_or_else(|| "-".to_owned(), |x| format!("{x:.1}")),
                    format!("{:.1}", e.governance_score),
                    side_label(e, pb::Side::East),
                    side_label(e, pb::Side::West),
                ]);
            }
            if province {
                let fiscal = pb::Indicator::FiscalAid as i32;
                let aid = fiscal_aid(e);
                let n = counties.get(&e.pairing).copied();
                row.extend([
                    aid.map_or_else(|| "-".to_owned(), |a| quantity(fiscal, a)),
                    n.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                    match (aid, n) {
                        (Some(a), Some(n)) if n > 0 => quantity_per(fiscal, a, n),
                        _ => "-".to_owned(),
                    },
                ]);
            }
            row.extend([
                e.pairing.clone(),
                e.pairing_title.clone(),
                format!(
                    "{}/{}{mismatch}",
                    leadership_label(e.declared_leadership),
                    leadership_label(e.inferred_leadership)
                ),
            ]);
            table.row(row);
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let noun = if group.len() == 1 { "pairing" } else { "pairings" };
        out.push_str(&format!("{} · {} {noun}\n", level_label(first.level), group.len()));
        out.push_str(&table.render());
    }
    out
}

/// Counts as whole numbers, shares and indices to four decimals, as docs/scoring.md gives them.
fn indicator_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { format!("{v:.4}") }
}

/// One evaluation for people: the score and grade; for a year also effectiveness, governance,
/// both sides, the results and the improvements; then the criteria with their indicators, and the
/// findings and recommendations. `counties`: the county pairings below a province pairing.
pub fn render_one(e: &ev::Evaluation, counties: Option<usize>) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", e.pairing, e.pairing_title);
    let year = if e.year != 0 { format!("year {}: ", e.year) } else { String::new() };
    let _ = writeln!(
        s,
        "{year}overall {:.1}  {}  (as of {}, model {})",
        e.overall_score,
        grade_label(e.grade),
        e.as_of,
        e.model_version
    );
    if e.leadership_mismatch {
        let _ = writeln!(
            s,
            "leadership: declared {}, but the funding and accountability point to {}",
            leadership_label(e.declared_leadership),
            leadership_label(e.inferred_leadership)
        );
    }
    if e.year != 0 {
        let effectiveness = e.effectiveness_score.map_or_else(|| "-".to_owned(), |x| format!("{x:.1}"));
        let _ = writeln!(s, "effectiveness {effectiveness}  governance {:.1}", e.governance_score);
        let _ = writeln!(s, "east {}  west {}", side_label(e, pb::Side::East), side_label(e, pb::Side::West));
        match counties {
            Some(0) => s.push_str("no county pairings below it in the registry\n"),
            Some(n) => {
                let _ = writeln!(s, "{n} county pairings below (PER COUNTY: the actual divided among them)");
            }
            None => {}
        }
        let rows = result_rows(e, counties);
        s.push_str("\nRESULTS\n");
        if rows.is_empty() {
            s.push_str("  no indicator figures for the year\n");
        } else {
            s.push_str(&results_table(&rows).render());
        }
        if !e.improvements.is_empty() {
            s.push_str("\nIMPROVEMENTS\n");
            for i in &e.improvements {
                let gain = format!("+{:.1}", i.score_gain);
                let _ = writeln!(s, "  {gain}  {}\n  {:width$}  {}", i.text, "", i.text_en, width = gain.len());
            }
        }
        if !e.findings.is_empty() {
            let _ = writeln!(s, "\nFINDINGS OF {}", e.year);
            for f in &e.findings {
                finding(&mut s, f);
            }
        }
    }
    let mut table = Table::new(&["CRITERION", "SCORE", "WEIGHT", "INDICATORS"]);
    for c in &e.criteria {
        let indicators: Vec<String> =
            c.indicators.iter().map(|i| format!("{}={}", i.key, indicator_value(i.value))).collect();
        table.row(vec![
            criterion_label(c.criterion),
            format!("{:.1}", c.score),
            format!("{:.2}", c.weight),
            indicators.join(" "),
        ]);
    }
    s.push('\n');
    s.push_str(&table.render());
    for c in &e.criteria {
        if c.findings.is_empty() && c.recommendations.is_empty() {
            continue;
        }
        let _ = write!(s, "\n{}\n", criterion_label(c.criterion));
        for f in &c.findings {
            finding(&mut s, f);
        }
        for r in &c.recommendations {
            let _ = writeln!(s, "  → {}\n    {}", r.text, r.text_en);
        }
    }
    s
}

fn finding(s: &mut String, f: &ev::Finding) {
    use std::fmt::Write as _;
    let records = if f.records.is_empty() { String::new() } else { format!(" [{}]", f.records.join(", ")) };
    let _ = writeln!(s, "  - {}{records}\n    {}", f.text, f.text_en);
}

fn results_table(rows: &[ResultRow]) -> Table {
    let per_county = rows.iter().any(|r| r.per_county.is_some());
    let mut headers = vec!["INDICATOR", "SIDE", "TARGET", "ACTUAL"];
    if per_county {
        headers.push("PER COUNTY");
    }
    headers.extend(["PREVIOUS", "ATTAINMENT", "UNCONFIRMED"]);
    let mut table = Table::new(&headers);
    for r in rows {
        let mut row = vec![r.indicator.clone(), r.side.to_owned(), r.target.clone(), r.actual.clone()];
        if per_county {
            row.push(r.per_county.clone().unwrap_or_else(|| "—".to_owned()));
        }
        row.extend([r.previous.clone(), r.attainment.clone(), r.unconfirmed.clone()]);
        table.row(row);
    }
    table
}

/// The county pairings below each province pairing among `evaluations` that is evaluated for a
/// year (the only ones whose per-county figures are shown). The evaluation does not carry that
/// number, so it is counted here from ListPairings by `parent`: the county pairings directly below
/// the province pairing and those below its prefecture pairings (province → prefecture → county);
/// nothing deeper is read.
pub async fn county_counts(
    registry: &mut Registry,
    evaluations: &[ev::Evaluation],
) -> CliResult<BTreeMap<String, usize>> {
    let mut out = BTreeMap::new();
    let provinces: BTreeSet<&str> = evaluations
        .iter()
        .filter(|e| e.year != 0 && e.level == pb::PairingLevel::Province as i32)
        .map(|e| e.pairing.as_str())
        .collect();
    for province in provinces {
        let mut counties = 0;
        for child in children(registry, province).await? {
            if child.level == pb::PairingLevel::County as i32 {
                counties += 1;
            } else if child.level == pb::PairingLevel::Prefecture as i32 {
                counties += children(registry, &child.name)
                    .await?
                    .iter()
                    .filter(|c| c.level == pb::PairingLevel::County as i32)
                    .count();
            }
        }
        out.insert(province.to_owned(), counties);
    }
    Ok(out)
}

/// The direct children of a pairing, every page.
async fn children(registry: &mut Registry, parent: &str) -> CliResult<Vec<pb::Pairing>> {
    let mut request = pb::ListPairingsRequest { parent: parent.to_owned(), page_size: 1000, ..Default::default() };
    let mut all = Vec::new();
    loop {
        let page = registry.list_pairings(request.clone()).await?.into_inner();
        all.extend(page.pairings);
        if page.next_page_token.is_empty() {
            return Ok(all);
        }
        request.page_token = page.next_page_token;
    }
}

/// [`county_counts`] from the registry at `url`; on failure a warning, and no per-county figures.
async fn county_counts_at(url: &str, timeout_secs: u64, evaluations: &[ev::Evaluation]) -> BTreeMap<String, usize> {
    if !evaluations.iter().any(|e| e.year != 0 && e.level == pb::PairingLevel::Province as i32) {
        return BTreeMap::new();
    }
    let counted = match crate::connect::registry(url, Duration::from_secs(timeout_secs)) {
        Ok(mut registry) => county_counts(&mut registry, evaluations).await,
        Err(e) => Err(e),
    };
    counted.unwrap_or_else(|e| {
        eprintln!("warning: no per-county figures: cannot count the county pairings at {url}: {e}");
        BTreeMap::new()
    })
}

/// Every evaluation the filters match, from the stream.
pub async fn collect(
    client: &mut Evaluation,
    f: &PairingFilters,
    as_of: &str,
    year: Option<i32>,
) -> CliResult<Vec<ev::Evaluation>> {
    let request =
        ev::EvaluatePairingsRequest { filter: Some(filter(f)), as_of: as_of.to_string(), year: wire_year(year) };
    let mut stream = client.evaluate_pairings(request).await?.into_inner();
    let mut all = Vec::new();
    while let Some(e) = stream.message().await? {
        all.push(e);
    }
    Ok(all)
}

pub async fn evaluate(mut client: Evaluation, output: Output, args: EvaluateArgs) -> CliResult {
    if !args.all {
        let pairing = args.pairing.as_deref().map(|p| named("pairings", p)).unwrap_or_default();
        let request = ev::EvaluatePairingRequest { pairing, as_of: args.as_of.clone(), year: wire_year(args.year) };
        let e = client.evaluate_pairing(request).await?.into_inner();
        match output {
            Output::Json => print_json(&json::to_value(json::EVALUATION, &e, Fields::All)?),
            Output::Table => {
                let counties = county_counts_at(&args.registry, args.timeout_secs, std::slice::from_ref(&e)).await;
                crate::output::emit(&render_one(&e, counties.get(&e.pairing).copied()));
            }
        }
        return Ok(());
    }
    let request = ev::EvaluatePairingsRequest {
        filter: Some(filter(&args.filters)),
        as_of: args.as_of.clone(),
        year: wire_year(args.year),
    };
    let mut stream = client.evaluate_pairings(request).await?.into_inner();
    match output {
        // Scripts get each evaluation as it arrives.
        Output::Json => {
            while let Some(e) = stream.message().await? {
                print_json(&json::to_value(json::EVALUATION, &e, Fields::All)?);
            }
        }
        Output::Table => {
            let mut all = Vec::new();
            while let Some(e) = stream.message().await? {
                all.push(e);
            }
            let counties = county_counts_at(&args.registry, args.timeout_secs, &all).await;
            crate::output::emit(&ranking_text(&all, &counties));
        }
    }
    Ok(())
}

pub async fn summary(mut client: Evaluation, output: Output, args: SummaryArgs) -> CliResult {
    let group_by = match args.group_by {
        GroupByArg::EastProvince => ev::GroupBy::EastProvince,
        GroupByArg::WestProvince => ev::GroupBy::WestProvince,
        GroupByArg::Leadership => ev::GroupBy::Leadership,
        GroupByArg::Level => ev::GroupBy::Level,
    };
    let request = ev::SummarizeEvaluationsRequest {
        filter: Some(filter(&args.filters)),
        as_of: args.as_of.clone(),
        group_by: group_by as i32,
        year: wire_year(args.year),
    };
    let summary = client.summarize_evaluations(request).await?.into_inner();
    match output {
        Output::Json => {
            for g in &summary.groups {
                print_json(&json::to_value(json::GROUP, g, Fields::All)?);
            }
        }
        Output::Table => {
            let mut table = Table::new(&[
                "GROUP",
                "PAIRINGS",
                "MEAN",
                "MIN",
                "P25",
                "MEDIAN",
                "P75",
                "MAX",
                "好/较好/一般/差",
                "WEAKEST CRITERION",
            ]);
            for g in &summary.groups {
                let grades: Vec<String> = g.grade_counts.iter().map(|c| c.count.to_string()).collect();
                let key = match crate::report::province_name(&g.key) {
                    Some(name) => format!("{} {name}", g.key),
                    None => g.key.clone(),
                };
                table.row(vec![
                    key,
                    g.count.to_string(),
                    format!("{:.1}", g.mean_score),
                    format!("{:.1}", g.min_score),
                    format!("{:.1}", g.p25_score),
                    format!("{:.1}", g.median_score),
                    format!("{:.1}", g.p75_score),
                    format!("{:.1}", g.max_score),
                    grades.join("/"),
                    format!("{} ({:.1})", criterion_label(g.weakest_criterion), g.weakest_criterion_mean),
                ]);
            }
            table.print();
            let year = args.year.map(|y| format!(", year {y}")).unwrap_or_default();
            crate::outln!(
                "{} pairings, as of {}{year}, model {}",
                summary.pairings,
                summary.as_of,
                summary.model_version
            );
        }
    }
    Ok(())
}

fn describe_filters(f: &PairingFilters) -> String {
    let mut parts = Vec::new();
    if let Some(a) = &f.actor {
        parts.push(format!("actor {a}"));
    }
    if let Some(l) = f.level {
        parts.push(format!("level {l:?}"));
    }
    if let Some(l) = f.leadership {
        parts.push(format!("leadership {l:?}"));
    }
    if let Some(s) = f.state {
        parts.push(format!("state {s:?}"));
    }
    if let Some(p) = &f.parent {
        parts.push(format!("under {p}"));
    }
    if let Some(r) = &f.region_prefix {
        parts.push(format!("region {r}*"));
    }
    if parts.is_empty() { "all pairings".into() } else { parts.join(", ") }
}

pub async fn report(mut client: Evaluation, args: ReportArgs) -> CliResult {
    let evaluations = collect(&mut client, &args.filters, &args.as_of, args.year).await?;
    let as_of = evaluations.first().map(|e| e.as_of.clone()).unwrap_or_else(|| args.as_of.clone());
    let model_version = match evaluations.first() {
        Some(e) => e.model_version.clone(),
        None => client.get_scoring_model(ev::GetScoringModelRequest {}).await?.into_inner().version,
    };
    // The trend: each earlier year evaluated on its own, as of its last day.
    let trend_years = args.year.map(crate::report::trend_years).unwrap_or_default();
    let mut trends = crate::report::Trends::new();
    for &year in &trend_years {
        let of_year = if Some(year) == args.year {
            evaluations.clone()
        } else {
            collect(&mut client, &args.filters, "", Some(year)).await?
        };
        for e in of_year {
            trends.entry(e.pairing.clone()).or_default().push(crate::report::YearGrade {
                year,
                score: e.overall_score,
                grade: e.grade,
            });
        }
    }
    let counties = county_counts_at(&args.registry, args.timeout_secs, &evaluations).await;
    let generated = eastwest_domain::dates::iso_date(eastwest_domain::dates::today_in_china());
    let filters = describe_filters(&args.filters);
    let input = crate::report::ReportInput {
        title: "东西部协作评估报告 · East-West Collaboration assessment",
        generated: &generated,
        as_of: &as_of,
        model_version: &model_version,
        filters: &filters,
        evaluations: &evaluations,
        year: args.year,
        trend_years: &trend_years,
        trends: &trends,
        counties: &counties,
    };
    let text = match args.format {
        ReportFormat::Markdown => crate::report::markdown(&input),
        ReportFormat::Html => crate::report::html(&input),
    };
    std::fs::write(&args.out, text)
        .map_err(|e| CliError::Other(anyhow::anyhow!("cannot write {}: {e}", args.out.display())))?;
    eprintln!("wrote {} ({} pairings)", args.out.display(), evaluations.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yearly() -> ev::Evaluation {
        ev::Evaluation {
            pairing: "pairings/js-sn".into(),
            pairing_title: "江苏—陕西东西部协作".into(),
            model_version: "2027.1".into(),
            as_of: "2024-12-31".into(),
            level: pb::PairingLevel::Province as i32,
            year: 2024,
            overall_score: 78.3,
            grade: ev::Grade::FairlyGood as i32,
            effectiveness_score: Some(80.0),
            governance_score: 75.8,
            sides: vec![
                ev::SideAssessment { side: pb::Side::East as i32, score: 91.0, grade: ev::Grade::Good as i32 },
                ev::SideAssessment { side: pb::Side::West as i32, score: 64.5, grade: ev::Grade::Average as i32 },
            ],
            results: vec![ev::IndicatorResult {
                indicator: pb::Indicator::FiscalAid as i32,
                side: pb::Side::East as i32,
                target: 300_000_000_000,
                actual: 269_000_000_000,
                previous_actual: 250_000_000_000,
                attainment: 269.0 / 300.0,
                unconfirmed: 67_250_000_000,
                records: vec![],
            }],
            improvements: vec![ev::Improvement {
                text: "完成财政援助资金目标".into(),
                text_en: "Meet the fiscal aid target".into(),
                score_gain: 4.2,
            }],
            findings: vec![ev::Finding {
                text: "东部财政援助资金未达协议目标".into(),
                text_en: "The east's fiscal aid fell short of the agreement".into(),
                records: vec!["pairings/js-sn/agreements/2024#targets/fiscal-aid-east".into()],
            }],
            criteria: vec![ev::CriterionScore {
                criterion: ev::Criterion::BoundaryClarity as i32,
                score: 91.6,
                weight: 0.15,
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_year_is_told_score_sides_results_improvements_then_criteria() {
        let text = render_one(&yearly(), Some(10));
        let order = [
            "year 2024: overall 78.3  较好 fairly good  (as of 2024-12-31, model 2027.1)",
            "effectiveness 80.0  governance 75.8",
            "east 91.0 好 good  west 64.5 一般 average",
            "10 county pairings below",
            "RESULTS",
            "INDICATOR",
            "IMPROVEMENTS",
            "+4.2  完成财政援助资金目标",
            "FINDINGS OF 2024",
            "CRITERION",
            "BOUNDARY_CLARITY",
        ];
        let at: Vec<usize> = order.iter().map(|t| text.find(t).unwrap_or_else(|| panic!("{t} in\n{text}"))).collect();
        assert!(at.is_sorted(), "{text}");
        let row = text.lines().find(|l| l.starts_with("财政援助资金")).expect("a fiscal aid row");
        let cells: Vec<&str> = row.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
        assert_eq!(
            cells,
            [
                "财政援助资金 fiscal aid",
                "东部 east",
                "30.00 亿元",
                "26.90 亿元",
                "2.69 亿元",
                "25.00 亿元",
                "89.7%",
                "25%"
            ]
        );
    }

    #[test]
    fn without_a_year_the_output_is_as_before() {
        let e = ev::Evaluation { year: 0, results: vec![], sides: vec![], effectiveness_score: None, ..yearly() };
        let text = render_one(&e, None);
        assert!(text.lines().nth(1).is_some_and(|l| l.starts_with("overall 78.3")), "{text}");
        assert!(!text.contains("RESULTS") && !text.contains("effectiveness"), "{text}");
    }

    #[test]
    fn the_ranking_is_one_table_per_level() {
        let province = yearly();
        let mut county = ev::Evaluation {
            pairing: "pairings/kunshan-xunyang".into(),
            level: pb::PairingLevel::County as i32,
            overall_score: 99.0,
            ..yearly()
        };
        county.results.clear();
        let counties: BTreeMap<String, usize> = [("pairings/js-sn".to_owned(), 10)].into();
        let text = ranking_text(&[county, province], &counties);
        let blocks: Vec<&str> = text.split("\n\n").collect();
        assert_eq!(blocks.len(), 2, "{text}");
        assert!(blocks[0].starts_with("province · 1 pairing\n"), "{text}");
        assert!(blocks[0].contains("PER COUNTY") && blocks[0].contains("2.69 亿元"), "{text}");
        assert!(blocks[1].starts_with("county · 1 pairing\n"), "{text}");
        assert!(!blocks[1].contains("PER COUNTY"), "only province pairings are divided by county");
        let first_county = blocks[1].lines().nth(2).expect("a row");
        assert!(first_county.starts_with("1 "), "ranked within its level: {first_county}");
    }
}
