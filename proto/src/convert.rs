//! Conversions between the wire contract and the shared domain records (`eastwest-domain`).
//!
//! Wire structs are destructured field by field, so a field added to the proto breaks the build here
//! instead of being silently dropped. Enum maps are exhaustive in both directions.

use chrono::NaiveDate;
use eastwest_domain::codes::CreditCodeCheck;
use eastwest_domain::names::{activity_name, actor_name, agreement_name, pairing_name};
use eastwest_domain::{
    Activity, ActivityKind, Actor, ActorCategory, Agreement, CooperationForm, FlowDirection, Goal, Indicator, Labels,
    Leadership, Measure, Micros, Pairing, PairingLevel, PairingSnapshot, PairingState, Participant, ParticipantRole,
    Responsibility, ResponsibilityStatus, Scope, Side, Stored, Target, Verification,
};
use prost_types::Timestamp;

use crate::registry::v1 as pb;

/// A wire enum number that the contract does not define.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value} is not a value of {enum_name}")]
pub struct UnknownEnumValue {
    pub enum_name: &'static str,
    pub value: i32,
}

/// Maps a wire enum and a domain enum both ways. Both matches are exhaustive.
macro_rules! enum_map {
    ($into_domain:ident, $into_wire:ident, $pb:ident, $dom:ident, [$($p:ident <=> $d:ident),* $(,)?]) => {
        /// `Ok(None)` for UNSPECIFIED; an error for a number the contract does not define.
        pub fn $into_domain(raw: i32) -> Result<Option<$dom>, UnknownEnumValue> {
            match pb::$pb::try_from(raw) {
                Ok(pb::$pb::Unspecified) => Ok(None),
                $(Ok(pb::$pb::$p) => Ok(Some($dom::$d)),)*
                Err(_) => Err(UnknownEnumValue { enum_name: stringify!($pb), value: raw }),
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

enum_map!(indicator_in, indicator_out, Indicator, Indicator, [
    FiscalAid <=> FiscalAid,
    CadresExchanged <=> CadresExchanged,
    ProfessionalsExchanged <=> ProfessionalsExchanged,
    EnterprisesLanded <=> EnterprisesLanded,
    InvestmentArrived <=> InvestmentArrived,
    IndustrialParks <=> IndustrialParks,
    Workshops <=> Workshops,
    LabourEmployed <=> LabourEmployed,
    ExPoorEmployed <=> ExPoorEmployed,
    PeopleTrained <=> PeopleTrained,
    Consumption <=> Consumption,
    SocialDonations <=> SocialDonations,
    SchoolPairs <=> SchoolPairs,
    HospitalPairs <=> HospitalPairs,
    VillagePairs <=> VillagePairs,
]);
enum_map!(verification_in, verification_out, Verification, Verification, [
    Reported <=> Reported,
    Confirmed <=> Confirmed,
    Audited <=> Audited,
]);

/// A side as a target holds it: `None` (the pairing as a whole) is UNSPECIFIED.
pub fn target_side_out(side: Option<Side>) -> pb::Side {
    side.map_or(pb::Side::Unspecified, side_out)
}

pub fn credit_check_out(check: CreditCodeCheck) -> pb::CreditCodeCheck {
    match check {
        CreditCodeCheck::Valid => pb::CreditCodeCheck::Valid,
        CreditCodeCheck::ChecksumMismatch => pb::CreditCodeCheck::ChecksumMismatch,
        CreditCodeCheck::Absent => pb::CreditCodeCheck::Absent,
    }
}

pub fn timestamp(micros: Micros) -> Option<Timestamp> {
    let nanos = i32::try_from(micros.rem_euclid(1_000_000) * 1_000).unwrap_or(0);
    Some(Timestamp { seconds: micros.div_euclid(1_000_000), nanos })
}

pub fn date_out(date: Option<NaiveDate>) -> String {
    date.map(eastwest_domain::dates::iso_date).unwrap_or_default()
}

pub fn labels_in(labels: std::collections::HashMap<String, String>) -> Labels {
    labels.into_iter().collect()
}

pub fn labels_out(labels: Labels) -> std::collections::HashMap<String, String> {
    labels.into_iter().collect()
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
    let Scope { statement, in_scope, out_of_scope } = scope;
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
        scope: Some(pb::Scope { statement, in_scope, out_of_scope }),
        participants: participants
            .into_iter()
            .map(|Participant { actor, roles }| pb::Participant {
                actor: actor_name(&actor),
                roles: roles.into_iter().map(|r| role_out(r) as i32).collect(),
            })
            .collect(),
        responsibilities: responsibilities
            .into_iter()
            .map(|Responsibility { id, party, duty, due_date, status }| pb::Responsibility {
                id,
                party: actor_name(&party),
                duty,
                due_date: date_out(due_date),
                status: status_out(status) as i32,
            })
            .collect(),
        goals: goals
            .into_iter()
            .map(|Goal { id, indicator, form, unit, baseline, target, actual, due_date, beneficiary, responsible }| {
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
            })
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
        measures,
        verification,
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
        measures: measures.into_iter().map(measure_out).collect(),
        verification: verification_out(verification) as i32,
    }
}

pub fn measure_out(measure: Measure) -> pb::Measure {
    let Measure { indicator, value } = measure;
    pb::Measure { indicator: indicator_out(indicator) as i32, value }
}

pub fn target_out(target: Target) -> pb::Target {
    let Target { indicator, side, value } = target;
    pb::Target { indicator: indicator_out(indicator) as i32, side: target_side_out(side) as i32, value }
}

pub fn agreement_out(stored: Stored<Agreement>) -> pb::Agreement {
    let Stored { record, etag } = stored;
    let Agreement { pairing, year, signed_date, targets, description, labels, create_time, update_time } = record;
    pb::Agreement {
        name: agreement_name(&pairing, year),
        year,
        signed_date: date_out(signed_date),
        targets: targets.into_iter().map(target_out).collect(),
        description,
        labels: labels_out(labels),
        create_time: timestamp(create_time),
        update_time: timestamp(update_time),
        etag,
    }
}

pub fn snapshot_out(snapshot: PairingSnapshot) -> pb::PairingSnapshot {
    let PairingSnapshot { pairing, actors, activities, agreements, children } = snapshot;
    pb::PairingSnapshot {
        pairing: Some(pairing_out(pairing)),
        actors: actors.into_iter().map(actor_out).collect(),
        activities: activities.into_iter().map(activity_out).collect(),
        agreements: agreements.into_iter().map(agreement_out).collect(),
        child_pairings: children.iter().map(|id| pairing_name(id)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_split_micros_exactly() {
        assert_eq!(timestamp(1_500_000), Some(Timestamp { seconds: 1, nanos: 500_000_000 }));
        assert_eq!(timestamp(-1), Some(Timestamp { seconds: -1, nanos: 999_999_000 }));
    }

    #[test]
    fn unspecified_is_absent_and_undefined_numbers_are_errors() {
        assert_eq!(side_in(0), Ok(None));
        assert_eq!(side_in(2), Ok(Some(Side::West)));
        assert_eq!(side_in(99), Err(UnknownEnumValue { enum_name: "Side", value: 99 }));
    }
}

// ---------------------------------------------------------------------------------------------
// Into the domain: records read back from the registry by other services.

/// A record from the wire that the domain cannot hold (a malformed name, date or enum).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{record}: {field}: {problem}")]
pub struct InvalidRecord {
    pub record: String,
    pub field: String,
    pub problem: String,
}

struct Reader<'a> {
    record: &'a str,
}

impl Reader<'_> {
    fn fail(&self, field: &str, problem: impl Into<String>) -> InvalidRecord {
        InvalidRecord { record: self.record.to_string(), field: field.to_string(), problem: problem.into() }
    }

    fn required<T>(&self, field: &str, parsed: Result<Option<T>, UnknownEnumValue>) -> Result<T, InvalidRecord> {
        parsed.map_err(|e| self.fail(field, e.to_string()))?.ok_or_else(|| self.fail(field, "is unspecified"))
    }

    /// An enum that may be UNSPECIFIED (`None`), but not a number the contract does not define.
    fn enum_value<T>(
        &self,
        field: &str,
        parsed: Result<Option<T>, UnknownEnumValue>,
    ) -> Result<Option<T>, InvalidRecord> {
        parsed.map_err(|e| self.fail(field, e.to_string()))
    }

    fn actor_id(&self, field: &str, name: &str) -> Result<String, InvalidRecord> {
        eastwest_domain::names::parse_actor_name(name).map(str::to_string).map_err(|e| self.fail(field, e))
    }

    fn optional_actor_id(&self, field: &str, name: &str) -> Result<Option<String>, InvalidRecord> {
        if name.is_empty() { Ok(None) } else { self.actor_id(field, name).map(Some) }
    }

    fn date(&self, field: &str, text: &str) -> Result<Option<NaiveDate>, InvalidRecord> {
        if text.is_empty() {
            return Ok(None);
        }
        eastwest_domain::dates::parse_iso_date(text)
            .map(Some)
            .ok_or_else(|| self.fail(field, format!("{text:?} is not {}", eastwest_domain::dates::DATE_RULE)))
    }
}

fn micros(t: Option<Timestamp>) -> Micros {
    t.map(|t| t.seconds.saturating_mul(1_000_000).saturating_add(i64::from(t.nanos / 1_000))).unwrap_or(0)
}

pub fn actor_in(actor: pb::Actor) -> Result<Stored<Actor>, InvalidRecord> {
    let pb::Actor {
        name,
        display_name,
        category,
        side,
        region_code,
        credit_code,
        credit_code_check: _,
        parent,
        description,
        labels,
        create_time,
        update_time,
        etag,
    } = actor;
    let r = Reader { record: &name };
    let id = r.actor_id("name", &name)?;
    let record = Actor {
        category: r.required("category", category_in(category))?,
        side: r.required("side", side_in(side))?,
        parent: r.optional_actor_id("parent", &parent)?,
        id,
        display_name,
        region_code,
        credit_code: (!credit_code.is_empty()).then_some(credit_code),
        description,
        labels: labels_in(labels),
        create_time: micros(create_time),
        update_time: micros(update_time),
    };
    Ok(Stored { record, etag })
}

pub fn pairing_in(pairing: pb::Pairing) -> Result<Stored<Pairing>, InvalidRecord> {
    let pb::Pairing {
        name,
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
        create_time,
        update_time,
        etag,
        east_region_code,
        west_region_code,
    } = pairing;
    let r = Reader { record: &name };
    let id = eastwest_domain::names::parse_pairing_name(&name).map(str::to_string).map_err(|e| r.fail("name", e))?;
    let parent = if parent.is_empty() {
        None
    } else {
        Some(eastwest_domain::names::parse_pairing_name(&parent).map(str::to_string).map_err(|e| r.fail("parent", e))?)
    };
    let forms = forms.iter().map(|&f| r.required("forms", form_in(f))).collect::<Result<_, _>>()?;
    let participants = participants
        .into_iter()
        .map(|pb::Participant { actor, roles }| {
            Ok(Participant {
                actor: r.actor_id("participants.actor", &actor)?,
                roles: roles.iter().map(|&x| r.required("participants.roles", role_in(x))).collect::<Result<_, _>>()?,
            })
        })
        .collect::<Result<_, InvalidRecord>>()?;
    let responsibilities = responsibilities
        .into_iter()
        .map(|pb::Responsibility { id, party, duty, due_date, status }| {
            Ok(Responsibility {
                party: r.actor_id("responsibilities.party", &party)?,
                due_date: r.date("responsibilities.due_date", &due_date)?,
                status: r.required("responsibilities.status", status_in(status))?,
                id,
                duty,
            })
        })
        .collect::<Result<_, InvalidRecord>>()?;
    let goals = goals
        .into_iter()
        .map(|pb::Goal { id, indicator, form, unit, baseline, target, actual, due_date, beneficiary, responsible }| {
            Ok(Goal {
                form: r.required("goals.form", form_in(form))?,
                due_date: r.date("goals.due_date", &due_date)?,
                responsible: r.optional_actor_id("goals.responsible", &responsible)?,
                id,
                indicator,
                unit,
                baseline,
                target,
                actual,
                beneficiary,
            })
        })
        .collect::<Result<_, InvalidRecord>>()?;
    let scope = scope
        .map(|pb::Scope { statement, in_scope, out_of_scope }| Scope { statement, in_scope, out_of_scope })
        .unwrap_or_default();
    let record = Pairing {
        east: r.actor_id("east", &east)?,
        west: r.actor_id("west", &west)?,
        level: r.required("level", level_in(level))?,
        leadership: r.required("leadership", leadership_in(leadership))?,
        state: r.required("state", state_in(state))?,
        start_date: r.date("start_date", &start_date)?,
        end_date: r.date("end_date", &end_date)?,
        id,
        title,
        parent,
        forms,
        scope,
        participants,
        responsibilities,
        goals,
        description,
        labels: labels_in(labels),
        east_region_code,
        west_region_code,
        create_time: micros(create_time),
        update_time: micros(update_time),
    };
    Ok(Stored { record, etag })
}

pub fn activity_in(activity: pb::Activity) -> Result<Stored<Activity>, InvalidRecord> {
    let pb::Activity {
        name,
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
        etag,
        measures,
        verification,
    } = activity;
    let r = Reader { record: &name };
    let (pairing, id) = eastwest_domain::names::parse_activity_name(&name).map_err(|e| r.fail("name", e))?;
    let record = Activity {
        pairing: pairing.to_string(),
        id: id.to_string(),
        actor: r.actor_id("actor", &actor)?,
        form: r.required("form", form_in(form))?,
        kind: r.required("kind", kind_in(kind))?,
        direction: r.required("direction", direction_in(direction))?,
        date: r.date("date", &date)?.ok_or_else(|| r.fail("date", "is empty"))?,
        amount_fen,
        people,
        measures: measures
            .into_iter()
            .map(|pb::Measure { indicator, value }| {
                Ok(Measure { indicator: r.required("measures.indicator", indicator_in(indicator))?, value })
            })
            .collect::<Result<_, InvalidRecord>>()?,
        verification: r.enum_value("verification", verification_in(verification))?.unwrap_or_default(),
        description,
        labels: labels_in(labels),
        create_time: micros(create_time),
    };
    Ok(Stored { record, etag })
}

pub fn agreement_in(agreement: pb::Agreement) -> Result<Stored<Agreement>, InvalidRecord> {
    let pb::Agreement { name, year: _, signed_date, targets, description, labels, create_time, update_time, etag } =
        agreement;
    let r = Reader { record: &name };
    let (pairing, year) = eastwest_domain::names::parse_agreement_name(&name).map_err(|e| r.fail("name", e))?;
    let targets = targets
        .into_iter()
        .map(|pb::Target { indicator, side, value }| {
            Ok(Target {
                indicator: r.required("targets.indicator", indicator_in(indicator))?,
                side: r.enum_value("targets.side", side_in(side))?,
                value,
            })
        })
        .collect::<Result<_, InvalidRecord>>()?;
    let record = Agreement {
        pairing: pairing.to_string(),
        year,
        signed_date: r.date("signed_date", &signed_date)?,
        targets,
        description,
        labels: labels_in(labels),
        create_time: micros(create_time),
        update_time: micros(update_time),
    };
    Ok(Stored { record, etag })
}

pub fn snapshot_in(snapshot: pb::PairingSnapshot) -> Result<PairingSnapshot, InvalidRecord> {
    let pb::PairingSnapshot { pairing, actors, activities, agreements, child_pairings } = snapshot;
    let pairing = pairing.ok_or_else(|| InvalidRecord {
        record: "snapshot".into(),
        field: "pairing".into(),
        problem: "is missing".into(),
    })?;
    Ok(PairingSnapshot {
        pairing: pairing_in(pairing)?,
        actors: actors.into_iter().map(actor_in).collect::<Result<_, _>>()?,
        activities: activities.into_iter().map(activity_in).collect::<Result<_, _>>()?,
        agreements: agreements.into_iter().map(agreement_in).collect::<Result<_, _>>()?,
        children: child_pairings
            .iter()
            .map(|name| {
                eastwest_domain::names::parse_pairing_name(name).map(str::to_string).map_err(|problem| InvalidRecord {
                    record: "snapshot".into(),
                    field: "child_pairings".into(),
                    problem,
                })
            })
            .collect::<Result<_, _>>()?,
    })
}

#[cfg(test)]
mod round_trip {
    use super::*;

    #[test]
    fn a_snapshot_survives_the_wire_both_ways() {
        let date = NaiveDate::from_ymd_opt(2021, 6, 30);
        let pairing = Pairing {
            id: "js-sn".into(),
            title: "江苏—陕西".into(),
            east: "js".into(),
            west: "sn".into(),
            level: PairingLevel::Province,
            parent: Some("root".into()),
            leadership: Leadership::GovernmentLed,
            forms: vec![CooperationForm::Industry],
            state: PairingState::Active,
            start_date: date,
            end_date: None,
            scope: Scope { statement: "s".into(), in_scope: vec!["a".into()], out_of_scope: vec![] },
            participants: vec![Participant { actor: "js".into(), roles: vec![ParticipantRole::Funding] }],
            responsibilities: vec![Responsibility {
                id: "r-1".into(),
                party: "sn".into(),
                duty: "d".into(),
                due_date: date,
                status: ResponsibilityStatus::Done,
            }],
            goals: vec![Goal {
                id: "g".into(),
                indicator: "i".into(),
                form: CooperationForm::Employment,
                unit: "人".into(),
                baseline: Some(0.0),
                target: Some(10.0),
                actual: None,
                due_date: None,
                beneficiary: "脱贫人口".into(),
                responsible: Some("js".into()),
            }],
            description: String::new(),
            labels: Labels::new(),
            east_region_code: "320000".into(),
            west_region_code: "610000".into(),
            create_time: 1_000_001,
            update_time: 2_000_000,
        };
        let actor = Actor {
            id: "js".into(),
            display_name: "江苏".into(),
            category: ActorCategory::GovernmentBody,
            side: Side::East,
            region_code: "320000".into(),
            credit_code: None,
            parent: None,
            description: String::new(),
            labels: Labels::new(),
            create_time: 5,
            update_time: 6,
        };
        let activity = Activity {
            pairing: "js-sn".into(),
            id: "a".into(),
            actor: "js".into(),
            form: CooperationForm::Industry,
            kind: ActivityKind::Funds,
            direction: FlowDirection::EastToWest,
            date: date.unwrap_or_default(),
            amount_fen: 269_000_000_000,
            people: 0,
            measures: vec![
                Measure { indicator: Indicator::FiscalAid, value: 269_000_000_000 },
                Measure { indicator: Indicator::VillagePairs, value: 3 },
            ],
            verification: Verification::Confirmed,
            description: String::new(),
            labels: Labels::new(),
            create_time: 7,
        };
        let agreement = Agreement {
            pairing: "js-sn".into(),
            year: 2021,
            signed_date: date,
            targets: vec![
                Target { indicator: Indicator::FiscalAid, side: Some(Side::East), value: 250_000_000_000 },
                Target { indicator: Indicator::LabourEmployed, side: None, value: 15_000 },
            ],
            description: "协议".into(),
            labels: Labels::new(),
            create_time: 8,
            update_time: 9,
        };
        let snapshot = PairingSnapshot {
            pairing: Stored { record: pairing, etag: "1".into() },
            actors: vec![Stored { record: actor, etag: "2".into() }],
            activities: vec![Stored { record: activity, etag: "3".into() }],
            agreements: vec![Stored { record: agreement, etag: "4".into() }],
            children: vec!["js-sn-xa".into()],
        };
        let back = snapshot_in(snapshot_out(snapshot.clone())).expect("round trip");
        assert_eq!(format!("{back:?}"), format!("{snapshot:?}"));
    }
}
