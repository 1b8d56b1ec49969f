//! The gRPC adapter of the evaluation service: validate, read the registry, score, convert.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use eastwest_domain::codes::parse_region_prefix;
use eastwest_domain::names::{parse_actor_name, parse_pairing_name};
use eastwest_proto::convert as wire;
use eastwest_proto::evaluation::v1 as pb;
use eastwest_proto::evaluation::v1::evaluation_service_server::EvaluationService;
use eastwest_proto::registry::v1 as registry_pb;
use eastwest_runtime::serve::record_resource;
use futures::{Stream, StreamExt};
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use crate::convert::{PairingFacts, caller_deadline, evaluation_out, group_out, model_out, period_in};
use crate::error::EvaluationError;
use crate::registry_client::RegistryReader;
use crate::scoring::{Evaluation, Period, ScoringModel, summarize};

/// Snapshots read at once while streaming; the order of results is kept.
const STREAM_CONCURRENCY: usize = 16;
/// Pairings asked of the registry per listing page while streaming.
const LIST_PAGE: i32 = 500;

#[derive(Clone)]
pub struct EvaluationApi {
    reader: RegistryReader,
    model: Arc<ScoringModel>,
    /// Becomes true when the server starts shutting down: open streams end at once.
    stopping: watch::Receiver<bool>,
}

type Scored = (Evaluation, PairingFacts);

/// The registry listing request for an evaluation filter, with every field checked here so that
/// violations name this API's fields.
fn listing_for(filter: Option<pb::PairingFilter>) -> Result<registry_pb::ListPairingsRequest, EvaluationError> {
    let pb::PairingFilter { actor, level, leadership, state, parent, region_code_prefix } = filter.unwrap_or_default();
    let mut bad = Vec::new();
    let mut check = |field: &str, problem: Option<String>| {
        if let Some(p) = problem {
            bad.push((format!("filter.{field}"), p));
        }
    };
    check("actor", (!actor.is_empty()).then(|| parse_actor_name(&actor).err()).flatten());
    check("parent", (!parent.is_empty()).then(|| parse_pairing_name(&parent).err()).flatten());
    check(
        "region_code_prefix",
        (!region_code_prefix.is_empty())
            .then(|| parse_region_prefix(&region_code_prefix).err().map(|e| e.to_string()))
            .flatten(),
    );
    check("level", wire::level_in(level).err().map(|e| e.to_string()));
    check("leadership", wire::leadership_in(leadership).err().map(|e| e.to_string()));
    check("state", wire::state_in(state).err().map(|e| e.to_string()));
    if !bad.is_empty() {
        return Err(EvaluationError::InvalidArgument(bad));
    }
    Ok(registry_pb::ListPairingsRequest {
        page_size: LIST_PAGE,
        page_token: String::new(),
        actor,
        level,
        leadership,
        state,
        parent,
        region_code_prefix,
    })
}

fn period(year: i32, as_of: &str) -> Result<Period, EvaluationError> {
    period_in(year, as_of).map_err(EvaluationError::InvalidArgument)
}

impl EvaluationApi {
    pub fn new(reader: RegistryReader, model: Arc<ScoringModel>, stopping: watch::Receiver<bool>) -> Self {
        Self { reader, model, stopping }
    }

    async fn score(&self, name: &str, period: Period, deadline: Option<Instant>) -> Result<Scored, EvaluationError> {
        let snapshot = self.reader.snapshot(name, deadline).await?;
        let facts = PairingFacts::of(&snapshot);
        Ok((self.model.evaluate(&snapshot, period), facts))
    }

    /// As `score`, also reading the pairing's direct children (for a year) to check their totals
    /// against the pairing's own.
    async fn score_with_children(
        &self,
        name: &str,
        period: Period,
        deadline: Option<Instant>,
    ) -> Result<Scored, EvaluationError> {
        let snapshot = self.reader.snapshot(name, deadline).await?;
        let facts = PairingFacts::of(&snapshot);
        let mut children = Vec::new();
        // The snapshot names the direct children (read with it): most pairings have none, and
        // then nothing more is read.
        if period.year.is_some() {
            for child in &snapshot.children {
                let child_name = eastwest_domain::names::pairing_name(child);
                match self.reader.snapshot(&child_name, deadline).await {
                    Ok(s) => children.push(s),
                    // Deleted since the snapshot: not a child any more.
                    Err(EvaluationError::NotFound(_)) => {}
                    // Children only feed a reconciliation finding: one that cannot be read
                    // leaves that finding out, not the pairing's evaluation.
                    Err(e) => tracing::warn!(child = %child_name, error = %e, "child pairing not compared"),
                }
            }
        }
        Ok((self.model.evaluate_with(&snapshot, period, &children), facts))
    }

