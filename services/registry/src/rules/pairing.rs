//! What a client may say about a pairing, and the rules it must meet without looking at other records.

use chrono::NaiveDate;

use eastwest_domain::Canonical;
use eastwest_domain::model::{
    CooperationForm, Labels, Leadership, Pairing, PairingLevel, PairingState, ParticipantRole, ResponsibilityStatus,
    Scope,
};

use super::items::{check_goals, check_participants, check_responsibilities, check_scope};
use super::mask::{MaskSpec, field};
use super::validate::{self as rules, Stamp, Violations};

/// Most different actors one pairing may name. Each is compared and reference-counted in the
/// pairing's transaction: with a 32-deep parent chain, an update that replaces all of them still
/// fits etcd's 128 comparisons per transaction (1 + 30 + 60 + 33).
pub(crate) const MAX_NAMED_ACTORS: usize = 30;

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
pub(crate) struct Regions {
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
    pub(crate) fn validate(&self, prefix: &str, stamp: &Stamp, regions: Regions) -> Result<Pairing, Violations> {
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

pub(super) fn require<T>(v: &mut Violations, field: &str, value: &Option<T>, what: &str) {
    if value.is_none() {
        v.add(field, format!("is required: {what}"));
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

    /// Every field of the draft is in PAIRING_MASK: the literal names them all (no `..`), so a new
    /// field breaks the build here until it is placed in the table.
    #[test]
    fn the_mask_table_covers_every_field() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 1);
        let full = PairingDraft {
            title: "江苏—陕西".into(),
            east: Some("js".into()),
            west: Some("sn".into()),
            level: Some(PairingLevel::Province),
            parent: Some("national".into()),
            leadership: Some(Leadership::GovernmentLed),
            forms: vec![CooperationForm::Industry],
            state: Some(PairingState::Active),
            start_date: day,
            end_date: day,
            scope: Some(Scope { statement: "s".into(), ..Default::default() }),
            participants: vec![ParticipantDraft { actor: Some("js".into()), roles: vec![ParticipantRole::Funding] }],
            responsibilities: vec![ResponsibilityDraft { duty: "d".into(), ..Default::default() }],
            goals: vec![GoalDraft { indicator: "i".into(), ..Default::default() }],
            description: "d".into(),
            labels: [("k".to_string(), "v".to_string())].into(),
        };
        assert!(PAIRING_MASK.mutable.iter().all(|f| (f.is_set)(&full)));
        let all = PAIRING_MASK.select(&["*"], &full).expect("every field");
        let mut copied = PairingDraft::default();
        super::super::mask::apply(&mut copied, full.clone(), &all);
        assert_eq!(copied, full);
    }
}
