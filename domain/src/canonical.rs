//! The one canonical form of each record: how the registry tidies what a client sent before it
//! stores it. The registry's validation applies it on every write, and the CLI's import applies it
//! to a file's record before comparing it with the stored one, so that "unchanged" means what the
//! registry would store, whatever rules are added here later.
//!
//! Canonicalising is idempotent and never rejects anything: checks belong to validation. Fields the
//! server owns (times, etags, generated item ids, copied region codes) are no part of it.

use crate::model::{Activity, Actor, Agreement, CooperationForm, Pairing, ParticipantRole};

/// A record with a canonical form.
pub trait Canonical: Sized {
    /// Puts the record in its canonical form, in place.
    fn canonicalize(&mut self);

    /// The record in its canonical form.
    fn canonical(mut self) -> Self {
        self.canonicalize();
        self
    }
}

/// Names, titles and one-line item texts: white space around them is not part of them.
pub fn trimmed(text: &str) -> String {
    text.trim().to_string()
}

/// Forms of cooperation, each once, in the order first given: the order is the author's emphasis.
pub fn forms(forms: &[CooperationForm]) -> Vec<CooperationForm> {
    let mut out = Vec::with_capacity(forms.len());
    for form in forms {
        if !out.contains(form) {
            out.push(*form);
        }
    }
    out
}

