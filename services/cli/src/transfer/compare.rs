//! What a file says about a record, as opposed to what the server adds, and whether a stored
//! record already says it.
//!
//! The server owns etags, times, an actor's credit code check, a pairing's copied region codes and
//! the ids it generates for responsibilities and goals: export leaves them out and import ignores
//! them. What the registry tidies on a write (trimming, forms once, roles sorted) is
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
