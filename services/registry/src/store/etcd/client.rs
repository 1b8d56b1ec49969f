//! Talking to the members: connecting, retrying a call across members while the budget lasts, and
//! telling what a failure means (retry, unknown outcome, or a refusal to pass on).

use std::time::{Duration, Instant};

use etcd_client::{Client, ConnectOptions, KeyValue, KvClient, ResponseHeader, Txn as EtcdTxn, TxnResponse};

use super::{EtcdConfig, EtcdStore, config};
use crate::store::{StoreError, Versioned};

/// Largest answer accepted from etcd: a scan or multi-get may carry a thousand records, more than
/// tonic's default of 4 MiB; as much as the registry itself may answer.
const MAX_READ_BYTES: usize = 64 << 20;

/// A client for `endpoints` (already trimmed, not empty), with the config's timeouts and TLS.
pub(super) async fn connect(config: &EtcdConfig, endpoints: &[&str]) -> Result<KvClient, StoreError> {
    let mut options = ConnectOptions::new()
        .with_timeout(config.request_timeout)
        .with_connect_timeout(config.request_timeout)
        .with_keep_alive(Duration::from_secs(10), Duration::from_secs(5))
        // A member cut off from the leader answers at once instead of waiting out the timeout.
        .with_require_leader(true);
    if let Some(tls) = config::tls_options(config)? {
        options = options.with_tls(tls);
    }
    let client = Client::connect(endpoints, Some(options))
        .await
        .map_err(|e| StoreError::Config(format!("the etcd endpoints {:?} are not usable: {e}", endpoints.join(","))))?;
    Ok(client.kv_client().max_decoding_message_size(MAX_READ_BYTES))
}

pub(super) fn revision_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub(super) fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A key's value and the revision that last wrote it.
pub(super) fn versioned(kv: &KeyValue) -> Versioned {
    Versioned { revision: revision_of(kv.mod_revision()), value: kv.value().to_vec() }
}

pub(super) fn header_revision(header: Option<&ResponseHeader>) -> Result<u64, StoreError> {
    header
        .map(|h| revision_of(h.revision()))
        .ok_or_else(|| StoreError::Corrupt("etcd answered without a response header".into()))
}

/// How an etcd failure reaches the registry. `Unavailable` is what retrying may cure.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "etcd-client's errors and tonic's codes, foreign enums: what is not named is a refusal"
)]
pub(super) fn classify(e: etcd_client::Error) -> StoreError {
    use etcd_client::Error as E;
    match e {
        E::GRpcStatus(status) => {
            let message = status.message().to_string();
            match status.code() {
                tonic::Code::OutOfRange if message.contains("compacted") => StoreError::Compacted { revision: 0 },
                tonic::Code::OutOfRange if message.contains("future revision") => {
                    StoreError::FutureRevision { revision: 0 }
                }
                tonic::Code::Unavailable
                | tonic::Code::DeadlineExceeded
                | tonic::Code::Cancelled
                | tonic::Code::Unknown
                | tonic::Code::Aborted => StoreError::Unavailable(message),
                // NOSPACE: an operator must compact, defragment or raise the quota.
                tonic::Code::ResourceExhausted => StoreError::Io(format!("etcd is out of space or busy: {message}")),
                // Deterministic refusals (over etcd's limits, a duplicate key, an answer too large
                // to decode): repeating the request cannot help.
                code => StoreError::Refused(format!("etcd answered {code:?}: {message}")),
            }
        }
        E::TransportError(t) => StoreError::Unavailable(format!("cannot reach etcd: {t}")),
        E::IoError(io) => StoreError::Unavailable(format!("cannot reach etcd: {io}")),
        other => StoreError::Refused(format!("etcd client: {other}")),
    }
}

/// Why etcd was unavailable, or the error itself when it is another: only unavailability leaves
/// the outcome of a transaction unknown.
fn unavailable(e: StoreError) -> Result<String, StoreError> {
    match e {
        StoreError::Unavailable(why) => Ok(why),
        other @ (StoreError::Locked { .. }
        | StoreError::NewerFormat { .. }
        | StoreError::Io(_)
        | StoreError::Compacted { .. }
        | StoreError::FutureRevision { .. }
        | StoreError::Config(_)
        | StoreError::Refused(_)
        | StoreError::TooLarge { .. }
        | StoreError::Corrupt(_)) => Err(other),
    }
}

