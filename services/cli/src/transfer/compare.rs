//! What a file says about a record, as opposed to what the server adds, and whether a stored
//! record already says it.
//!
//! The server owns etags, times, an actor's credit code check, a pairing's copied region codes,
//! the ids it generates for responsibilities and goals, and an agreement's year (its name's):
//! export leaves them out and import ignores them. What the registry tidies on a write (trimming, forms once, roles sorted) is
//! `eastwest_domain`'s canonical form, applied to both sides here rather than copied.

use eastwest_domain::{Canonical, Stored};
use eastwest_proto::convert::{self, InvalidRecord};
use eastwest_proto::registry::v1 as pb;

/// A wire record whose server-owned fields can be cleared.
pub(super) trait ServerOwned: Sized {
    fn clear_server_fields(&mut self);

    fn without_server_fields(mut self) -> Self {
        self.clear_server_fields();
        self
    }
}

impl ServerOwned for pb::Actor {
    fn clear_server_fields(&mut self) {
        self.etag.clear();
        self.create_time = None;
        self.update_time = None;
        self.credit_code_check = 0;
    }
}

impl ServerOwned for pb::Pairing {
    fn clear_server_fields(&mut self) {
        self.etag.clear();
        self.create_time = None;
        self.update_time = None;
        self.east_region_code.clear();
        self.west_region_code.clear();
        // An absent scope and an empty one mean the same; the registry always returns one.
        self.scope.get_or_insert_with(Default::default);
    }
}

impl ServerOwned for pb::Activity {
    fn clear_server_fields(&mut self) {
        self.etag.clear();
        self.create_time = None;
    }
}

impl ServerOwned for pb::Agreement {
    fn clear_server_fields(&mut self) {
        self.etag.clear();
        self.create_time = None;
        self.update_time = None;
        // The year is the name's: a file need not repeat it.
        self.year = 0;
    }
}

/// Responsibilities and goals the file left without an id take the ids the registry gave the
/// items at the same positions.
fn take_generated_ids(file: &mut pb::Pairing, stored: &pb::Pairing) {
    for (item, from) in file.responsibilities.iter_mut().zip(&stored.responsibilities) {
        if item.id.is_empty() {
            item.id.clone_from(&from.id);
        }
    }
    for (item, from) in file.goals.iter_mut().zip(&stored.goals) {
        if item.id.is_empty() {
            item.id.clone_from(&from.id);
        }
    }
}

/// Whether `stored` already holds what `file` says: both read into domain records with `into_domain`
/// (one of `eastwest_proto::convert`'s `*_in`) and compared in canonical form. A file record the
/// domain cannot hold differs from any stored one.
fn unchanged<W, D>(file: W, stored: W, into_domain: fn(W) -> Result<Stored<D>, InvalidRecord>) -> bool
where
    W: ServerOwned,
    D: Canonical + PartialEq,
{
    let canonical = |w: W| into_domain(w.without_server_fields()).map(|s| s.record.canonical());
    matches!((canonical(file), canonical(stored)), (Ok(file), Ok(stored)) if file == stored)
}

pub(super) fn actor_unchanged(file: pb::Actor, stored: pb::Actor) -> bool {
    unchanged(file, stored, convert::actor_in)
}

pub(super) fn pairing_unchanged(mut file: pb::Pairing, stored: pb::Pairing) -> bool {
    take_generated_ids(&mut file, &stored);
    unchanged(file, stored, convert::pairing_in)
}

pub(super) fn activity_unchanged(file: pb::Activity, stored: pb::Activity) -> bool {
    unchanged(file, stored, convert::activity_in)
}

