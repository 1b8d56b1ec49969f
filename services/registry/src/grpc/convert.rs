//! Conversions between wire types and domain types. Wire structs are destructured field by field,
//! so a field added to the proto breaks the build here instead of being silently dropped.
//!
//! Going in, a value the domain cannot represent (an unknown enum number, a malformed name or
//! date) becomes a field violation; the domain then checks the rules.

use chrono::NaiveDate;
use eastwest_proto::registry::v1 as pb;
use prost_types::Timestamp;

use crate::domain::activity::ActivityDraft;
use crate::domain::actor::ActorDraft;
use crate::domain::codes::CreditCodeCheck;
use crate::domain::model::{
    Activity, ActivityKind, Actor, ActorCategory, CooperationForm, FlowDirection, Goal, Labels,
    Leadership, Micros, Pairing, PairingLevel, PairingSnapshot, PairingState, Participant,
    ParticipantRole, Responsibility, ResponsibilityStatus, Scope, Side, Stored,
};
use crate::domain::names::{
    activity_name, actor_name, pairing_name, parse_actor_name, parse_pairing_name,
};
use crate::domain::pairing::{GoalDraft, PairingDraft, ParticipantDraft, ResponsibilityDraft};
use crate::domain::validate::{Violations, parse_date};

/// Maps a wire enum and a domain enum both ways. Both matches are exhaustive.
macro_rules! enum_map {
    ($into_domain:ident, $into_wire:ident, $pb:ident, $dom:ident, [$($p:ident <=> $d:ident),* $(,)?]) => {
        /// `None` for UNSPECIFIED; a violation for a number the contract does not define.
        pub fn $into_domain(v: &mut Violations, field: &str, raw: i32) -> Option<$dom> {
            match pb::$pb::try_from(raw) {
                Ok(pb::$pb::Unspecified) => None,
                $(Ok(pb::$pb::$p) => Some($dom::$d),)*
                Err(_) => {
                    v.add(field, format!("{raw} is not a value of {}", stringify!($pb)));
                    None
                }
            }
        }

        pub fn $into_wire(value: $dom) -> pb::$pb {
            match value {
                $($dom::$d => pb::$pb::$p,)*
            }
        }
    };
}

enum_map!(category_in, category_out, ActorCategory, ActorCategory, [
    GovernmentBody <=> GovernmentBody,
    PublicInstitution <=> PublicInstitution,
    StateOwnedEnterprise <=> StateOwnedEnterprise,
    PeoplesOrganization <=> PeoplesOrganization,
    SocialOrganization <=> SocialOrganization,
    PrivateEnterprise <=> PrivateEnterprise,
    Individual <=> Individual,
]);
enum_map!(side_in, side_out, Side, Side, [East <=> East, West <=> West]);
enum_map!(level_in, level_out, PairingLevel, PairingLevel, [
    Province <=> Province,
    Prefecture <=> Prefecture,
    County <=> County,
    Town <=> Town,
    Village <=> Village,
    EnterpriseVillage <=> EnterpriseVillage,
    SocialOrgVillage <=> SocialOrgVillage,
    School <=> School,
    Hospital <=> Hospital,
]);
enum_map!(leadership_in, leadership_out, Leadership, Leadership, [
    GovernmentLed <=> GovernmentLed,
    MarketLed <=> MarketLed,
    SocietyLed <=> SocietyLed,
]);
enum_map!(form_in, form_out, CooperationForm, CooperationForm, [
    Industry <=> Industry,
    Education <=> Education,
    Employment <=> Employment,
    Consumption <=> Consumption,
    Health <=> Health,
    Talent <=> Talent,
    Other <=> Other,
]);
enum_map!(state_in, state_out, PairingState, PairingState, [
    Planned <=> Planned,
    Active <=> Active,
    Suspended <=> Suspended,
    Closed <=> Closed,
]);
enum_map!(role_in, role_out, ParticipantRole, ParticipantRole, [
    Funding <=> Funding,
    Accountable <=> Accountable,
    Extending <=> Extending,
    Implementing <=> Implementing,
]);
enum_map!(status_in, status_out, ResponsibilityStatus, ResponsibilityStatus, [Open <=> Open, Done <=> Done]);
enum_map!(kind_in, kind_out, ActivityKind, ActivityKind, [
    Funds <=> Funds,
    Investment <=> Investment,
    Donation <=> Donation,
    Purchase <=> Purchase,
    Employment <=> Employment,
    Training <=> Training,
    PersonnelExchange <=> PersonnelExchange,
    JointMeeting <=> JointMeeting,
    Other <=> Other,
]);
enum_map!(direction_in, direction_out, FlowDirection, FlowDirection, [
    EastToWest <=> EastToWest,
    WestToEast <=> WestToEast,
    Joint <=> Joint,
]);

