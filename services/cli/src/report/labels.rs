//! Names for what the wire carries as enum numbers: criteria, grades, leadership types and levels,
//! each in Chinese with an English twin. Unknown numbers get a visible placeholder, never a panic.

use eastwest_proto::evaluation::v1::{Criterion, Grade};
use eastwest_proto::registry::v1::{Leadership, PairingLevel};

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
    }
}
