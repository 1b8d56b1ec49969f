//! Property tests over arbitrary valid snapshots: what must hold whatever the data.

use chrono::{Days, NaiveDate};
use eastwest_domain::{
    ActivityKind, ActorCategory, CooperationForm, FlowDirection, Goal, Leadership, PairingSnapshot, ParticipantRole,
    Responsibility, ResponsibilityStatus, Scope, Side,
};
use proptest::prelude::*;
use proptest::sample::select;

use super::facts::{FORMS, Facts};
use super::fixtures::{Snap, full_goal, make_actor};
use super::grade::grade_for;
use super::model::{ScoringModel, sheets};
use super::types::{Criterion, Evaluation};

const CATEGORIES: [ActorCategory; 7] = [
    ActorCategory::GovernmentBody,
    ActorCategory::PublicInstitution,
    ActorCategory::StateOwnedEnterprise,
    ActorCategory::PeoplesOrganization,
    ActorCategory::SocialOrganization,
    ActorCategory::PrivateEnterprise,
    ActorCategory::Individual,
];
const KINDS: [ActivityKind; 9] = [
    ActivityKind::Funds,
    ActivityKind::Investment,
    ActivityKind::Donation,
    ActivityKind::Purchase,
    ActivityKind::Employment,
    ActivityKind::Training,
    ActivityKind::PersonnelExchange,
    ActivityKind::JointMeeting,
    ActivityKind::Other,
];
const DIRECTIONS: [FlowDirection; 3] = [FlowDirection::EastToWest, FlowDirection::WestToEast, FlowDirection::Joint];
const ROLES: [ParticipantRole; 4] =
    [ParticipantRole::Funding, ParticipantRole::Accountable, ParticipantRole::Extending, ParticipantRole::Implementing];
const LEADS: [Leadership; 3] = [Leadership::GovernmentLed, Leadership::MarketLed, Leadership::SocietyLed];
const DUTIES: [&str; 4] = ["拨付资金", "组织劳务", "培训", "采购"];

