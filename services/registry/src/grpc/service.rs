//! The gRPC adapter: convert the request, call the use case, convert the answer. No rules here.

use std::sync::Arc;

use eastwest_proto::registry::v1 as pb;
use eastwest_proto::registry::v1::registry_service_server::RegistryService;
use eastwest_runtime::serve::record_resource;
use tonic::{Request, Response, Status};

use super::convert;
use super::status::{invalid_argument, to_status};
use crate::core::actors::ActorFilter;
use crate::core::pairings::PairingFilter;
use crate::core::{Page, Registry, paging};
use crate::error::RegistryError;
use crate::rules::actor::ACTOR_MASK;
use crate::rules::agreement::AGREEMENT_MASK;
use crate::rules::mask::{MaskSpec, Selected};
use crate::rules::pairing::PAIRING_MASK;
use crate::rules::validate::Violations;
use crate::store::Store;
use eastwest_domain::names::{
    parse_activity_name, parse_actor_name, parse_agreement_name, parse_pairing_name, parse_year_id,
};

pub(crate) struct RegistryApi<S> {
    registry: Arc<Registry<S>>,
}

impl<S> RegistryApi<S> {
    pub(crate) fn new(registry: Arc<Registry<S>>) -> Self {
        Self { registry }
    }
}

/// Logs the outcome on the request's span and maps errors to a status.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "tonic's codes, a foreign enum: every one but the two server faults is the client's"
)]
fn finish<T>(result: Result<T, RegistryError>) -> Result<Response<T>, Status> {
    match result {
        Ok(value) => Ok(Response::new(value)),
        Err(err) => {
            let status = to_status(err);
            match status.code() {
                tonic::Code::Internal | tonic::Code::Unavailable => {
                    tracing::error!(code = ?status.code(), message = status.message(), "request failed")
                }
                code => tracing::info!(?code, message = status.message(), "request rejected"),
            }
            Err(status)
        }
    }
}

/// INVALID_ARGUMENT if the wire layer found problems, together with the domain's own findings.
fn reject(mut found: Violations, domain: impl FnOnce() -> Option<Violations>) -> Result<(), Status> {
    if found.is_empty() {
        return Ok(());
    }
    if let Some(more) = domain() {
        found.absorb(more);
    }
    Err(invalid_argument(&found))
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, Status> {
    value.ok_or_else(|| {
        let mut v = Violations::new();
        v.add(field, "is required");
        invalid_argument(&v)
    })
}

fn name_arg<'a>(
    parse: impl Fn(&'a str) -> Result<&'a str, String>,
    field: &str,
    name: &'a str,
) -> Result<&'a str, Status> {
    record_resource(name);
    parse(name).map_err(|e| to_status(RegistryError::invalid(field, e)))
}

/// The pairing id and year of an agreement name (INVALID_ARGUMENT at `field`).
fn agreement_arg<'a>(field: &str, name: &'a str) -> Result<(&'a str, i32), Status> {
    record_resource(name);
    parse_agreement_name(name).map_err(|e| to_status(RegistryError::invalid(field, e)))
}

fn optional_id(id: String) -> Option<String> {
    (!id.is_empty()).then_some(id)
}

fn page_size(raw: i32) -> Result<usize, Status> {
    paging::page_size(raw).map_err(to_status)
}

fn names_arg<'a>(
    parse: impl Fn(&'a str) -> Result<&'a str, String>,
    names: &'a [String],
) -> Result<Vec<String>, Status> {
    let mut v = Violations::new();
    let ids = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match parse(n) {
            Ok(id) => Some(id.to_string()),
            Err(e) => {
                v.add(format!("names[{i}]"), e);
                None
            }
        })
        .collect();
    reject(v, || None)?;
    Ok(ids)
}

/// The fields an update replaces: those its mask names or, without one, those the draft sets.
fn resolve_mask<D>(spec: &MaskSpec<D>, mask: Option<prost_types::FieldMask>, draft: &D) -> Result<Selected<D>, Status> {
    let paths = mask.map(|m| m.paths).unwrap_or_default();
    spec.resolve(&paths, draft).map_err(|v| invalid_argument(&v))
}

