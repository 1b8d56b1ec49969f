//! What a client may say about an activity, and the rules it must meet.

use chrono::NaiveDate;

use super::validate::{self as rules, Stamp, Violations};
use eastwest_domain::Canonical;
use eastwest_domain::model::{Activity, ActivityKind, CooperationForm, FlowDirection, Labels};

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
}
