//! `evaluate`, `summary` and `report`: the evaluation service seen from the command line.

use eastwest_proto::evaluation::v1 as ev;
use eastwest_proto::evaluation::v1::evaluation_service_client::EvaluationServiceClient;
use tonic::transport::Channel;

use crate::cli::{EvaluateArgs, GroupByArg, Output, PairingFilters, ReportArgs, ReportFormat, SummaryArgs};
use crate::connect::named;
use crate::error::{CliError, CliResult};
use crate::json::{self, Fields};
use crate::output::{Table, print_json, short};
use crate::records::pairing_listing;

type Evaluation = EvaluationServiceClient<Channel>;

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

/// The ranked table: score, grade, pairing, title.
pub fn ranking_table(evaluations: &[ev::Evaluation]) -> Table {
    let mut sorted: Vec<&ev::Evaluation> = evaluations.iter().collect();
    sorted.sort_by(|a, b| b.overall_score.total_cmp(&a.overall_score).then_with(|| a.pairing.cmp(&b.pairing)));
    let mut table = Table::new(&["#", "SCORE", "GRADE", "PAIRING", "TITLE", "LEADERSHIP (DECLARED/INFERRED)"]);
    for (i, e) in sorted.into_iter().enumerate() {
        let mismatch = if e.leadership_mismatch { " !" } else { "" };
        table.row(vec![
            (i + 1).to_string(),
            format!("{:.1}", e.overall_score),
            grade_label(e.grade).to_string(),
            e.pairing.clone(),
            e.pairing_title.clone(),
            format!(
                "{}/{}{mismatch}",
                leadership_label(e.declared_leadership),
                leadership_label(e.inferred_leadership)
            ),
        ]);
    }
    table
}

/// Counts as whole numbers, shares and indices to four decimals, as docs/scoring.md gives them.
fn indicator_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { format!("{v:.4}") }
}

fn print_one(e: &ev::Evaluation) {
    crate::outln!("{}  {}", e.pairing, e.pairing_title);
    crate::outln!(
        "overall {:.1}  {}  (as of {}, model {})",
        e.overall_score,
        grade_label(e.grade),
        e.as_of,
        e.model_version
    );
    if e.leadership_mismatch {
        crate::outln!(
            "leadership: declared {}, but the funding and accountability point to {}",
            leadership_label(e.declared_leadership),
            leadership_label(e.inferred_leadership)
        );
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
    crate::outln!();
    table.print();
    for c in &e.criteria {
        if c.findings.is_empty() && c.recommendations.is_empty() {
            continue;
        }
        crate::outln!("\n{}", criterion_label(c.criterion));
        for f in &c.findings {
            let records = if f.records.is_empty() { String::new() } else { format!(" [{}]", f.records.join(", ")) };
            crate::outln!("  - {}{records}\n    {}", f.text, f.text_en);
        }
        for r in &c.recommendations {
            crate::outln!("  → {}\n    {}", r.text, r.text_en);
        }
    }
}

/// Every evaluation the filters match, from the stream.
pub async fn collect(client: &mut Evaluation, f: &PairingFilters, as_of: &str) -> CliResult<Vec<ev::Evaluation>> {
    let request = ev::EvaluatePairingsRequest { filter: Some(filter(f)), as_of: as_of.to_string(), year: 0 };
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
        let request = ev::EvaluatePairingRequest { pairing, as_of: args.as_of.clone(), year: 0 };
        let e = client.evaluate_pairing(request).await?.into_inner();
        match output {
            Output::Json => print_json(&json::to_value(json::EVALUATION, &e, Fields::All)?),
            Output::Table => print_one(&e),
        }
        return Ok(());
    }
    let request =
        ev::EvaluatePairingsRequest { filter: Some(filter(&args.filters)), as_of: args.as_of.clone(), year: 0 };
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
            ranking_table(&all).print();
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
        year: 0,
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
            crate::outln!("{} pairings, as of {}, model {}", summary.pairings, summary.as_of, summary.model_version);
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
    let evaluations = collect(&mut client, &args.filters, &args.as_of).await?;
    let as_of = evaluations.first().map(|e| e.as_of.clone()).unwrap_or_else(|| args.as_of.clone());
    let model_version = match evaluations.first() {
        Some(e) => e.model_version.clone(),
        None => client.get_scoring_model(ev::GetScoringModelRequest {}).await?.into_inner().version,
    };
    let generated = eastwest_domain::dates::iso_date(eastwest_domain::dates::today_in_china());
    let filters = describe_filters(&args.filters);
    let input = crate::report::ReportInput {
        title: "东西部协作评估报告 · East-West Collaboration assessment",
        generated: &generated,
        as_of: &as_of,
        model_version: &model_version,
        filters: &filters,
        evaluations: &evaluations,
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
