//! One pass over a snapshot: what every criterion reads, computed once.
//!
//! Who counts as what:
//! - *core parties*: the pairing's east and west actors and its listed participants;
//! - *parties taking part*: the core parties, every responsibility holder, every goal's responsible
//!   actor and every actor of a counted activity;
//! - *counted activities*: those dated on or before `as_of` (later ones are ignored).
//!
//! Sectors (a design choice, see docs/scoring.md): GOVERNMENT_BODY is government; PUBLIC_INSTITUTION
//! (事业单位) and STATE_OWNED_ENTERPRISE are the public sector, neither government nor social force;
//! PEOPLES_ORGANIZATION, SOCIAL_ORGANIZATION, PRIVATE_ENTERPRISE and INDIVIDUAL are the paper's
//! social forces (社会力量).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use eastwest_domain::names::{activity_name, actor_name, pairing_name};
use eastwest_domain::{
    Activity, ActivityKind, ActorCategory, CooperationForm, Pairing, PairingSnapshot, ParticipantRole, Side,
};

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
    actors: BTreeMap<&'a str, (ActorCategory, Side)>,
    pub acts: Vec<Act<'a>>,
    /// Activities dated after `as_of`, ignored.
    pub later: usize,
    pub core: BTreeSet<&'a str>,
    pub parties: BTreeSet<&'a str>,
    /// Roles of listed participants (merged if an actor is listed twice).
    pub roles: BTreeMap<&'a str, Roles>,
}

impl<'a> Facts<'a> {
    pub(super) fn new(s: &'a PairingSnapshot, as_of: NaiveDate) -> Self {
        let p = &s.pairing.record;
        let actors: BTreeMap<&str, (ActorCategory, Side)> =
            s.actors.iter().map(|a| (a.record.id.as_str(), (a.record.category, a.record.side))).collect();
        let mut acts = Vec::with_capacity(s.activities.len());
        let mut later = 0;
        for a in &s.activities {
            let a = &a.record;
            if a.date > as_of {
                later += 1;
                continue;
            }
            acts.push(Act { a, category: actors.get(a.actor.as_str()).map(|(c, _)| *c) });
        }
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
        parties.extend(acts.iter().map(|x| x.a.actor.as_str()));
        parties.remove("");
        core.remove("");
        Facts { p, name: pairing_name(&p.id), as_of, actors, acts, later, core, parties, roles }
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

    /// When the pairing's time line starts: its start date, else its earliest counted activity.
    pub(super) fn start(&self) -> Option<NaiveDate> {
        self.p.start_date.or_else(|| self.acts.iter().map(|x| x.a.date).min())
    }
}

/// Calendar periods of a fixed length in months (3 = quarters, 6 = half-years).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Periods {
    pub months: u32,
    /// At most this many periods, the most recent, are judged.
    pub lookback: i64,
}

pub(crate) const QUARTERS: Periods = Periods { months: 3, lookback: 12 };
pub(crate) const HALF_YEARS: Periods = Periods { months: 6, lookback: 6 };

/// How many periods of a window were active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Coverage {
    pub active: usize,
    pub judged: usize,
    /// Labels (e.g. `2024Q3`, `2025H1`) of the complete periods without activity, oldest first.
    pub gaps: Vec<String>,
}

impl Periods {
    pub(super) fn index(self, d: NaiveDate) -> i64 {
        let per_year = i64::from(12 / self.months);
        i64::from(d.year()) * per_year + i64::from(d.month0() / self.months)
    }

    pub(super) fn label(self, index: i64) -> String {
        let per_year = i64::from(12 / self.months);
        let (year, n) = (index.div_euclid(per_year), index.rem_euclid(per_year) + 1);
        if self.months == 6 { format!("{year}H{n}") } else { format!("{year}Q{n}") }
    }

    /// The window runs from the period of `start` (or `lookback` periods before `as_of`'s, if
    /// later) to the period of `as_of`. Every complete period in it is judged; the period of
    /// `as_of`, unless `as_of` is its last day, is still running and is judged only if it is
    /// already active, so it can help but never hurt.
    pub(super) fn coverage(
        self,
        start: Option<NaiveDate>,
        as_of: NaiveDate,
        dates: impl Iterator<Item = NaiveDate>,
    ) -> Coverage {
        let last = self.index(as_of);
        let Some(start) = start else {
            return Coverage { active: 0, judged: 0, gaps: Vec::new() };
        };
        let first = self.index(start).max(last - self.lookback + 1);
        if first > last {
            return Coverage { active: 0, judged: 0, gaps: Vec::new() };
        }
        let span = usize::try_from(last - first + 1).unwrap_or(0);
        let mut seen = vec![false; span];
        for d in dates {
            let i = self.index(d);
            if (first..=last).contains(&i)
                && let Some(slot) = usize::try_from(i - first).ok().and_then(|k| seen.get_mut(k))
            {
                *slot = true;
            }
        }
        let running = as_of.succ_opt().is_some_and(|next| self.index(next) == last);
        let current_active = running && seen.last().copied().unwrap_or(false);
        let complete = if running { &seen[..span - 1] } else { &seen[..] };
        let gaps =
            complete.iter().enumerate().filter(|(_, on)| !**on).map(|(k, _)| self.label(first + k as i64)).collect();
        let active = complete.iter().filter(|on| **on).count() + usize::from(current_active);
        Coverage { active, judged: complete.len() + usize::from(current_active), gaps }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_current_period_counts_only_when_active() {
        // Window 2024Q1..2025Q1; 2025Q1 is still running.
        let dates = [d(2024, 2, 1), d(2024, 8, 1)];
        let c = QUARTERS.coverage(Some(d(2024, 1, 1)), d(2025, 1, 15), dates.into_iter());
        assert_eq!(c.active, 2);
        assert_eq!(c.judged, 4);
        assert_eq!(c.gaps, ["2024Q2", "2024Q4"]);
        let dates = [d(2024, 2, 1), d(2024, 8, 1), d(2025, 1, 2)];
        let c = QUARTERS.coverage(Some(d(2024, 1, 1)), d(2025, 1, 15), dates.into_iter());
        assert_eq!((c.active, c.judged), (3, 5));
        // On the last day of a quarter the quarter is complete and judged.
        let c = QUARTERS.coverage(Some(d(2024, 1, 1)), d(2025, 3, 31), dates.into_iter());
        assert_eq!((c.active, c.judged), (3, 5));
        let c = QUARTERS.coverage(Some(d(2024, 1, 1)), d(2024, 12, 31), std::iter::empty());
        assert_eq!((c.active, c.judged), (0, 4));
    }

    #[test]
    fn the_window_looks_back_at_most_lookback_periods() {
        let c = HALF_YEARS.coverage(Some(d(2015, 1, 1)), d(2025, 12, 31), std::iter::empty());
        // 2023H1..2025H2: six complete half-years (31 December ends 2025H2).
        assert_eq!((c.active, c.judged), (0, 6));
        assert_eq!(c.gaps.first().map(String::as_str), Some("2023H1"));
        let c = HALF_YEARS.coverage(Some(d(2026, 1, 1)), d(2025, 12, 31), std::iter::empty());
        assert_eq!((c.active, c.judged), (0, 0));
        let c = HALF_YEARS.coverage(None, d(2025, 12, 31), std::iter::empty());
        assert_eq!((c.active, c.judged), (0, 0));
    }
}
