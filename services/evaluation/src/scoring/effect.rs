//! Effectiveness (成效): what the year delivered against its agreement and the year before.
//!
//! Every scored *goalpost* is an (indicator, side) with a bar to reach:
//! - each target of the year's agreement with a value above 0; its bar is the larger of the target
//!   and last year's actual of the same indicator and side, so a target set below last year earns
//!   no more than matching last year;
//! - for fiscal aid, cadres and professionals, the rule that support must not decrease
//!   (资金、干部人才支持"不减少"): each side's last-year actual is a bar even where the agreement
//!   sets no target;
//! - with no agreement for the year, every (indicator, side) delivered last year, at last year's
//!   actual.
//!
//! A goalpost's credit is `0.9 × min(1, actual / bar) + 0.1 × growth`, where growth is
//! `clamp(ln(actual / last year) / ln 1.2, 0, 1)` (full at +20 %; without a last-year figure it
//! equals the attainment part). Over-delivery is capped at the bar, so it cannot hide a shortfall
//! elsewhere. Goalposts are weighted by the official families (docs/scoring.md), split equally
//! within a family, so listing many easy targets in one family does not outweigh the others.

use std::collections::BTreeMap;

use eastwest_domain::{Agreement, Indicator, PairingLevel, Side};

use super::ledger::{Cell, Ledger};
use super::reach::family_reach;

/// The families of the official assessment, as domain-notes §2.3 groups its indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Family {
    /// 资金支持
    Funding,
    /// 人才支援
    Talent,
    /// 产业协作
    Industry,
    /// 劳务协作
    Labour,
    /// 消费协作
    Consumption,
    /// 社会帮扶
    Social,
}

impl Family {
    pub(crate) const ALL: [Family; 6] =
        [Family::Funding, Family::Talent, Family::Industry, Family::Labour, Family::Consumption, Family::Social];

    /// Weights of domain-notes §2.3 (a proposal, marked [I] there; a design choice here).
    pub(crate) fn weight(self) -> f64 {
        match self {
            Family::Funding | Family::Industry | Family::Labour => 15.0,
            Family::Talent | Family::Consumption | Family::Social => 10.0,
        }
    }

    pub(crate) fn names(self) -> (&'static str, &'static str) {
        match self {
            Family::Funding => ("资金支持", "funding"),
            Family::Talent => ("人才支援", "talent"),
            Family::Industry => ("产业协作", "industry"),
            Family::Labour => ("劳务协作", "labour"),
            Family::Consumption => ("消费协作", "consumption"),
            Family::Social => ("社会帮扶", "social assistance"),
        }
    }

    pub(crate) fn of(i: Indicator) -> Family {
        match i {
            Indicator::FiscalAid => Family::Funding,
            Indicator::CadresExchanged
            | Indicator::ProfessionalsExchanged
            | Indicator::SchoolPairs
            | Indicator::HospitalPairs => Family::Talent,
            Indicator::EnterprisesLanded | Indicator::InvestmentArrived | Indicator::IndustrialParks => {
                Family::Industry
            }
            Indicator::LabourEmployed | Indicator::ExPoorEmployed | Indicator::Workshops | Indicator::PeopleTrained => {
                Family::Labour
            }
            Indicator::Consumption => Family::Consumption,
            Indicator::SocialDonations | Indicator::VillagePairs => Family::Social,
        }
    }
}

/// Indicators the "not less than last year" rule binds.
pub(crate) fn binding(i: Indicator) -> bool {
    matches!(i, Indicator::FiscalAid | Indicator::CadresExchanged | Indicator::ProfessionalsExchanged)
}

/// Share of a goalpost's credit that is attainment; the rest is growth.
const ATTAINMENT_PART: f64 = 0.9;
/// Growth earning full credit: +20 % on last year.
const FULL_GROWTH: f64 = 1.2;

/// Where a goalpost comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// A target of the year's agreement.
    Target,
    /// Last year's actual, under the "not less than last year" rule or for want of an agreement.
    LastYear,
}

