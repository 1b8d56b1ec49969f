//! Who leads a pairing, judged from where its money comes from and who holds the FUNDING and
//! ACCOUNTABLE roles (the paper's 政府主导 / 市场主导 / 社会主导).
//!
//! Each lead type earns points:
//! `2 × its share of money + its share of ACCOUNTABLE participants + its share of FUNDING
//! participants`, where each share is 0 when there is nothing to share (no money, no such role).
//! Money is attributed by the acting actor: government bodies and public institutions to
//! government; enterprises (state-owned or private) to the market, except their donations, which
//! are social; people's and social organizations and individuals to society. Roles are attributed
//! the same way by category. The most points win; a tie goes to the declared type if it is among
//! the tied, else to the first of government, market, society. No money and no such roles: `None`.

use eastwest_domain::Leadership;

use super::facts::{Channel, Facts, money_channel, role_channel};

/// Points closer than this are a tie (shares are ratios of integers; this absorbs rounding).
const TIE: f64 = 1e-9;

pub(crate) fn lead(c: Channel) -> Leadership {
    match c {
        Channel::Government => Leadership::GovernmentLed,
        Channel::Market => Leadership::MarketLed,
        Channel::Society => Leadership::SocietyLed,
    }
}

/// The points of government, market and society, in that order.
pub(crate) fn points(f: &Facts) -> [f64; 3] {
    let mut money = [0i128; 3];
    for x in &f.acts {
        if let Some(c) = x.category
            && let Some(m) = money.get_mut(money_channel(c, x.a.kind).index())
        {
            *m += x.fen();
        }
    }
    let mut accountable = [0usize; 3];
    let mut funding = [0usize; 3];
    for (a, r) in &f.roles {
        let Some(c) = f.category(a) else { continue };
        let k = role_channel(c).index();
        if r.accountable
            && let Some(n) = accountable.get_mut(k)
        {
            *n += 1;
        }
        if r.funding
            && let Some(n) = funding.get_mut(k)
        {
            *n += 1;
        }
    }
    let total_money: i128 = money.iter().sum();
    let total_acc: usize = accountable.iter().sum();
    let total_fund: usize = funding.iter().sum();
    let mut out = [0.0; 3];
    for (k, p) in out.iter_mut().enumerate() {
        let m = money.get(k).copied().unwrap_or(0);
        let a = accountable.get(k).copied().unwrap_or(0);
        let fu = funding.get(k).copied().unwrap_or(0);
        if total_money > 0 {
            *p += 2.0 * m as f64 / total_money as f64;
        }
        if total_acc > 0 {
            *p += a as f64 / total_acc as f64;
        }
        if total_fund > 0 {
            *p += fu as f64 / total_fund as f64;
        }
    }
    out
}

pub(crate) fn infer(f: &Facts) -> Option<Leadership> {
    let pts = points(f);
    let best = pts.iter().copied().fold(0.0, f64::max);
    if best <= TIE {
        return None;
    }
    let tied: Vec<Leadership> =
        Channel::ALL.iter().filter(|c| pts.get(c.index()).is_some_and(|p| best - p <= TIE)).map(|c| lead(*c)).collect();
    let declared = f.p.leadership;
    if tied.contains(&declared) { Some(declared) } else { tied.first().copied() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::*;
    use eastwest_domain::ActivityKind as K;
    use eastwest_domain::{ActorCategory::*, CooperationForm::*, FlowDirection::*, Leadership::*, ParticipantRole::*};

    #[test]
    fn table() {
        struct Row {
            name: &'static str,
            build: fn(&mut Snap),
            points: [f64; 3],
            inferred: Option<Leadership>,
        }
        let rows = [
            Row { name: "no evidence", build: |_| {}, points: [0.0, 0.0, 0.0], inferred: None },
            Row {
                name: "government funds and answers",
                build: |s| {
                    s.participant("js", &[Accountable, Funding]);
                    s.activity("a1", "js", Industry, K::Funds, EastToWest, date(2025, 1, 1), 900);
                    s.actor("ent", PrivateEnterprise, EAST);
                    s.activity("a2", "ent", Industry, K::Investment, EastToWest, date(2025, 1, 1), 100);
                },
                points: [2.0 * 0.9 + 1.0 + 1.0, 0.2, 0.0],
                inferred: Some(GovernmentLed),
            },
            Row {
                name: "enterprise money outweighs an accountable government",
                build: |s| {
                    s.actor("ent", PrivateEnterprise, EAST);
                    s.participant("js", &[Accountable]);
                    s.participant("ent", &[Funding]);
                    s.activity("a1", "ent", Consumption, K::Purchase, EastToWest, date(2025, 1, 1), 700);
                    s.activity("a2", "ent", Education, K::Donation, EastToWest, date(2025, 1, 1), 300);
                },
                // Market 2·0.7 + funding 1 = 2.4; society 2·0.3 = 0.6; government 1.
                points: [1.0, 2.4, 0.6],
                inferred: Some(MarketLed),
            },
            Row {
                name: "a tie goes to the declared type",
                build: |s| {
                    s.actor("so", SocialOrganization, WEST);
                    s.activity("a1", "so", Education, K::Donation, EastToWest, date(2025, 1, 1), 500);
                    s.activity("a2", "js", Education, K::Funds, EastToWest, date(2025, 1, 1), 500);
                    s.declare(SocietyLed);
                },
                points: [1.0, 0.0, 1.0],
                inferred: Some(SocietyLed),
            },
            Row {
                name: "a tie without the declared type goes to government first",
                build: |s| {
                    s.actor("so", SocialOrganization, WEST);
                    s.activity("a1", "so", Education, K::Donation, EastToWest, date(2025, 1, 1), 500);
                    s.activity("a2", "js", Education, K::Funds, EastToWest, date(2025, 1, 1), 500);
                    s.declare(MarketLed);
                },
                points: [1.0, 0.0, 1.0],
                inferred: Some(GovernmentLed),
            },
        ];
        for row in rows {
            let mut snap = Snap::bare();
            (row.build)(&mut snap);
            let f = snap.facts_at(as_of());
            let got = points(&f);
            for (g, w) in got.iter().zip(row.points) {
                assert!((g - w).abs() < 1e-12, "{}: {got:?}", row.name);
            }
            assert_eq!(infer(&f), row.inferred, "{}", row.name);
        }
    }
}
