//! What a client may say about an actor, and the rules it must meet.

use eastwest_domain::Canonical;
use eastwest_domain::codes::{parse_credit_code, parse_region_code};
use eastwest_domain::model::{Actor, ActorCategory, Labels, Side};

use super::mask::{MaskSpec, field};
use super::validate::{self as rules, Stamp, Violations};

/// An actor as a client described it: every field still to be checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActorDraft {
    pub display_name: String,
    pub category: Option<ActorCategory>,
    pub side: Option<Side>,
    pub region_code: String,
    /// Empty when absent.
    pub credit_code: String,
    /// Parent actor id.
    pub parent: Option<String>,
    pub description: String,
    pub labels: Labels,
}

pub const ACTOR_MASK: MaskSpec<ActorDraft> = MaskSpec {
    mutable: &[
        field!(category, |d| d.category.is_some()),
        field!(credit_code, |d| !d.credit_code.is_empty()),
        field!(description, |d| !d.description.is_empty()),
        field!(display_name, |d| !d.display_name.is_empty()),
        field!(labels, |d| !d.labels.is_empty()),
        field!(parent, |d| d.parent.is_some()),
        field!(region_code, |d| !d.region_code.is_empty()),
        field!(side, |d| d.side.is_some()),
    ],
    output_only: &["name", "credit_code_check", "create_time", "update_time", "etag"],
};

impl ActorDraft {
    pub fn from_actor(a: &Actor) -> Self {
        Self {
            display_name: a.display_name.clone(),
            category: Some(a.category),
            side: Some(a.side),
            region_code: a.region_code.clone(),
            credit_code: a.credit_code.clone().unwrap_or_default(),
            parent: a.parent.clone(),
            description: a.description.clone(),
            labels: a.labels.clone(),
        }
    }

    /// Checks every rule and builds the record, in its canonical form; `prefix` is the request
    /// field holding the actor, e.g. `actor`.
    pub fn validate(&self, prefix: &str, stamp: &Stamp) -> Result<Actor, Violations> {
        let mut v = Violations::new();
        let f = |name: &str| format!("{prefix}.{name}");
        rules::check_text(&mut v, &f("display_name"), &self.display_name, rules::NAME);
        rules::check_text(&mut v, &f("description"), &self.description, rules::DESCRIPTION);
        rules::check_labels(&mut v, &f("labels"), &self.labels);
        if self.category.is_none() {
            v.add(f("category"), "is required: an ActorCategory other than ACTOR_CATEGORY_UNSPECIFIED");
        }
        if self.side.is_none() {
            v.add(f("side"), "is required: SIDE_EAST or SIDE_WEST");
        }
        if self.region_code.is_empty() {
            v.add(f("region_code"), "is required: a GB/T 2260 region code of 6 digits");
        } else if let Err(e) = parse_region_code(&self.region_code) {
            v.add(f("region_code"), e.to_string());
        }
        if !self.credit_code.is_empty() {
            if self.category == Some(ActorCategory::Individual) {
                v.add(
                    f("credit_code"),
                    "must be empty for an INDIVIDUAL: the registry stores no personal identification numbers",
                );
            } else if let Err(e) = parse_credit_code(&self.credit_code) {
                v.add(f("credit_code"), e.to_string());
            }
        }
        match (self.category, self.side) {
            (Some(category), Some(side)) if v.is_empty() => Ok(Actor {
                id: stamp.id.clone(),
                display_name: self.display_name.clone(),
                category,
                side,
                region_code: self.region_code.clone(),
                credit_code: (!self.credit_code.is_empty()).then(|| self.credit_code.clone()),
                parent: self.parent.clone(),
                description: self.description.clone(),
                labels: self.labels.clone(),
                create_time: stamp.create_time,
                update_time: stamp.update_time,
            }
            .canonical()),
            _ => Err(v),
        }
    }

    /// Every rule this draft breaks, for a request that is refused anyway.
    pub fn violations(&self, prefix: &str) -> Option<Violations> {
        self.validate(prefix, &Stamp::default()).err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ActorDraft {
        ActorDraft {
            display_name: "广东省人民政府".into(),
            category: Some(ActorCategory::GovernmentBody),
            side: Some(Side::East),
            region_code: "440000".into(),
            ..Default::default()
        }
    }

    fn fields(err: Violations) -> Vec<String> {
        err.into_list().into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn a_complete_draft_is_valid() {
        let valid = draft().validate("actor", &Stamp::default()).expect("valid");
        assert_eq!(valid.credit_code, None);
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let err = ActorDraft::default().validate("actor", &Stamp::default()).unwrap_err();
        assert_eq!(fields(err), ["actor.display_name", "actor.category", "actor.side", "actor.region_code"]);
    }

    #[test]
    fn individuals_never_carry_a_credit_code() {
        let mut d = draft();
        d.category = Some(ActorCategory::Individual);
        d.credit_code = "91350100M000100Y43".into();
        assert_eq!(fields(d.validate("actor", &Stamp::default()).unwrap_err()), ["actor.credit_code"]);
    }

    #[test]
    fn a_checksum_mismatch_is_accepted() {
        let mut d = draft();
        d.credit_code = "91350100M000100Y44".into();
        assert!(d.validate("actor", &Stamp::default()).is_ok());
        d.credit_code = "91350100M000100Y4".into();
        assert_eq!(fields(d.validate("actor", &Stamp::default()).unwrap_err()), ["actor.credit_code"]);
    }

    #[test]
    fn apply_copies_only_masked_fields() {
        let mut base = draft();
        let mut other = ActorDraft { display_name: "new".into(), description: "d".into(), ..Default::default() };
        other.side = Some(Side::West);
        let fields = ACTOR_MASK.select(&["display_name"], &other).expect("known field");
        super::super::mask::apply(&mut base, other, &fields);
        assert_eq!(base.display_name, "new");
        assert_eq!(base.side, Some(Side::East));
        assert_eq!(base.description, "");
    }

    /// Every field of the draft is in ACTOR_MASK: the literal names them all (no `..`), so a new
    /// field breaks the build here until it is placed in the table.
    #[test]
    fn the_mask_table_covers_every_field() {
        let full = ActorDraft {
            display_name: "广东省人民政府".into(),
            category: Some(ActorCategory::GovernmentBody),
            side: Some(Side::East),
            region_code: "440000".into(),
            credit_code: "11440000006939800X".into(),
            parent: Some("cn".into()),
            description: "d".into(),
            labels: [("k".to_string(), "v".to_string())].into(),
        };
        assert!(ACTOR_MASK.mutable.iter().all(|f| (f.is_set)(&full)));
        let all = ACTOR_MASK.select(&["*"], &full).expect("every field");
        let mut copied = ActorDraft::default();
        super::super::mask::apply(&mut copied, full.clone(), &all);
        assert_eq!(copied, full);
    }
}
