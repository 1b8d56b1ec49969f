//! Test snapshots: a builder, and the Jiangsu–Shaanxi-like pairing of the worked example in
//! docs/scoring.md.

use chrono::NaiveDate;
use eastwest_domain::{
    Activity, ActivityKind, Actor, ActorCategory, Agreement, CooperationForm, FlowDirection, Goal, Indicator,
    Leadership, Measure, Pairing, PairingLevel, PairingSnapshot, PairingState, Participant, ParticipantRole,
    Responsibility, ResponsibilityStatus, Scope, Side, Stored, Target, Verification,
};

use super::criteria::Sheet;
use super::facts::{Facts, Period};
use super::reach;

pub(super) const EAST: Side = Side::East;
pub(super) const WEST: Side = Side::West;

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The date every table is evaluated at.
pub(super) fn as_of() -> NaiveDate {
    date(2025, 12, 31)
}

/// The year the criterion tests evaluate, as of [`as_of`]; last year is 2024.
pub(super) fn year_2025() -> Period {
    Period::year(2025, as_of())
}

/// `fraction` of what a province pairing typically delivers of `i` in a year
/// ([`reach::reference`]), rounded up to a whole unit. Its reach is `1 + log10(fraction) / 2` to
/// within a rounding unit: exact enough for money (fen) at any fraction, and for people and counts
/// at fractions of 1 or more, where reach is 1 anyway.
pub(super) fn of_reference(i: Indicator, fraction: f64) -> i64 {
    (reach::reference(i, PairingLevel::Province) * fraction).ceil() as i64
}

fn stored<T>(record: T) -> Stored<T> {
    Stored { record, etag: "1".into() }
}

pub(super) fn make_actor(id: &str, name: &str, category: ActorCategory, side: Side) -> Actor {
    Actor {
        id: id.into(),
        display_name: name.into(),
        category,
        side,
        region_code: if side == Side::East { "320000" } else { "610000" }.into(),
        credit_code: None,
        parent: None,
        description: String::new(),
        labels: Default::default(),
        create_time: 0,
        update_time: 0,
    }
}

/// A goal with all six fields: 5,000 jobs from a baseline of 0, 5,400 reached, due on `as_of`.
pub(super) fn full_goal(id: &str, form: CooperationForm, responsible: &str) -> Goal {
    Goal {
        id: id.into(),
        indicator: "转移就业人数".into(),
        form,
        unit: "人".into(),
        baseline: Some(0.0),
        target: Some(5000.0),
        actual: Some(5400.0),
        due_date: Some(as_of()),
        beneficiary: "脱贫劳动力".into(),
        responsible: Some(responsible.into()),
    }
}

/// A snapshot under construction.
#[derive(Debug, Clone)]
pub(super) struct Snap {
    pub s: PairingSnapshot,
}

impl Snap {
    /// Pairing `js-sn`: js (government body, east) and sn (government body, west), declared
    /// government-led, and nothing else.
    pub(super) fn bare() -> Snap {
        let pairing = Pairing {
            id: "js-sn".into(),
            title: "江苏省—陕西省东西部协作".into(),
            east: "js".into(),
            west: "sn".into(),
            level: PairingLevel::Province,
            parent: None,
            leadership: Leadership::GovernmentLed,
            forms: vec![],
            state: PairingState::Active,
            start_date: None,
            end_date: None,
            scope: Scope::default(),
            participants: vec![],
            responsibilities: vec![],
            goals: vec![],
            description: String::new(),
            labels: Default::default(),
            east_region_code: "320000".into(),
            west_region_code: "610000".into(),
            create_time: 0,
            update_time: 0,
        };
        Snap {
            s: PairingSnapshot {
                pairing: stored(pairing),
                actors: vec![
                    stored(make_actor("js", "江苏省人民政府", ActorCategory::GovernmentBody, EAST)),
                    stored(make_actor("sn", "陕西省人民政府", ActorCategory::GovernmentBody, WEST)),
                ],
                activities: vec![],
                agreements: vec![],
                children: vec![],
            },
        }
    }

    pub(super) fn p(&mut self) -> &mut Pairing {
        &mut self.s.pairing.record
    }

