//! Reading from the registry: lazy channels that reconnect by themselves, a deadline on every
//! call that never outlives the caller's, and retries with backoff for transient failures within a
//! budget, so that a caller learns within about two seconds that the registry is down.

use std::future::Future;
use std::time::{Duration, Instant};

use eastwest_domain::PairingSnapshot;
use eastwest_proto::registry::v1 as pb;
use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;
use tonic::transport::{Channel, Endpoint};
use tonic::{Code, Status};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::error::EvaluationError;

/// Largest answer accepted from the registry: a snapshot of a pairing with many activities.
const MAX_RESPONSE_BYTES: usize = 64 << 20;

/// How calls to the registry are bounded.
#[derive(Debug, Clone, Copy)]
pub struct CallPolicy {
    /// Longest single attempt.
    pub attempt_timeout: Duration,
    /// Longest time spent on one read, retries included, before answering UNAVAILABLE.
    pub budget: Duration,
    /// First pause between attempts; it doubles after each failure.
    pub first_backoff: Duration,
}

impl Default for CallPolicy {
    fn default() -> Self {
        Self {
            attempt_timeout: Duration::from_millis(1_000),
            budget: Duration::from_millis(1_500),
            first_backoff: Duration::from_millis(50),
        }
    }
}

#[derive(Clone)]
pub struct RegistryReader {
    registry: RegistryServiceClient<Channel>,
    health: HealthClient<Channel>,
    policy: CallPolicy,
}

/// Whether an answer is final: the registry judged the request itself. Anything else (the registry
/// or the path to it failed, or it was cancelled while shutting down) is worth another attempt: only
/// reads go through here, so repeating them is safe.
fn final_answer(status: &Status) -> bool {
    matches!(
        status.code(),
        Code::NotFound
            | Code::InvalidArgument
            | Code::FailedPrecondition
            | Code::OutOfRange
            | Code::PermissionDenied
            | Code::Unauthenticated
            | Code::AlreadyExists
            | Code::Unimplemented
    )
}

impl RegistryReader {
    /// Channels to `urls` (one, or several replicas to balance over). Nothing is dialled yet: the
    /// first call connects, and a lost connection is re-established on the next call.
    pub fn connect_lazy(urls: &[String], policy: CallPolicy) -> anyhow::Result<Self> {
        let endpoints = urls
            .iter()
            .map(|url| {
                if !url.starts_with("http://") {
                    anyhow::bail!(
                        "registry URL {url:?} must start with http:// (TLS is not supported yet; a bare host:port needs the scheme)"
                    );
                }
                Ok(Endpoint::from_shared(url.clone())
                    .map_err(|e| anyhow::anyhow!("registry URL {url:?}: {e}"))?
                    .connect_timeout(policy.attempt_timeout)
                    .tcp_nodelay(true)
                    .http2_keep_alive_interval(Duration::from_secs(10))
                    .keep_alive_timeout(Duration::from_secs(5)))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let channel = match endpoints.as_slice() {
            [] => anyhow::bail!("no registry URL given"),
            [one] => one.connect_lazy(),
            _ => Channel::balance_list(endpoints.into_iter()),
        };
        Ok(Self {
            registry: RegistryServiceClient::new(channel.clone()).max_decoding_message_size(MAX_RESPONSE_BYTES),
            health: HealthClient::new(channel),
            policy,
        })
    }

    /// Runs `call` until it succeeds, fails for good, or the budget (or the caller's deadline) is
    /// spent. Only reads go through here, so repeating them is safe.
    async fn with_retry<T, F, Fut>(
        &self,
        what: &str,
        deadline: Option<Instant>,
        mut call: F,
    ) -> Result<T, EvaluationError>
    where
        F: FnMut(Duration) -> Fut,
        Fut: Future<Output = Result<T, Status>>,
    {
        let budget_end = Instant::now() + self.policy.budget;
        let end = deadline.map_or(budget_end, |d| d.min(budget_end));
        // When the caller's deadline ends the attempts, that is its DEADLINE_EXCEEDED, not our outage.
        let out_of_time = |last: String| {
            if deadline.is_some_and(|d| d <= budget_end) {
                EvaluationError::DeadlineExceeded(format!("{what}: {last}"))
            } else {
                EvaluationError::RegistryUnavailable(format!("{what}: {last}"))
            }
        };
        let mut backoff = self.policy.first_backoff;
        let mut last = String::from("no answer in time");
        loop {
            let remaining = end.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(out_of_time(last));
            }
            let attempt = remaining.min(self.policy.attempt_timeout);
            last = match tokio::time::timeout(attempt, call(attempt)).await {
                Ok(Ok(value)) => return Ok(value),
                Ok(Err(status)) if final_answer(&status) => {
                    return Err(EvaluationError::from_registry(status));
                }
                Ok(Err(status)) => format!("{}: {}", status.code(), status.message()),
                Err(_) => "attempt timed out".to_string(),
            };
            let pause = backoff.min(end.saturating_duration_since(Instant::now()));
            if pause.is_zero() {
                return Err(out_of_time(last));
            }
            tracing::debug!(what, last, ?pause, "registry read failed; retrying");
            tokio::time::sleep(pause).await;
            backoff = backoff.saturating_mul(2);
        }
    }

    /// The pairing, its actors and its activities, in one round trip.
    pub async fn snapshot(&self, name: &str, deadline: Option<Instant>) -> Result<PairingSnapshot, EvaluationError> {
        let wire = self
            .with_retry(name, deadline, |timeout| {
                let mut client = self.registry.clone();
                let mut request = tonic::Request::new(pb::GetPairingSnapshotRequest { name: name.to_string() });
                request.set_timeout(timeout);
                async move { client.get_pairing_snapshot(request).await.map(tonic::Response::into_inner) }
            })
            .await?;
        eastwest_proto::convert::snapshot_in(wire).map_err(EvaluationError::BadRegistryData)
    }

    /// One page of pairing names.
    pub async fn list_pairings(
        &self,
        request: pb::ListPairingsRequest,
        deadline: Option<Instant>,
    ) -> Result<pb::ListPairingsResponse, EvaluationError> {
        self.with_retry("listing pairings", deadline, |timeout| {
            let mut client = self.registry.clone();
            let mut request = tonic::Request::new(request.clone());
            request.set_timeout(timeout);
            async move { client.list_pairings(request).await.map(tonic::Response::into_inner) }
        })
        .await
    }

    /// Whether the registry reports its service as SERVING, asked once with a short deadline.
    pub async fn registry_serving(&self) -> bool {
        let mut health = self.health.clone();
        let mut request = tonic::Request::new(tonic_health::pb::HealthCheckRequest {
            service: pb::registry_service_server::SERVICE_NAME.to_string(),
        });
        request.set_timeout(self.policy.attempt_timeout);
        match tokio::time::timeout(self.policy.attempt_timeout, health.check(request)).await {
            Ok(Ok(response)) => response.into_inner().status == ServingStatus::Serving as i32,
            _ => false,
        }
    }
}