fn forms() -> Vec<CooperationForm> {
    FORMS.iter().map(|(f, _, _)| *f).collect()
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (2020i32..=2026, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn number() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(prop_oneof![Just(0.0), -100.0..100.0f64, 0.0..1e6f64])
}

fn text() -> impl Strategy<Value = String> {
    select(vec!["", " ", "转移就业人数", "人"]).prop_map(str::to_string)
}

/// An actor index in 0..n (0 is the east actor, 1 the west one).
fn goal(n: usize) -> impl Strategy<Value = Goal> {
    (
        (text(), select(forms()), text(), number(), number(), number()),
        (prop::option::of(day()), text(), prop::option::of(0..n + 1)),
    )
        .prop_map(move |((indicator, form, unit, baseline, target, actual), (due, beneficiary, who))| {
            Goal {
                id: String::new(),
                indicator,
                form,
                unit,
                baseline,
                target,
                actual,
                due_date: due,
                beneficiary,
                // n means an actor the snapshot does not hold.
                responsible: who.map(|k| actor_id(k, n)),
            }
        })
}

fn actor_id(k: usize, n: usize) -> String {
    match k {
        0 => "js".into(),
        1 => "sn".into(),
        _ if k >= n => "ghost".into(),
        _ => format!("x{k}"),
    }
}

prop_compose! {
    fn snapshot()(
        cats in prop::collection::vec((select(CATEGORIES.to_vec()), any::<bool>()), 2..8),
        lead in select(LEADS.to_vec()),
        start in prop::option::of(day()),
        scope in (text(), prop::collection::vec(text(), 0..3), prop::collection::vec(text(), 0..3)),
        as_of in day(),
    )(
        roles in prop::collection::vec(prop::option::of(prop::collection::vec(select(ROLES.to_vec()), 1..4)), cats.len()),
        resps in prop::collection::vec(
            (0..cats.len() + 1, select(DUTIES.to_vec()), prop::option::of(day()), any::<bool>()), 0..12),
        goals in prop::collection::vec(goal(cats.len()), 0..8),
        acts in prop::collection::vec(
            (0..cats.len(), select(forms()), select(KINDS.to_vec()), select(DIRECTIONS.to_vec()), day(), 0i64..1_000_000_000),
            0..60),
        // The first stage's values, passed on to the body.
        cats in Just(cats), lead in Just(lead), start in Just(start), scope in Just(scope),
        as_of in Just(as_of),
    ) -> (PairingSnapshot, NaiveDate) {
        let n = cats.len();
        let mut s = Snap::bare();
        s.s.actors.clear();
        for (k, (category, east)) in cats.iter().enumerate() {
            let side = match k {
                0 => Side::East,
                1 => Side::West,
                _ if *east => Side::East,
                _ => Side::West,
            };
            let id = actor_id(k, n);
            s.s.actors.push(eastwest_domain::Stored { record: make_actor(&id, &id, *category, side), etag: "1".into() });
        }
        s.declare(lead);
        if let Some(d) = start {
            s.start(d);
        }
        s.p().scope = Scope { statement: scope.0, in_scope: scope.1, out_of_scope: scope.2 };
        for (k, r) in roles.iter().enumerate() {
            if let Some(r) = r {
                s.participant(&actor_id(k, n), r);
            }
        }
        for (i, (who, duty, due, done)) in resps.into_iter().enumerate() {
            s.responsibility(&format!("r{i}"), &actor_id(who, n), duty, due, done);
        }
        for (i, mut g) in goals.into_iter().enumerate() {
            g.id = format!("g{i}");
            s.goal(g);
        }
        for (i, (who, form, kind, dir, d, fen)) in acts.into_iter().enumerate() {
            s.activity(&format!("a{i:03}"), &actor_id(who, n), form, kind, dir, d, fen);
        }
        (s.s, as_of)
    }
}

fn model() -> ScoringModel {
    ScoringModel::standard()
}

fn score_of(e: &Evaluation, c: Criterion) -> f64 {
    e.criteria.iter().find(|x| x.criterion == c).map_or(f64::NAN, |x| x.score)
}

fn raw_score(s: &PairingSnapshot, as_of: NaiveDate, c: Criterion) -> f64 {
    let f = Facts::new(s, as_of);
    sheets(&f).iter().find(|x| x.criterion() == c).map_or(f64::NAN, |x| x.score())
}

proptest! {
    #[test]
    fn scores_are_finite_and_in_range((s, as_of) in snapshot()) {
        let e = model().evaluate(&s, as_of);
        prop_assert!(e.overall_score.is_finite() && (0.0..=100.0).contains(&e.overall_score));
        prop_assert_eq!(e.grade, grade_for(e.overall_score));
        prop_assert_eq!(e.criteria.len(), 8);
        let mut weighted = 0.0;
        for c in &e.criteria {
            prop_assert!(c.score.is_finite() && (0.0..=100.0).contains(&c.score), "{:?} {}", c.criterion, c.score);
            weighted += c.weight * c.score;
            for i in &c.indicators {
                prop_assert!(i.value.is_finite(), "{:?} {}", c.criterion, i.key);
            }
            prop_assert!(c.findings.len() <= 10);
        }
        // The overall is the weighted mean of the unrounded scores; the shown ones are each
        // at most 0.1 lower.
        prop_assert!((e.overall_score - weighted).abs() <= 0.1 + 1e-9, "{} vs {}", e.overall_score, weighted);
    }

    #[test]
    fn the_same_input_gives_the_same_output((s, as_of) in snapshot()) {
        let m = model();
        let first = format!("{:?}", m.evaluate(&s, as_of));
        prop_assert_eq!(&first, &format!("{:?}", m.evaluate(&s, as_of)));
        // The order in which the registry lists activities does not matter either.
        let mut reversed = s.clone();
        reversed.activities.reverse();
        prop_assert_eq!(&first, &format!("{:?}", m.evaluate(&reversed, as_of)));
    }

    #[test]
    fn a_fully_specified_goal_never_lowers_goal_precision(
        (s, as_of) in snapshot(),
        form in select(forms()),
        actual in number(),
    ) {
        let before = model().evaluate(&s, as_of);
        let raw_before = raw_score(&s, as_of, Criterion::GoalPrecision);
        let mut more = s.clone();
        more.pairing.record.goals.push(Goal { actual, ..full_goal("new-goal", form, "sn") });
        let after = model().evaluate(&more, as_of);
        prop_assert!(score_of(&after, Criterion::GoalPrecision) >= score_of(&before, Criterion::GoalPrecision));
        prop_assert!(raw_score(&more, as_of, Criterion::GoalPrecision) >= raw_before);
    }

    #[test]
    fn an_activity_in_a_new_form_never_lowers_path_diversity(
        (s, as_of) in snapshot(),
        kind in select(KINDS.to_vec()),
        dir in select(DIRECTIONS.to_vec()),
        back in 0u64..400,
        fen in 0i64..1_000_000_000,
        pick in 0usize..64,
    ) {
        let used: Vec<CooperationForm> = s
            .activities
            .iter()
            .filter(|a| a.record.date <= as_of)
            .map(|a| a.record.form)
            .collect();
        let Some(form) = forms().into_iter().find(|f| !used.contains(f)) else {
            return Ok(());
        };
        let mut more = Snap { s: s.clone() };
        // By any actor of the snapshot, taking part already or not, on or before the evaluation date.
        let actor = s.actors[pick % s.actors.len()].record.id.clone();
        let date = as_of.checked_sub_days(Days::new(back)).unwrap_or(as_of);
        more.activity("new-activity", &actor, form, kind, dir, date, fen);
        let before = model().evaluate(&s, as_of);
        let after = model().evaluate(&more.s, as_of);
        prop_assert!(score_of(&after, Criterion::PathDiversity) >= score_of(&before, Criterion::PathDiversity));
        prop_assert!(raw_score(&more.s, as_of, Criterion::PathDiversity) >= raw_score(&s, as_of, Criterion::PathDiversity));
    }

    #[test]
    fn marking_an_overdue_responsibility_done_raises_responsibility_listing(
        (s, as_of) in snapshot(),
        late in 1u64..800,
        who in select(vec!["js", "sn"]),
    ) {
        let mut open = s.clone();
        open.pairing.record.responsibilities.push(Responsibility {
            id: "late".into(),
            party: who.into(),
            duty: "逾期事项".into(),
            due_date: as_of.checked_sub_days(Days::new(late)),
            status: ResponsibilityStatus::Open,
        });
        let mut done = open.clone();
        for r in &mut done.pairing.record.responsibilities {
            if r.id == "late" {
                r.status = ResponsibilityStatus::Done;
            }
        }
        let before = score_of(&model().evaluate(&open, as_of), Criterion::ResponsibilityListing);
        let after = score_of(&model().evaluate(&done, as_of), Criterion::ResponsibilityListing);
        prop_assert!(after > before, "{} → {}", before, after);
        prop_assert!(
            raw_score(&done, as_of, Criterion::ResponsibilityListing)
                > raw_score(&open, as_of, Criterion::ResponsibilityListing)
        );
    }

    #[test]
    fn a_pairing_with_nothing_recorded_scores_low_and_says_what_is_missing(
        (s, as_of) in snapshot(),
    ) {
        let mut empty = s.clone();
        let p = &mut empty.pairing.record;
        p.scope = Scope::default();
        p.participants.clear();
        p.responsibilities.clear();
        p.goals.clear();
        empty.activities.clear();
        let e = model().evaluate(&empty, as_of);
        prop_assert!(e.overall_score < 10.0, "{}", e.overall_score);
        prop_assert_eq!(e.inferred_leadership, None);
        for c in &e.criteria {
            prop_assert!(!c.findings.is_empty(), "{:?}", c.criterion);
        }
    }
}
