//! What a client may say about a pairing, and the rules it must meet without looking at other records.

use chrono::NaiveDate;

use super::mask::MaskSpec;
use super::validate::{self as rules, Violations};
use eastwest_domain::model::{
    CooperationForm, Goal, Labels, Leadership, Pairing, PairingLevel, PairingState, Participant, ParticipantRole,
    Responsibility, ResponsibilityStatus, Scope,
};
use eastwest_domain::names::{ID_RULE, is_valid_id};

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
    pub scope: Scope,
    pub participants: Vec<ParticipantDraft>,
    pub responsibilities: Vec<ResponsibilityDraft>,
    pub goals: Vec<GoalDraft>,
    pub description: String,
    pub labels: Labels,
}

pub const PAIRING_MASK: MaskSpec = MaskSpec {
    mutable: &[
        "description",
        "east",
        "end_date",
        "forms",
        "goals",
        "labels",
        "leadership",
        "level",
        "parent",
        "participants",
        "responsibilities",
        "scope",
        "start_date",
        "state",
        "title",
        "west",
    ],
    // The region codes are copied from the east and west actors.
    output_only: &["name", "east_region_code", "west_region_code", "create_time", "update_time", "etag"],
};

/// A pairing that meets every rule that needs no other record; generated item ids are filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPairing {
    pub title: String,
    pub east: String,
    pub west: String,
    pub level: PairingLevel,
    pub parent: Option<String>,
    pub leadership: Leadership,
    pub forms: Vec<CooperationForm>,
    pub state: PairingState,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub scope: Scope,
    pub participants: Vec<Participant>,
    pub responsibilities: Vec<Responsibility>,
    pub goals: Vec<Goal>,
    pub description: String,
    pub labels: Labels,
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
            scope: p.scope.clone(),
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

    /// Copies the fields a resolved mask names from `other` into `self`.
    pub fn apply(&mut self, other: PairingDraft, fields: &[&str]) {
        let PairingDraft {
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
        } = other;
        for field in fields {
            match *field {
                "title" => self.title = title.clone(),
                "east" => self.east = east.clone(),
                "west" => self.west = west.clone(),
                "level" => self.level = level,
                "parent" => self.parent = parent.clone(),
                "leadership" => self.leadership = leadership,
                "forms" => self.forms = forms.clone(),
                "state" => self.state = state,
                "start_date" => self.start_date = start_date,
                "end_date" => self.end_date = end_date,
                "scope" => self.scope = scope.clone(),
                "participants" => self.participants = participants.clone(),
                "responsibilities" => self.responsibilities = responsibilities.clone(),
                "goals" => self.goals = goals.clone(),
                "description" => self.description = description.clone(),
                "labels" => self.labels = labels.clone(),
                _ => {}
            }
        }
    }

    /// Checks every rule; `prefix` is the request field holding the pairing, e.g. `pairing`.
    /// Beyond each field's own rules, a pairing names at most [`MAX_NAMED_ACTORS`] actors.
    pub fn validate(&self, prefix: &str) -> Result<ValidPairing, Violations> {
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
        check_scope(&mut v, &f("scope"), &self.scope);
        let participants = check_participants(&mut v, &f("participants"), &self.participants);
        let responsibilities = check_responsibilities(&mut v, &f("responsibilities"), &self.responsibilities);
        let goals = check_goals(&mut v, &f("goals"), &self.goals);
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

        let mut forms = Vec::with_capacity(self.forms.len());
        for form in &self.forms {
            if !forms.contains(form) {
                forms.push(*form);
            }
        }
        match (&self.east, &self.west, self.level, self.leadership, self.state) {
            (Some(east), Some(west), Some(level), Some(leadership), Some(state)) if v.is_empty() => Ok(ValidPairing {
                title: self.title.trim().to_string(),
                east: east.clone(),
                west: west.clone(),
                level,
                parent: self.parent.clone(),
                leadership,
                forms,
                state,
                start_date: self.start_date,
                end_date: self.end_date,
                scope: self.scope.clone(),
                participants,
                responsibilities,
                goals,
                description: self.description.clone(),
                labels: self.labels.clone(),
            }),
            _ => Err(v),
        }
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
        let mut roles = p.roles.clone();
        roles.sort_unstable();
        roles.dedup();
        if roles.is_empty() {
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
            Some(actor) => out.push(Participant { actor: actor.clone(), roles }),
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
            out.push(Responsibility {
                id,
                party: party.clone(),
                duty: r.duty.trim().to_string(),
                due_date: r.due_date,
                status,
            });
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
                indicator: g.indicator.trim().to_string(),
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

impl ValidPairing {
    pub fn into_pairing(self, id: String, create_time: i64, update_time: i64) -> Pairing {
        let ValidPairing {
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
        } = self;
        Pairing {
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
            east_region_code: String::new(),
            west_region_code: String::new(),
            create_time,
            update_time,
        }
    }
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
        assert_eq!(fields(d.validate("pairing").unwrap_err()), ["pairing.end_date"]);
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
        let got = fields(d.validate("pairing").unwrap_err());
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
        let valid = d.validate("pairing").expect("valid");
        let ids: Vec<_> = valid.responsibilities.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["r-2", "r-1", "r-3"]);
    }

    #[test]
    fn too_many_items_are_rejected() {
        let mut d = draft();
        d.scope.in_scope = vec!["x".into(); 1001];
        assert_eq!(fields(d.validate("pairing").unwrap_err()), ["pairing.scope.in_scope"]);
    }
}