fn page_out<T, U>(page: Page<T>, out: impl Fn(eastwest_domain::model::Stored<T>) -> U) -> (Vec<U>, String) {
    (page.items.into_iter().map(out).collect(), page.next_page_token)
}

#[tonic::async_trait]
impl<S: Store> RegistryService for RegistryApi<S> {
    async fn create_actor(&self, request: Request<pb::CreateActorRequest>) -> Result<Response<pb::Actor>, Status> {
        let pb::CreateActorRequest { actor, actor_id } = request.into_inner();
        record_resource(&actor_id);
        let mut v = Violations::new();
        let draft = convert::actor_draft(&mut v, "actor", required(actor, "actor")?);
        reject(v, || draft.violations("actor"))?;
        finish(self.registry.create_actor(draft, optional_id(actor_id)).await.map(convert::actor_out))
    }

    async fn get_actor(&self, request: Request<pb::GetActorRequest>) -> Result<Response<pb::Actor>, Status> {
        let id = name_arg(parse_actor_name, "name", &request.get_ref().name)?;
        finish(self.registry.get_actor(id).await.map(convert::actor_out))
    }

    async fn batch_get_actors(
        &self,
        request: Request<pb::BatchGetActorsRequest>,
    ) -> Result<Response<pb::BatchGetActorsResponse>, Status> {
        let ids = names_arg(parse_actor_name, &request.get_ref().names)?;
        finish(
            self.registry.batch_get_actors(&ids).await.map(|actors| pb::BatchGetActorsResponse {
                actors: actors.into_iter().map(convert::actor_out).collect(),
            }),
        )
    }

    async fn list_actors(
        &self,
        request: Request<pb::ListActorsRequest>,
    ) -> Result<Response<pb::ListActorsResponse>, Status> {
        let pb::ListActorsRequest { page_size: size, page_token, category, side, region_code_prefix } =
            request.into_inner();
        let mut v = Violations::new();
        let filter = ActorFilter {
            category: convert::wire_enum(&mut v, "category", eastwest_proto::convert::category_in(category)),
            side: convert::wire_enum(&mut v, "side", eastwest_proto::convert::side_in(side)),
            region_code_prefix: optional_id(region_code_prefix),
        };
        reject(v, || None)?;
        let page = self.registry.list_actors(&filter, page_size(size)?, &page_token).await;
        finish(page.map(|p| {
            let (actors, next_page_token) = page_out(p, convert::actor_out);
            pb::ListActorsResponse { actors, next_page_token }
        }))
    }

    async fn update_actor(&self, request: Request<pb::UpdateActorRequest>) -> Result<Response<pb::Actor>, Status> {
        let pb::UpdateActorRequest { actor, update_mask } = request.into_inner();
        let actor = required(actor, "actor")?;
        let name = actor.name.clone();
        let id = name_arg(parse_actor_name, "actor.name", &name)?;
        let etag = actor.etag.clone();
        let mut v = Violations::new();
        let draft = convert::actor_draft(&mut v, "actor", actor);
        reject(v, || None)?;
        let fields = resolve_mask(&ACTOR_MASK, update_mask, &draft)?;
        finish(self.registry.update_actor(id, &etag, draft, &fields).await.map(convert::actor_out))
    }

    async fn delete_actor(&self, request: Request<pb::DeleteActorRequest>) -> Result<Response<()>, Status> {
        let pb::DeleteActorRequest { name, etag } = request.into_inner();
        let id = name_arg(parse_actor_name, "name", &name)?;
        finish(self.registry.delete_actor(id, &etag).await)
    }

    async fn create_pairing(
        &self,
        request: Request<pb::CreatePairingRequest>,
    ) -> Result<Response<pb::Pairing>, Status> {
        let pb::CreatePairingRequest { pairing, pairing_id } = request.into_inner();
        record_resource(&pairing_id);
        let mut v = Violations::new();
        let draft = convert::pairing_draft(&mut v, "pairing", required(pairing, "pairing")?);
        reject(v, || draft.violations("pairing"))?;
        finish(self.registry.create_pairing(draft, optional_id(pairing_id)).await.map(convert::pairing_out))
    }