/// A participant's roles, each once, in the contract's order: a set, however it was written.
pub fn roles(roles: &[ParticipantRole]) -> Vec<ParticipantRole> {
    let mut out = roles.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

fn trim_in_place(text: &mut String) {
    if text.trim().len() != text.len() {
        *text = trimmed(text);
    }
}

impl Canonical for Actor {
    fn canonicalize(&mut self) {
        trim_in_place(&mut self.display_name);
    }
}

impl Canonical for Pairing {
    fn canonicalize(&mut self) {
        trim_in_place(&mut self.title);
        self.forms = forms(&self.forms);
        for participant in &mut self.participants {
            participant.roles = roles(&participant.roles);
        }
        for responsibility in &mut self.responsibilities {
            trim_in_place(&mut responsibility.duty);
        }
        for goal in &mut self.goals {
            trim_in_place(&mut goal.indicator);
        }
    }
}

/// An activity is stored as it was sent; the impl is here so that every record takes the same path.
/// An activity's measures are a set keyed by indicator: kept in that order.
impl Canonical for Activity {
    fn canonicalize(&mut self) {
        self.measures.sort_by_key(|m| m.indicator);
    }
}

/// An agreement's targets are a set keyed by (indicator, side): kept in that order.
impl Canonical for Agreement {
    fn canonicalize(&mut self) {
        self.targets.sort_by_key(|t| (t.indicator, t.side));
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
    use crate::model::{
        ActivityKind, ActorCategory, FlowDirection, Goal, Labels, Leadership, PairingLevel, PairingState, Participant,
        Responsibility, ResponsibilityStatus, Scope, Side,
    };

    use CooperationForm::{Education, Employment, Industry};
    use ParticipantRole::{Accountable, Extending, Funding, Implementing};

    fn actor(display_name: &str) -> Actor {
        Actor {
            id: "js".into(),
            display_name: display_name.into(),
            category: ActorCategory::GovernmentBody,
            side: Side::East,
            region_code: "320000".into(),
            credit_code: None,
            parent: None,
            description: " kept as written ".into(),
            labels: Labels::new(),
            create_time: 1,
            update_time: 2,
        }
    }

    fn responsibility(duty: &str) -> Responsibility {
        Responsibility {
            id: String::new(),
            party: "sn".into(),
            duty: duty.into(),
            due_date: None,
            status: ResponsibilityStatus::Open,
        }
    }

    fn goal(indicator: &str) -> Goal {
        Goal {
            id: "g-1".into(),
            indicator: indicator.into(),
            form: Employment,
            unit: " 人 ".into(),
            baseline: None,
            target: Some(10.0),
            actual: None,
            due_date: None,
            beneficiary: String::new(),
            responsible: None,
        }
    }

    fn pairing() -> Pairing {
        Pairing {
            id: "js-sn".into(),
            title: "江苏—陕西".into(),
            east: "js".into(),
            west: "sn".into(),
            level: PairingLevel::Province,
            parent: None,
            leadership: Leadership::GovernmentLed,
            forms: vec![],
            state: PairingState::Active,
            start_date: None,
            end_date: None,
            scope: Scope { statement: " as written ".into(), in_scope: vec![" a ".into()], out_of_scope: vec![] },
            participants: vec![],
            responsibilities: vec![],
            goals: vec![],
            description: " as written ".into(),
            labels: Labels::new(),
            east_region_code: String::new(),
            west_region_code: String::new(),
            create_time: 0,
            update_time: 0,
        }
    }

    #[test]
    fn an_actor_loses_only_the_space_around_its_name() {
        let tidy = actor(" 江苏省人民政府 ").canonical();
        assert_eq!(tidy, actor("江苏省人民政府"));
    }

    #[test]
    fn a_pairing_is_tidied_where_the_registry_tidies_it_and_nowhere_else() {
        let mut messy = pairing();
        messy.title = "江苏—陕西 ".into();
        messy.forms = vec![Industry, Employment, Industry, Education, Employment];
        messy.participants = vec![Participant { actor: "js".into(), roles: vec![Accountable, Funding, Accountable] }];
        messy.responsibilities = vec![responsibility(" 建设帮扶车间 ")];
        messy.goals = vec![goal("就业 ")];

        let mut want = pairing();
        want.forms = vec![Industry, Employment, Education];
        want.participants = vec![Participant { actor: "js".into(), roles: vec![Funding, Accountable] }];
        want.responsibilities = vec![responsibility("建设帮扶车间")];
        want.goals = vec![goal("就业")];
        assert_eq!(messy.canonical(), want);
    }

    #[test]
    fn an_activity_is_kept_as_sent() {
        let activity = Activity {
            pairing: "js-sn".into(),
            id: "a1".into(),
            actor: "js".into(),
            form: Industry,
            kind: ActivityKind::Funds,
            direction: FlowDirection::EastToWest,
            date: NaiveDate::from_ymd_opt(2021, 12, 31).unwrap_or_default(),
            amount_fen: 100,
            people: 0,
            measures: vec![],
            verification: crate::model::Verification::Reported,
            description: " as written ".into(),
            labels: Labels::new(),
            create_time: 7,
        };
        assert_eq!(activity.clone().canonical(), activity);
    }

    #[test]
    fn forms_keep_first_order_and_roles_the_contract_order() {
        assert_eq!(forms(&[Employment, Industry, Employment]), [Employment, Industry]);
        assert_eq!(
            roles(&[Implementing, Funding, Extending, Funding, Accountable]),
            [Funding, Accountable, Extending, Implementing]
        );
        assert_eq!(trimmed("\t名称 \n"), "名称");
    }

    fn any_form() -> impl Strategy<Value = CooperationForm> {
        prop::sample::select(vec![
            Industry,
            Education,
            Employment,
            CooperationForm::Consumption,
            CooperationForm::Health,
            CooperationForm::Talent,
            CooperationForm::Other,
        ])
    }

    fn any_role() -> impl Strategy<Value = ParticipantRole> {
        prop::sample::select(vec![Funding, Accountable, Extending, Implementing])
    }

    /// Text with white space, CJK and the odd control character at either end.
    fn any_text() -> impl Strategy<Value = String> {
        "[ \t\n\u{3000}]{0,2}[a-z江苏 ]{0,6}[ \t\r\u{3000}]{0,2}"
    }

    fn any_pairing() -> impl Strategy<Value = Pairing> {
        (
            any_text(),
            prop::collection::vec(any_form(), 0..10),
            prop::collection::vec(prop::collection::vec(any_role(), 0..6), 0..4),
            prop::collection::vec(any_text(), 0..4),
            prop::collection::vec(any_text(), 0..4),
        )
            .prop_map(|(title, forms, roles, duties, indicators)| {
                let mut p = pairing();
                p.title = title;
                p.forms = forms;
                p.participants = roles
                    .into_iter()
                    .enumerate()
                    .map(|(i, roles)| Participant { actor: format!("a{i}"), roles })
                    .collect();
                p.responsibilities = duties.iter().map(|d| responsibility(d)).collect();
                p.goals = indicators.iter().map(|i| goal(i)).collect();
                p
            })
    }

    proptest! {
        #[test]
        fn canonicalising_twice_changes_nothing(p in any_pairing(), name in any_text()) {
            let once = p.canonical();
            prop_assert_eq!(once.clone().canonical(), once);
            let once = actor(&name).canonical();
            prop_assert_eq!(once.clone().canonical(), once);
        }

        #[test]
        fn forms_and_roles_keep_every_value_once(given in prop::collection::vec(any_form(), 0..12),
                                                 given_roles in prop::collection::vec(any_role(), 0..8)) {
            let out = forms(&given);
            prop_assert!(given.iter().all(|f| out.contains(f)));
            prop_assert!(out.iter().enumerate().all(|(i, f)| !out[..i].contains(f)));
            let first_seen: Vec<_> = given.iter().enumerate().filter(|(i, f)| !given[..*i].contains(f)).map(|(_, f)| *f).collect();
            prop_assert_eq!(out, first_seen);
            let out = roles(&given_roles);
            prop_assert!(given_roles.iter().all(|r| out.contains(r)));
            prop_assert!(out.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