fn credit_check_out(check: CreditCodeCheck) -> pb::CreditCodeCheck {
    match check {
        CreditCodeCheck::Valid => pb::CreditCodeCheck::Valid,
        CreditCodeCheck::ChecksumMismatch => pb::CreditCodeCheck::ChecksumMismatch,
        CreditCodeCheck::Absent => pb::CreditCodeCheck::Absent,
    }
}

fn timestamp(micros: Micros) -> Option<Timestamp> {
    let nanos = i32::try_from(micros.rem_euclid(1_000_000) * 1_000).unwrap_or(0);
    Some(Timestamp {
        seconds: micros.div_euclid(1_000_000),
        nanos,
    })
}

fn date_out(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn labels_in(labels: std::collections::HashMap<String, String>) -> Labels {
    labels.into_iter().collect()
}

fn labels_out(labels: Labels) -> std::collections::HashMap<String, String> {
    labels.into_iter().collect()
}

/// An optional actor reference: empty is `None`, a malformed name a violation.
pub fn actor_ref(v: &mut Violations, field: &str, name: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    match parse_actor_name(name) {
        Ok(id) => Some(id.to_string()),
        Err(e) => {
            v.add(field, e);
            None
        }
    }
}

/// An optional pairing reference: empty is `None`, a malformed name a violation.
pub fn pairing_ref(v: &mut Violations, field: &str, name: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    match parse_pairing_name(name) {
        Ok(id) => Some(id.to_string()),
        Err(e) => {
            v.add(field, e);
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Actors

pub fn actor_draft(v: &mut Violations, prefix: &str, actor: pb::Actor) -> ActorDraft {
    let pb::Actor {
        name: _,
        display_name,
        category,
        side,
        region_code,
        credit_code,
        credit_code_check: _,
        parent,
        description,
        labels,
        create_time: _,
        update_time: _,
        etag: _,
    } = actor;
    ActorDraft {
        display_name,
        category: category_in(v, &format!("{prefix}.category"), category),
        side: side_in(v, &format!("{prefix}.side"), side),
        region_code,
        credit_code,
        parent: actor_ref(v, &format!("{prefix}.parent"), &parent),
        description,
        labels: labels_in(labels),
    }
}

/// The fields a client set, for an update without a mask (AIP-134).
pub fn actor_fields_set(a: &pb::Actor) -> Vec<String> {
    let set = [
        ("display_name", !a.display_name.is_empty()),
        ("category", a.category != 0),
        ("side", a.side != 0),
        ("region_code", !a.region_code.is_empty()),
        ("credit_code", !a.credit_code.is_empty()),
        ("parent", !a.parent.is_empty()),
        ("description", !a.description.is_empty()),
        ("labels", !a.labels.is_empty()),
    ];
    set.into_iter()
        .filter(|(_, on)| *on)
        .map(|(f, _)| f.to_string())
        .collect()
}

pub fn actor_out(stored: Stored<Actor>) -> pb::Actor {
    let Stored { record, etag } = stored;
    let credit_code_check = credit_check_out(record.credit_code_check()) as i32;
    let Actor {
        id,
        display_name,
        category,
        side,
        region_code,
        credit_code,
        parent,
        description,
        labels,
        create_time,
        update_time,
    } = record;
    pb::Actor {
        name: actor_name(&id),
        display_name,
        category: category_out(category) as i32,
        side: side_out(side) as i32,
        region_code,
        credit_code: credit_code.unwrap_or_default(),
        credit_code_check,
        parent: parent.map(|p| actor_name(&p)).unwrap_or_default(),
        description,
        labels: labels_out(labels),
        create_time: timestamp(create_time),
        update_time: timestamp(update_time),
        etag,
    }
}

// ---------------------------------------------------------------------------------------------
// Pairings

pub fn pairing_draft(v: &mut Violations, prefix: &str, pairing: pb::Pairing) -> PairingDraft {
    let pb::Pairing {
        name: _,
        title,
        east,
        west,
        level,
        parent,
        leadership,
        forms,
        state,
        start_date,
        end_date,
        scope,
        participants,
        responsibilities,
        goals,
        description,
        labels,
        create_time: _,
        update_time: _,
        etag: _,
        east_region_code: _,
        west_region_code: _,
    } = pairing;
    let f = |name: &str| format!("{prefix}.{name}");
    let forms = forms
        .iter()
        .enumerate()
        .filter_map(|(i, &raw)| {
            let field = format!("{prefix}.forms[{i}]");
            let form = form_in(v, &field, raw);
            if form.is_none() && raw == 0 {
                v.add(field, "must not be COOPERATION_FORM_UNSPECIFIED");
            }
            form
        })
        .collect();
    let scope = scope.map(|s| {
        let pb::Scope {
            statement,
            in_scope,
            out_of_scope,
        } = s;
        Scope {
            statement,
            in_scope,
            out_of_scope,
        }
    });
    let participants = participants
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let pb::Participant { actor, roles } = p;
            let at = format!("{prefix}.participants[{i}]");
            let roles = roles
                .iter()
                .enumerate()
                .filter_map(|(j, &raw)| {
                    let field = format!("{at}.roles[{j}]");
                    let role = role_in(v, &field, raw);
                    if role.is_none() && raw == 0 {
                        v.add(field, "must not be PARTICIPANT_ROLE_UNSPECIFIED");
                    }
                    role
                })
                .collect();
            ParticipantDraft {
                actor: actor_ref(v, &format!("{at}.actor"), &actor),
                roles,
            }
        })
        .collect();
    let responsibilities = responsibilities
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let pb::Responsibility {
                id,
                party,
                duty,
                due_date,
                status,
            } = r;
            let at = format!("{prefix}.responsibilities[{i}]");
            ResponsibilityDraft {
                id,
                party: actor_ref(v, &format!("{at}.party"), &party),
                duty,
                due_date: parse_date(v, &format!("{at}.due_date"), &due_date),
                status: status_in(v, &format!("{at}.status"), status),
            }
        })
        .collect();
    let goals = goals
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            let pb::Goal {
                id,
                indicator,
                form,
                unit,
                baseline,
                target,
                actual,
                due_date,
                beneficiary,
                responsible,
            } = g;
            let at = format!("{prefix}.goals[{i}]");
            GoalDraft {
                id,
                indicator,
                form: form_in(v, &format!("{at}.form"), form),
                unit,
                baseline,
                target,
                actual,
                due_date: parse_date(v, &format!("{at}.due_date"), &due_date),
                beneficiary,
                responsible: actor_ref(v, &format!("{at}.responsible"), &responsible),
            }
        })
        .collect();
    PairingDraft {
        title,
        east: actor_ref(v, &f("east"), &east),
        west: actor_ref(v, &f("west"), &west),
        level: level_in(v, &f("level"), level),
        parent: pairing_ref(v, &f("parent"), &parent),
        leadership: leadership_in(v, &f("leadership"), leadership),
        forms,
        state: state_in(v, &f("state"), state),
        start_date: parse_date(v, &f("start_date"), &start_date),
        end_date: parse_date(v, &f("end_date"), &end_date),
        scope: scope.unwrap_or_default(),
        participants,
        responsibilities,
        goals,
        description,
        labels: labels_in(labels),
    }
}

