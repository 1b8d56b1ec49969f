//! One pass over a snapshot: what every criterion reads, computed once.
//!
//! Who counts as what:
//! - *core parties*: the pairing's east and west actors and its listed participants;
//! - *parties*: the core parties, every responsibility holder and every goal's responsible actor:
//!   the pairing record's own account of who takes part. An activity's actor is not a party by
//!   acting: activities reach a score only through the year's actuals (`ledger.rs`), so a record
//!   filed under a new actor cannot change who the pairing says takes part;
//! - *counted activities*: with a year, those dated in it on or before `as_of`; without, those on
//!   or before `as_of` (later ones are ignored). *Last year's*: those dated in the year before.
//!
//! Sectors (a design choice, see docs/scoring.md): GOVERNMENT_BODY is government; PUBLIC_INSTITUTION
//! (事业单位) and STATE_OWNED_ENTERPRISE are the public sector, neither government nor social force;
//! PEOPLES_ORGANIZATION, SOCIAL_ORGANIZATION, PRIVATE_ENTERPRISE and INDIVIDUAL are the paper's
//! social forces (社会力量).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use eastwest_domain::names::{activity_name, actor_name, pairing_name};
use eastwest_domain::{
    Activity, ActivityKind, ActorCategory, Agreement, CooperationForm, Pairing, PairingSnapshot, ParticipantRole, Side,
};

use super::ledger::Ledger;

/// What is evaluated: a calendar year (or none) and the date the evaluation is as of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// With a year, `as_of` lies inside it.
    pub year: Option<i32>,
    pub as_of: NaiveDate,
}

impl Period {
    /// No year: every activity up to `as_of`.
    pub fn as_of(as_of: NaiveDate) -> Period {
        Period { year: None, as_of }
    }

    /// A year, as of `as_of` (which the caller keeps inside the year).
    pub fn year(year: i32, as_of: NaiveDate) -> Period {
        Period { year: Some(year), as_of }
    }

    /// The activity is counted in this period.
    pub fn counts(&self, date: NaiveDate) -> bool {
        date <= self.as_of && self.year.is_none_or(|y| date.year() == y)
    }

