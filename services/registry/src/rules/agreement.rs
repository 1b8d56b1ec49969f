//! What a client may say about an annual agreement (年度协作协议), and the rules it must meet.

use chrono::{Datelike, NaiveDate};

use super::mask::{MaskSpec, field};
use super::validate::{self as rules, Stamp, Violations};
use eastwest_domain::Canonical;
use eastwest_domain::model::{Agreement, Indicator, Labels, Side, Target};

/// Most targets in one agreement: every indicator for the pairing and each side is 45.
pub(crate) const MAX_TARGETS: usize = 100;

/// A target as a client described it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetDraft {
    pub indicator: Option<Indicator>,
    /// `None`: the pairing as a whole.
    pub side: Option<Side>,
    pub value: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgreementDraft {
    pub signed_date: Option<NaiveDate>,
    pub targets: Vec<TargetDraft>,
    pub description: String,
    pub labels: Labels,
}

pub const AGREEMENT_MASK: MaskSpec<AgreementDraft> = MaskSpec {
    mutable: &[
        field!(description, |d| !d.description.is_empty()),
        field!(labels, |d| !d.labels.is_empty()),
        field!(signed_date, |d| d.signed_date.is_some()),
        field!(targets, |d| !d.targets.is_empty()),
    ],
    output_only: &["name", "year", "create_time", "update_time", "etag"],
};

impl AgreementDraft {
    pub fn from_agreement(a: &Agreement) -> Self {
        Self {
            signed_date: a.signed_date,
            targets: a
                .targets
                .iter()
                .map(|t| TargetDraft { indicator: Some(t.indicator), side: t.side, value: t.value })
                .collect(),
            description: a.description.clone(),
            labels: a.labels.clone(),
        }
    }

    /// Checks every rule and builds the agreement of `pairing` for `year`, in its canonical form
    /// (targets ordered by indicator, then side); `prefix` is the request field, e.g. `agreement`.
    pub fn validate(&self, prefix: &str, pairing: &str, year: i32, stamp: &Stamp) -> Result<Agreement, Violations> {
        let mut v = Violations::new();
        let f = |name: &str| format!("{prefix}.{name}");
        if let Some(date) = self.signed_date {
            // Agreements are signed early in their year or late in the one before.
            if date.year() != year && date.year() != year - 1 {
                v.add(
                    f("signed_date"),
                    format!("{date} is not in {year} or {}: the agreement is for {year}", year - 1),
                );
            }
        }
        if self.targets.len() > MAX_TARGETS {
            v.add(
                f("targets"),
                format!("has {} targets; an agreement holds at most {MAX_TARGETS}", self.targets.len()),
            );
        }
        let mut targets: Vec<Target> = Vec::with_capacity(self.targets.len());
        for (i, t) in self.targets.iter().enumerate() {
            let at = format!("{prefix}.targets[{i}]");
            if t.value < 0 {
                v.add(format!("{at}.value"), "must not be negative");
            }
            let Some(indicator) = t.indicator else {
                v.add(format!("{at}.indicator"), "is required: an Indicator other than INDICATOR_UNSPECIFIED");
                continue;
            };
            if targets.iter().any(|o| o.indicator == indicator && o.side == t.side) {
                v.add(
                    at,
                    format!(
                        "sets {} for {} a second time; each (indicator, side) has one target",
                        indicator.wire_name(),
                        side_words(t.side)
                    ),
                );
                continue;
            }
            targets.push(Target { indicator, side: t.side, value: t.value });
        }
        rules::check_text(&mut v, &f("description"), &self.description, rules::DESCRIPTION);
        rules::check_labels(&mut v, &f("labels"), &self.labels);
        v.into_result()?;
        Ok(Agreement {
            pairing: pairing.to_string(),
            year,
            signed_date: self.signed_date,
            targets,
            description: self.description.clone(),
            labels: self.labels.clone(),
            create_time: stamp.create_time,
            update_time: stamp.update_time,
        }
        .canonical())
    }

    /// Every rule this draft breaks, for a request that is refused anyway; `year` is the
    /// request's, when it is valid (else the signing date is not compared with it).
    pub fn violations(&self, prefix: &str, year: Option<i32>) -> Option<Violations> {
        let year = year.or(self.signed_date.map(|d| d.year())).unwrap_or(2000);
        self.validate(prefix, "", year, &Stamp::default()).err()
    }
}

fn side_words(side: Option<Side>) -> &'static str {
    match side {
        None => "the pairing as a whole",
        Some(Side::East) => "SIDE_EAST",
        Some(Side::West) => "SIDE_WEST",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(targets: Vec<TargetDraft>) -> AgreementDraft {
        AgreementDraft { targets, ..Default::default() }
    }

    fn target(indicator: Indicator, side: Option<Side>, value: i64) -> TargetDraft {
        TargetDraft { indicator: Some(indicator), side, value }
    }

    fn fields(result: Result<Agreement, Violations>) -> Vec<String> {
        result.err().map(|v| v.into_list().into_iter().map(|f| f.field).collect()).unwrap_or_default()
    }

    #[test]
    fn targets_are_kept_in_indicator_then_side_order() {
        let d = draft(vec![
            target(Indicator::Consumption, None, 5),
            target(Indicator::FiscalAid, Some(Side::West), 2),
            target(Indicator::FiscalAid, Some(Side::East), 1),
        ]);
        let a = d.validate("agreement", "js-sn", 2023, &Stamp::created("2023", 7)).expect("valid");
        let order: Vec<_> = a.targets.iter().map(|t| (t.indicator, t.side)).collect();
        assert_eq!(
            order,
            [
                (Indicator::FiscalAid, Some(Side::East)),
                (Indicator::FiscalAid, Some(Side::West)),
                (Indicator::Consumption, None)
            ]
        );
        assert_eq!((a.pairing.as_str(), a.year, a.create_time), ("js-sn", 2023, 7));
    }

    #[test]
    fn a_repeated_pair_a_missing_indicator_and_a_negative_value_are_each_named() {
        let d = draft(vec![
            target(Indicator::FiscalAid, None, 1),
            TargetDraft { indicator: None, side: None, value: 1 },
            target(Indicator::FiscalAid, None, 2),
            target(Indicator::FiscalAid, Some(Side::East), -3),
        ]);
        assert_eq!(
            fields(d.validate("agreement", "p", 2023, &Stamp::default())),
            ["agreement.targets[1].indicator", "agreement.targets[2]", "agreement.targets[3].value"]
        );
    }

    #[test]
    fn the_signing_date_falls_in_the_year_or_the_one_before() {
        let on = |y, m, d| AgreementDraft { signed_date: NaiveDate::from_ymd_opt(y, m, d), ..Default::default() };
        assert!(on(2022, 12, 20).validate("agreement", "p", 2023, &Stamp::default()).is_ok());
        assert!(on(2023, 3, 1).validate("agreement", "p", 2023, &Stamp::default()).is_ok());
        assert_eq!(
            fields(on(2021, 3, 1).validate("agreement", "p", 2023, &Stamp::default())),
            ["agreement.signed_date"]
        );
    }

    #[test]
    fn too_many_targets_are_refused() {
        let many = (0..=MAX_TARGETS).map(|_| target(Indicator::Workshops, None, 1)).collect();
        let found = fields(draft(many).validate("agreement", "p", 2023, &Stamp::default()));
        assert_eq!(found.first().map(String::as_str), Some("agreement.targets"));
    }
}