pub fn pairing_fields_set(p: &pb::Pairing) -> Vec<String> {
    let set = [
        ("title", !p.title.is_empty()),
        ("east", !p.east.is_empty()),
        ("west", !p.west.is_empty()),
        ("level", p.level != 0),
        ("parent", !p.parent.is_empty()),
        ("leadership", p.leadership != 0),
        ("forms", !p.forms.is_empty()),
        ("state", p.state != 0),
        ("start_date", !p.start_date.is_empty()),
        ("end_date", !p.end_date.is_empty()),
        ("scope", p.scope.is_some()),
        ("participants", !p.participants.is_empty()),
        ("responsibilities", !p.responsibilities.is_empty()),
        ("goals", !p.goals.is_empty()),
        ("description", !p.description.is_empty()),
        ("labels", !p.labels.is_empty()),
    ];
    set.into_iter()
        .filter(|(_, on)| *on)
        .map(|(f, _)| f.to_string())
        .collect()
}

pub fn pairing_out(stored: Stored<Pairing>) -> pb::Pairing {
    let Stored { record, etag } = stored;
    let Pairing {
        id,
        title,
        east,
        west,
        level,
        parent,
        leadership,
        forms,
        state,
        start_date,
        end_date,
        scope,
        participants,
        responsibilities,
        goals,
        description,
        labels,
        east_region_code,
        west_region_code,
        create_time,
        update_time,
    } = record;
    let Scope {
        statement,
        in_scope,
        out_of_scope,
    } = scope;
    pb::Pairing {
        name: pairing_name(&id),
        title,
        east: actor_name(&east),
        west: actor_name(&west),
        level: level_out(level) as i32,
        parent: parent.map(|p| pairing_name(&p)).unwrap_or_default(),
        leadership: leadership_out(leadership) as i32,
        forms: forms.into_iter().map(|f| form_out(f) as i32).collect(),
        state: state_out(state) as i32,
        start_date: date_out(start_date),
        end_date: date_out(end_date),
        scope: Some(pb::Scope {
            statement,
            in_scope,
            out_of_scope,
        }),
        participants: participants
            .into_iter()
            .map(|Participant { actor, roles }| pb::Participant {
                actor: actor_name(&actor),
                roles: roles.into_iter().map(|r| role_out(r) as i32).collect(),
            })
            .collect(),
        responsibilities: responsibilities
            .into_iter()
            .map(
                |Responsibility {
                     id,
                     party,
                     duty,
                     due_date,
                     status,
                 }| pb::Responsibility {
                    id,
                    party: actor_name(&party),
                    duty,
                    due_date: date_out(due_date),
                    status: status_out(status) as i32,
                },
            )
            .collect(),
        goals: goals
            .into_iter()
            .map(
                |Goal {
                     id,
                     indicator,
                     form,
                     unit,
                     baseline,
                     target,
                     actual,
                     due_date,
                     beneficiary,
                     responsible,
                 }| {
                    pb::Goal {
                        id,
                        indicator,
                        form: form_out(form) as i32,
                        unit,
                        baseline,
                        target,
                        actual,
                        due_date: date_out(due_date),
                        beneficiary,
                        responsible: responsible.map(|r| actor_name(&r)).unwrap_or_default(),
                    }
                },
            )
            .collect(),
        description,
        labels: labels_out(labels),
        create_time: timestamp(create_time),
        update_time: timestamp(update_time),
        etag,
        east_region_code,
        west_region_code,
    }
}

