//! Conversions between wire types and domain types. Wire structs are destructured field by field,
//! so a field added to the proto breaks the build here instead of being silently dropped.
//!
//! Going in, a value the domain cannot represent (an unknown enum number, a malformed name or
//! date) becomes a field violation; the domain then checks the rules.

use chrono::NaiveDate;
use eastwest_proto::convert::{self as wire, UnknownEnumValue};
use eastwest_proto::registry::v1 as pb;

use crate::rules::activity::{ActivityDraft, MeasureDraft};
use crate::rules::actor::ActorDraft;
use crate::rules::agreement::{AgreementDraft, TargetDraft};
use crate::rules::pairing::{GoalDraft, PairingDraft, ParticipantDraft, ResponsibilityDraft};
use crate::rules::validate::Violations;
use eastwest_domain::model::Scope;
use eastwest_domain::names::{parse_actor_name, parse_pairing_name};

pub(crate) use wire::{activity_out, actor_out, agreement_out, pairing_out, snapshot_out};

/// An enum value from the wire: UNSPECIFIED is `None`, an undefined number a violation.
pub(crate) fn wire_enum<T>(v: &mut Violations, field: &str, parsed: Result<Option<T>, UnknownEnumValue>) -> Option<T> {
    parsed.unwrap_or_else(|e| {
        v.add(field, e.to_string());
        None
    })
}

/// An optional actor reference: empty is `None`, a malformed name a violation.
pub(crate) fn actor_ref(v: &mut Violations, field: &str, name: &str) -> Option<String> {
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
pub(crate) fn pairing_ref(v: &mut Violations, field: &str, name: &str) -> Option<String> {
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

/// Parses an ISO `YYYY-MM-DD` date; empty means absent.
pub(crate) fn parse_date(v: &mut Violations, field: &str, value: &str) -> Option<NaiveDate> {
    if value.is_empty() {
        return None;
    }
    let parsed = eastwest_domain::dates::parse_iso_date(value);
    if parsed.is_none() {
        v.add(field, format!("must be {}, got {value:?}", eastwest_domain::dates::DATE_RULE));
    }
    parsed
}

// ---------------------------------------------------------------------------------------------
// Actors

pub(crate) fn actor_draft(v: &mut Violations, prefix: &str, actor: pb::Actor) -> ActorDraft {
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
        category: wire_enum(v, &format!("{prefix}.category"), wire::category_in(category)),
        side: wire_enum(v, &format!("{prefix}.side"), wire::side_in(side)),
        region_code,
        credit_code,
        parent: actor_ref(v, &format!("{prefix}.parent"), &parent),
        description,
        labels: wire::labels_in(labels),
    }
}

// ---------------------------------------------------------------------------------------------
// Pairings

pub(crate) fn pairing_draft(v: &mut Violations, prefix: &str, pairing: pb::Pairing) -> PairingDraft {
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
            let form = wire_enum(v, &field, wire::form_in(raw));
            if form.is_none() && raw == 0 {
                v.add(field, "must not be COOPERATION_FORM_UNSPECIFIED");
            }
            form
        })
        .collect();
    let scope = scope.map(|s| {
        let pb::Scope { statement, in_scope, out_of_scope } = s;
        Scope { statement, in_scope, out_of_scope }
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
                    let role = wire_enum(v, &field, wire::role_in(raw));
                    if role.is_none() && raw == 0 {
                        v.add(field, "must not be PARTICIPANT_ROLE_UNSPECIFIED");
                    }
                    role
                })
                .collect();
            ParticipantDraft { actor: actor_ref(v, &format!("{at}.actor"), &actor), roles }
        })
        .collect();
    let responsibilities = responsibilities
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let pb::Responsibility { id, party, duty, due_date, status } = r;
            let at = format!("{prefix}.responsibilities[{i}]");
            ResponsibilityDraft {
                id,
                party: actor_ref(v, &format!("{at}.party"), &party),
                duty,
                due_date: parse_date(v, &format!("{at}.due_date"), &due_date),
                status: wire_enum(v, &format!("{at}.status"), wire::status_in(status)),
            }
        })
        .collect();
    let goals = goals
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            let pb::Goal { id, indicator, form, unit, baseline, target, actual, due_date, beneficiary, responsible } =
                g;
            let at = format!("{prefix}.goals[{i}]");
            GoalDraft {
                id,
                indicator,
                form: wire_enum(v, &format!("{at}.form"), wire::form_in(form)),
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
        level: wire_enum(v, &f("level"), wire::level_in(level)),
        parent: pairing_ref(v, &f("parent"), &parent),
        leadership: wire_enum(v, &f("leadership"), wire::leadership_in(leadership)),
        forms,
        state: wire_enum(v, &f("state"), wire::state_in(state)),
        start_date: parse_date(v, &f("start_date"), &start_date),
        end_date: parse_date(v, &f("end_date"), &end_date),
        scope,
        participants,
        responsibilities,
        goals,
        description,
        labels: wire::labels_in(labels),
    }
}

// ---------------------------------------------------------------------------------------------
// Activities

