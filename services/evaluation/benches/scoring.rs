//! Micro-benchmarks of the scoring model: `evaluate` on one pairing as its activities grow, and
//! `summarize` over a province's worth of evaluations. Run with
//! `cargo bench -p eastwest-evaluation --bench scoring`.
//!
//! The snapshots are synthetic but shaped like real ones: a county-level pairing with a dozen
//! actors of every category on both sides, participants in every role, responsibilities and goals,
//! activities spread over the forms, kinds, directions and five years of dates, some with explicit
//! measures, and agreements for the evaluated year and the one before. `evaluate` scores the year
//! of the evaluation date against its agreement.

use std::hint::black_box;
use std::time::Duration;

use chrono::{Datelike, Days, NaiveDate};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use eastwest_domain::{
    Activity, ActivityKind, Actor, ActorCategory, Agreement, CooperationForm, FlowDirection, Goal, Indicator,
    Leadership, Measure, Pairing, PairingLevel, PairingSnapshot, PairingState, Participant, ParticipantRole,
    Responsibility, ResponsibilityStatus, Scope, Side, Stored, Target, Verification,
};
use eastwest_evaluation::scoring::{Evaluation, Period, ScoringModel, summarize};

const FORMS: [CooperationForm; 7] = [
    CooperationForm::Industry,
    CooperationForm::Education,
    CooperationForm::Employment,
    CooperationForm::Consumption,
    CooperationForm::Health,
    CooperationForm::Talent,
    CooperationForm::Other,
];

/// Western provinces that groups of evaluations are keyed by (GB/T 2260 province prefixes).
const WEST_PROVINCES: [&str; 10] = ["45", "50", "51", "52", "53", "54", "61", "62", "63", "64"];

/// The date every snapshot is evaluated at.
fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default()
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or_default()
}

/// A small deterministic generator (SplitMix64), so that every run scores the same snapshots.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn stored<T>(record: T, etag: u64) -> Stored<T> {
    Stored { record, etag: etag.to_string() }
}

fn actor(id: &str, name: &str, category: ActorCategory, side: Side, region_code: &str) -> Actor {
    Actor {
        id: id.into(),
        display_name: name.into(),
        category,
        side,
        region_code: region_code.into(),
        credit_code: None,
        parent: None,
        description: String::new(),
        labels: Default::default(),
        create_time: 1_700_000_000_000_000,
        update_time: 1_700_000_000_000_000,
    }
}

/// The actors of one pairing: the two governments first, then the other parties of each side.
fn actors(west_region: &str) -> Vec<Actor> {
    use ActorCategory::*;
    use Side::*;
    let east = "320500";
    vec![
        actor("sz-gov", "苏州市人民政府", GovernmentBody, East, east),
        actor("west-gov", "西部县人民政府", GovernmentBody, West, west_region),
        actor("sz-hrss", "苏州市人力资源和社会保障局", GovernmentBody, East, east),
        actor("sz-college", "苏州农业职业技术学院", PublicInstitution, East, east),
        actor("sz-hospital", "苏州市立医院", PublicInstitution, East, east),
        actor("sz-soe", "苏州工业园区国有资本投资公司", StateOwnedEnterprise, East, east),
        actor("sz-fic", "苏州市工商业联合会", PeoplesOrganization, East, east),
        actor("sz-charity", "苏州市慈善总会", SocialOrganization, East, east),
        actor("sz-agri", "苏黔农业发展有限公司", PrivateEnterprise, East, east),
        actor("sz-teacher", "支教教师", Individual, East, east),
        actor("west-edu", "西部县教育局", GovernmentBody, West, west_region),
        actor("west-coop", "西部县茶叶专业合作社", PrivateEnterprise, West, west_region),
        actor("west-women", "西部县妇女联合会", PeoplesOrganization, West, west_region),
    ]
}

fn kind_for(form: CooperationForm, mix: &mut Mix) -> ActivityKind {
    use ActivityKind as K;
    use CooperationForm::*;
    match form {
        Industry => mix.pick(&[K::Funds, K::Investment, K::Investment, K::JointMeeting]),
        Education => mix.pick(&[K::Training, K::Donation, K::PersonnelExchange]),
        Employment => mix.pick(&[K::Employment, K::Employment, K::Training]),
        Consumption => mix.pick(&[K::Purchase, K::Purchase, K::JointMeeting]),
        Health => mix.pick(&[K::PersonnelExchange, K::Donation, K::Training]),
        Talent => mix.pick(&[K::PersonnelExchange]),
        Other => mix.pick(&[K::JointMeeting, K::Other, K::Funds]),
    }
}