#[derive(Debug, Clone)]
pub(crate) struct Goalpost {
    pub indicator: Indicator,
    /// `None`: the pairing as a whole.
    pub side: Option<Side>,
    pub source: Source,
    /// The agreement's value (0 for a last-year goalpost).
    pub target: i128,
    pub previous: i128,
    pub actual: Cell,
    /// What must be reached for full attainment credit.
    pub bar: i128,
}

impl Goalpost {
    /// `min(1, actual / bar)`.
    pub(crate) fn attained(&self) -> f64 {
        ratio(self.actual.total, self.bar).min(1.0)
    }

    /// `min(1, actual / target)`: how far the agreement's own figure is met (0 for a last-year
    /// goalpost).
    pub(crate) fn met(&self) -> f64 {
        if self.target > 0 { ratio(self.actual.total, self.target).min(1.0) } else { 0.0 }
    }

    pub(crate) fn credit(&self) -> f64 {
        let attained = self.attained();
        let growth = if self.previous > 0 {
            if self.actual.total <= self.previous {
                0.0
            } else {
                ((self.actual.total as f64 / self.previous as f64).ln() / FULL_GROWTH.ln()).clamp(0.0, 1.0)
            }
        } else {
            attained
        };
        ATTAINMENT_PART * attained + (1.0 - ATTAINMENT_PART) * growth
    }

    /// The goalpost counts for a side's assessment: it is the side's, or the pairing's as a whole.
    pub(crate) fn concerns(&self, side: Option<Side>) -> bool {
        side.is_none() || self.side.is_none() || self.side == side
    }
}

fn ratio(a: i128, b: i128) -> f64 {
    if b <= 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The year's goalposts, in the order: the agreement's targets (indicator, then side), then the
/// last-year goalposts.
pub(crate) fn goalposts(agreement: Option<&Agreement>, year: &Ledger, last: &Ledger) -> Vec<Goalpost> {
    let mut out = Vec::new();
    let post = |indicator: Indicator, side: Option<Side>, source: Source, target: i128| {
        let previous = last.total(indicator, side);
        Goalpost {
            indicator,
            side,
            source,
            target,
            previous,
            actual: year.cell(indicator, side),
            bar: target.max(previous),
        }
    };
    match agreement {
        Some(a) => {
            let mut targets: Vec<_> = a.targets.iter().filter(|t| t.value > 0).collect();
            targets.sort_by_key(|t| (t.indicator, t.side));
            for t in &targets {
                out.push(post(t.indicator, t.side, Source::Target, i128::from(t.value)));
            }
            for (i, s) in last.delivered() {
                let covered = targets.iter().any(|t| t.indicator == i && (t.side.is_none() || t.side == Some(s)));
                if binding(i) && !covered {
                    out.push(post(i, Some(s), Source::LastYear, 0));
                }
            }
        }
        None => {
            for (i, s) in last.delivered() {
                out.push(post(i, Some(s), Source::LastYear, 0));
            }
        }
    }
    out
}

/// Each goalpost's weight among those that concern `side` (`None`: all), summing to 1; empty when
/// none does.
pub(crate) fn weights(posts: &[Goalpost], side: Option<Side>) -> Vec<f64> {
    let mut per_family: BTreeMap<Family, usize> = BTreeMap::new();
    for p in posts.iter().filter(|p| p.concerns(side)) {
        *per_family.entry(Family::of(p.indicator)).or_default() += 1;
    }
    let total: f64 = per_family.keys().map(|f| f.weight()).sum();
    posts
        .iter()
        .map(|p| {
            if !p.concerns(side) || total <= 0.0 {
                return 0.0;
            }
            let family = Family::of(p.indicator);
            let n = per_family.get(&family).copied().unwrap_or(1).max(1);
            family.weight() / total / n as f64
        })
        .collect()
}

/// Effectiveness for one side (or the pairing), 0 to 100, and the weighted share of the
/// agreement's own targets met (for the grade cap); `None` when no goalpost concerns it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Effectiveness {
    pub score: f64,
    /// Σ weight × min(1, actual / target) over the agreement's targets, divided by their weight;
    /// `None` without agreement targets.
    pub met: Option<f64>,
}