    /// The activity is last year's.
    pub fn last_year(&self, date: NaiveDate) -> bool {
        self.year.is_some_and(|y| date.year() == y - 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Sector {
    Government,
    Public,
    Social,
}

pub(crate) fn sector(c: ActorCategory) -> Sector {
    match c {
        ActorCategory::GovernmentBody => Sector::Government,
        ActorCategory::PublicInstitution | ActorCategory::StateOwnedEnterprise => Sector::Public,
        ActorCategory::PeoplesOrganization
        | ActorCategory::SocialOrganization
        | ActorCategory::PrivateEnterprise
        | ActorCategory::Individual => Sector::Social,
    }
}

/// The three lead types as sources of money and of roles (government, market, society).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Channel {
    Government,
    Market,
    Society,
}

impl Channel {
    pub(super) const ALL: [Channel; 3] = [Channel::Government, Channel::Market, Channel::Society];

    pub(super) fn index(self) -> usize {
        match self {
            Channel::Government => 0,
            Channel::Market => 1,
            Channel::Society => 2,
        }
    }
}

/// The channel an actor's role belongs to: public bodies to government, enterprises to the
/// market, people's and social organizations and individuals to society.
pub(crate) fn role_channel(c: ActorCategory) -> Channel {
    match c {
        ActorCategory::GovernmentBody | ActorCategory::PublicInstitution => Channel::Government,
        ActorCategory::StateOwnedEnterprise | ActorCategory::PrivateEnterprise => Channel::Market,
        ActorCategory::PeoplesOrganization | ActorCategory::SocialOrganization | ActorCategory::Individual => {
            Channel::Society
        }
    }
}

/// The channel of an activity's money: as the actor's role channel, except that an enterprise's
/// donation is social assistance (the official reports split enterprise money into industrial
/// investment and public-welfare donation).
pub(crate) fn money_channel(c: ActorCategory, kind: ActivityKind) -> Channel {
    match (role_channel(c), kind) {
        (Channel::Market, ActivityKind::Donation) => Channel::Society,
        (channel, _) => channel,
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Roles {
    pub funding: bool,
    pub accountable: bool,
    pub extending: bool,
    pub implementing: bool,
}

impl Roles {
    fn add(&mut self, role: ParticipantRole) {
        match role {
            ParticipantRole::Funding => self.funding = true,
            ParticipantRole::Accountable => self.accountable = true,
            ParticipantRole::Extending => self.extending = true,
            ParticipantRole::Implementing => self.implementing = true,
        }
    }

    pub(super) fn any(self) -> bool {
        self.funding || self.accountable || self.extending || self.implementing
    }
}

/// A counted activity with its actor's category looked up once.
pub(crate) struct Act<'a> {
    pub a: &'a Activity,
    pub category: Option<ActorCategory>,
}

impl<'a> Act<'a> {
    /// Sort key of the activity's resource name.
    pub(super) fn key(&self) -> (&'a str, &'a str) {
        (self.a.pairing.as_str(), self.a.id.as_str())
    }

    /// Money in fen; a negative amount (never stored by the registry) counts as none.
    pub(super) fn fen(&self) -> i128 {
        i128::from(self.a.amount_fen.max(0))
    }
}

pub(crate) fn activity_record((pairing, id): (&str, &str)) -> String {
    activity_name(pairing, id)
}

pub(crate) fn actor_record(id: &str) -> String {
    actor_name(id)
}

/// Position of a form in the fixed order used for counting, and its names.
pub(crate) const FORMS: [(CooperationForm, &str, &str); 7] = [
    (CooperationForm::Industry, "产业协作", "industry"),
    (CooperationForm::Education, "教育协作", "education"),
    (CooperationForm::Employment, "就业协作", "employment"),
    (CooperationForm::Consumption, "消费协作", "consumption"),
    (CooperationForm::Health, "医疗协作", "health"),
    (CooperationForm::Talent, "人才协作", "talent"),
    (CooperationForm::Other, "其他", "other"),
];

pub(crate) fn form_index(form: CooperationForm) -> usize {
    match form {
        CooperationForm::Industry => 0,
        CooperationForm::Education => 1,
        CooperationForm::Employment => 2,
        CooperationForm::Consumption => 3,
        CooperationForm::Health => 4,
        CooperationForm::Talent => 5,
        CooperationForm::Other => 6,
    }
}

/// Position of a category in the fixed order used for counting, and its names.
pub(crate) const CATEGORIES: [(ActorCategory, &str, &str); 7] = [
    (ActorCategory::GovernmentBody, "政府机关", "government body"),
    (ActorCategory::PublicInstitution, "事业单位", "public institution"),
    (ActorCategory::StateOwnedEnterprise, "国有企业", "state-owned enterprise"),
    (ActorCategory::PeoplesOrganization, "人民团体", "people's organization"),
    (ActorCategory::SocialOrganization, "社会组织", "social organization"),
    (ActorCategory::PrivateEnterprise, "民营企业", "private enterprise"),
    (ActorCategory::Individual, "爱心人士", "individual"),
];

pub(crate) fn category_index(c: ActorCategory) -> usize {
    match c {
        ActorCategory::GovernmentBody => 0,
        ActorCategory::PublicInstitution => 1,
        ActorCategory::StateOwnedEnterprise => 2,
        ActorCategory::PeoplesOrganization => 3,
        ActorCategory::SocialOrganization => 4,
        ActorCategory::PrivateEnterprise => 5,
        ActorCategory::Individual => 6,
    }
}

/// Lists the non-zero counts as `name n、name n` / `name n, name n`.
pub(crate) fn tally<T>(counts: &[usize], names: &[(T, &str, &str)]) -> (String, String) {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for (n, (_, z, e)) in counts.iter().zip(names) {
        if *n > 0 {
            zh.push(format!("{z} {n}"));
            en.push(format!("{e} {n}"));
        }
    }
    (zh.join("、"), en.join(", "))
}

pub(crate) struct Facts<'a> {
    pub p: &'a Pairing,
    /// `pairings/{id}`.
    pub name: String,
    pub as_of: NaiveDate,
    pub year: Option<i32>,
    /// The year's agreement, if the year has one.
    pub agreement: Option<&'a Agreement>,
    /// The counted activities' measures.
    pub ledger: Ledger,
    /// Last year's measures (empty without a year).
    pub last: Ledger,
    actors: BTreeMap<&'a str, (ActorCategory, Side)>,
    pub acts: Vec<Act<'a>>,
    /// Activities dated after `as_of`, ignored.
    pub later: usize,
    /// Only the scores are wanted, not the findings' texts (a re-run of the model).
    pub quiet: bool,
    pub core: BTreeSet<&'a str>,
    pub parties: BTreeSet<&'a str>,
    /// Roles of listed participants (merged if an actor is listed twice).
    pub roles: BTreeMap<&'a str, Roles>,
}

impl<'a> Facts<'a> {
    pub(super) fn new(s: &'a PairingSnapshot, period: Period) -> Self {
        Self::with_extra(s, period, None)
    }

    /// As [`Facts::new`] for the snapshot with one more activity (an improvement's re-run),
    /// without copying the snapshot.
    pub(super) fn with_extra(s: &'a PairingSnapshot, period: Period, extra: Option<&'a Activity>) -> Self {
        let p = &s.pairing.record;
        let as_of = period.as_of;
        let actors: BTreeMap<&str, (ActorCategory, Side)> =
            s.actors.iter().map(|a| (a.record.id.as_str(), (a.record.category, a.record.side))).collect();
        let mut acts = Vec::with_capacity(s.activities.len());
        let mut last_year = Vec::new();
        let mut later = 0;
        for a in s.activities.iter().map(|x| &x.record).chain(extra) {
            if period.last_year(a.date) {
                last_year.push(a);
            }
            if !period.counts(a.date) {
                later += usize::from(a.date > as_of);
                continue;
            }
            acts.push(Act { a, category: actors.get(a.actor.as_str()).map(|(c, _)| *c) });
        }
        let side_of = |id: &str| actors.get(id).map(|(_, s)| *s);
        let ledger = Ledger::new(acts.iter().map(|x| x.a), side_of);
        let last = Ledger::new(last_year, side_of);
        let agreement = period.year.and_then(|y| s.agreements.iter().map(|a| &a.record).find(|a| a.year == y));
        let mut roles: BTreeMap<&str, Roles> = BTreeMap::new();
        for x in &p.participants {
            let entry = roles.entry(x.actor.as_str()).or_default();
            for role in &x.roles {
                entry.add(*role);
            }
        }
        let mut core: BTreeSet<&str> = BTreeSet::new();
        core.insert(p.east.as_str());
        core.insert(p.west.as_str());
        core.extend(roles.keys().copied());
        let mut parties = core.clone();
        parties.extend(p.responsibilities.iter().map(|r| r.party.as_str()));
        parties.extend(p.goals.iter().filter_map(|g| g.responsible.as_deref()));
        parties.remove("");
        core.remove("");
        Facts {
            p,
            name: pairing_name(&p.id),
            as_of,
            year: period.year,
            agreement,
            ledger,
            last,
            actors,
            acts,
            later,
            quiet: false,
            core,
            parties,
            roles,
        }
    }

    pub(super) fn category(&self, actor: &str) -> Option<ActorCategory> {
        self.actors.get(actor).map(|(c, _)| *c)
    }

    pub(super) fn side(&self, actor: &str) -> Option<Side> {
        self.actors.get(actor).map(|(_, s)| *s)
    }

    pub(super) fn is_known(&self, actor: &str) -> bool {
        self.actors.contains_key(actor)
    }

    pub(super) fn roles(&self, actor: &str) -> Roles {
        self.roles.get(actor).copied().unwrap_or_default()
    }

    pub(super) fn responsibility_record(&self, id: &str) -> String {
        format!("{}#responsibilities/{id}", self.name)
    }

    pub(super) fn goal_record(&self, id: &str) -> String {
        format!("{}#goals/{id}", self.name)
    }

    pub(super) fn level(&self) -> eastwest_domain::PairingLevel {
        self.p.level
    }

    /// The agreement's targets held by a side (EAST or WEST), and all of them. Only targets above
    /// 0 count, as in effectiveness and GOAL_PRECISION: a target of 0 undertakes nothing, so it
    /// cannot give a side a responsibility or make an agreement look sided or joint.
    pub(super) fn targets_by_side(&self) -> (usize, usize, usize) {
        let targets = self.agreement.map_or(&[][..], |a| a.targets.as_slice());
        let targets: Vec<_> = targets.iter().filter(|t| t.value > 0).collect();
        let east = targets.iter().filter(|t| t.side == Some(Side::East)).count();
        let west = targets.iter().filter(|t| t.side == Some(Side::West)).count();
        (east, west, targets.len())
    }

    /// A finding's record for the year's agreement (or the pairing, without one).
    pub(super) fn agreement_record(&self) -> String {
        match self.agreement {
            Some(a) => eastwest_domain::names::agreement_name(&a.pairing, a.year),
            None => self.name.clone(),
        }
    }
}