    /// Scores every pairing the listing yields, in listing order, into a channel. The channel ends
    /// after the last pairing, after the first error, or when the server starts shutting down.
    fn score_all(
        &self,
        listing: registry_pb::ListPairingsRequest,
        period: Period,
        deadline: Option<Instant>,
    ) -> mpsc::Receiver<Result<Scored, EvaluationError>> {
        let (tx, rx) = mpsc::channel(64);
        let this = self.clone();
        tokio::spawn(async move {
            let mut stopping = this.stopping.clone();
            let mut listing = listing;
            loop {
                let page = match this.reader.list_pairings(listing.clone(), deadline).await {
                    Ok(page) => page,
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                };
                let mut scored = futures::stream::iter(page.pairings.into_iter().map(|p| p.name))
                    .map(|name| {
                        let this = this.clone();
                        async move { (this.score(&name, period, deadline).await, name) }
                    })
                    .buffered(STREAM_CONCURRENCY);
                loop {
                    if *stopping.borrow() {
                        let _ = tx.send(Err(EvaluationError::ShuttingDown)).await;
                        return;
                    }
                    let next = tokio::select! {
                        biased;
                        // A dropped sender (the server gone without a shutdown) also means stop.
                        changed = stopping.changed() => {
                            if changed.is_err() {
                                let _ = tx.send(Err(EvaluationError::ShuttingDown)).await;
                                return;
                            }
                            continue;
                        }
                        next = scored.next() => next,
                    };
                    let Some((result, name)) = next else { break };
                    let item = match result {
                        // Deleted between the listing and the read: not part of the answer.
                        Err(EvaluationError::NotFound(_)) => {
                            tracing::debug!(%name, "pairing vanished while streaming; skipped");
                            continue;
                        }
                        other => other,
                    };
                    let failed = item.is_err();
                    if tx.send(item).await.is_err() || failed {
                        return;
                    }
                }
                if page.next_page_token.is_empty() {
                    return;
                }
                listing.page_token = page.next_page_token;
            }
        });
        rx
    }
}

/// The key an evaluation is grouped under.
fn group_key(group_by: pb::GroupBy, e: &Evaluation, facts: &PairingFacts) -> String {
    let province = |code: &str| format!("{}0000", code.get(..2).unwrap_or("??"));
    match group_by {
        pb::GroupBy::EastProvince => province(&facts.east_region_code),
        pb::GroupBy::WestProvince => province(&facts.west_region_code),
        pb::GroupBy::Leadership => wire::leadership_out(e.declared_leadership).as_str_name().to_string(),
        pb::GroupBy::Level => wire::level_out(facts.level).as_str_name().to_string(),
        pb::GroupBy::Unspecified => String::new(),
    }
}

#[tonic::async_trait]
impl EvaluationService for EvaluationApi {
    async fn evaluate_pairing(
        &self,
        request: Request<pb::EvaluatePairingRequest>,
    ) -> Result<Response<pb::Evaluation>, Status> {
        let deadline = caller_deadline(request.metadata());
        let pb::EvaluatePairingRequest { pairing, as_of: as_of_text, year } = request.into_inner();
        record_resource(&pairing);
        let mut bad = Vec::new();
        if let Err(e) = parse_pairing_name(&pairing) {
            bad.push(("pairing".to_string(), e));
        }
        let period = period_in(year, &as_of_text).map_err(|v| bad.extend(v)).ok();
        let Some(period) = period.filter(|_| bad.is_empty()) else {
            return Err(EvaluationError::InvalidArgument(bad).into());
        };
        let (evaluation, facts) = self.score_with_children(&pairing, period, deadline).await?;
        Ok(Response::new(evaluation_out(evaluation, facts, SystemTime::now())))
    }

    type EvaluatePairingsStream = Pin<Box<dyn Stream<Item = Result<pb::Evaluation, Status>> + Send + 'static>>;

    async fn evaluate_pairings(
        &self,
        request: Request<pb::EvaluatePairingsRequest>,
    ) -> Result<Response<Self::EvaluatePairingsStream>, Status> {
        let deadline = caller_deadline(request.metadata());
        let pb::EvaluatePairingsRequest { filter, as_of: as_of_text, year } = request.into_inner();
        let listing = listing_for(filter)?;
        let period = period(year, &as_of_text)?;
        let scored = ReceiverStream::new(self.score_all(listing, period, deadline));
        let stream = scored.map(|item| {
            item.map(|(evaluation, facts)| evaluation_out(evaluation, facts, SystemTime::now())).map_err(Status::from)
        });
        Ok(Response::new(Box::pin(stream)))
    }

    async fn summarize_evaluations(
        &self,
        request: Request<pb::SummarizeEvaluationsRequest>,
    ) -> Result<Response<pb::SummarizeEvaluationsResponse>, Status> {
        let deadline = caller_deadline(request.metadata());
        let pb::SummarizeEvaluationsRequest { filter, as_of: as_of_text, group_by, year } = request.into_inner();
        let group_by = match pb::GroupBy::try_from(group_by) {
            Ok(pb::GroupBy::Unspecified) | Err(_) => {
                return Err(EvaluationError::invalid(
                    "group_by",
                    "is required: GROUP_BY_EAST_PROVINCE, GROUP_BY_WEST_PROVINCE, GROUP_BY_LEADERSHIP or GROUP_BY_LEVEL",
                )
                .into());
            }
            Ok(g) => g,
        };
        let listing = listing_for(filter)?;
        let period = period(year, &as_of_text)?;
        let mut scored = self.score_all(listing, period, deadline);
        let mut groups: BTreeMap<String, Vec<Evaluation>> = BTreeMap::new();
        let mut pairings = 0u32;
        while let Some(item) = scored.recv().await {
            let (evaluation, facts) = item?;
            pairings += 1;
            groups.entry(group_key(group_by, &evaluation, &facts)).or_default().push(evaluation);
        }
        let input = groups.iter().map(|(key, list)| (key.clone(), list.iter().collect())).collect();
        Ok(Response::new(pb::SummarizeEvaluationsResponse {
            groups: summarize(input).into_iter().map(group_out).collect(),
            pairings,
            model_version: self.model.version().to_string(),
            as_of: eastwest_domain::dates::iso_date(period.as_of),
        }))
    }

    async fn get_scoring_model(
        &self,
        _request: Request<pb::GetScoringModelRequest>,
    ) -> Result<Response<pb::ScoringModel>, Status> {
        Ok(Response::new(model_out(&self.model)))
    }
}