pub(crate) fn effectiveness(posts: &[Goalpost], side: Option<Side>) -> Option<Effectiveness> {
    let w = weights(posts, side);
    if w.iter().all(|x| *x <= 0.0) {
        return None;
    }
    let score: f64 = posts.iter().zip(&w).map(|(p, w)| w * p.credit()).sum();
    // The share met is of the agreement's own targets, weighted among themselves.
    let targets: Vec<Goalpost> = posts.iter().filter(|p| p.source == Source::Target).cloned().collect();
    let tw = weights(&targets, side);
    let met = tw.iter().any(|x| *x > 0.0).then(|| targets.iter().zip(&tw).map(|(p, w)| w * p.met()).sum::<f64>());
    Some(Effectiveness { score: 100.0 * score, met })
}

/// Effectiveness where the year has nothing to be measured against (no agreement target above 0
/// and no figure of the year before): the size of the year's delivery, each family's reach against
/// the national average for the level (`reach.rs`) weighted by the family weights, for one side
/// (`None`: the pairing as a whole). A family with nothing delivered counts 0. No `met`: there
/// are no targets to meet.
pub(crate) fn size_effectiveness(ledger: &Ledger, side: Option<Side>, level: PairingLevel) -> Effectiveness {
    let total: f64 = Family::ALL.iter().map(|f| f.weight()).sum();
    let score: f64 =
        Family::ALL.iter().map(|f| f.weight() * family_reach(ledger, *f, side, level)).sum::<f64>() / total;
    Effectiveness { score: 100.0 * score, met: None }
}

/// With an agreement, a pairing meeting under 60 % of its targets (weighted) grades no better than
/// 一般: the overall score is at most `74.9 + 62.75 × (met − 0.6)`, which is 74.9 at 60 %, 100 when
/// every target is met, and continuous in between so that one record cannot tip it.
pub(crate) fn cap(met: f64) -> f64 {
    74.9 + 62.75 * (met - 0.6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eastwest_domain::{Labels, Target};

    fn agreement(targets: &[(Indicator, Option<Side>, i64)]) -> Agreement {
        Agreement {
            pairing: "p".into(),
            year: 2023,
            signed_date: None,
            targets: targets
                .iter()
                .map(|(indicator, side, value)| Target { indicator: *indicator, side: *side, value: *value })
                .collect(),
            description: String::new(),
            labels: Labels::new(),
            create_time: 0,
            update_time: 0,
        }
    }

    #[test]
    fn the_cap_is_under_fairly_good_below_sixty_percent_and_open_at_full() {
        assert!(cap(0.599_999) < 75.0);
        assert!((cap(0.6) - 74.9).abs() < 1e-9);
        assert!((cap(1.0) - 100.0).abs() < 1e-9);
        assert!(cap(0.0) > 0.0);
    }

    #[test]
    fn families_weigh_as_documented_and_split_within() {
        let a = agreement(&[
            (Indicator::FiscalAid, Some(Side::East), 100),
            (Indicator::LabourEmployed, Some(Side::West), 10),
            (Indicator::ExPoorEmployed, Some(Side::West), 5),
        ]);
        let posts = goalposts(Some(&a), &Ledger::default(), &Ledger::default());
        let w = weights(&posts, None);
        // Funding 15 and labour 15 of 30; labour split over its two targets.
        assert_eq!(w.len(), 3);
        assert!((w[0] - 0.5).abs() < 1e-12);
        assert!((w[1] - 0.25).abs() < 1e-12 && (w[2] - 0.25).abs() < 1e-12);
        // The east is judged on its own target alone, the west on its two.
        let east = weights(&posts, Some(Side::East));
        assert_eq!(east, vec![1.0, 0.0, 0.0]);
    }
}
