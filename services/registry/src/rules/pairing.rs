//! What a client may say about a pairing, and the rules it must meet without looking at other records.

use chrono::NaiveDate;

use eastwest_domain::Canonical;
use eastwest_domain::model::{
    CooperationForm, Goal, Labels, Leadership, Pairing, PairingLevel, PairingState, Participant, ParticipantRole,
    Responsibility, ResponsibilityStatus, Scope,
};
use eastwest_domain::names::{ID_RULE, is_valid_id};

use super::mask::{MaskSpec, field};
use super::validate::{self as rules, Stamp, Violations};

/// Most different actors one pairing may name. Each is compared and reference-counted in the
/// pairing's transaction: with a 32-deep parent chain, an update that replaces all of them still
/// fits etcd's 128 comparisons per transaction (1 + 30 + 60 + 33).
pub const MAX_NAMED_ACTORS: usize = 30;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParticipantDraft {
    pub actor: Option<String>,
    pub roles: Vec<ParticipantRole>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponsibilityDraft {
    pub id: String,
    pub party: Option<String>,
    pub duty: String,
    pub due_date: Option<NaiveDate>,
    pub status: Option<ResponsibilityStatus>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoalDraft {
    pub id: String,
    pub indicator: String,
    pub form: Option<CooperationForm>,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub due_date: Option<NaiveDate>,
    pub beneficiary: String,
    pub responsible: Option<String>,
}

/// A pairing as a client described it. References are ids, already parsed from resource names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairingDraft {
    pub title: String,
    pub east: Option<String>,
    pub west: Option<String>,
    pub level: Option<PairingLevel>,
    pub parent: Option<String>,
    pub leadership: Option<Leadership>,
    pub forms: Vec<CooperationForm>,
    pub state: Option<PairingState>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// `None` when the request has none (an update without a mask then leaves it alone).
    pub scope: Option<Scope>,
    pub participants: Vec<ParticipantDraft>,
    pub responsibilities: Vec<ResponsibilityDraft>,
    pub goals: Vec<GoalDraft>,
    pub description: String,
    pub labels: Labels,
}

pub const PAIRING_MASK: MaskSpec<PairingDraft> = MaskSpec {
    mutable: &[
        field!(description, |d| !d.description.is_empty()),
        field!(east, |d| d.east.is_some()),
        field!(end_date, |d| d.end_date.is_some()),
        field!(forms, |d| !d.forms.is_empty()),
        field!(goals, |d| !d.goals.is_empty()),
        field!(labels, |d| !d.labels.is_empty()),
        field!(leadership, |d| d.leadership.is_some()),
        field!(level, |d| d.level.is_some()),
        field!(parent, |d| d.parent.is_some()),
        field!(participants, |d| !d.participants.is_empty()),
        field!(responsibilities, |d| !d.responsibilities.is_empty()),
        field!(scope, |d| d.scope.is_some()),
        field!(start_date, |d| d.start_date.is_some()),
        field!(state, |d| d.state.is_some()),
        field!(title, |d| !d.title.is_empty()),
        field!(west, |d| d.west.is_some()),
    ],
    // The region codes are copied from the east and west actors.
    output_only: &["name", "east_region_code", "west_region_code", "create_time", "update_time", "etag"],
};

/// What a pairing copies from the actors it names: the region codes of its east and west actors,
/// so that listings by region need no second read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regions {
    pub east: String,
    pub west: String,
}

impl PairingDraft {
    pub fn from_pairing(p: &Pairing) -> Self {
        Self {
            title: p.title.clone(),
            east: Some(p.east.clone()),
            west: Some(p.west.clone()),
            level: Some(p.level),
            parent: p.parent.clone(),
            leadership: Some(p.leadership),
            forms: p.forms.clone(),
            state: Some(p.state),
            start_date: p.start_date,
            end_date: p.end_date,
            scope: Some(p.scope.clone()),
            participants: p
                .participants
                .iter()
                .map(|x| ParticipantDraft { actor: Some(x.actor.clone()), roles: x.roles.clone() })
                .collect(),
            responsibilities: p
                .responsibilities
                .iter()
                .map(|r| ResponsibilityDraft {
                    id: r.id.clone(),
                    party: Some(r.party.clone()),
                    duty: r.duty.clone(),
                    due_date: r.due_date,
                    status: Some(r.status),
                })
                .collect(),
            goals: p
                .goals
                .iter()
                .map(|g| GoalDraft {
                    id: g.id.clone(),
                    indicator: g.indicator.clone(),
                    form: Some(g.form),
                    unit: g.unit.clone(),
                    baseline: g.baseline,
                    target: g.target,
                    actual: g.actual,
                    due_date: g.due_date,
                    beneficiary: g.beneficiary.clone(),
                    responsible: g.responsible.clone(),
                })
                .collect(),
            description: p.description.clone(),
            labels: p.labels.clone(),
        }
    }

