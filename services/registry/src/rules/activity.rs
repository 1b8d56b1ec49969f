//! What a client may say about an activity, and the rules it must meet.

use chrono::NaiveDate;

use super::validate::{self as rules, Stamp, Violations};
use eastwest_domain::Canonical;
use eastwest_domain::model::{
    Activity, ActivityKind, CooperationForm, FlowDirection, Indicator, Labels, Measure, Verification,
};

/// A measure as a client described it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeasureDraft {
    pub indicator: Option<Indicator>,
    pub value: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityDraft {
    pub actor: Option<String>,
    pub form: Option<CooperationForm>,
    pub kind: Option<ActivityKind>,
    pub direction: Option<FlowDirection>,
    pub date: Option<NaiveDate>,
    pub amount_fen: i64,
    pub people: i64,
    pub description: String,
    pub labels: Labels,
    /// Empty: the activity counts by its kind (`Activity::measures`).
    pub measures: Vec<MeasureDraft>,
    pub verification: Verification,
}

impl ActivityDraft {
    /// Checks every rule and builds the record of `pairing`; `prefix` is the request field, e.g.
    /// `activity`. Activities are never updated: the stamp's create time is the one kept.
    pub fn validate(&self, prefix: &str, pairing: &str, stamp: &Stamp) -> Result<Activity, Violations> {
        let mut v = Violations::new();
        let f = |name: &str| format!("{prefix}.{name}");
        if self.actor.is_none() {
            v.add(f("actor"), "is required: the actor who acted, actors/{id}");
        }
        if self.form.is_none() {
            v.add(f("form"), "is required: a CooperationForm other than COOPERATION_FORM_UNSPECIFIED");
        }
        if self.kind.is_none() {
            v.add(f("kind"), "is required: an ActivityKind other than ACTIVITY_KIND_UNSPECIFIED");
        }
        if self.direction.is_none() {
            v.add(
                f("direction"),
                "is required: FLOW_DIRECTION_EAST_TO_WEST, FLOW_DIRECTION_WEST_TO_EAST or FLOW_DIRECTION_JOINT",
            );
        }
        if self.date.is_none() {
            v.add(f("date"), "is required: YYYY-MM-DD");
        }
        if self.amount_fen < 0 {
            v.add(f("amount_fen"), "must not be negative");
        }
        if self.people < 0 {
            v.add(f("people"), "must not be negative");
        }
        let measures = check_measures(&mut v, &f("measures"), &self.measures);
        rules::check_text(&mut v, &f("description"), &self.description, rules::DESCRIPTION);
        rules::check_labels(&mut v, &f("labels"), &self.labels);
        match (&self.actor, self.form, self.kind, self.direction, self.date) {
            (Some(actor), Some(form), Some(kind), Some(direction), Some(date)) if v.is_empty() => Ok(Activity {
                pairing: pairing.to_string(),
                id: stamp.id.clone(),
                actor: actor.clone(),
                form,
                kind,
                direction,
                date,
                amount_fen: self.amount_fen,
                people: self.people,
                measures,
                verification: self.verification,
                description: self.description.clone(),
                labels: self.labels.clone(),
                create_time: stamp.create_time,
            }
            .canonical()),
            _ => Err(v),
        }
    }

    /// Every rule this draft breaks, for a request that is refused anyway.
    pub fn violations(&self, prefix: &str) -> Option<Violations> {
        self.validate(prefix, "", &Stamp::default()).err()
    }
}

/// Each indicator at most once (an activity holds one value of it), given, and not negative.
fn check_measures(v: &mut Violations, field: &str, items: &[MeasureDraft]) -> Vec<Measure> {
    let mut out: Vec<Measure> = Vec::with_capacity(items.len());
    for (i, m) in items.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if m.value < 0 {
            v.add(format!("{at}.value"), "must not be negative");
        }
        match m.indicator {
            None => v.add(format!("{at}.indicator"), "is required: an Indicator other than INDICATOR_UNSPECIFIED"),
            Some(indicator) if out.iter().any(|o| o.indicator == indicator) => v.add(
                format!("{at}.indicator"),
                format!("{} is measured a second time; give each indicator once", indicator.wire_name()),
            ),
            Some(indicator) => out.push(Measure { indicator, value: m.value }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_amounts_and_missing_enums_are_reported_together() {
        let d = ActivityDraft { amount_fen: -1, people: -2, ..Default::default() };
        let fields: Vec<String> = d
            .validate("activity", "p", &Stamp::created("a", 0))
            .unwrap_err()
            .into_list()
            .into_iter()
            .map(|v| v.field)
            .collect();
        assert_eq!(
            fields,
            [
                "activity.actor",
                "activity.form",
                "activity.kind",
                "activity.direction",
                "activity.date",
                "activity.amount_fen",
                "activity.people"
            ]
        );
    }

    #[test]
    fn measures_are_checked_one_by_one_and_kept_in_indicator_order() {
        let draft = |measures| ActivityDraft {
            actor: Some("js".into()),
            form: Some(CooperationForm::Industry),
            kind: Some(ActivityKind::Investment),
            direction: Some(FlowDirection::EastToWest),
            date: NaiveDate::from_ymd_opt(2021, 12, 31),
            measures,
            ..Default::default()
        };
        let m = |indicator, value| MeasureDraft { indicator, value };
        let ok = draft(vec![m(Some(Indicator::InvestmentArrived), 7), m(Some(Indicator::EnterprisesLanded), 186)])
            .validate("activity", "p", &Stamp::created("a", 0))
            .expect("valid");
        let order: Vec<_> = ok.measures.iter().map(|m| m.indicator).collect();
        assert_eq!(order, [Indicator::EnterprisesLanded, Indicator::InvestmentArrived]);
        assert_eq!(ok.verification, Verification::Reported);
        let bad = draft(vec![
            m(Some(Indicator::Workshops), 1),
            m(None, 1),
            m(Some(Indicator::Workshops), 2),
            m(Some(Indicator::IndustrialParks), -1),
        ]);
        let fields: Vec<String> = bad
            .validate("activity", "p", &Stamp::created("a", 0))
            .unwrap_err()
            .into_list()
            .into_iter()
            .map(|v| v.field)
            .collect();
        assert_eq!(
            fields,
            ["activity.measures[1].indicator", "activity.measures[2].indicator", "activity.measures[3].value"]
        );
    }
}
