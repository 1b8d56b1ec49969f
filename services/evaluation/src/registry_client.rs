//! Reading from the registry: lazy channels that reconnect by themselves, a deadline on every
//! call that never outlives the caller's, and retries with backoff for transient failures within a
//! budget, so that a caller learns within about two seconds that the registry is down.
//!
//! Several replicas: each URL gets its own channel, and a read that fails on one replica is tried
//! on the next at once. tonic's balancer (`Channel::balance_list`) is not used: it keeps routing
//! calls to an endpoint whose process is gone (each call then fails with "connection refused"), and
//! a retry through it may land on the same dead endpoint again. Instead a replica that fails is
//! marked down for a short while and tried only after those in service; the health probe
//! ([`RegistryReader::registry_serving`]) asks every replica, so it marks dead ones down before
//! reads reach them and re-admits a replica as soon as it answers again.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
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

/// How long a replica that failed is passed over. Longer than a health-probe round (the probe
/// interval plus at most one attempt timeout), so that while the probe runs a dead replica stays
/// marked and no read pays for finding it dead again; without the probe, a read re-tries it after
/// this long.
const DOWN_FOR: Duration = Duration::from_secs(2);

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

/// One registry URL.
struct Replica {
    url: String,
    registry: RegistryServiceClient<Channel>,
    health: HealthClient<Channel>,
    /// Until when this replica is passed over, after it failed a read or a health probe.
    down_until: Mutex<Option<Instant>>,
}

impl Replica {
    fn down_until(&self) -> Option<Instant> {
        // The lock only guards a plain value: a panic elsewhere cannot leave it half-written.
        *self.down_until.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_down(&self, down: bool) {
        *self.down_until.lock().unwrap_or_else(PoisonError::into_inner) = down.then(|| Instant::now() + DOWN_FOR);
    }
}

#[derive(Clone)]
pub struct RegistryReader {
    replicas: Arc<[Replica]>,
    /// Turns on every read so that the replicas in service share the load.
    next: Arc<AtomicUsize>,
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
    /// Channels to `urls` (one, or several replicas of the same store). Nothing is dialled yet: the
    /// first call connects, and a lost connection is re-established on the next call.
    pub fn connect_lazy(urls: &[String], policy: CallPolicy) -> anyhow::Result<Self> {
        let replicas = urls
            .iter()
            // `a, b` is as meant as `a,b`.
            .map(|url| url.trim().to_string())
            .filter(|url| !url.is_empty())
            .map(|url| {
                if !url.starts_with("http://") {
                    anyhow::bail!(
                        "registry URL {url:?} must start with http:// (TLS is not supported yet; a bare host:port needs the scheme)"
                    );
                }
                let channel = Endpoint::from_shared(url.clone())
                    .map_err(|e| anyhow::anyhow!("registry URL {url:?}: {e}"))?
                    .connect_timeout(policy.attempt_timeout)
                    .tcp_nodelay(true)
                    .http2_keep_alive_interval(Duration::from_secs(10))
                    .keep_alive_timeout(Duration::from_secs(5))
                    .connect_lazy();
                Ok(Replica {
                    url: url.clone(),
                    registry: RegistryServiceClient::new(channel.clone()).max_decoding_message_size(MAX_RESPONSE_BYTES),
                    health: HealthClient::new(channel),
                    down_until: Mutex::new(None),
                })
            })
            .collect::<anyhow::Result<Arc<[Replica]>>>()?;
        if replicas.is_empty() {
            anyhow::bail!("no registry URL given");
        }
        Ok(Self { replicas, next: Arc::new(AtomicUsize::new(0)), policy })
    }

    /// The order in which one round of attempts tries the replicas: those in service first, from a
    /// turning start; then those marked down, the one due back first ahead (it is the likeliest
    /// to be back, and with every replica down it is still worth asking).
    fn round(&self) -> Vec<&Replica> {
        let now = Instant::now();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.replicas.len();
        let mut order: Vec<&Replica> = self.replicas.iter().cycle().skip(start % n).take(n).collect();
        // Stable: replicas in service (None) keep their turn order.
        order.sort_by_key(|r| r.down_until().filter(|&until| until > now));
        order
    }

