//! Scoring results to wire types, and request fields to domain values.

use std::time::{Duration, Instant, SystemTime};

use chrono::NaiveDate;
use eastwest_domain::{PairingLevel, PairingSnapshot};
use eastwest_proto::convert::{
    indicator_out as indicator_enum_out, leadership_out, level_out, side_out, target_side_out,
};
use eastwest_proto::evaluation::v1 as pb;

use crate::scoring::{
    AVERAGE_FROM, Criterion, CriterionInfo, CriterionScore, Evaluation, FAIRLY_GOOD_FROM, Finding, GOOD_FROM, Grade,
    GroupSummary, Improvement, Indicator, IndicatorResult, Period, ScoringModel, SideAssessment, Text,
};

pub fn criterion_out(c: Criterion) -> pb::Criterion {
    match c {
        Criterion::BoundaryClarity => pb::Criterion::BoundaryClarity,
        Criterion::ResponsibilityListing => pb::Criterion::ResponsibilityListing,
        Criterion::GoalPrecision => pb::Criterion::GoalPrecision,
        Criterion::PathDiversity => pb::Criterion::PathDiversity,
        Criterion::GovernmentRole => pb::Criterion::GovernmentRole,
        Criterion::SocialAutonomy => pb::Criterion::SocialAutonomy,
        Criterion::CommunityAwareness => pb::Criterion::CommunityAwareness,
        Criterion::CoordinatedGovernance => pb::Criterion::CoordinatedGovernance,
    }
}

pub fn grade_out(g: Grade) -> pb::Grade {
    match g {
        Grade::Good => pb::Grade::Good,
        Grade::FairlyGood => pb::Grade::FairlyGood,
        Grade::Average => pb::Grade::Average,
        Grade::Poor => pb::Grade::Poor,
    }
}

fn indicator_out(i: Indicator) -> pb::Indicator {
    let Indicator { key, name: Text { zh, en }, value } = i;
    pb::Indicator { key, name: zh, name_en: en, value }
}

fn finding_out(f: Finding) -> pb::Finding {
    let Finding { text: Text { zh, en }, records } = f;
    pb::Finding { text: zh, text_en: en, records }
}

fn criterion_score_out(c: CriterionScore) -> pb::CriterionScore {
    let CriterionScore { criterion, score, weight, indicators, findings, recommendations } = c;
    pb::CriterionScore {
        criterion: criterion_out(criterion) as i32,
        score,
        weight,
        indicators: indicators.into_iter().map(indicator_out).collect(),
        findings: findings.into_iter().map(finding_out).collect(),
        recommendations: recommendations
            .into_iter()
            .map(|Text { zh, en }| pb::Recommendation { text: zh, text_en: en })
            .collect(),
    }
}

/// What the evaluation of a pairing reports about the pairing itself, beside the scores.
#[derive(Debug, Clone)]
pub struct PairingFacts {
    pub level: PairingLevel,
    pub east_region_code: String,
    pub west_region_code: String,
}

impl PairingFacts {
    pub fn of(snapshot: &PairingSnapshot) -> Self {
        let p = &snapshot.pairing.record;
        Self {
            level: p.level,
            east_region_code: p.east_region_code.clone(),
            west_region_code: p.west_region_code.clone(),
        }
    }
}