/// A compaction error names the revision that was asked for.
pub(super) fn with_revision(e: StoreError, revision: Option<u64>) -> StoreError {
    match (e, revision) {
        (StoreError::Compacted { .. }, Some(revision)) => StoreError::Compacted { revision },
        (StoreError::FutureRevision { .. }, Some(revision)) => StoreError::FutureRevision { revision },
        (e, _) => e,
    }
}

/// Whether a failed request certainly did not reach etcd's log, so that sending it again cannot
/// apply it twice: refused by a member without a leader (`with_require_leader`) or before its
/// proposal, or never sent because no connection could be made.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "etcd-client's errors, a foreign enum: only those named are certainly unapplied"
)]
pub(super) fn never_applied(e: &etcd_client::Error) -> bool {
    use etcd_client::Error as E;
    match e {
        E::GRpcStatus(status) => {
            let message = status.message();
            [
                "no leader",
                "too many requests",
                "error trying to connect",
                "tcp connect error",
                "Connection refused",
                "Service was not ready",
            ]
            .iter()
            .any(|sign| message.contains(sign))
        }
        E::TransportError(_) => true,
        _ => false,
    }
}

/// The wait before the next attempt: short, growing, never past the deadline.
pub(super) async fn pause(attempt: u32, deadline: Instant) {
    let wait = Duration::from_millis(25u64.saturating_mul(1 << attempt.min(4))).min(Duration::from_millis(250));
    let left = deadline.saturating_duration_since(Instant::now());
    tokio::time::sleep(wait.min(left)).await;
}

/// Why a transaction got no answer.
pub(super) enum TxnFailure {
    /// Sent, and its answer lost: it may have applied, and may still, so it is never sent again.
    Lost(String),
    /// Anything else: certainly not applied, or refused.
    Other(StoreError),
}

impl EtcdStore {
    /// Sends `request`, and sends it again while it certainly did not apply and the budget lasts.
    pub(super) async fn send_txn(&self, request: EtcdTxn) -> Result<TxnResponse, TxnFailure> {
        let deadline = Instant::now() + self.budget;
        let mut attempt = 0;
        loop {
            match self.kv.clone().txn(request.clone()).await {
                Ok(response) => return Ok(response),
                // Certainly not applied: safe to send again while the budget lasts.
                Err(e) if never_applied(&e) => {
                    if Instant::now() >= deadline {
                        let why = unavailable(classify(e)).unwrap_or_else(|other| other.to_string());
                        return Err(TxnFailure::Other(StoreError::Unavailable(format!(
                            "{why}; the write was not applied"
                        ))));
                    }
                    tracing::debug!(error = %e, attempt, "etcd refused the transaction before applying it; retrying");
                    pause(attempt, deadline).await;
                    attempt += 1;
                }
                Err(e) => {
                    return Err(match unavailable(classify(e)) {
                        Ok(why) => TxnFailure::Lost(why),
                        Err(other) => TxnFailure::Other(other),
                    });
                }
            }
        }
    }

    /// Runs `call` until it succeeds, fails for a reason other than availability, or the budget
    /// is spent.
    pub(super) async fn with_members<T, F, Fut>(&self, call: F) -> Result<T, StoreError>
    where
        F: FnMut(KvClient) -> Fut,
        Fut: std::future::Future<Output = Result<T, etcd_client::Error>>,
    {
        self.with_members_for(self.budget, call).await
    }

    /// [`EtcdStore::with_members`] with a budget of its own. Each attempt goes to the member the
    /// client's balancer picks, so a retry usually reaches another one.
    pub(super) async fn with_members_for<T, F, Fut>(&self, budget: Duration, mut call: F) -> Result<T, StoreError>
    where
        F: FnMut(KvClient) -> Fut,
        Fut: std::future::Future<Output = Result<T, etcd_client::Error>>,
    {
        let deadline = Instant::now() + budget;
        let mut attempt = 0;
        loop {
            match call(self.kv.clone()).await.map_err(classify) {
                Err(StoreError::Unavailable(why)) if Instant::now() < deadline => {
                    tracing::debug!(%why, attempt, "etcd call failed; retrying");
                    pause(attempt, deadline).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}
