//! The year's actuals: the exact sum of the measures of every counted activity, per indicator and
//! per side of the acting actor, with the records behind each sum and how much of it rests on
//! REPORTED records only.
//!
//! This is the only way activities reach a score (docs/scoring.md, "What a score reads"): the
//! form, direction, kind and actor category of an activity never do, so records cannot be shaped
//! into a higher score; only what they deliver counts.

use std::collections::BTreeMap;

use eastwest_domain::{Activity, Indicator, Side, Verification};

/// At most this many records are named behind one result.
pub(crate) const MAX_RESULT_RECORDS: usize = 20;

/// The sum of one indicator for one side (or an actor the snapshot does not hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Cell {
    pub total: i128,
    /// The part of `total` from VERIFICATION_REPORTED records.
    pub unconfirmed: i128,
    /// The activities behind it, as (pairing id, activity id), sorted, at most
    /// [`MAX_RESULT_RECORDS`].
    pub records: Vec<(String, String)>,
    /// How many activities contributed, named or not.
    pub count: usize,
}

impl Cell {
    fn add(&mut self, a: &Activity, value: i64) {
        let value = i128::from(value.max(0));
        self.total += value;
        if a.verification == Verification::Reported {
            self.unconfirmed += value;
        }
        self.count += 1;
        let key = (a.pairing.clone(), a.id.clone());
        let at = self.records.partition_point(|k| *k < key);
        if at < MAX_RESULT_RECORDS {
            self.records.insert(at, key);
            self.records.truncate(MAX_RESULT_RECORDS);
        }
    }

    fn merge(&mut self, other: &Cell) {
        self.total += other.total;
        self.unconfirmed += other.unconfirmed;
        self.count += other.count;
        self.records.extend(other.records.iter().cloned());
        self.records.sort();
        self.records.dedup();
        self.records.truncate(MAX_RESULT_RECORDS);
    }
}

/// The measures of a set of activities, per (indicator, side of the actor). `None` as side: the
/// actor is not in the snapshot, so its measures count for the pairing as a whole only.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ledger {
    cells: BTreeMap<(Indicator, Option<Side>), Cell>,
}

impl Ledger {
    pub(crate) fn new<'a>(
        activities: impl IntoIterator<Item = &'a Activity>,
        side_of: impl Fn(&str) -> Option<Side>,
    ) -> Ledger {
        let mut cells: BTreeMap<(Indicator, Option<Side>), Cell> = BTreeMap::new();
        for a in activities {
            let side = side_of(&a.actor);
            for m in a.measures() {
                cells.entry((m.indicator, side)).or_default().add(a, m.value);
            }
        }
        Ledger { cells }
    }

    /// The sum for one side, or with `None` for the pairing as a whole (every actor, known or not).
    pub(crate) fn cell(&self, indicator: Indicator, side: Option<Side>) -> Cell {
        match side {
            Some(s) => self.cells.get(&(indicator, Some(s))).cloned().unwrap_or_default(),
            None => {
                let mut out = Cell::default();
                for ((i, _), c) in &self.cells {
                    if *i == indicator {
                        out.merge(c);
                    }
                }
                out
            }
        }
    }

    pub(crate) fn total(&self, indicator: Indicator, side: Option<Side>) -> i128 {
        match side {
            Some(s) => self.cells.get(&(indicator, Some(s))).map_or(0, |c| c.total),
            None => self.cells.iter().filter(|((i, _), _)| *i == indicator).map(|(_, c)| c.total).sum(),
        }
    }

    /// Every (indicator, side) with a positive sum, in indicator order then side (EAST, WEST).
    pub(crate) fn delivered(&self) -> impl Iterator<Item = (Indicator, Side)> + '_ {
        self.cells.iter().filter(|(_, c)| c.total > 0).filter_map(|((i, s), _)| s.map(|s| (*i, s)))
    }

    /// Every indicator with a positive sum, each once, in indicator order.
    pub(crate) fn indicators(&self) -> Vec<Indicator> {
        let mut out: Vec<Indicator> = self.cells.iter().filter(|(_, c)| c.total > 0).map(|((i, _), _)| *i).collect();
        out.dedup();
        out
    }
}

/// An i128 sum as the wire's i64, saturating (a sum of stored i64 values can exceed it only in
/// theory: 9.2e18 fen is 92 quadrillion yuan).
pub(crate) fn wire(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// A target's key in a finding's record, e.g. `fiscal_aid:east` (`…:all` for the pairing as a
/// whole): `pairings/p/agreements/2023#targets/fiscal_aid:east`.
pub(crate) fn target_key(i: Indicator, side: Option<Side>) -> String {
    let side = match side {
        Some(Side::East) => "east",
        Some(Side::West) => "west",
        None => "all",
    };
    format!("{}:{side}", indicator_key(i))
}

/// An indicator's short name, e.g. `fiscal_aid`.
pub(crate) fn indicator_key(i: Indicator) -> &'static str {
    match i {
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

/// An indicator's names for texts, with its unit.
pub(crate) fn indicator_names(i: Indicator) -> (&'static str, &'static str) {
    match i {
        Indicator::FiscalAid => ("财政援助资金", "fiscal aid"),
        Indicator::CadresExchanged => ("互派党政挂职干部", "cadres exchanged"),
        Indicator::ProfessionalsExchanged => ("专业技术人才", "professionals exchanged"),
        Indicator::EnterprisesLanded => ("引导落地投产企业", "enterprises landed"),
        Indicator::InvestmentArrived => ("实际到位投资", "investment arrived"),
        Indicator::IndustrialParks => ("共建产业园区", "industrial parks"),
        Indicator::Workshops => ("帮扶车间", "assistance workshops"),
        Indicator::LabourEmployed => ("帮助农村劳动力就业", "rural workers employed"),
        Indicator::ExPoorEmployed => ("其中脱贫劳动力", "ex-poor workers employed"),
        Indicator::PeopleTrained => ("培训", "people trained"),
        Indicator::Consumption => ("采购和帮助销售", "consumption assistance"),
        Indicator::SocialDonations => ("社会力量投入帮扶款物", "social donations"),
        Indicator::SchoolPairs => ("结对学校", "school pairs"),
        Indicator::HospitalPairs => ("结对医院", "hospital pairs"),
        Indicator::VillagePairs => ("村企/社会组织结对村", "villages paired"),
    }
}

/// A value in its indicator's unit, for texts: 万元 / CNY for money, plain numbers otherwise.
pub(crate) fn amount(i: Indicator, value: i128) -> (String, String) {
    match i.unit() {
        eastwest_domain::Unit::Fen => {
            (format!("{} 万元", super::criteria::wan_yuan(value)), super::criteria::yuan(value))
        }
        eastwest_domain::Unit::People | eastwest_domain::Unit::Count => (value.to_string(), value.to_string()),
    }
}