    pub(super) fn facts_at(&self, as_of: NaiveDate) -> Facts<'_> {
        Facts::new(&self.s, Period::as_of(as_of))
    }

    pub(super) fn facts_in(&self, period: Period) -> Facts<'_> {
        Facts::new(&self.s, period)
    }

    /// An activity of kind OTHER that delivers exactly the given measures, dated `date`.
    pub(super) fn deliver(
        &mut self,
        id: &str,
        actor: &str,
        date: NaiveDate,
        measures: &[(Indicator, i64)],
    ) -> &mut Self {
        self.s.activities.push(stored(Activity {
            pairing: self.s.pairing.record.id.clone(),
            id: id.into(),
            actor: actor.into(),
            form: CooperationForm::Other,
            kind: ActivityKind::Other,
            direction: FlowDirection::EastToWest,
            date,
            amount_fen: 0,
            people: 0,
            measures: measures
                .iter()
                .map(|(indicator, value)| Measure { indicator: *indicator, value: *value })
                .collect(),
            verification: Verification::Reported,
            description: String::new(),
            labels: Default::default(),
            create_time: 0,
        }));
        self
    }

    /// Marks an activity's verification.
    pub(super) fn verify(&mut self, id: &str, v: Verification) -> &mut Self {
        for a in &mut self.s.activities {
            if a.record.id == id {
                a.record.verification = v;
            }
        }
        self
    }

    /// The agreement for `year`, replacing any: targets as (indicator, side, value).
    pub(super) fn agreement(
        &mut self,
        year: i32,
        signed: Option<NaiveDate>,
        targets: &[(Indicator, Option<Side>, i64)],
    ) -> &mut Self {
        self.s.agreements.retain(|a| a.record.year != year);
        self.s.agreements.push(stored(Agreement {
            pairing: self.s.pairing.record.id.clone(),
            year,
            signed_date: signed,
            targets: targets
                .iter()
                .map(|(indicator, side, value)| Target { indicator: *indicator, side: *side, value: *value })
                .collect(),
            description: String::new(),
            labels: Default::default(),
            create_time: 0,
            update_time: 0,
        }));
        self.s.agreements.sort_by_key(|a| a.record.year);
        self
    }

    pub(super) fn actor(&mut self, id: &str, category: ActorCategory, side: Side) -> &mut Self {
        self.s.actors.push(stored(make_actor(id, id, category, side)));
        self
    }

    pub(super) fn declare(&mut self, l: Leadership) -> &mut Self {
        self.p().leadership = l;
        self
    }

    pub(super) fn scope(&mut self, statement: &str, inside: &[&str], outside: &[&str]) -> &mut Self {
        self.p().scope = Scope {
            statement: statement.into(),
            in_scope: inside.iter().map(|x| x.to_string()).collect(),
            out_of_scope: outside.iter().map(|x| x.to_string()).collect(),
        };
        self
    }

    pub(super) fn participant(&mut self, actor: &str, roles: &[ParticipantRole]) -> &mut Self {
        self.p().participants.push(Participant { actor: actor.into(), roles: roles.to_vec() });
        self
    }

    pub(super) fn responsibility(
        &mut self,
        id: &str,
        party: &str,
        duty: &str,
        due: Option<NaiveDate>,
        done: bool,
    ) -> &mut Self {
        self.p().responsibilities.push(Responsibility {
            id: id.into(),
            party: party.into(),
            duty: duty.into(),
            due_date: due,
            status: if done { ResponsibilityStatus::Done } else { ResponsibilityStatus::Open },
        });
        self
    }

    pub(super) fn mark_done(&mut self, id: &str) -> &mut Self {
        for r in &mut self.p().responsibilities {
            if r.id == id {
                r.status = ResponsibilityStatus::Done;
            }
        }
        self
    }

    pub(super) fn goal(&mut self, g: Goal) -> &mut Self {
        self.p().goals.push(g);
        self
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn activity(
        &mut self,
        id: &str,
        actor: &str,
        form: CooperationForm,
        kind: ActivityKind,
        direction: FlowDirection,
        date: NaiveDate,
        amount_fen: i64,
    ) -> &mut Self {
        self.s.activities.push(stored(Activity {
            pairing: "js-sn".into(),
            id: id.into(),
            actor: actor.into(),
            form,
            kind,
            direction,
            date,
            amount_fen,
            people: 0,
            measures: vec![],
            verification: Verification::Reported,
            description: String::new(),
            labels: Default::default(),
            create_time: 0,
        }));
        self
    }
}

/// Checks a sheet's shown indicator values, in table order, against hand-computed ones (to four
/// decimals, as they are shown).
pub(super) fn assert_values(sheet: &Sheet, want: &[f64], name: &str) {
    let got = sheet.values();
    assert_eq!(got.len(), want.len(), "{name}: {got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 5e-5, "{name}: got {got:?}, want {want:?}");
    }
}