pub fn evaluation_out(e: Evaluation, facts: PairingFacts, evaluated_at: SystemTime) -> pb::Evaluation {
    let Evaluation {
        pairing,
        pairing_title,
        model_version,
        as_of,
        overall_score,
        grade,
        criteria,
        declared_leadership,
        inferred_leadership,
        leadership_mismatch,
        year,
        effectiveness_score,
        governance_score,
        results,
        sides,
        improvements,
        findings,
    } = e;
    let PairingFacts { level, east_region_code, west_region_code } = facts;
    pb::Evaluation {
        pairing,
        model_version,
        overall_score,
        grade: grade_out(grade) as i32,
        criteria: criteria.into_iter().map(criterion_score_out).collect(),
        inferred_leadership: inferred_leadership.map_or(0, |l| leadership_out(l) as i32),
        leadership_mismatch,
        evaluate_time: Some(prost_types::Timestamp::from(evaluated_at)),
        as_of: eastwest_domain::dates::iso_date(as_of),
        pairing_title,
        declared_leadership: leadership_out(declared_leadership) as i32,
        level: level_out(level) as i32,
        east_region_code,
        west_region_code,
        year: year.unwrap_or(0),
        effectiveness_score,
        governance_score,
        results: results.into_iter().map(result_out).collect(),
        sides: sides
            .into_iter()
            .map(|SideAssessment { side, score, grade }| pb::SideAssessment {
                side: side_out(side) as i32,
                score,
                grade: grade_out(grade) as i32,
            })
            .collect(),
        improvements: improvements
            .into_iter()
            .map(|Improvement { text: Text { zh, en }, score_gain }| pb::Improvement {
                text: zh,
                text_en: en,
                score_gain,
            })
            .collect(),
        findings: findings.into_iter().map(finding_out).collect(),
    }
}

fn result_out(r: IndicatorResult) -> pb::IndicatorResult {
    let IndicatorResult { indicator, side, target, actual, previous_actual, attainment, unconfirmed, records } = r;
    pb::IndicatorResult {
        indicator: indicator_enum_out(indicator) as i32,
        side: target_side_out(side) as i32,
        target,
        actual,
        previous_actual,
        attainment,
        unconfirmed,
        records,
    }
}

pub fn group_out(g: GroupSummary) -> pb::EvaluationGroup {
    let GroupSummary { key, count, mean, min, p25, median, p75, max, grade_counts, weakest } = g;
    pb::EvaluationGroup {
        key,
        count,
        mean_score: mean,
        min_score: min,
        p25_score: p25,
        median_score: median,
        p75_score: p75,
        max_score: max,
        grade_counts: grade_counts
            .into_iter()
            .map(|(grade, count)| pb::GradeCount { grade: grade_out(grade) as i32, count })
            .collect(),
        weakest_criterion: weakest.map_or(0, |(c, _)| criterion_out(c) as i32),
        weakest_criterion_mean: weakest.map_or(0.0, |(_, m)| m),
    }
}

pub fn model_out(model: &ScoringModel) -> pb::ScoringModel {
    pb::ScoringModel {
        version: model.version().to_string(),
        criteria: model
            .describe()
            .into_iter()
            .map(|CriterionInfo { criterion, weight, name, description, indicators }| pb::CriterionInfo {
                criterion: criterion_out(criterion) as i32,
                weight,
                name: name.zh,
                name_en: name.en,
                description: description.zh,
                description_en: description.en,
                indicators: indicators
                    .into_iter()
                    .map(|(key, Text { zh, en })| pb::IndicatorInfo { key, name: zh, name_en: en })
                    .collect(),
            })
            .collect(),
        good_from: GOOD_FROM,
        fairly_good_from: FAIRLY_GOOD_FROM,
        average_from: AVERAGE_FROM,
    }
}

/// The period a request asks for: `year` 0 means none (every activity up to `as_of`, default
/// today in China Standard Time); with a year, `as_of` defaults to the year's last day, or today
/// for the current year, and must lie inside the year. Problems name the request's fields.
pub fn period_in(year: i32, as_of_text: &str) -> Result<Period, Vec<(String, String)>> {
    use chrono::Datelike;
    use eastwest_domain::dates::today_in_china;
    if year == 0 {
        return as_of_in(as_of_text).map(Period::as_of).map_err(|v| vec![v]);
    }
    let mut bad = Vec::new();
    if !eastwest_domain::names::YEARS.contains(&year) {
        bad.push(("year".to_string(), format!("must be a calendar year from 2000 to 2100, or 0 for none; got {year}")));
    }
    let as_of = if as_of_text.is_empty() { None } else { as_of_in(as_of_text).map_err(|v| bad.push(v)).ok() };
    if !bad.is_empty() {
        return Err(bad);
    }
    let last_day = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    let as_of = match as_of {
        Some(d) if d.year() != year => {
            return Err(vec![(
                "as_of".to_string(),
                format!("must fall inside the year evaluated, {year}; got {}", eastwest_domain::dates::iso_date(d)),
            )]);
        }
        Some(d) => d,
        None => {
            let today = today_in_china();
            if today.year() == year { today } else { last_day }
        }
    };
    Ok(Period::year(year, as_of))
}