    /// Every actor id the draft names, each once, sorted.
    pub fn named_actors(&self) -> Vec<&str> {
        let mut named: Vec<&str> = [&self.east, &self.west]
            .into_iter()
            .flatten()
            .chain(self.participants.iter().filter_map(|p| p.actor.as_ref()))
            .chain(self.responsibilities.iter().filter_map(|r| r.party.as_ref()))
            .chain(self.goals.iter().filter_map(|g| g.responsible.as_ref()))
            .map(String::as_str)
            .collect();
        named.sort_unstable();
        named.dedup();
        named
    }

    /// Checks every rule and builds the record, in its canonical form; `prefix` is the request
    /// field holding the pairing, e.g. `pairing`. Beyond each field's own rules, a pairing names at
    /// most [`MAX_NAMED_ACTORS`] actors. Generated item ids are filled in; `regions` are the east
    /// and west actors' (whether they exist, and on which side, is the use case's check).
    pub fn validate(&self, prefix: &str, stamp: &Stamp, regions: Regions) -> Result<Pairing, Violations> {
        let mut v = Violations::new();
        let f = |name: &str| format!("{prefix}.{name}");
        rules::check_text(&mut v, &f("title"), &self.title, rules::NAME);
        rules::check_text(&mut v, &f("description"), &self.description, rules::DESCRIPTION);
        rules::check_labels(&mut v, &f("labels"), &self.labels);
        require(&mut v, &f("east"), &self.east, "an actor on SIDE_EAST, actors/{id}");
        require(&mut v, &f("west"), &self.west, "an actor on SIDE_WEST, actors/{id}");
        require(&mut v, &f("level"), &self.level, "a PairingLevel other than PAIRING_LEVEL_UNSPECIFIED");
        require(
            &mut v,
            &f("leadership"),
            &self.leadership,
            "LEADERSHIP_GOVERNMENT_LED, LEADERSHIP_MARKET_LED or LEADERSHIP_SOCIETY_LED",
        );
        require(&mut v, &f("state"), &self.state, "a PairingState other than PAIRING_STATE_UNSPECIFIED");
        if let (Some(start), Some(end)) = (self.start_date, self.end_date)
            && start > end
        {
            v.add(f("end_date"), format!("must not be before start_date ({start})"));
        }
        let scope = self.scope.clone().unwrap_or_default();
        check_scope(&mut v, &f("scope"), &scope);
        let participants = check_participants(&mut v, &f("participants"), &self.participants);
        let responsibilities = check_responsibilities(&mut v, &f("responsibilities"), &self.responsibilities);
        let goals = check_goals(&mut v, &f("goals"), &self.goals);
        let named = self.named_actors();
        if named.len() > MAX_NAMED_ACTORS {
            v.add(
                f("participants"),
                format!(
                    "the pairing names {} different actors (east, west, participants, responsibilities and \
                     goals together); at most {MAX_NAMED_ACTORS}: record the others' work as activities",
                    named.len()
                ),
            );
        }

        match (&self.east, &self.west, self.level, self.leadership, self.state) {
            (Some(east), Some(west), Some(level), Some(leadership), Some(state)) if v.is_empty() => Ok(Pairing {
                id: stamp.id.clone(),
                title: self.title.clone(),
                east: east.clone(),
                west: west.clone(),
                level,
                parent: self.parent.clone(),
                leadership,
                forms: self.forms.clone(),
                state,
                start_date: self.start_date,
                end_date: self.end_date,
                scope,
                participants,
                responsibilities,
                goals,
                description: self.description.clone(),
                labels: self.labels.clone(),
                east_region_code: regions.east,
                west_region_code: regions.west,
                create_time: stamp.create_time,
                update_time: stamp.update_time,
            }
            .canonical()),
            _ => Err(v),
        }
    }

