//! The services under test: a registry (and, where the scenario needs it, an evaluation service)
//! in this process, on a fresh store loaded with the scenario's records.

use std::sync::Arc;
use std::time::{Duration, Instant};

use eastwest_domain::model::{
    ActivityKind, ActorCategory, CooperationForm, FlowDirection, Indicator, Leadership, PairingLevel, PairingState,
    Side, Verification,
};
use eastwest_evaluation::scoring::ScoringModel;
use eastwest_evaluation::server::EvaluationOptions;
use eastwest_proto::evaluation::v1 as ev;
use eastwest_proto::evaluation::v1::evaluation_service_client::EvaluationServiceClient;
use eastwest_proto::registry::v1 as pb;
use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;
use eastwest_registry::store::{SledConfig, SledStore, Store};
use eastwest_registry::{
    ActivityDraft, ActorDraft, AgreementDraft, MeasureDraft, PairingDraft, Registry, ServeOptions, TargetDraft,
};
use tokio::sync::watch;

use super::baseline::Canned;
use super::scenarios::{AS_OF, REGIONS, Scenario, YEAR, bench_actor};

/// The engine the registry under test stores its records in.
pub(super) enum Engine<'a> {
    /// A fresh sled directory: a temporary one, or `data_dir` (kept).
    Sled { data_dir: Option<&'a std::path::Path> },
    /// etcd, under a prefix of this run's own.
    #[cfg(feature = "etcd")]
    Etcd(eastwest_registry::store::EtcdConfig),
}

/// The services under test, in this process, on a fresh store.
pub(super) struct Subject {
    pub registry_url: String,
    pub evaluation_url: String,
    /// How many actors or pairings the requests spread over.
    pub records_for_calls: u64,
    /// Pairings and activities loaded (actors are counted live).
    pairing_records: u64,
    with_evaluation: bool,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _dir: Option<tempfile::TempDir>,
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

/// How many loader tasks write at once: one on sled, whose batches are one transaction each; more
/// on etcd, where a batch is many small transactions each waiting for a round trip and a sync.
struct Loaders {
    actor_batches: usize,
    pairings: usize,
}

impl Subject {
    /// Loads the scenario's data in batches (not timed as part of the run), then serves it.
    pub(super) async fn start(scenario: Scenario, records: Option<u64>, engine: Engine<'_>) -> anyhow::Result<Subject> {
        match engine {
            Engine::Sled { data_dir } => {
                let dir = tempfile::tempdir()?;
                let path = data_dir.map_or_else(|| dir.path().join("registry"), std::path::Path::to_path_buf);
                let store = SledStore::open(&SledConfig { path, cache_capacity_bytes: 128 << 20 })?;
                let loaders = Loaders { actor_batches: 1, pairings: 32 };
                Self::start_on(scenario, records, store, loaders, Some(dir)).await
            }
            #[cfg(feature = "etcd")]
            Engine::Etcd(config) => {
                let store = eastwest_registry::store::EtcdStore::open(&config).await.map_err(|e| {
                    anyhow::anyhow!("cannot open the registry store in etcd at {}: {e}", config.endpoints.join(","))
                })?;
                let loaders = Loaders { actor_batches: 16, pairings: 8 };
                Self::start_on(scenario, records, store, loaders, None).await
            }
        }
    }

