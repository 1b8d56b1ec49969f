//! Scoring results to wire types, and request fields to domain values.

use std::time::{Duration, Instant, SystemTime};

use chrono::NaiveDate;
use eastwest_domain::{PairingLevel, PairingSnapshot};
use eastwest_proto::convert::{leadership_out, level_out};
use eastwest_proto::evaluation::v1 as pb;

use crate::scoring::{
    AVERAGE_FROM, Criterion, CriterionInfo, CriterionScore, Evaluation, FAIRLY_GOOD_FROM, Finding, GOOD_FROM, Grade,
    GroupSummary, Indicator, ScoringModel, Text,
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
    fn as_of_is_a_padded_date_or_today() {
        assert_eq!(as_of_in("2023-12-31"), Ok(NaiveDate::from_ymd_opt(2023, 12, 31).expect("date")));
        assert!(as_of_in("2023-2-1").is_err());
        assert!(as_of_in("").is_ok());
    }
}