// ---------------------------------------------------------------------------------------------
// Activities

pub fn activity_draft(v: &mut Violations, prefix: &str, activity: pb::Activity) -> ActivityDraft {
    let pb::Activity {
        name: _,
        actor,
        form,
        kind,
        direction,
        date,
        amount_fen,
        people,
        description,
        labels,
        create_time: _,
        etag: _,
    } = activity;
    let f = |name: &str| format!("{prefix}.{name}");
    ActivityDraft {
        actor: actor_ref(v, &f("actor"), &actor),
        form: form_in(v, &f("form"), form),
        kind: kind_in(v, &f("kind"), kind),
        direction: direction_in(v, &f("direction"), direction),
        date: parse_date(v, &f("date"), &date),
        amount_fen,
        people,
        description,
        labels: labels_in(labels),
    }
}

pub fn activity_out(stored: Stored<Activity>) -> pb::Activity {
    let Stored { record, etag } = stored;
    let Activity {
        pairing,
        id,
        actor,
        form,
        kind,
        direction,
        date,
        amount_fen,
        people,
        description,
        labels,
        create_time,
    } = record;
    pb::Activity {
        name: activity_name(&pairing, &id),
        actor: actor_name(&actor),
        form: form_out(form) as i32,
        kind: kind_out(kind) as i32,
        direction: direction_out(direction) as i32,
        date: date_out(Some(date)),
        amount_fen,
        people,
        description,
        labels: labels_out(labels),
        create_time: timestamp(create_time),
        etag,
    }
}

pub fn snapshot_out(snapshot: PairingSnapshot) -> pb::PairingSnapshot {
    let PairingSnapshot {
        pairing,
        actors,
        activities,
    } = snapshot;
    pb::PairingSnapshot {
        pairing: Some(pairing_out(pairing)),
        actors: actors.into_iter().map(actor_out).collect(),
        activities: activities.into_iter().map(activity_out).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_split_micros_exactly() {
        assert_eq!(
            timestamp(1_500_000),
            Some(Timestamp {
                seconds: 1,
                nanos: 500_000_000
            })
        );
        assert_eq!(
            timestamp(-1),
            Some(Timestamp {
                seconds: -1,
                nanos: 999_999_000
            })
        );
    }

    #[test]
    fn unknown_enum_numbers_are_violations_and_unspecified_is_absent() {
        let mut v = Violations::new();
        assert_eq!(side_in(&mut v, "side", 0), None);
        assert!(v.is_empty());
        assert_eq!(side_in(&mut v, "side", 99), None);
        assert_eq!(v.list()[0].field, "side");
        assert_eq!(side_in(&mut v, "side", 2), Some(Side::West));
    }

    #[test]
    fn an_activity_round_trips_through_the_wire_type() {
        let activity = Activity {
            pairing: "js-sn".into(),
            id: "a1".into(),
            actor: "js".into(),
            form: CooperationForm::Employment,
            kind: ActivityKind::Employment,
            direction: FlowDirection::WestToEast,
            date: NaiveDate::from_ymd_opt(2021, 12, 31).expect("date"),
            amount_fen: 0,
            people: 5_381,
            description: "转移就业".into(),
            labels: Labels::new(),
            create_time: 0,
        };
        let wire = activity_out(Stored {
            record: activity.clone(),
            etag: "1".into(),
        });
        let mut v = Violations::new();
        let draft = activity_draft(&mut v, "activity", wire);
        assert!(v.is_empty());
        assert_eq!(draft.validate("activity", "js-sn", "a1", 0), Ok(activity));
    }
}
