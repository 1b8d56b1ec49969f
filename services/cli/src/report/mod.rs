//! The assessor's report: Markdown and self-contained HTML from evaluations. Pure: no I/O, no
//! network, no clock; the caller passes everything in, the generation date included.
//!
//! Both formats hold the same content: a summary (pairings, mean score, count per grade, leadership
//! mismatches), the grade distribution per west province, a ranking per level, and per pairing its
//! grade, overall score, the eight criteria with their weights, and the findings and recommendations
//! with the records they cite. Like is compared with like: pairings are ranked within their level
//! (province, prefecture, county, …), never in one mixed list, by overall score, best first, ties by
//! pairing name.
//!
//! With a year (`--year`), each pairing also shows the year's effectiveness and governance scores,
//! both sides' grades, the attainment of every indicator (per county pairing below it too, for a
//! province pairing whose count is known), the improvements and the year's findings, and its grade
//! in each year of the trend: the last three years ending at the year, each evaluated on its own.
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

use std::collections::BTreeMap;

use eastwest_proto::evaluation::v1::Evaluation;

pub(crate) use labels::{level_order, quantity, quantity_per};
pub(crate) use prepare::{ResultRow, fiscal_aid, result_rows};

/// How many years the trend shows: the year assessed and the two before it.
pub const TREND_YEARS: i32 = 3;

/// One pairing's overall score and grade in one year of the trend.
#[derive(Debug, Clone, PartialEq)]
pub struct YearGrade {
    pub year: i32,
    pub score: f64,
    /// The wire grade number.
    pub grade: i32,
}

/// Per pairing name, its grade in each year evaluated for the trend, in year order.
pub type Trends = BTreeMap<String, Vec<YearGrade>>;

/// The years of the trend that ends at `year`: the last [`TREND_YEARS`], none before 2000.
pub fn trend_years(year: i32) -> Vec<i32> {
    ((year - TREND_YEARS + 1).max(2000)..=year).collect()
}

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
    /// The year assessed, if any: the evaluations are of that year.
    pub year: Option<i32>,
    /// The years of the trend line, in order (empty: no trend).
    pub trend_years: &'a [i32],
    /// Each pairing's grade in the years of the trend; a year it lacks shows as `—`.
    pub trends: &'a Trends,
    /// The county pairings below each province pairing (by name), for per-county intensity.
    pub counties: &'a BTreeMap<String, usize>,
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
