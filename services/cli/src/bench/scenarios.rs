//! What each scenario loads, asks, and compares against.

use std::sync::Arc;

use eastwest_proto::evaluation::v1 as ev;
use eastwest_proto::evaluation::v1::evaluation_service_client::EvaluationServiceClient;
use eastwest_proto::registry::v1 as pb;
use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;

use super::load::Call;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// GetActor on a registry of --records actors (default 100,000).
    GetActor,
    /// CreateActor, durable (acknowledged after the flush).
    CreateActor,
    /// ListActors, a page of 50 filtered by region prefix, over --records actors (default 10,000).
    ListActors,
    /// GetPairingSnapshot of pairings with 10 activities: the evaluation service's read.
    GetPairing,
    /// EvaluatePairing of pairings with 10 activities, registry in the loop.
    Evaluate,
    /// EvaluatePairing of pairings with 1,000 activities.
    EvaluateLarge,
    /// EvaluatePairings over --records pairings (default 10,000): pairings per second.
    EvaluateStream,
    /// Every scenario in turn.
    All,
}

/// The region codes actors are spread over (real prefecture-level codes); list-actors asks for one.
pub(super) const REGIONS: [&str; 20] = [
    "320100", "320200", "320500", "330100", "330200", "350100", "370100", "440100", "440400", "440600", "500100",
    "510800", "513400", "520100", "520200", "520300", "520500", "530100", "610100", "620100",
];

/// The date evaluations are as of, fixed so that runs compare.
pub(super) const AS_OF: &str = "2024-12-31";
/// The year evaluations score: its activities against its agreement and the year before.
pub(super) const YEAR: i32 = 2024;

impl Scenario {
    pub const EACH: [Scenario; 7] = [
        Scenario::GetActor,
        Scenario::CreateActor,
        Scenario::ListActors,
        Scenario::GetPairing,
        Scenario::Evaluate,
        Scenario::EvaluateLarge,
        Scenario::EvaluateStream,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::GetActor => "get-actor",
            Scenario::CreateActor => "create-actor",
            Scenario::ListActors => "list-actors",
            Scenario::GetPairing => "get-pairing",
            Scenario::Evaluate => "evaluate",
            Scenario::EvaluateLarge => "evaluate-large",
            Scenario::EvaluateStream => "evaluate-stream",
            Scenario::All => "all",
        }
    }

    pub fn uses_evaluation(self) -> bool {
        matches!(self, Scenario::Evaluate | Scenario::EvaluateLarge | Scenario::EvaluateStream)
    }

    /// (actors, pairings, activities per pairing) to load before the run.
    pub(super) fn load(self, records: Option<u64>) -> (u64, u64, u64) {
        match self {
            Scenario::GetActor => (records.unwrap_or(100_000), 0, 0),
            Scenario::ListActors => (records.unwrap_or(10_000), 0, 0),
            Scenario::CreateActor | Scenario::All => (0, 0, 0),
            Scenario::GetPairing | Scenario::Evaluate => (0, records.unwrap_or(1_000), 10),
            Scenario::EvaluateLarge => (0, records.unwrap_or(20), 1_000),
            Scenario::EvaluateStream => (0, records.unwrap_or(10_000), 3),
        }
    }

    /// One request; `records` is how many actors or pairings the requests spread over.
    pub fn call(self, records: u64) -> Call {
        let n = records.max(1);
        match self {
            Scenario::GetActor => Arc::new(move |ch, seq| {
                let mut c = RegistryServiceClient::new(ch);
                Box::pin(async move {
                    c.get_actor(pb::GetActorRequest { name: format!("actors/a{:07}", seq % n) }).await.map(|_| 1)
                })
            }),
            Scenario::CreateActor => Arc::new(|ch, seq| {
                let mut c = RegistryServiceClient::new(ch);
                Box::pin(async move {
                    let actor = bench_actor(&format!("created {seq}"), seq as usize);
                    let request = pb::CreateActorRequest { actor: Some(actor), actor_id: format!("c{seq:09}") };
                    c.create_actor(request).await.map(|_| 1)
                })
            }),
            Scenario::ListActors => Arc::new(|ch, seq| {
                let mut c = RegistryServiceClient::new(ch);
                Box::pin(async move {
                    let request = pb::ListActorsRequest {
                        page_size: 50,
                        region_code_prefix: REGIONS[seq as usize % REGIONS.len()][..4].to_string(),
                        ..Default::default()
                    };
                    c.list_actors(request).await.map(|_| 1)
                })
            }),
            Scenario::GetPairing => Arc::new(move |ch, seq| {
                let mut c = RegistryServiceClient::new(ch).max_decoding_message_size(64 << 20);
                Box::pin(async move {
                    let request = pb::GetPairingSnapshotRequest { name: format!("pairings/p{:06}", seq % n) };
                    c.get_pairing_snapshot(request).await.map(|_| 1)
                })
            }),
            Scenario::Evaluate | Scenario::EvaluateLarge => Arc::new(move |ch, seq| {
                let mut c = EvaluationServiceClient::new(ch);
                Box::pin(async move {
                    let request = ev::EvaluatePairingRequest {
                        pairing: format!("pairings/p{:06}", seq % n),
                        as_of: AS_OF.to_string(),
                        year: YEAR,
                    };
                    c.evaluate_pairing(request).await.map(|_| 1)
                })
            }),
            Scenario::EvaluateStream | Scenario::All => Arc::new(|ch, _| {
                let mut c = EvaluationServiceClient::new(ch);
                Box::pin(async move {
                    let request = ev::EvaluatePairingsRequest { filter: None, as_of: AS_OF.to_string(), year: YEAR };
                    let mut stream = c.evaluate_pairings(request).await?.into_inner();
                    let mut items = 0;
                    while stream.message().await?.is_some() {
                        items += 1;
                    }
                    Ok(items)
                })
            }),
        }
    }
}

pub(super) fn bench_actor(name: &str, i: usize) -> pb::Actor {
    pb::Actor {
        display_name: name.to_string(),
        category: pb::ActorCategory::GovernmentBody as i32,
        side: if i.is_multiple_of(2) { pb::Side::East } else { pb::Side::West } as i32,
        region_code: REGIONS[i % REGIONS.len()].to_string(),
        ..Default::default()
    }
}
