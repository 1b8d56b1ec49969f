//! The assessor's report: Markdown and self-contained HTML from evaluations. Pure: no I/O, no
//! network, no clock; the caller passes everything in, the generation date included.
//!
//! Both formats hold the same content: a summary (pairings, mean score, count per grade, leadership
//! mismatches), the grade distribution per west province, a ranking, and per pairing its grade,
//! overall score, the eight criteria with their weights, and the findings and recommendations with
//! the records they cite. Pairings are ranked by overall score, best first, ties by pairing name.
//!
//! - `prepare.rs`: ranking, summary and provinces, computed once for both formats.
//! - `markdown.rs`, `html.rs` (+ `report.css`): the two renderings; `charts.rs`: the inline SVG.
//! - `labels.rs`, `provinces.rs` (GB/T 2260): names; `escape.rs`: escaping and number formats.
//!
//! Same input, same bytes: nothing depends on hash order, time or locale.

mod charts;
mod escape;
mod html;
mod labels;
mod markdown;
mod prepare;
mod provinces;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod wellformed;

use eastwest_proto::evaluation::v1::Evaluation;

/// Everything a report shows. Dates and descriptions are printed as given.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// E.g. "东西部协作评估报告 East-West Collaboration assessment".
    pub title: &'a str,
    /// The generation date, e.g. "2026-11-28".
    pub generated: &'a str,
    /// The date the evaluations are as of.
    pub as_of: &'a str,
    pub model_version: &'a str,
    /// The filters used, in words ("all pairings" if none).
    pub filters: &'a str,
    /// In any order; the report ranks them.
    pub evaluations: &'a [Evaluation],
}

/// The report as GitHub-flavoured Markdown. Text from the data is escaped; table cells stay on one line.
pub fn markdown(input: &ReportInput<'_>) -> String {
    markdown::render(input)
}

/// The report as one self-contained HTML file: inline CSS and SVG charts (a radar per pairing, grade
/// bars per province), no scripts, nothing loaded from elsewhere, fit to print.
pub fn html(input: &ReportInput<'_>) -> String {
    html::render(input)
}

/// The Chinese name of the province-level unit a region code belongs to, if it is one of the 34
/// (e.g. `520000` → 贵州省).
pub fn province_name(region_code: &str) -> Option<&'static str> {
    match provinces::Province::of(region_code) {
        provinces::Province::Code { names: Some((zh, _)), .. } => Some(zh),
        provinces::Province::Code { names: None, .. } | provinces::Province::Unknown => None,
    }
}