pub(crate) fn activity_draft(v: &mut Violations, prefix: &str, activity: pb::Activity) -> ActivityDraft {
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
        measures,
        verification,
    } = activity;
    let f = |name: &str| format!("{prefix}.{name}");
    let measures = measures
        .into_iter()
        .enumerate()
        .map(|(i, pb::Measure { indicator, value })| MeasureDraft {
            indicator: wire_enum(v, &format!("{prefix}.measures[{i}].indicator"), wire::indicator_in(indicator)),
            value,
        })
        .collect();
    ActivityDraft {
        actor: actor_ref(v, &f("actor"), &actor),
        form: wire_enum(v, &f("form"), wire::form_in(form)),
        kind: wire_enum(v, &f("kind"), wire::kind_in(kind)),
        direction: wire_enum(v, &f("direction"), wire::direction_in(direction)),
        date: parse_date(v, &f("date"), &date),
        amount_fen,
        people,
        description,
        labels: wire::labels_in(labels),
        measures,
        verification: wire_enum(v, &f("verification"), wire::verification_in(verification)).unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------------------------
// Agreements

pub(crate) fn agreement_draft(v: &mut Violations, prefix: &str, agreement: pb::Agreement) -> AgreementDraft {
    let pb::Agreement {
        name: _,
        year: _,
        signed_date,
        targets,
        description,
        labels,
        create_time: _,
        update_time: _,
        etag: _,
    } = agreement;
    let targets = targets
        .into_iter()
        .enumerate()
        .map(|(i, pb::Target { indicator, side, value })| {
            let at = format!("{prefix}.targets[{i}]");
            TargetDraft {
                indicator: wire_enum(v, &format!("{at}.indicator"), wire::indicator_in(indicator)),
                side: wire_enum(v, &format!("{at}.side"), wire::side_in(side)),
                value,
            }
        })
        .collect();
    AgreementDraft {
        signed_date: parse_date(v, &format!("{prefix}.signed_date"), &signed_date),
        targets,
        description,
        labels: wire::labels_in(labels),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::validate::Stamp;
    use eastwest_domain::model::{
        Activity, ActivityKind, Agreement, CooperationForm, FlowDirection, Indicator, Labels, Measure, Side, Stored,
        Target, Verification,
    };

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
            measures: vec![Measure { indicator: Indicator::LabourEmployed, value: 5_381 }],
            verification: Verification::Confirmed,
        };
        let wire = activity_out(Stored { record: activity.clone(), etag: "1".into() });
        let mut v = Violations::new();
        let draft = activity_draft(&mut v, "activity", wire);
        assert!(v.is_empty());
        assert_eq!(draft.validate("activity", "js-sn", &Stamp::created("a1", 0)), Ok(activity));
    }

    #[test]
    fn an_agreement_round_trips_through_the_wire_type() {
        let agreement = Agreement {
            pairing: "gd-gx".into(),
            year: 2022,
            signed_date: NaiveDate::from_ymd_opt(2022, 3, 1),
            targets: vec![
                Target { indicator: Indicator::FiscalAid, side: Some(Side::East), value: 175_800_000_000 },
                Target { indicator: Indicator::Workshops, side: None, value: 378 },
            ],
            description: "年度协议".into(),
            labels: Labels::new(),
            create_time: 5,
            update_time: 5,
        };
        let wire = agreement_out(Stored { record: agreement.clone(), etag: "3".into() });
        assert_eq!((wire.name.as_str(), wire.year), ("pairings/gd-gx/agreements/2022", 2022));
        let mut v = Violations::new();
        let draft = agreement_draft(&mut v, "agreement", wire);
        assert!(v.is_empty());
        assert_eq!(draft.validate("agreement", "gd-gx", 2022, &Stamp::created("2022", 5)), Ok(agreement));
    }

    #[test]
    fn unknown_indicators_are_named_where_they_stand() {
        let mut v = Violations::new();
        let wire = pb::Agreement {
            targets: vec![
                pb::Target { indicator: 99, side: 0, value: 1 },
                pb::Target { indicator: 1, side: 7, value: 1 },
            ],
            ..Default::default()
        };
        agreement_draft(&mut v, "agreement", wire);
        let fields: Vec<_> = v.list().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["agreement.targets[0].indicator", "agreement.targets[1].side"]);
    }

    #[test]
    fn dates_must_be_real_and_padded() {
        let mut v = Violations::new();
        assert!(parse_date(&mut v, "ok", "2024-02-29").is_some());
        assert!(parse_date(&mut v, "leap", "2023-02-29").is_none());
        assert!(parse_date(&mut v, "pad", "2023-2-28").is_none());
        assert!(parse_date(&mut v, "empty", "").is_none());
        let fields: Vec<_> = v.list().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["leap", "pad"]);
    }

    #[test]
    fn undefined_enum_numbers_become_violations() {
        let mut v = Violations::new();
        assert_eq!(wire_enum(&mut v, "side", wire::side_in(0)), None);
        assert!(v.is_empty());
        assert_eq!(wire_enum(&mut v, "side", wire::side_in(99)), None);
        assert_eq!(v.list()[0].field, "side");
    }
}