/// The worked example of docs/scoring.md: a province-level Jiangsu–Shaanxi pairing evaluated as
/// of 2025-12-31.
pub(super) fn worked_example() -> Snap {
    use ActivityKind as K;
    use ActorCategory::*;
    use CooperationForm::*;
    use FlowDirection::*;
    use ParticipantRole::*;

    let mut s = Snap::bare();
    s.s.actors.extend([
        stored(make_actor("js-fic", "江苏省工商业联合会", PeoplesOrganization, EAST)),
        stored(make_actor("sushan-agri", "苏陕农业发展有限公司", PrivateEnterprise, EAST)),
        stored(make_actor("js-college", "江苏农牧科技职业学院", PublicInstitution, EAST)),
        stored(make_actor("sn-charity", "陕西省慈善协会", SocialOrganization, WEST)),
    ]);
    {
        let p = s.p();
        p.forms = vec![Industry, Employment, Consumption, Education];
        p.start_date = Some(date(2024, 1, 1));
    }
    s.scope(
        "江苏省与陕西省开展产业、劳务、消费和教育协作,巩固拓展脱贫攻坚成果",
        &["产业园区共建", "劳务输出", "消费帮扶", "职业教育"],
        &["对口支援项目"],
    );
    s.participant("js", &[Accountable, Funding])
        .participant("sn", &[Extending, Implementing])
        .participant("js-fic", &[Extending])
        .participant("sushan-agri", &[Funding, Implementing])
        .participant("js-college", &[Implementing]);
    s.responsibility("r1", "js", "拨付年度财政援助资金", Some(date(2025, 6, 30)), true)
        .responsibility("r2", "sn", "组织脱贫劳动力转移就业", Some(date(2025, 9, 30)), false)
        .responsibility("r3", "sushan-agri", "建设帮扶车间", Some(date(2026, 6, 30)), false)
        .responsibility("r4", "js-fic", "动员民营企业结对帮扶", None, true)
        .responsibility("r5", "js-college", "开展职业技能培训", Some(date(2025, 12, 31)), true);
    s.goal(full_goal("jobs", Employment, "sn"));
    s.goal(Goal {
        id: "sales".into(),
        indicator: "消费帮扶金额".into(),
        form: Consumption,
        unit: "万元".into(),
        baseline: Some(1000.0),
        target: Some(3000.0),
        actual: Some(2400.0),
        due_date: Some(date(2025, 12, 31)),
        beneficiary: String::new(),
        responsible: Some("js".into()),
    });
    s.goal(Goal {
        id: "workshops".into(),
        indicator: "帮扶车间数".into(),
        form: Industry,
        unit: "个".into(),
        baseline: None,
        target: Some(20.0),
        actual: None,
        due_date: None,
        beneficiary: "脱贫户".into(),
        responsible: None,
    });
    let acts: [(&str, &str, CooperationForm, ActivityKind, FlowDirection, NaiveDate, i64); 12] = [
        ("a01", "js", Industry, K::Funds, EastToWest, date(2024, 3, 15), 200_000_000),
        ("a02", "js", Other, K::JointMeeting, Joint, date(2024, 4, 20), 0),
        ("a03", "sushan-agri", Industry, K::Investment, EastToWest, date(2024, 6, 10), 50_000_000),
        ("a04", "js-college", Education, K::Training, EastToWest, date(2024, 9, 5), 0),
        ("a05", "sn", Talent, K::PersonnelExchange, WestToEast, date(2024, 11, 12), 0),
        ("a06", "js", Talent, K::PersonnelExchange, EastToWest, date(2025, 4, 20), 0),
        ("a07", "sushan-agri", Consumption, K::Purchase, EastToWest, date(2025, 5, 8), 30_000_000),
        ("a08", "sn-charity", Employment, K::Training, Joint, date(2025, 7, 15), 0),
        ("a09", "js-fic", Education, K::Donation, EastToWest, date(2025, 8, 1), 20_000_000),
        ("a10", "js", Other, K::JointMeeting, Joint, date(2025, 9, 18), 0),
        ("a11", "sushan-agri", Employment, K::Employment, EastToWest, date(2025, 10, 10), 0),
        // After the evaluation date: ignored.
        ("a12", "js", Industry, K::Funds, EastToWest, date(2026, 1, 15), 200_000_000),
    ];
    for (id, actor, form, kind, dir, d, fen) in acts {
        s.activity(id, actor, form, kind, dir, d, fen);
    }
    s
}