    async fn get_pairing(&self, request: Request<pb::GetPairingRequest>) -> Result<Response<pb::Pairing>, Status> {
        let id = name_arg(parse_pairing_name, "name", &request.get_ref().name)?;
        finish(self.registry.get_pairing(id).await.map(convert::pairing_out))
    }

    async fn batch_get_pairings(
        &self,
        request: Request<pb::BatchGetPairingsRequest>,
    ) -> Result<Response<pb::BatchGetPairingsResponse>, Status> {
        let ids = names_arg(parse_pairing_name, &request.get_ref().names)?;
        finish(self.registry.batch_get_pairings(&ids).await.map(|pairings| pb::BatchGetPairingsResponse {
            pairings: pairings.into_iter().map(convert::pairing_out).collect(),
        }))
    }

    async fn list_pairings(
        &self,
        request: Request<pb::ListPairingsRequest>,
    ) -> Result<Response<pb::ListPairingsResponse>, Status> {
        let pb::ListPairingsRequest {
            page_size: size,
            page_token,
            actor,
            level,
            leadership,
            state,
            parent,
            region_code_prefix,
        } = request.into_inner();
        let mut v = Violations::new();
        let filter = PairingFilter {
            actor: convert::actor_ref(&mut v, "actor", &actor),
            level: convert::wire_enum(&mut v, "level", eastwest_proto::convert::level_in(level)),
            leadership: convert::wire_enum(&mut v, "leadership", eastwest_proto::convert::leadership_in(leadership)),
            state: convert::wire_enum(&mut v, "state", eastwest_proto::convert::state_in(state)),
            parent: convert::pairing_ref(&mut v, "parent", &parent),
            region_code_prefix: optional_id(region_code_prefix),
        };
        reject(v, || None)?;
        let page = self.registry.list_pairings(&filter, page_size(size)?, &page_token).await;
        finish(page.map(|p| {
            let (pairings, next_page_token) = page_out(p, convert::pairing_out);
            pb::ListPairingsResponse { pairings, next_page_token }
        }))
    }

    async fn update_pairing(
        &self,
        request: Request<pb::UpdatePairingRequest>,
    ) -> Result<Response<pb::Pairing>, Status> {
        let pb::UpdatePairingRequest { pairing, update_mask } = request.into_inner();
        let pairing = required(pairing, "pairing")?;
        let name = pairing.name.clone();
        let id = name_arg(parse_pairing_name, "pairing.name", &name)?;
        let etag = pairing.etag.clone();
        let mut v = Violations::new();
        let draft = convert::pairing_draft(&mut v, "pairing", pairing);
        reject(v, || None)?;
        let fields = resolve_mask(&PAIRING_MASK, update_mask, &draft)?;
        finish(self.registry.update_pairing(id, &etag, draft, &fields).await.map(convert::pairing_out))
    }

    async fn delete_pairing(&self, request: Request<pb::DeletePairingRequest>) -> Result<Response<()>, Status> {
        let pb::DeletePairingRequest { name, etag, force } = request.into_inner();
        let id = name_arg(parse_pairing_name, "name", &name)?;
        finish(self.registry.delete_pairing(id, &etag, force).await)
    }

    async fn create_activity(
        &self,
        request: Request<pb::CreateActivityRequest>,
    ) -> Result<Response<pb::Activity>, Status> {
        let pb::CreateActivityRequest { parent, activity, activity_id } = request.into_inner();
        let pairing = name_arg(parse_pairing_name, "parent", &parent)?;
        let mut v = Violations::new();
        let draft = convert::activity_draft(&mut v, "activity", required(activity, "activity")?);
        reject(v, || draft.violations("activity"))?;
        finish(self.registry.create_activity(pairing, draft, optional_id(activity_id)).await.map(convert::activity_out))
    }

    async fn get_activity(&self, request: Request<pb::GetActivityRequest>) -> Result<Response<pb::Activity>, Status> {
        let name = &request.get_ref().name;
        record_resource(name);
        let (pairing, id) = parse_activity_name(name).map_err(|e| to_status(RegistryError::invalid("name", e)))?;
        finish(self.registry.get_activity(pairing, id).await.map(convert::activity_out))
    }

