//! The baseline: the same gRPC services answering canned responses of the same size, doing no
//! work. What it reaches is the limit of the transport, the client and the machine, so the ratio
//! subject / baseline isolates the cost of the service itself.

use std::pin::Pin;

use eastwest_proto::evaluation::v1 as ev;
use eastwest_proto::evaluation::v1::evaluation_service_server::EvaluationService;
use eastwest_proto::registry::v1 as pb;
use eastwest_proto::registry::v1::registry_service_server::RegistryService;
use futures::Stream;
use tonic::{Request, Response, Status};

/// Canned answers, captured from the subject before the run.
#[derive(Debug, Clone, Default)]
pub(super) struct Canned {
    pub actor: pb::Actor,
    pub actors_page: pb::ListActorsResponse,
    pub snapshot: pb::PairingSnapshot,
    pub evaluation: ev::Evaluation,
    /// Evaluations one EvaluatePairings stream carries.
    pub stream_len: usize,
}

#[derive(Debug, Clone)]
pub(super) struct Baseline(pub std::sync::Arc<Canned>);

fn not_measured<T>() -> Result<Response<T>, Status> {
    Err(Status::unimplemented("not part of any benchmark scenario"))
}

#[tonic::async_trait]
impl RegistryService for Baseline {
    async fn create_actor(&self, _: Request<pb::CreateActorRequest>) -> Result<Response<pb::Actor>, Status> {
        Ok(Response::new(self.0.actor.clone()))
    }
    async fn get_actor(&self, _: Request<pb::GetActorRequest>) -> Result<Response<pb::Actor>, Status> {
        Ok(Response::new(self.0.actor.clone()))
    }
    async fn batch_get_actors(
        &self,
        _: Request<pb::BatchGetActorsRequest>,
    ) -> Result<Response<pb::BatchGetActorsResponse>, Status> {
        not_measured()
    }
    async fn list_actors(&self, _: Request<pb::ListActorsRequest>) -> Result<Response<pb::ListActorsResponse>, Status> {
        Ok(Response::new(self.0.actors_page.clone()))
    }
    async fn update_actor(&self, _: Request<pb::UpdateActorRequest>) -> Result<Response<pb::Actor>, Status> {
        not_measured()
    }
    async fn delete_actor(&self, _: Request<pb::DeleteActorRequest>) -> Result<Response<()>, Status> {
        not_measured()
    }
    async fn create_pairing(&self, _: Request<pb::CreatePairingRequest>) -> Result<Response<pb::Pairing>, Status> {
        not_measured()
    }
    async fn get_pairing(&self, _: Request<pb::GetPairingRequest>) -> Result<Response<pb::Pairing>, Status> {
        not_measured()
    }
    async fn batch_get_pairings(
        &self,
        _: Request<pb::BatchGetPairingsRequest>,
    ) -> Result<Response<pb::BatchGetPairingsResponse>, Status> {
        not_measured()
    }
    async fn list_pairings(
        &self,
        _: Request<pb::ListPairingsRequest>,
    ) -> Result<Response<pb::ListPairingsResponse>, Status> {
        not_measured()
    }
    async fn update_pairing(&self, _: Request<pb::UpdatePairingRequest>) -> Result<Response<pb::Pairing>, Status> {
        not_measured()
    }
    async fn delete_pairing(&self, _: Request<pb::DeletePairingRequest>) -> Result<Response<()>, Status> {
        not_measured()
    }
    async fn create_activity(&self, _: Request<pb::CreateActivityRequest>) -> Result<Response<pb::Activity>, Status> {
        not_measured()
    }
    async fn get_activity(&self, _: Request<pb::GetActivityRequest>) -> Result<Response<pb::Activity>, Status> {
        not_measured()
    }
    async fn list_activities(
        &self,
        _: Request<pb::ListActivitiesRequest>,
    ) -> Result<Response<pb::ListActivitiesResponse>, Status> {
        not_measured()
    }
    async fn delete_activity(&self, _: Request<pb::DeleteActivityRequest>) -> Result<Response<()>, Status> {
        not_measured()
    }
    async fn create_agreement(
        &self,
        _: Request<pb::CreateAgreementRequest>,
    ) -> Result<Response<pb::Agreement>, Status> {
        not_measured()
    }
    async fn get_agreement(&self, _: Request<pb::GetAgreementRequest>) -> Result<Response<pb::Agreement>, Status> {
        not_measured()
    }
    async fn list_agreements(
        &self,
        _: Request<pb::ListAgreementsRequest>,
    ) -> Result<Response<pb::ListAgreementsResponse>, Status> {
        not_measured()
    }
    async fn update_agreement(
        &self,
        _: Request<pb::UpdateAgreementRequest>,
    ) -> Result<Response<pb::Agreement>, Status> {
        not_measured()
    }
    async fn delete_agreement(&self, _: Request<pb::DeleteAgreementRequest>) -> Result<Response<()>, Status> {
        not_measured()
    }
    async fn get_pairing_snapshot(
        &self,
        _: Request<pb::GetPairingSnapshotRequest>,
    ) -> Result<Response<pb::PairingSnapshot>, Status> {
        Ok(Response::new(self.0.snapshot.clone()))
    }
}

#[tonic::async_trait]
impl EvaluationService for Baseline {
    async fn evaluate_pairing(
        &self,
        _: Request<ev::EvaluatePairingRequest>,
    ) -> Result<Response<ev::Evaluation>, Status> {
        Ok(Response::new(self.0.evaluation.clone()))
    }

    type EvaluatePairingsStream = Pin<Box<dyn Stream<Item = Result<ev::Evaluation, Status>> + Send + 'static>>;

    async fn evaluate_pairings(
        &self,
        _: Request<ev::EvaluatePairingsRequest>,
    ) -> Result<Response<Self::EvaluatePairingsStream>, Status> {
        let canned = std::sync::Arc::clone(&self.0);
        let stream = futures::stream::iter((0..canned.stream_len).map(move |_| Ok(canned.evaluation.clone())));
        Ok(Response::new(Box::pin(stream)))
    }

    async fn summarize_evaluations(
        &self,
        _: Request<ev::SummarizeEvaluationsRequest>,
    ) -> Result<Response<ev::SummarizeEvaluationsResponse>, Status> {
        not_measured()
    }

    async fn get_scoring_model(
        &self,
        _: Request<ev::GetScoringModelRequest>,
    ) -> Result<Response<ev::ScoringModel>, Status> {
        not_measured()
    }
}