/// A pairing with `activities` activities; `seed` varies the details (state of
/// responsibilities, goal progress, declared leadership, western county) between pairings.
fn snapshot(activities: usize, seed: u64) -> PairingSnapshot {
    use ParticipantRole::*;
    let mut mix = Mix(seed);
    let west_province = WEST_PROVINCES[usize::try_from(seed % 10).unwrap_or(0)];
    let west_region = format!("{west_province}{:02}{:02}", 1 + mix.below(9), 21 + mix.below(20));
    let actors = actors(&west_region);
    let id = format!("sz-{west_region}-{seed}");
    let date = |days: u64| start().checked_add_days(Days::new(days)).unwrap_or_default();

    let participants = vec![
        Participant { actor: "sz-gov".into(), roles: vec![Accountable, Funding] },
        Participant { actor: "west-gov".into(), roles: vec![Accountable, Implementing] },
        Participant { actor: "sz-hrss".into(), roles: vec![Extending] },
        Participant { actor: "sz-college".into(), roles: vec![Implementing] },
        Participant { actor: "sz-soe".into(), roles: vec![Funding, Implementing] },
        Participant { actor: "sz-fic".into(), roles: vec![Extending] },
        Participant { actor: "sz-charity".into(), roles: vec![Funding] },
        Participant { actor: "sz-agri".into(), roles: vec![Funding, Implementing] },
        Participant { actor: "west-coop".into(), roles: vec![Implementing] },
        Participant { actor: "west-women".into(), roles: vec![Extending] },
    ];
    let duties = [
        ("sz-gov", "拨付年度财政援助资金"),
        ("west-gov", "组织脱贫劳动力转移就业"),
        ("sz-agri", "建设帮扶车间"),
        ("sz-fic", "动员民营企业结对帮扶"),
        ("sz-college", "开展职业技能培训"),
        ("sz-hospital", "派驻医疗专家团队"),
        ("west-edu", "落实支教教师保障"),
    ];
    let responsibilities = duties
        .iter()
        .enumerate()
        .map(|(i, (party, duty))| Responsibility {
            id: format!("r{i}"),
            party: (*party).into(),
            duty: (*duty).into(),
            due_date: mix.chance(80).then(|| date(365 + mix.below(4 * 365))),
            status: if mix.chance(60) { ResponsibilityStatus::Done } else { ResponsibilityStatus::Open },
        })
        .collect();
    let goal = |id: &str, indicator: &str, form, unit: &str, target: f64, mix: &mut Mix| Goal {
        id: id.into(),
        indicator: indicator.into(),
        form,
        unit: unit.into(),
        baseline: mix.chance(75).then_some(0.0),
        target: Some(target),
        actual: mix.chance(85).then(|| target * (mix.below(130) as f64) / 100.0),
        due_date: mix.chance(80).then(|| date(4 * 365)),
        beneficiary: if mix.chance(70) { "脱贫劳动力".into() } else { String::new() },
        responsible: mix.chance(80).then(|| "west-gov".into()),
    };
    let goals = vec![
        goal("jobs", "转移就业人数", CooperationForm::Employment, "人", 5_000.0, &mut mix),
        goal("sales", "消费帮扶金额", CooperationForm::Consumption, "万元", 3_000.0, &mut mix),
        goal("workshops", "帮扶车间数", CooperationForm::Industry, "个", 20.0, &mut mix),
        goal("trained", "培训人次", CooperationForm::Education, "人次", 2_000.0, &mut mix),
    ];
    let leadership = mix.pick(&[Leadership::GovernmentLed, Leadership::GovernmentLed, Leadership::MarketLed]);

    let activities = (0..activities)
        .map(|i| {
            let form = mix.pick(&FORMS);
            let kind = kind_for(form, &mut mix);
            let who = &actors[usize::try_from(mix.below(actors.len() as u64)).unwrap_or(0)];
            let direction = match (who.side, mix.below(10)) {
                (_, 0 | 1) => FlowDirection::Joint,
                (Side::East, _) => FlowDirection::EastToWest,
                (Side::West, _) => FlowDirection::WestToEast,
            };
            let money = matches!(
                kind,
                ActivityKind::Funds | ActivityKind::Investment | ActivityKind::Donation | ActivityKind::Purchase
            );
            let people =
                matches!(kind, ActivityKind::Employment | ActivityKind::Training | ActivityKind::PersonnelExchange);
            stored(
                Activity {
                    pairing: id.clone(),
                    id: format!("a{i:05}"),
                    actor: who.id.clone(),
                    form,
                    kind,
                    direction,
                    // Five years up to the evaluation date, and a few after it (which are ignored).
                    date: date(mix.below(5 * 365 + 60)),
                    amount_fen: if money { i64::try_from(mix.below(5_000_000_000)).unwrap_or(0) } else { 0 },
                    people: if people { i64::try_from(1 + mix.below(300)).unwrap_or(0) } else { 0 },
                    description: String::new(),
                    labels: Default::default(),
                    create_time: 1_700_000_000_000_000,
                    // Every fifth investment names the enterprises it landed beside its money.
                    measures: if kind == ActivityKind::Investment && i % 5 == 0 {
                        vec![
                            Measure { indicator: Indicator::InvestmentArrived, value: 1_000_000_000 },
                            Measure { indicator: Indicator::EnterprisesLanded, value: 2 },
                        ]
                    } else {
                        Vec::new()
                    },
                    verification: if i % 3 == 0 { Verification::Confirmed } else { Verification::Reported },
                },
                1_000 + i as u64,
            )
        })
        .collect();

    let pairing = Pairing {
        id: id.clone(),
        title: format!("苏州市—{west_region} 东西部协作"),
        east: "sz-gov".into(),
        west: "west-gov".into(),
        level: PairingLevel::County,
        parent: None,
        leadership,
        forms: vec![
            CooperationForm::Industry,
            CooperationForm::Employment,
            CooperationForm::Consumption,
            CooperationForm::Education,
            CooperationForm::Health,
        ],
        state: PairingState::Active,
        start_date: Some(start()),
        end_date: None,
        scope: Scope {
            statement: "开展产业、劳务、消费、教育和医疗协作,巩固拓展脱贫攻坚成果".into(),
            in_scope: vec!["产业园区共建".into(), "劳务输出".into(), "消费帮扶".into(), "职业教育".into()],
            out_of_scope: vec!["对口支援项目".into()],
        },
        participants,
        responsibilities,
        goals,
        description: String::new(),
        labels: Default::default(),
        east_region_code: "320500".into(),
        west_region_code: west_region,
        create_time: 1_700_000_000_000_000,
        update_time: 1_700_000_000_000_000,
    };
    PairingSnapshot {
        pairing: stored(pairing, 1),
        actors: actors.into_iter().enumerate().map(|(i, a)| stored(a, 2 + i as u64)).collect(),
        activities,
        agreements: [as_of().year() - 1, as_of().year()]
            .into_iter()
            .map(|year| stored(agreement(&id, year), 900 + u64::try_from(year).unwrap_or(0)))
            .collect(),
        children: Vec::new(),
    }
}