    async fn list_activities(
        &self,
        request: Request<pb::ListActivitiesRequest>,
    ) -> Result<Response<pb::ListActivitiesResponse>, Status> {
        let pb::ListActivitiesRequest { parent, page_size: size, page_token } = request.into_inner();
        let pairing = name_arg(parse_pairing_name, "parent", &parent)?;
        let page = self.registry.list_activities(pairing, page_size(size)?, &page_token).await;
        finish(page.map(|p| {
            let (activities, next_page_token) = page_out(p, convert::activity_out);
            pb::ListActivitiesResponse { activities, next_page_token }
        }))
    }

    async fn delete_activity(&self, request: Request<pb::DeleteActivityRequest>) -> Result<Response<()>, Status> {
        let pb::DeleteActivityRequest { name, etag } = request.into_inner();
        record_resource(&name);
        let (pairing, id) = parse_activity_name(&name).map_err(|e| to_status(RegistryError::invalid("name", e)))?;
        finish(self.registry.delete_activity(pairing, id, &etag).await)
    }

    async fn create_agreement(
        &self,
        request: Request<pb::CreateAgreementRequest>,
    ) -> Result<Response<pb::Agreement>, Status> {
        let pb::CreateAgreementRequest { parent, agreement, agreement_id } = request.into_inner();
        let pairing = name_arg(parse_pairing_name, "parent", &parent)?;
        let mut v = Violations::new();
        let year = match parse_year_id(&agreement_id) {
            Ok(year) => Some(year),
            Err(e) => {
                v.add("agreement_id", e);
                None
            }
        };
        let draft = convert::agreement_draft(&mut v, "agreement", required(agreement, "agreement")?);
        reject(v, || draft.violations("agreement", year))?;
        finish(self.registry.create_agreement(pairing, draft, &agreement_id).await.map(convert::agreement_out))
    }

    async fn get_agreement(
        &self,
        request: Request<pb::GetAgreementRequest>,
    ) -> Result<Response<pb::Agreement>, Status> {
        let (pairing, year) = agreement_arg("name", &request.get_ref().name)?;
        finish(self.registry.get_agreement(pairing, year).await.map(convert::agreement_out))
    }

    async fn list_agreements(
        &self,
        request: Request<pb::ListAgreementsRequest>,
    ) -> Result<Response<pb::ListAgreementsResponse>, Status> {
        let pb::ListAgreementsRequest { parent, page_size: size, page_token } = request.into_inner();
        let pairing = name_arg(parse_pairing_name, "parent", &parent)?;
        let page = self.registry.list_agreements(pairing, page_size(size)?, &page_token).await;
        finish(page.map(|p| {
            let (agreements, next_page_token) = page_out(p, convert::agreement_out);
            pb::ListAgreementsResponse { agreements, next_page_token }
        }))
    }

    async fn update_agreement(
        &self,
        request: Request<pb::UpdateAgreementRequest>,
    ) -> Result<Response<pb::Agreement>, Status> {
        let pb::UpdateAgreementRequest { agreement, update_mask } = request.into_inner();
        let agreement = required(agreement, "agreement")?;
        let name = agreement.name.clone();
        let (pairing, year) = agreement_arg("agreement.name", &name)?;
        let etag = agreement.etag.clone();
        let mut v = Violations::new();
        let draft = convert::agreement_draft(&mut v, "agreement", agreement);
        reject(v, || None)?;
        let fields = resolve_mask(&AGREEMENT_MASK, update_mask, &draft)?;
        finish(self.registry.update_agreement(pairing, year, &etag, draft, &fields).await.map(convert::agreement_out))
    }

    async fn delete_agreement(&self, request: Request<pb::DeleteAgreementRequest>) -> Result<Response<()>, Status> {
        let pb::DeleteAgreementRequest { name, etag } = request.into_inner();
        let (pairing, year) = agreement_arg("name", &name)?;
        finish(self.registry.delete_agreement(pairing, year, &etag).await)
    }

    async fn get_pairing_snapshot(
        &self,
        request: Request<pb::GetPairingSnapshotRequest>,
    ) -> Result<Response<pb::PairingSnapshot>, Status> {
        let id = name_arg(parse_pairing_name, "name", &request.get_ref().name)?;
        finish(self.registry.get_pairing_snapshot(id).await.map(convert::snapshot_out))
    }
}