    /// Every rule this draft breaks, for a request that is refused anyway.
    pub fn violations(&self, prefix: &str) -> Option<Violations> {
        self.validate(prefix, &Stamp::default(), Regions::default()).err()
    }
}

fn require<T>(v: &mut Violations, field: &str, value: &Option<T>, what: &str) {
    if value.is_none() {
        v.add(field, format!("is required: {what}"));
    }
}

fn check_scope(v: &mut Violations, field: &str, scope: &Scope) {
    rules::check_text(v, &format!("{field}.statement"), &scope.statement, rules::OPTIONAL_TEXT);
    for (list, items) in [("in_scope", &scope.in_scope), ("out_of_scope", &scope.out_of_scope)] {
        rules::check_list_len(v, &format!("{field}.{list}"), items.len());
        for (i, item) in items.iter().enumerate() {
            rules::check_text(v, &format!("{field}.{list}[{i}]"), item, rules::REQUIRED_TEXT);
        }
    }
}

fn check_participants(v: &mut Violations, field: &str, items: &[ParticipantDraft]) -> Vec<Participant> {
    rules::check_list_len(v, field, items.len());
    let mut out: Vec<Participant> = Vec::with_capacity(items.len());
    for (i, p) in items.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if p.roles.is_empty() {
            v.add(
                format!("{at}.roles"),
                "must name at least one ParticipantRole (PARTICIPANT_ROLE_FUNDING, _ACCOUNTABLE, _EXTENDING or _IMPLEMENTING)",
            );
        }
        match &p.actor {
            None => v.add(format!("{at}.actor"), "is required: actors/{id}"),
            Some(actor) if out.iter().any(|o| &o.actor == actor) => v.add(
                format!("{at}.actor"),
                format!("actors/{actor} is already a participant; list each actor once with all its roles"),
            ),
            Some(actor) => out.push(Participant { actor: actor.clone(), roles: p.roles.clone() }),
        }
    }
    out
}

/// Item ids the client left empty become `{prefix}-{n}`, the first free number.
fn fill_ids(v: &mut Violations, field: &str, ids: &[&str], prefix: &str) -> Vec<String> {
    let mut taken: Vec<String> = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if id.is_empty() {
            continue;
        }
        if !is_valid_id(id) {
            v.add(format!("{field}[{i}].id"), ID_RULE);
        } else if taken.iter().any(|t| t == id) {
            v.add(format!("{field}[{i}].id"), format!("{id:?} is used twice in this list"));
        }
        taken.push((*id).to_string());
    }
    let mut next = 1usize;
    ids.iter()
        .map(|id| {
            if !id.is_empty() {
                return (*id).to_string();
            }
            loop {
                let candidate = format!("{prefix}-{next}");
                next += 1;
                if !taken.contains(&candidate) {
                    return candidate;
                }
            }
        })
        .collect()
}

fn check_responsibilities(v: &mut Violations, field: &str, items: &[ResponsibilityDraft]) -> Vec<Responsibility> {
    rules::check_list_len(v, field, items.len());
    let ids: Vec<&str> = items.iter().map(|r| r.id.as_str()).collect();
    let ids = fill_ids(v, field, &ids, "r");
    let mut out = Vec::with_capacity(items.len());
    for (i, (r, id)) in items.iter().zip(ids).enumerate() {
        let at = format!("{field}[{i}]");
        rules::check_text(v, &format!("{at}.duty"), &r.duty, rules::REQUIRED_TEXT);
        require(v, &format!("{at}.party"), &r.party, "the actor that holds the duty, actors/{id}");
        require(v, &format!("{at}.status"), &r.status, "RESPONSIBILITY_STATUS_OPEN or RESPONSIBILITY_STATUS_DONE");
        if let (Some(party), Some(status)) = (&r.party, r.status) {
            out.push(Responsibility { id, party: party.clone(), duty: r.duty.clone(), due_date: r.due_date, status });
        }
    }
    out
}

