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
    /// What the activity delivered, per indicator. Empty: it counts by its kind (see
    /// [`Activity::measures`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    #[serde(default)]
    pub verification: Verification,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub labels: Labels,
    pub create_time: Micros,
}

impl Activity {
    /// What the activity counts for: its explicit measures, or else the one its kind implies
    /// (FUNDS → fiscal aid, INVESTMENT → investment arrived, PURCHASE → consumption, DONATION →
    /// social donations, from `amount_fen`; EMPLOYMENT → labour employed, TRAINING → people trained,
    /// PERSONNEL_EXCHANGE → professionals exchanged, from `people`). A derived measure of 0 is left
    /// out; JOINT_MEETING and OTHER imply none.
    pub fn measures(&self) -> Vec<Measure> {
        if !self.measures.is_empty() {
            return self.measures.clone();
        }
        let derived = match self.kind {
            ActivityKind::Funds => Some((Indicator::FiscalAid, self.amount_fen)),
            ActivityKind::Investment => Some((Indicator::InvestmentArrived, self.amount_fen)),
            ActivityKind::Purchase => Some((Indicator::Consumption, self.amount_fen)),
            ActivityKind::Donation => Some((Indicator::SocialDonations, self.amount_fen)),
            ActivityKind::Employment => Some((Indicator::LabourEmployed, self.people)),
            ActivityKind::Training => Some((Indicator::PeopleTrained, self.people)),
            ActivityKind::PersonnelExchange => Some((Indicator::ProfessionalsExchanged, self.people)),
            ActivityKind::JointMeeting | ActivityKind::Other => None,
        };
        derived
            .filter(|(_, value)| *value > 0)
            .map(|(indicator, value)| Measure { indicator, value })
            .into_iter()
            .collect()
    }
}

/// The official indicator families of the East-West Collaboration assessment: what an annual
/// agreement sets targets for and what activities deliver. Every value is an integer in the unit
/// [`Indicator::unit`] names: fen for money, persons or person-times for people, counts otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indicator {
    /// 财政援助资金, fen.
    FiscalAid,
    /// 互派党政挂职干部, persons.
    CadresExchanged,
    /// 专业技术人才, person-times.
    ProfessionalsExchanged,
    /// 引导落地投产企业, enterprises.
    EnterprisesLanded,
    /// 实际到位投资, fen.
    InvestmentArrived,
    /// 共建产业园区, parks.
    IndustrialParks,
    /// 帮扶车间, workshops.
    Workshops,
    /// 帮助农村劳动力就业, persons.
    LabourEmployed,
    /// 其中脱贫劳动力, persons (a part of LABOUR_EMPLOYED).
    ExPoorEmployed,
    /// 培训, person-times.
    PeopleTrained,
    /// 采购和帮助销售, fen.
    Consumption,
    /// 社会力量投入帮扶款物, fen.
    SocialDonations,
    /// 结对学校.
    SchoolPairs,
    /// 结对医院.
    HospitalPairs,
    /// 村企/社会组织结对村.
    VillagePairs,
}

/// What an indicator's values count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Money, in fen (0.01 yuan).
    Fen,
    /// People, in persons or person-times.
    People,
    /// Things: enterprises, parks, workshops, pairs.
    Count,
}

impl Indicator {
    pub const ALL: [Indicator; 15] = [
        Indicator::FiscalAid,
        Indicator::CadresExchanged,
        Indicator::ProfessionalsExchanged,
        Indicator::EnterprisesLanded,
        Indicator::InvestmentArrived,
        Indicator::IndustrialParks,
        Indicator::Workshops,
        Indicator::LabourEmployed,
        Indicator::ExPoorEmployed,
        Indicator::PeopleTrained,
        Indicator::Consumption,
        Indicator::SocialDonations,
        Indicator::SchoolPairs,
        Indicator::HospitalPairs,
        Indicator::VillagePairs,
    ];

    /// The indicator's name in lower snake case, e.g. `fiscal_aid`: its wire name is
    /// `INDICATOR_` and this in upper case.
    pub fn key(self) -> &'static str {
        match self {
            Indicator::FiscalAid => "fiscal_aid",
            Indicator::CadresExchanged => "cadres_exchanged",
            Indicator::ProfessionalsExchanged => "professionals_exchanged",
            Indicator::EnterprisesLanded => "enterprises_landed",
            Indicator::InvestmentArrived => "investment_arrived",
            Indicator::IndustrialParks => "industrial_parks",
            Indicator::Workshops => "workshops",
            Indicator::LabourEmployed => "labour_employed",
            Indicator::ExPoorEmployed => "ex_poor_employed",
            Indicator::PeopleTrained => "people_trained",
            Indicator::Consumption => "consumption",
            Indicator::SocialDonations => "social_donations",
            Indicator::SchoolPairs => "school_pairs",
            Indicator::HospitalPairs => "hospital_pairs",
            Indicator::VillagePairs => "village_pairs",
        }
    }

    /// The wire name, e.g. `INDICATOR_FISCAL_AID`.
    pub fn wire_name(self) -> String {
        format!("INDICATOR_{}", self.key().to_ascii_uppercase())
    }

    pub fn unit(self) -> Unit {
        match self {
            Indicator::FiscalAid
            | Indicator::InvestmentArrived
            | Indicator::Consumption
            | Indicator::SocialDonations => Unit::Fen,
            Indicator::CadresExchanged
            | Indicator::ProfessionalsExchanged
            | Indicator::LabourEmployed
            | Indicator::ExPoorEmployed
            | Indicator::PeopleTrained => Unit::People,
            Indicator::EnterprisesLanded
            | Indicator::IndustrialParks
            | Indicator::Workshops
            | Indicator::SchoolPairs
            | Indicator::HospitalPairs
            | Indicator::VillagePairs => Unit::Count,
        }
    }
}

/// How much of one indicator an activity delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    pub indicator: Indicator,
    /// Non-negative, in the indicator's unit.
    pub value: i64,
}

/// Who vouches for an activity's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verification {
    /// Reported by the side that acted, and no one else (the default).
    #[default]
    Reported,
    /// Confirmed by the other side of the pairing (交叉核查).
    Confirmed,
    /// Audited.
    Audited,
}

/// One target of an annual agreement: a value of an indicator that a side (or, with `side`
/// `None`, the pairing as a whole) undertakes to reach in the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub indicator: Indicator,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// Non-negative, in the indicator's unit.
    pub value: i64,
}

/// An annual collaboration agreement (年度协作协议): a pairing's targets for one calendar year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub pairing: String,
    /// The calendar year, 2000 to 2100; also the agreement's id.
    pub year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_date: Option<NaiveDate>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub labels: Labels,
    pub create_time: Micros,
    pub update_time: Micros,
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
    /// The pairing's annual agreements, by year.
    pub agreements: Vec<Stored<Agreement>>,
    /// The ids of the pairing's direct child pairings, in id order.
    pub children: Vec<String>,
}
