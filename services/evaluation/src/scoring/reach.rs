//! Size: how an actual compares with what a pairing of its level typically delivers in a year.
//!
//! The references are the national 2023 figures of the Ministry of Agriculture and Rural Affairs
//! (domain-notes §2.2: fiscal aid 231.9 亿元, 3,045 cadres, 2.5 万 professionals, 2,510
//! enterprises and 1,268 亿元 of investment, 741 parks, 943.8 亿元 of consumption, 73.1 万
//! workers of whom 47.8 万 ex-poor, 28.5 亿元 of social donations, 7,452 villages paired) divided
//! by the number of units of the level (docs/scoring.md, "Size"). Indicators the national summary
//! does not give use the Jiangsu–Shaanxi 2021 report (workshops 311, school pairs 389, hospital
//! pairs 127, one province pairing) or the Fenghua county report (155 person-times trained), scaled
//! the same way. These are orders of magnitude, not targets: the credit is logarithmic, full at
//! the reference and nothing at a hundredth of it, so a pairing at half the national average per
//! unit still earns 85 % of it.
//!
//! `reach` is monotone in the actual and moves by at most log10(1.0101)/2 ≈ 0.0022 when the actual
//! grows by under 1 % of itself: the two facts properties (1) and (2) of docs/scoring.md rest on.

use eastwest_domain::{Indicator, PairingLevel, Side};

use super::effect::Family;
use super::ledger::Ledger;

/// Province pairings in the 2021 list (domain-notes §3.1).
const PROVINCE_UNITS: f64 = 11.0;
/// Counties assisted: 231.9 亿元 of fiscal aid at a county average of 5,187 万元.
const COUNTY_UNITS: f64 = 447.0;
/// Prefectures: a design choice of six assisted counties each (Guangxi 33 counties in 8 cities,
/// Guizhou 66 in 9), so 447 / 6.
const PREFECTURE_UNITS: f64 = 74.5;
/// Villages paired with enterprises and social organisations in 2023; used for every level below
/// the county (towns, villages, enterprise–village and social-organisation–village pairs, schools,
/// hospitals).
const VILLAGE_UNITS: f64 = 7452.0;

/// The national annual figure of an indicator, in its unit.
fn national(i: Indicator) -> f64 {
    const YI_FEN: f64 = 1e10; // 1 亿元 in fen
    match i {
        Indicator::FiscalAid => 231.9 * YI_FEN,
        Indicator::CadresExchanged => 3045.0,
        Indicator::ProfessionalsExchanged => 25_000.0,
        Indicator::EnterprisesLanded => 2510.0,
        Indicator::InvestmentArrived => 1268.0 * YI_FEN,
        Indicator::IndustrialParks => 741.0,
        Indicator::Workshops => 311.0 * PROVINCE_UNITS,
        Indicator::LabourEmployed => 731_000.0,
        Indicator::ExPoorEmployed => 478_000.0,
        Indicator::PeopleTrained => 155.0 * COUNTY_UNITS,
        Indicator::Consumption => 943.8 * YI_FEN,
        Indicator::SocialDonations => 28.5 * YI_FEN,
        Indicator::SchoolPairs => 389.0 * PROVINCE_UNITS,
        Indicator::HospitalPairs => 127.0 * PROVINCE_UNITS,
        Indicator::VillagePairs => 7452.0,
    }
}

fn units(level: PairingLevel) -> f64 {
    match level {
        PairingLevel::Province => PROVINCE_UNITS,
        PairingLevel::Prefecture => PREFECTURE_UNITS,
        PairingLevel::County => COUNTY_UNITS,
        PairingLevel::Town
        | PairingLevel::Village
        | PairingLevel::EnterpriseVillage
        | PairingLevel::SocialOrgVillage
        | PairingLevel::School
        | PairingLevel::Hospital => VILLAGE_UNITS,
    }
}

/// What a pairing of this level typically delivers of the indicator in a year.
pub(crate) fn reference(i: Indicator, level: PairingLevel) -> f64 {
    national(i) / units(level)
}

/// Credit for an actual against its reference: 1 + log10(actual / reference) / 2, clamped to
/// 0..=1 (full at the reference, half at a tenth of it, none at a hundredth or below).
pub(crate) fn reach(actual: i128, i: Indicator, level: PairingLevel) -> f64 {
    if actual <= 0 {
        return 0.0;
    }
    let x = actual as f64 / reference(i, level);
    (1.0 + x.log10() / 2.0).clamp(0.0, 1.0)
}

/// The best reach among a family's indicators, for one side (`None`: the pairing as a whole).
pub(crate) fn family_reach(ledger: &Ledger, family: Family, side: Option<Side>, level: PairingLevel) -> f64 {
    Indicator::ALL
        .iter()
        .filter(|i| Family::of(**i) == family)
        .map(|i| reach(ledger.total(*i, side), *i, level))
        .fold(0.0, f64::max)
}

/// The best reach among the given indicators, for one side (`None`: the pairing as a whole).
pub(crate) fn best_reach(ledger: &Ledger, indicators: &[Indicator], side: Option<Side>, level: PairingLevel) -> f64 {
    indicators.iter().map(|i| reach(ledger.total(*i, side), *i, level)).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach_is_full_at_the_reference_half_at_a_tenth_and_none_at_a_hundredth() {
        let r = reference(Indicator::FiscalAid, PairingLevel::Province) as i128;
        // 231.9 亿元 / 11 ≈ 21.08 亿元.
        assert_eq!(r / 100_000_000_000, 2);
        assert!((reach(r, Indicator::FiscalAid, PairingLevel::Province) - 1.0).abs() < 1e-9);
        assert!((reach(r / 10, Indicator::FiscalAid, PairingLevel::Province) - 0.5).abs() < 1e-9);
        assert_eq!(reach(r / 100, Indicator::FiscalAid, PairingLevel::Province), 0.0);
        assert_eq!(reach(r * 50, Indicator::FiscalAid, PairingLevel::Province), 1.0);
        assert_eq!(reach(0, Indicator::FiscalAid, PairingLevel::Province), 0.0);
        // A county is judged against a county's share.
        assert!((reach(r / 40, Indicator::FiscalAid, PairingLevel::County) - 1.0).abs() < 0.01);
    }

    #[test]
    fn one_percent_more_moves_reach_by_little() {
        for level in [PairingLevel::Province, PairingLevel::County, PairingLevel::Village] {
            for i in Indicator::ALL {
                for actual in [1i128, 37, 10_000, 123_456_789, 98_765_432_109_876] {
                    let more = actual + actual / 99;
                    let d = reach(more, i, level) - reach(actual, i, level);
                    assert!((0.0..=0.0023).contains(&d), "{i:?} {level:?} {actual}: {d}");
                }
            }
        }
    }
}