pub(super) fn agreement_unchanged(file: pb::Agreement, stored: pb::Agreement) -> bool {
    unchanged(file, stored, convert::agreement_in)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored_pairing() -> pb::Pairing {
        pb::Pairing {
            name: "pairings/js-sn".into(),
            title: "江苏—陕西".into(),
            east: "actors/js".into(),
            west: "actors/sn".into(),
            level: pb::PairingLevel::Province as i32,
            leadership: pb::Leadership::GovernmentLed as i32,
            state: pb::PairingState::Active as i32,
            forms: vec![pb::CooperationForm::Industry as i32, pb::CooperationForm::Employment as i32],
            participants: vec![pb::Participant {
                actor: "actors/js".into(),
                roles: vec![pb::ParticipantRole::Funding as i32, pb::ParticipantRole::Accountable as i32],
            }],
            responsibilities: vec![pb::Responsibility {
                id: "r-1".into(),
                party: "actors/sn".into(),
                duty: "建设帮扶车间".into(),
                status: pb::ResponsibilityStatus::Open as i32,
                ..Default::default()
            }],
            scope: Some(pb::Scope::default()),
            etag: "7".into(),
            create_time: Some(prost_types::Timestamp { seconds: 1, nanos: 0 }),
            update_time: Some(prost_types::Timestamp { seconds: 2, nanos: 0 }),
            east_region_code: "320000".into(),
            west_region_code: "610000".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_file_pairing_matches_what_the_registry_made_of_it() {
        let mut file = stored_pairing().without_server_fields();
        file.title.push(' ');
        file.forms.push(pb::CooperationForm::Industry as i32);
        file.participants[0].roles.reverse();
        file.responsibilities[0].id.clear();
        file.responsibilities[0].duty = format!(" {} ", file.responsibilities[0].duty);
        file.scope = None;
        assert!(pairing_unchanged(file, stored_pairing()));
    }

    #[test]
    fn other_content_or_an_unreadable_record_differs() {
        let mut file = stored_pairing();
        file.forms.reverse();
        assert!(!pairing_unchanged(file, stored_pairing()));
        let mut file = stored_pairing();
        file.responsibilities[0].id = "r-2".into();
        assert!(!pairing_unchanged(file, stored_pairing()));
        let mut file = stored_pairing();
        file.level = 0;
        assert!(!pairing_unchanged(file, stored_pairing()));
    }

    fn stored_activity() -> pb::Activity {
        pb::Activity {
            name: "pairings/js-sn/activities/2021-workshops".into(),
            actor: "actors/sn".into(),
            form: pb::CooperationForm::Employment as i32,
            kind: pb::ActivityKind::Employment as i32,
            direction: pb::FlowDirection::Joint as i32,
            date: "2021-12-31".into(),
            people: 4729,
            measures: vec![
                pb::Measure { indicator: pb::Indicator::Workshops as i32, value: 311 },
                pb::Measure { indicator: pb::Indicator::ExPoorEmployed as i32, value: 4729 },
            ],
            verification: pb::Verification::Confirmed as i32,
            etag: "5".into(),
            create_time: Some(prost_types::Timestamp { seconds: 1, nanos: 0 }),
            ..Default::default()
        }
    }

    #[test]
    fn an_activity_compares_its_measures_and_verification() {
        let mut file = stored_activity().without_server_fields();
        file.measures.reverse();
        assert!(activity_unchanged(file, stored_activity()), "measures are a set by indicator");
        let mut file = stored_activity();
        file.measures[0].value = 312;
        assert!(!activity_unchanged(file, stored_activity()));
        let mut file = stored_activity();
        file.measures.pop();
        assert!(!activity_unchanged(file, stored_activity()));
        let mut file = stored_activity();
        file.verification = pb::Verification::Audited as i32;
        assert!(!activity_unchanged(file, stored_activity()));
        let reported = pb::Activity { verification: pb::Verification::Reported as i32, ..stored_activity() };
        let unspecified = pb::Activity { verification: 0, ..stored_activity() };
        assert!(activity_unchanged(unspecified, reported), "UNSPECIFIED is stored as REPORTED");
    }

    fn stored_agreement() -> pb::Agreement {
        let target = |indicator: pb::Indicator, side: pb::Side, value| pb::Target {
            indicator: indicator as i32,
            side: side as i32,
            value,
        };
        pb::Agreement {
            name: "pairings/gd-gx/agreements/2022".into(),
            year: 2022,
            signed_date: "2022-03-01".into(),
            targets: vec![
                target(pb::Indicator::FiscalAid, pb::Side::East, 175_800_000_000),
                target(pb::Indicator::CadresExchanged, pb::Side::Unspecified, 267),
                target(pb::Indicator::Workshops, pb::Side::West, 378),
            ],
            description: "2022年粤桂东西部协作协议".into(),
            etag: "9".into(),
            create_time: Some(prost_types::Timestamp { seconds: 1, nanos: 0 }),
            update_time: Some(prost_types::Timestamp { seconds: 2, nanos: 0 }),
            ..Default::default()
        }
    }

    #[test]
    fn an_agreement_ignores_its_year_times_and_target_order() {
        let mut file = stored_agreement().without_server_fields();
        file.targets.reverse();
        assert_eq!(file.year, 0);
        assert!(agreement_unchanged(file, stored_agreement()));
        let mut file = stored_agreement();
        file.targets[1].side = pb::Side::West as i32;
        assert!(!agreement_unchanged(file, stored_agreement()));
        let mut file = stored_agreement();
        file.signed_date = "2022-03-02".into();
        assert!(!agreement_unchanged(file, stored_agreement()));
        let mut file = stored_agreement();
        file.name = "pairings/gd-gx/agreements/2023".into();
        assert!(!agreement_unchanged(file, stored_agreement()), "another year is another agreement");
        let mut file = stored_agreement();
        file.targets[0].indicator = 0;
        assert!(!agreement_unchanged(file, stored_agreement()), "unreadable: differs");
    }

    #[test]
    fn an_actor_ignores_its_times_and_credit_check() {
        let stored = pb::Actor {
            name: "actors/js".into(),
            display_name: "江苏省人民政府".into(),
            category: pb::ActorCategory::GovernmentBody as i32,
            side: pb::Side::East as i32,
            region_code: "320000".into(),
            credit_code_check: pb::CreditCodeCheck::Absent as i32,
            etag: "3".into(),
            create_time: Some(prost_types::Timestamp { seconds: 1, nanos: 0 }),
            ..Default::default()
        };
        let file =
            pb::Actor { display_name: " 江苏省人民政府".into(), ..stored.clone().without_server_fields() };
        assert!(actor_unchanged(file.clone(), stored.clone()));
        assert!(!actor_unchanged(pb::Actor { description: "x".into(), ..file }, stored));
    }
}
