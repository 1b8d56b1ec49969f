//! Names for what the wire carries as enum numbers: criteria, grades, leadership types and levels,
//! each in Chinese with an English twin. Unknown numbers get a visible placeholder, never a panic.

use eastwest_domain::{Indicator, Unit};
use eastwest_proto::evaluation::v1::{Criterion, Grade};
use eastwest_proto::registry::v1::{Leadership, PairingLevel, Side};

/// The eight criteria in enum order, which is the order of the radar's axes and of every table.
pub(crate) const CRITERIA: [Criterion; 8] = [
    Criterion::BoundaryClarity,
    Criterion::ResponsibilityListing,
    Criterion::GoalPrecision,
    Criterion::PathDiversity,
    Criterion::GovernmentRole,
    Criterion::SocialAutonomy,
    Criterion::CommunityAwareness,
    Criterion::CoordinatedGovernance,
];

/// A criterion's names: the short label of the charts, the paper's full name and the English twin.
pub(crate) struct CriterionName {
    pub short: &'static str,
    pub full: &'static str,
    pub en: &'static str,
}

pub(crate) fn criterion(c: Criterion) -> CriterionName {
    let (short, full, en) = match c {
        Criterion::BoundaryClarity => ("边界清晰", "帮扶边界清晰化", "Clear boundaries of assistance"),
        Criterion::ResponsibilityListing => ("责任清单", "帮扶责任清单化", "Listed responsibilities of assistance"),
        Criterion::GoalPrecision => ("目标精准", "帮扶目标精准化", "Precise goals of assistance"),
        Criterion::PathDiversity => ("路径多元", "帮扶路径多元化", "Diverse paths of assistance"),
        Criterion::GovernmentRole => ("政府职能", "合理界定政府职能", "Well-defined government functions"),
        Criterion::SocialAutonomy => ("社会自主", "扩大社会自主性", "Wider social autonomy"),
        Criterion::CommunityAwareness => ("共同体意识", "强化共同体意识", "Stronger community awareness"),
        Criterion::CoordinatedGovernance => ("协同治理", "走向协同治理", "Towards coordinated governance"),
        Criterion::Unspecified => ("未知指标", "未知指标", "Unknown criterion"),
    };
    CriterionName { short, full, en }
}

/// The criterion behind a wire number; `Unspecified` for numbers this build does not know.
pub(crate) fn criterion_of(n: i32) -> Criterion {
    Criterion::try_from(n).unwrap_or(Criterion::Unspecified)
}

/// The four official grades, best first, then the bucket for evaluations without a known grade.
pub(crate) const GRADES: [Grade; 5] = [Grade::Good, Grade::FairlyGood, Grade::Average, Grade::Poor, Grade::Unspecified];

/// Index of a wire grade in [`GRADES`]; unknown numbers land in the last bucket.
pub(crate) fn grade_index(n: i32) -> usize {
    match Grade::try_from(n) {
        Ok(Grade::Good) => 0,
        Ok(Grade::FairlyGood) => 1,
        Ok(Grade::Average) => 2,
        Ok(Grade::Poor) => 3,
        Ok(Grade::Unspecified) | Err(_) => 4,
    }
}

/// Chinese name, English name and the colour of a grade (by index in [`GRADES`]).
pub(crate) struct GradeName {
    pub zh: &'static str,
    pub en: &'static str,
    pub colour: &'static str,
    /// CSS class suffix, `g0`..`g4`.
    pub class: &'static str,
}

pub(crate) fn grade(index: usize) -> GradeName {
    let (zh, en, colour, class) = match index {
        0 => ("好", "Good", "#1f7a4d", "g0"),
        1 => ("较好", "Fairly good", "#6aaa3a", "g1"),
        2 => ("一般", "Average", "#e0a010", "g2"),
        3 => ("差", "Poor", "#c0392b", "g3"),
        _ => ("未评级", "Ungraded", "#8a8f98", "g4"),
    };
    GradeName { zh, en, colour, class }
}

/// "政府主导 Government-led"; `None` for UNSPECIFIED.
pub(crate) fn leadership(n: i32) -> Option<(&'static str, &'static str)> {
    match Leadership::try_from(n) {
        Ok(Leadership::GovernmentLed) => Some(("政府主导", "Government-led")),
        Ok(Leadership::MarketLed) => Some(("市场主导", "Market-led")),
        Ok(Leadership::SocietyLed) => Some(("社会主导", "Society-led")),
        Ok(Leadership::Unspecified) | Err(_) => None,
    }
}

/// Leadership as one bilingual phrase, with `none` for UNSPECIFIED.
pub(crate) fn leadership_text(n: i32, none: &str) -> String {
    match leadership(n) {
        Some((zh, en)) => format!("{zh} {en}"),
        None => none.to_owned(),
    }
}

pub(crate) fn level_text(n: i32) -> String {
    let (zh, en) = match PairingLevel::try_from(n) {
        Ok(PairingLevel::Province) => ("省级", "province"),
        Ok(PairingLevel::Prefecture) => ("市级", "prefecture"),
        Ok(PairingLevel::County) => ("县级", "county"),
        Ok(PairingLevel::Town) => ("乡镇级", "town"),
        Ok(PairingLevel::Village) => ("村级", "village"),
        Ok(PairingLevel::EnterpriseVillage) => ("村企结对", "enterprise–village"),
        Ok(PairingLevel::SocialOrgVillage) => ("社会组织结对村", "social organization–village"),
        Ok(PairingLevel::School) => ("学校结对", "school"),
        Ok(PairingLevel::Hospital) => ("医院结对", "hospital"),
        Ok(PairingLevel::Unspecified) | Err(_) => ("未说明", "not stated"),
    };
    format!("{zh} {en}")
}