    /// Runs `call` until it succeeds, fails for good, or the budget (or the caller's deadline) is
    /// spent. Each round tries every replica once, those in service first, without pausing between
    /// them; only after a round in which all failed does it back off. With one replica this is
    /// plain retry with backoff. Only reads go through here, so repeating them is safe.
    async fn with_retry<T, F, Fut>(
        &self,
        what: &str,
        deadline: Option<Instant>,
        mut call: F,
    ) -> Result<T, EvaluationError>
    where
        F: FnMut(RegistryServiceClient<Channel>, Duration) -> Fut,
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
            for replica in self.round() {
                let remaining = end.saturating_duration_since(Instant::now());
                if remaining.is_zero() {
                    return Err(out_of_time(last));
                }
                let attempt = remaining.min(self.policy.attempt_timeout);
                // A timeout of an attempt that our own deadline cut short says nothing about the
                // replica; any other failure does.
                let full_length = attempt == self.policy.attempt_timeout;
                let (failure, replica_at_fault) =
                    match tokio::time::timeout(attempt, call(replica.registry.clone(), attempt)).await {
                        Ok(Ok(value)) => {
                            if replica.down_until().is_some() {
                                replica.set_down(false);
                            }
                            return Ok(value);
                        }
                        Ok(Err(status)) if final_answer(&status) => {
                            return Err(EvaluationError::from_registry(status));
                        }
                        Ok(Err(status)) => {
                            let timed_out = matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled);
                            (format!("{}: {}", status.code(), status.message()), full_length || !timed_out)
                        }
                        Err(_) => ("attempt timed out".to_string(), full_length),
                    };
                tracing::debug!(what, replica = replica.url, failure, "registry read failed");
                if replica_at_fault {
                    replica.set_down(true);
                }
                last = format!("{}: {failure}", replica.url);
            }
            let pause = backoff.min(end.saturating_duration_since(Instant::now()));
            if pause.is_zero() {
                return Err(out_of_time(last));
            }
            tracing::debug!(what, last, ?pause, "no registry replica answered; retrying");
            tokio::time::sleep(pause).await;
            backoff = backoff.saturating_mul(2);
        }
    }

    /// The pairing, its actors and its activities, in one round trip.
    pub async fn snapshot(&self, name: &str, deadline: Option<Instant>) -> Result<PairingSnapshot, EvaluationError> {
        let wire = self
            .with_retry(name, deadline, |mut client, timeout| {
                let mut request = tonic::Request::new(pb::GetPairingSnapshotRequest { name: name.to_string() });
                request.set_timeout(timeout);
                async move { client.get_pairing_snapshot(request).await.map(tonic::Response::into_inner) }
            })
            .await?;
        eastwest_proto::convert::snapshot_in(wire).map_err(EvaluationError::BadRegistryData)
    }

    /// One page of pairing names. Page tokens carry the last key read, not anything of the replica
    /// that issued them, so the next page may come from another replica.
    pub async fn list_pairings(
        &self,
        request: pb::ListPairingsRequest,
        deadline: Option<Instant>,
    ) -> Result<pb::ListPairingsResponse, EvaluationError> {
        self.with_retry("listing pairings", deadline, |mut client, timeout| {
            let mut request = tonic::Request::new(request.clone());
            request.set_timeout(timeout);
            async move { client.list_pairings(request).await.map(tonic::Response::into_inner) }
        })
        .await
    }

    /// Whether at least one replica reports the registry service as SERVING. Every replica is asked
    /// at once, with a short deadline; the answers also mark replicas down or back in service, so
    /// that reads skip a dead replica and use a recovered one again without paying for finding out.
    pub async fn registry_serving(&self) -> bool {
        let probes = self.replicas.iter().map(|replica| async move {
            let mut health = replica.health.clone();
            let mut request = tonic::Request::new(tonic_health::pb::HealthCheckRequest {
                service: pb::registry_service_server::SERVICE_NAME.to_string(),
            });
            request.set_timeout(self.policy.attempt_timeout);
            let serving = match tokio::time::timeout(self.policy.attempt_timeout, health.check(request)).await {
                Ok(Ok(response)) => response.into_inner().status == ServingStatus::Serving as i32,
                _ => false,
            };
            replica.set_down(!serving);
            serving
        });
        futures::future::join_all(probes).await.into_iter().any(|serving| serving)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(urls: &[&str]) -> RegistryReader {
        let urls: Vec<String> = urls.iter().map(|u| u.to_string()).collect();
        RegistryReader::connect_lazy(&urls, CallPolicy::default()).expect("reader")
    }

    fn first_urls(reader: &RegistryReader, rounds: usize) -> Vec<String> {
        (0..rounds).map(|_| reader.round().first().map(|r| r.url.clone()).unwrap_or_default()).collect()
    }

    #[tokio::test]
    async fn rounds_take_turns_and_put_replicas_marked_down_last() {
        let reader = reader(&["http://a:1", "http://b:1", "http://c:1"]);
        let mut firsts = first_urls(&reader, 3);
        firsts.sort();
        assert_eq!(firsts, ["http://a:1", "http://b:1", "http://c:1"]);

        reader.replicas[0].set_down(true);
        for _ in 0..6 {
            let round: Vec<_> = reader.round().iter().map(|r| r.url.as_str()).collect();
            assert_eq!(round.len(), 3, "every replica is still tried once per round");
            assert_eq!(round[2], "http://a:1", "{round:?}");
        }
        reader.replicas[0].set_down(false);
        assert!(first_urls(&reader, 3).iter().any(|u| u == "http://a:1"), "a is back in turn");
    }

    #[tokio::test]
    async fn urls_are_checked() {
        assert!(RegistryReader::connect_lazy(&[], CallPolicy::default()).is_err());
        assert!(RegistryReader::connect_lazy(&["a:1".to_string()], CallPolicy::default()).is_err());
    }

    #[tokio::test]
    async fn a_lone_replica_is_asked_until_the_budget_is_spent() {
        // A port that nobody listens on.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        drop(listener);
        let policy = CallPolicy { budget: Duration::from_millis(300), ..CallPolicy::default() };
        let reader = RegistryReader::connect_lazy(&[url], policy).expect("reader");
        let started = Instant::now();
        let err = reader.snapshot("pairings/x", None).await.expect_err("nobody there");
        assert!(matches!(err, EvaluationError::RegistryUnavailable(_)), "{err:?}");
        assert!(started.elapsed() < Duration::from_millis(600), "{:?}", started.elapsed());
        assert!(!reader.registry_serving().await);
    }
}