    async fn start_on<S: Store>(
        scenario: Scenario,
        records: Option<u64>,
        store: S,
        loaders: Loaders,
        dir: Option<tempfile::TempDir>,
    ) -> anyhow::Result<Subject> {
        let registry = Arc::new(Registry::new(store));
        let (actors, pairings, per_pairing) = scenario.load(records);
        let started = Instant::now();
        load_actors(&registry, actors, loaders.actor_batches).await?;
        load_pairings(&registry, pairings, per_pairing, loaders.pairings).await?;
        let registry = Arc::try_unwrap(registry).map_err(|_| anyhow::anyhow!("the loader still holds the registry"))?;
        if actors + pairings > 0 {
            eprintln!(
                "  loaded {actors} actors, {pairings} pairings × {per_pairing} activities in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        let store = registry.into_store();
        let registry_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let evaluation_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let registry_url = format!("http://{}", registry_listener.local_addr()?);
        let evaluation_url = format!("http://{}", evaluation_listener.local_addr()?);
        let (stop, stopping) = watch::channel(false);
        let mut tasks = vec![tokio::spawn(eastwest_registry::serve(
            registry_listener,
            store,
            ServeOptions::default(),
            stopped(stopping.clone()),
        ))];
        if scenario.uses_evaluation() {
            let options = EvaluationOptions::new(vec![registry_url.clone()], ScoringModel::standard());
            tasks.push(tokio::spawn(eastwest_evaluation::server::serve(
                evaluation_listener,
                options,
                stopped(stopping),
            )));
        }
        Ok(Subject {
            registry_url,
            evaluation_url,
            records_for_calls: actors.max(pairings),
            pairing_records: pairings * (1 + per_pairing),
            with_evaluation: scenario.uses_evaluation(),
            stop,
            tasks,
            _dir: dir,
        })
    }

    /// One real answer of each kind, for the baseline to repeat.
    pub(super) async fn capture(&self) -> anyhow::Result<Canned> {
        let mut registry = RegistryServiceClient::new(super::load::channels(&self.registry_url, 1).await?.remove(0))
            .max_decoding_message_size(64 << 20);
        let mut canned = Canned::default();
        let probe = bench_actor("baseline probe", 0);
        canned.actor = registry
            .create_actor(pb::CreateActorRequest { actor: Some(probe), actor_id: "baseline-probe".into() })
            .await?
            .into_inner();
        let page = pb::ListActorsRequest { page_size: 50, region_code_prefix: "3201".into(), ..Default::default() };
        canned.actors_page = registry.list_actors(page).await?.into_inner();
        if self.records_for_calls > 0
            && let Ok(snapshot) =
                registry.get_pairing_snapshot(pb::GetPairingSnapshotRequest { name: "pairings/p000000".into() }).await
        {
            canned.snapshot = snapshot.into_inner();
        }
        if self.with_evaluation {
            let mut evaluation =
                EvaluationServiceClient::new(super::load::channels(&self.evaluation_url, 1).await?.remove(0));
            // The evaluation service may still be probing the registry's health: retry briefly.
            for _ in 0..50 {
                let request = ev::EvaluatePairingRequest {
                    pairing: "pairings/p000000".into(),
                    as_of: AS_OF.to_string(),
                    year: YEAR,
                };
                match evaluation.evaluate_pairing(request).await {
                    Ok(e) => {
                        canned.evaluation = e.into_inner();
                        break;
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
            canned.stream_len = usize::try_from(self.records_for_calls).unwrap_or(usize::MAX);
        }
        Ok(canned)
    }

    /// Records in the registry now (actors, pairings and activities).
    pub(super) async fn records(&self) -> u64 {
        let Ok(mut channels) = super::load::channels(&self.registry_url, 1).await else { return 0 };
        let mut registry = RegistryServiceClient::new(channels.remove(0));
        let mut count = 0u64;
        let mut token = String::new();
        loop {
            let request = pb::ListActorsRequest { page_size: 1000, page_token: token, ..Default::default() };
            let Ok(page) = registry.list_actors(request).await else { return count };
            let page = page.into_inner();
            count += page.actors.len() as u64;
            if page.next_page_token.is_empty() {
                break;
            }
            token = page.next_page_token;
        }
        count + self.pairing_records
    }

    pub(super) async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Actors in batches of 1,000, `parallel` batches at a time.
async fn load_actors<S: Store>(registry: &Arc<Registry<S>>, count: u64, parallel: usize) -> anyhow::Result<()> {
    const BATCH: u64 = 1_000;
    let mut running = tokio::task::JoinSet::new();
    let mut start = 0;
    while start < count {
        if running.len() >= parallel.max(1)
            && let Some(done) = running.join_next().await
        {
            done??;
        }
        let end = (start + BATCH).min(count);
        let batch = (start..end).map(|i| (format!("a{i:07}"), actor_draft(i))).collect();
        let registry = Arc::clone(registry);
        running.spawn(async move { registry.create_actors_batch(batch).await });
        start = end;
    }
    while let Some(done) = running.join_next().await {
        done??;
    }
    Ok(())
}

/// Pairings with their activities, `parallel` at a time so that group commit carries the load.
async fn load_pairings<S: Store>(
    registry: &Arc<Registry<S>>,
    pairings: u64,
    per_pairing: u64,
    parallel: usize,
) -> anyhow::Result<()> {
    if pairings == 0 {
        return Ok(());
    }
    // Six parties: both governments and social forces on both sides.
    let parties: Vec<(String, ActorDraft)> = (0..6).map(|i| (format!("party-{i}"), actor_draft(i))).collect();
    registry.create_actors_batch(parties).await?;
    let mut running = tokio::task::JoinSet::new();
    for p in 0..pairings {
        if running.len() >= parallel.max(1)
            && let Some(done) = running.join_next().await
        {
            done??;
        }
        let registry = Arc::clone(registry);
        running.spawn(async move { load_pairing(&registry, p, per_pairing).await });
    }
    while let Some(done) = running.join_next().await {
        done??;
    }
    Ok(())
}

async fn load_pairing<S: Store>(registry: &Registry<S>, p: u64, per_pairing: u64) -> anyhow::Result<()> {
    let forms = [
        CooperationForm::Industry,
        CooperationForm::Education,
        CooperationForm::Employment,
        CooperationForm::Consumption,
        CooperationForm::Talent,
    ];
    let kinds = [ActivityKind::Funds, ActivityKind::Investment, ActivityKind::Donation, ActivityKind::Purchase];
    {
        let id = format!("p{p:06}");
        let draft = PairingDraft {
            title: format!("bench pairing {p}"),
            east: Some("party-0".into()),
            west: Some("party-1".into()),
            level: Some(PairingLevel::County),
            leadership: Some(Leadership::GovernmentLed),
            state: Some(PairingState::Active),
            forms: forms.to_vec(),
            ..Default::default()
        };
        registry.create_pairing(draft, Some(id.clone())).await?;
        let mut start = 0;
        while start < per_pairing {
            let end = (start + 1_000).min(per_pairing);
            let batch = (start..end)
                .map(|a| {
                    let i = a as usize;
                    let draft = ActivityDraft {
                        actor: Some(format!("party-{}", i % 6)),
                        form: Some(forms[i % forms.len()]),
                        kind: Some(kinds[i % kinds.len()]),
                        direction: Some(if i.is_multiple_of(3) {
                            FlowDirection::WestToEast
                        } else {
                            FlowDirection::EastToWest
                        }),
                        date: chrono::NaiveDate::from_ymd_opt(2021 + (i % 4) as i32, 1 + (i % 12) as u32, 15),
                        amount_fen: 100_000 * (i as i64 % 7),
                        people: (i as i64) % 50,
                        // Every third activity states its measures: an investment with the
                        // enterprises it landed, a workshop count beside the money.
                        measures: if i.is_multiple_of(3) {
                            vec![
                                MeasureDraft {
                                    indicator: Some(Indicator::InvestmentArrived),
                                    value: 100_000 * (i as i64 % 7),
                                },
                                MeasureDraft { indicator: Some(Indicator::EnterprisesLanded), value: 1 + i as i64 % 3 },
                            ]
                        } else {
                            Vec::new()
                        },
                        verification: if i.is_multiple_of(2) {
                            Verification::Confirmed
                        } else {
                            Verification::Reported
                        },
                        ..Default::default()
                    };
                    (format!("a{a:05}"), draft)
                })
                .collect();
            registry.create_activities_batch(&id, batch).await?;
            start = end;
        }
        // The evaluated year and the one before each have an agreement, with targets of both
        // sides and of the pairing in four families.
        for year in [YEAR - 1, YEAR] {
            let target = |indicator, side, value| TargetDraft { indicator: Some(indicator), side, value };
            let agreement = AgreementDraft {
                signed_date: chrono::NaiveDate::from_ymd_opt(year, 3, 1),
                targets: vec![
                    target(Indicator::FiscalAid, Some(Side::East), 500_000),
                    target(Indicator::InvestmentArrived, None, 300_000),
                    target(Indicator::LabourEmployed, Some(Side::West), 60),
                    target(Indicator::Consumption, None, 200_000),
                    target(Indicator::SocialDonations, Some(Side::East), 100_000),
                ],
                ..Default::default()
            };
            registry.create_agreement(&id, agreement, &year.to_string()).await?;
        }
    }
    Ok(())
}

fn actor_draft(i: u64) -> ActorDraft {
    let categories = [
        ActorCategory::GovernmentBody,
        ActorCategory::SocialOrganization,
        ActorCategory::PrivateEnterprise,
        ActorCategory::PeoplesOrganization,
    ];
    ActorDraft {
        display_name: format!("actor {i}"),
        category: Some(categories[i as usize % categories.len()]),
        side: Some(if i.is_multiple_of(2) { Side::East } else { Side::West }),
        region_code: REGIONS[i as usize % REGIONS.len()].to_string(),
        ..Default::default()
    }
}