/// The order levels are listed in: the registry's, province first; an unknown or unstated level last.
pub(crate) fn level_order(n: i32) -> i32 {
    match PairingLevel::try_from(n) {
        Ok(PairingLevel::Unspecified) | Err(_) => i32::MAX,
        Ok(l) => l as i32,
    }
}

/// An indicator's Chinese name, English name and unit word; `None` for UNSPECIFIED or a number
/// this build does not know.
pub(crate) fn indicator(n: i32) -> Option<(&'static str, &'static str, &'static str, Unit)> {
    let i = eastwest_proto::convert::indicator_in(n).ok().flatten()?;
    let (zh, en, unit) = match i {
        Indicator::FiscalAid => ("财政援助资金", "fiscal aid", ""),
        Indicator::CadresExchanged => ("互派党政挂职干部", "cadres exchanged", "人"),
        Indicator::ProfessionalsExchanged => ("专业技术人才", "professionals exchanged", "人次"),
        Indicator::EnterprisesLanded => ("引导落地投产企业", "enterprises landed", "家"),
        Indicator::InvestmentArrived => ("实际到位投资", "investment arrived", ""),
        Indicator::IndustrialParks => ("共建产业园区", "industrial parks", "个"),
        Indicator::Workshops => ("帮扶车间", "assistance workshops", "个"),
        Indicator::LabourEmployed => ("帮助农村劳动力就业", "rural workers employed", "人"),
        Indicator::ExPoorEmployed => ("其中脱贫劳动力", "ex-poor workers employed", "人"),
        Indicator::PeopleTrained => ("培训", "people trained", "人次"),
        Indicator::Consumption => ("采购和帮助销售", "consumption assistance", ""),
        Indicator::SocialDonations => ("社会力量投入帮扶款物", "social donations", ""),
        Indicator::SchoolPairs => ("结对学校", "school pairs", "对"),
        Indicator::HospitalPairs => ("结对医院", "hospital pairs", "对"),
        Indicator::VillagePairs => ("村企/社会组织结对村", "villages paired", "个"),
    };
    Some((zh, en, unit, i.unit()))
}

/// "财政援助资金 fiscal aid"; a visible placeholder with the number for one this build does not know.
pub(crate) fn indicator_text(n: i32) -> String {
    match indicator(n) {
        Some((zh, en, ..)) => format!("{zh} {en}"),
        None => format!("未知指标 unknown indicator ({n})"),
    }
}

/// A value in its indicator's unit: money in 亿元/万元, people and things with their unit word.
pub(crate) fn quantity(n: i32, value: i64) -> String {
    match indicator(n) {
        Some((.., Unit::Fen)) => crate::output::money(value),
        Some((_, _, unit, Unit::People | Unit::Count)) => format!("{} {unit}", grouped(value)),
        None => grouped(value),
    }
}

/// `value` shared among `units` (e.g. county pairings): money in 亿元/万元, counts to one decimal.
pub(crate) fn quantity_per(n: i32, value: i64, units: usize) -> String {
    let units_i64 = i64::try_from(units.max(1)).unwrap_or(i64::MAX);
    match indicator(n) {
        Some((.., Unit::Fen)) => crate::output::money(value / units_i64),
        Some((_, _, unit, Unit::People | Unit::Count)) => format!("{:.1} {unit}", value as f64 / units_i64 as f64),
        None => format!("{:.1}", value as f64 / units_i64 as f64),
    }
}

fn grouped(n: i64) -> String {
    crate::output::grouped(i128::from(n))
}

/// "东部 east", "西部 west", or "全结对 whole pairing" for UNSPECIFIED (and unknown numbers).
pub(crate) fn side_text(n: i32) -> &'static str {
    match Side::try_from(n) {
        Ok(Side::East) => "东部 east",
        Ok(Side::West) => "西部 west",
        Ok(Side::Unspecified) | Err(_) => "全结对 whole pairing",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_criterion_has_its_chart_label() {
        let shorts: Vec<_> = CRITERIA.iter().map(|&c| criterion(c).short).collect();
        assert_eq!(
            shorts,
            ["边界清晰", "责任清单", "目标精准", "路径多元", "政府职能", "社会自主", "共同体意识", "协同治理"]
        );
    }

    #[test]
    fn unknown_enum_numbers_fall_back() {
        assert_eq!(grade_index(99), 4);
        assert_eq!(grade_index(Grade::Poor as i32), 3);
        assert_eq!(criterion_of(42), Criterion::Unspecified);
        assert_eq!(leadership(7), None);
        assert_eq!(level_text(-1), "未说明 not stated");
        assert_eq!(indicator_text(99), "未知指标 unknown indicator (99)");
        assert_eq!(side_text(7), "全结对 whole pairing");
        assert_eq!(level_order(42), i32::MAX);
    }

    #[test]
    fn quantities_carry_their_units() {
        use eastwest_proto::registry::v1::Indicator as I;
        assert_eq!(quantity(I::FiscalAid as i32, 269_000_000_000), "26.90 亿元");
        assert_eq!(quantity(I::Consumption as i32, 300_000_000), "300.00 万元");
        assert_eq!(quantity(I::ExPoorEmployed as i32, 4_729), "4,729 人");
        assert_eq!(quantity(I::Workshops as i32, 311), "311 个");
        assert_eq!(quantity_per(I::FiscalAid as i32, 269_000_000_000, 10), "2.69 亿元");
        assert_eq!(quantity_per(I::Workshops as i32, 311, 4), "77.8 个");
        assert_eq!(quantity_per(I::Workshops as i32, 311, 0), "311.0 个", "no county: the whole");
    }
}