fn check_goals(v: &mut Violations, field: &str, items: &[GoalDraft]) -> Vec<Goal> {
    rules::check_list_len(v, field, items.len());
    let ids: Vec<&str> = items.iter().map(|g| g.id.as_str()).collect();
    let ids = fill_ids(v, field, &ids, "g");
    let mut out = Vec::with_capacity(items.len());
    for (i, (g, id)) in items.iter().zip(ids).enumerate() {
        let at = format!("{field}[{i}]");
        rules::check_text(v, &format!("{at}.indicator"), &g.indicator, rules::REQUIRED_TEXT);
        rules::check_text(v, &format!("{at}.unit"), &g.unit, rules::OPTIONAL_TEXT);
        rules::check_text(v, &format!("{at}.beneficiary"), &g.beneficiary, rules::OPTIONAL_TEXT);
        require(v, &format!("{at}.form"), &g.form, "a CooperationForm other than COOPERATION_FORM_UNSPECIFIED");
        for (name, value) in [("baseline", g.baseline), ("target", g.target), ("actual", g.actual)] {
            if value.is_some_and(|x| !x.is_finite()) {
                v.add(format!("{at}.{name}"), "must be a finite number");
            }
        }
        if let Some(form) = g.form {
            out.push(Goal {
                id,
                indicator: g.indicator.clone(),
                form,
                unit: g.unit.clone(),
                baseline: g.baseline,
                target: g.target,
                actual: g.actual,
                due_date: g.due_date,
                beneficiary: g.beneficiary.clone(),
                responsible: g.responsible.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> PairingDraft {
        PairingDraft {
            title: "江苏—陕西".into(),
            east: Some("js".into()),
            west: Some("sn".into()),
            level: Some(PairingLevel::Province),
            leadership: Some(Leadership::GovernmentLed),
            state: Some(PairingState::Active),
            ..Default::default()
        }
    }

    fn fields(err: Violations) -> Vec<String> {
        err.into_list().into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn dates_in_the_wrong_order_are_rejected() {
        let mut d = draft();
        d.start_date = NaiveDate::from_ymd_opt(2025, 1, 1);
        d.end_date = NaiveDate::from_ymd_opt(2024, 1, 1);
        assert_eq!(
            fields(d.validate("pairing", &Stamp::default(), Regions::default()).unwrap_err()),
            ["pairing.end_date"]
        );
    }

    #[test]
    fn item_problems_name_the_item() {
        let mut d = draft();
        d.participants = vec![
            ParticipantDraft { actor: Some("a".into()), roles: vec![ParticipantRole::Funding] },
            ParticipantDraft { actor: Some("a".into()), roles: vec![] },
        ];
        d.goals = vec![GoalDraft { indicator: "jobs".into(), target: Some(f64::NAN), ..Default::default() }];
        d.responsibilities = vec![
            ResponsibilityDraft { id: "x".into(), ..Default::default() },
            ResponsibilityDraft { id: "x".into(), ..Default::default() },
        ];
        let got = fields(d.validate("pairing", &Stamp::default(), Regions::default()).unwrap_err());
        for want in [
            "pairing.participants[1].roles",
            "pairing.participants[1].actor",
            "pairing.goals[0].form",
            "pairing.goals[0].target",
            "pairing.responsibilities[1].id",
            "pairing.responsibilities[0].duty",
            "pairing.responsibilities[0].party",
        ] {
            assert!(got.iter().any(|g| g == want), "missing {want} in {got:?}");
        }
    }

    #[test]
    fn empty_item_ids_get_the_first_free_number() {
        let mut d = draft();
        let resp = |id: &str| ResponsibilityDraft {
            id: id.into(),
            party: Some("js".into()),
            duty: "duty".into(),
            status: Some(ResponsibilityStatus::Open),
            ..Default::default()
        };
        d.responsibilities = vec![resp(""), resp("r-1"), resp("")];
        let valid = d.validate("pairing", &Stamp::default(), Regions::default()).expect("valid");
        let ids: Vec<_> = valid.responsibilities.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["r-2", "r-1", "r-3"]);
    }

    #[test]
    fn too_many_items_are_rejected() {
        let mut d = draft();
        d.scope = Some(Scope { in_scope: vec!["x".into(); 1001], ..Default::default() });
        assert_eq!(
            fields(d.validate("pairing", &Stamp::default(), Regions::default()).unwrap_err()),
            ["pairing.scope.in_scope"]
        );
    }
}
