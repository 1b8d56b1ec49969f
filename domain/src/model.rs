//! The registry's records as plain Rust: what is stored, validated and served, free of wire types.
//!
//! The registry stores records as JSON (services/registry, `core`): every field added later must
//! carry `#[serde(default)]` so that data written before it still reads.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::{CreditCodeCheck, check_credit_code};

/// Microseconds since the Unix epoch, UTC.
pub type Micros = i64;

/// Free-form labels, kept sorted so that equal records encode to equal bytes.
pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActorCategory {
    GovernmentBody,
    PublicInstitution,
    StateOwnedEnterprise,
    PeoplesOrganization,
    SocialOrganization,
    PrivateEnterprise,
    Individual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Side {
    East,
    West,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub display_name: String,
    pub category: ActorCategory,
    pub side: Side,
    pub region_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub labels: Labels,
    pub create_time: Micros,
    pub update_time: Micros,
}

impl Actor {
    pub fn credit_code_check(&self) -> CreditCodeCheck {
        check_credit_code(self.credit_code.as_deref().unwrap_or(""))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PairingLevel {
    Province,
    Prefecture,
    County,
    Town,
    Village,
    EnterpriseVillage,
    SocialOrgVillage,
    School,
    Hospital,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Leadership {
    GovernmentLed,
    MarketLed,
    SocietyLed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CooperationForm {
    Industry,
    Education,
    Employment,
    Consumption,
    Health,
    Talent,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PairingState {
    Planned,
    Active,
    Suspended,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParticipantRole {
    Funding,
    Accountable,
    Extending,
    Implementing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ResponsibilityStatus {
    Open,
    Done,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub in_scope: Vec<String>,
    #[serde(default)]
    pub out_of_scope: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// Actor id (not the full resource name).
    pub actor: String,
    pub roles: Vec<ParticipantRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Responsibility {
    pub id: String,
    /// Actor id.
    pub party: String,
    pub duty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    pub status: ResponsibilityStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: String,
    pub indicator: String,
    pub form: CooperationForm,
    #[serde(default)]
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    #[serde(default)]
    pub beneficiary: String,
    /// Actor id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pairing {
    pub id: String,
    pub title: String,
    /// Actor id of the eastern party.
    pub east: String,
    /// Actor id of the western party.
    pub west: String,
    pub level: PairingLevel,
    /// Pairing id of the parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub leadership: Leadership,
    #[serde(default)]
    pub forms: Vec<CooperationForm>,
    pub state: PairingState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub responsibilities: Vec<Responsibility>,
    #[serde(default)]
    pub goals: Vec<Goal>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub labels: Labels,
    /// Region codes of the east and west actors, copied when the pairing is written. They stay
    /// true because an actor's region cannot change while a pairing names it.
    #[serde(default)]
    pub east_region_code: String,
    #[serde(default)]
    pub west_region_code: String,
    pub create_time: Micros,
    pub update_time: Micros,
}

impl Pairing {
    /// Every actor id the pairing names, each once, sorted.
    pub fn named_actors(&self) -> Vec<String> {
        let mut ids: Vec<String> = [&self.east, &self.west]
            .into_iter()
            .cloned()
            .chain(self.participants.iter().map(|p| p.actor.clone()))
            .chain(self.responsibilities.iter().map(|r| r.party.clone()))
            .chain(self.goals.iter().filter_map(|g| g.responsible.clone()))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActivityKind {
    Funds,
    Investment,
    Donation,
    Purchase,
    Employment,
    Training,
    PersonnelExchange,
    JointMeeting,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FlowDirection {
    EastToWest,
    WestToEast,
    Joint,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub pairing: String,
    pub id: String,
    /// Actor id of who acted.
    pub actor: String,
    pub form: CooperationForm,
    pub kind: ActivityKind,
    pub direction: FlowDirection,
    pub date: NaiveDate,
    #[serde(default)]
    pub amount_fen: i64,
    #[serde(default)]
    pub people: i64,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub labels: Labels,
    pub create_time: Micros,
}

/// A stored record together with its etag (the store revision that last wrote it).
#[derive(Debug, Clone, PartialEq)]
pub struct Stored<T> {
    pub record: T,
    pub etag: String,
}

/// Everything the evaluation of one pairing needs.
#[derive(Debug, Clone)]
pub struct PairingSnapshot {
    pub pairing: Stored<Pairing>,
    pub actors: Vec<Stored<Actor>>,
    pub activities: Vec<Stored<Activity>>,
}