/// An agreement with a target in each family, on both sides and for the pairing.
fn agreement(pairing: &str, year: i32) -> Agreement {
    let target = |indicator, side, value| Target { indicator, side, value };
    Agreement {
        pairing: pairing.to_string(),
        year,
        signed_date: NaiveDate::from_ymd_opt(year, 3, 1),
        targets: vec![
            target(Indicator::FiscalAid, Some(Side::East), 20_000_000_000),
            target(Indicator::CadresExchanged, Some(Side::East), 10),
            target(Indicator::InvestmentArrived, None, 50_000_000_000),
            target(Indicator::LabourEmployed, Some(Side::West), 2_000),
            target(Indicator::Consumption, None, 30_000_000_000),
            target(Indicator::SocialDonations, None, 1_000_000_000),
        ],
        description: String::new(),
        labels: Default::default(),
        create_time: 1_700_000_000_000_000,
        update_time: 1_700_000_000_000_000,
    }
}

fn evaluate(c: &mut Criterion) {
    let model = ScoringModel::standard();
    let mut group = c.benchmark_group("evaluate");
    for n in [10usize, 100, 1_000] {
        let snap = snapshot(n, 42);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("{n}_activities"), |b| {
            b.iter(|| model.evaluate(black_box(&snap), black_box(Period::year(as_of().year(), as_of()))))
        });
    }
    group.finish();
}

fn summarize_groups(c: &mut Criterion) {
    let model = ScoringModel::standard();
    let evaluations: Vec<(String, Evaluation)> = (0..1_000u64)
        .map(|seed| {
            let snap = snapshot(10 + usize::try_from(seed % 40).unwrap_or(0), seed);
            let key = snap.pairing.record.west_region_code[..2].to_string();
            (key, model.evaluate(&snap, Period::as_of(as_of())))
        })
        .collect();
    let groups: Vec<(String, Vec<&Evaluation>)> = WEST_PROVINCES
        .iter()
        .map(|p| (p.to_string(), evaluations.iter().filter(|(k, _)| k == p).map(|(_, e)| e).collect()))
        .collect();
    let mut group = c.benchmark_group("summarize");
    group.throughput(Throughput::Elements(evaluations.len() as u64));
    group.bench_function("1000_evaluations_10_groups", |b| {
        b.iter_batched(|| groups.clone(), |g| summarize(black_box(g)), BatchSize::SmallInput)
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4))
}

criterion_group! {
    name = benches;
    config = config();
    targets = evaluate, summarize_groups
}
criterion_main!(benches);