/// `as_of` from a request: empty means today in China Standard Time.
pub fn as_of_in(text: &str) -> Result<NaiveDate, (String, String)> {
    use eastwest_domain::dates::{DATE_RULE, parse_iso_date, today_in_china};
    if text.is_empty() {
        return Ok(today_in_china());
    }
    parse_iso_date(text).ok_or_else(|| ("as_of".to_string(), format!("must be {DATE_RULE}, got {text:?}")))
}

/// The caller's deadline, from the `grpc-timeout` header it sent (gRPC over HTTP/2 spec).
pub fn caller_deadline(metadata: &tonic::metadata::MetadataMap) -> Option<Instant> {
    let raw = metadata.get("grpc-timeout")?.to_str().ok()?;
    let (digits, unit) = raw.split_at(raw.len().checked_sub(1)?);
    let amount: u64 = digits.parse().ok()?;
    let timeout = match unit {
        "H" => Duration::from_secs(amount.saturating_mul(3600)),
        "M" => Duration::from_secs(amount.saturating_mul(60)),
        "S" => Duration::from_secs(amount),
        "m" => Duration::from_millis(amount),
        "u" => Duration::from_micros(amount),
        "n" => Duration::from_nanos(amount),
        _ => return None,
    };
    Instant::now().checked_add(timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeouts_parse_in_every_unit() {
        for (raw, want) in [("2S", 2_000u64), ("1500m", 1_500), ("1M", 60_000), ("3000000u", 3_000), ("1H", 3_600_000)]
        {
            let mut m = tonic::metadata::MetadataMap::new();
            m.insert("grpc-timeout", raw.parse().expect("ascii"));
            let left = caller_deadline(&m).expect("deadline").saturating_duration_since(Instant::now());
            assert!(
                left <= Duration::from_millis(want) && left + Duration::from_millis(100) >= Duration::from_millis(want),
                "{raw}"
            );
        }
        let mut m = tonic::metadata::MetadataMap::new();
        m.insert("grpc-timeout", "12X".parse().expect("ascii"));
        assert_eq!(caller_deadline(&m), None);
    }

    #[test]
    fn a_year_sets_the_default_date_and_bounds_as_of() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(period_in(2023, ""), Ok(Period::year(2023, d(2023, 12, 31))));
        assert_eq!(period_in(2023, "2023-06-30"), Ok(Period::year(2023, d(2023, 6, 30))));
        let bad = period_in(2023, "2024-01-01").unwrap_err();
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].0, "as_of");
        assert!(bad[0].1.contains("inside the year evaluated, 2023"), "{bad:?}");
        for year in [1999, 2101, -1] {
            let bad = period_in(year, "").unwrap_err();
            assert_eq!(bad[0].0, "year", "{year}");
        }
        assert_eq!(period_in(0, "2023-06-30"), Ok(Period::as_of(d(2023, 6, 30))));
        let today = eastwest_domain::dates::today_in_china();
        use chrono::Datelike;
        assert_eq!(period_in(today.year(), ""), Ok(Period::year(today.year(), today)));
    }

    #[test]
    fn as_of_is_a_padded_date_or_today() {
        assert_eq!(as_of_in("2023-12-31"), Ok(NaiveDate::from_ymd_opt(2023, 12, 31).expect("date")));
        assert!(as_of_in("2023-2-1").is_err());
        assert!(as_of_in("").is_ok());
    }
}
