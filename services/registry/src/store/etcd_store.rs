//! The cluster engine: etcd v3, mapped the way Kubernetes' apiserver maps its objects.
//!
//! - A key `k` lives at `{prefix}/k`; a record's revision is the key's `mod_revision`.
//! - A [`Txn`] is one etcd transaction: `Absent` compares `mod_revision == 0`, `Revision(r)`
//!   compares `mod_revision == r`, the writes run only if every comparison holds.
//! - Reads are linearizable (served with the leader's agreement), so a write acknowledged through
//!   one registry replica is seen by a read through any other.
//! - An acknowledged write is committed by a majority of members, each having synced its log.
//!
//! Members come and go: a read that fails because a member is unreachable or has no leader is
//! retried (on another member, by the client's balancer) until [`EtcdConfig::budget`] runs out.
//! A transaction is sent again only when it certainly did not apply (refused for want of a leader,
//! or never sent). One whose answer was lost is never sent again, since a second copy could apply
//! after the first (an "absent" comparison holds again once the key is deleted): its record is read
//! back instead, and if it is there exactly as written the commit is reported. Otherwise the caller
//! gets UNAVAILABLE saying the outcome is unknown; the write applied entirely or not at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use etcd_client::{
    Certificate, Client, Compare, CompareOp, ConnectOptions, GetOptions, Identity, KvClient, TlsOptions,
    Txn as EtcdTxn, TxnOp, TxnOpResponse,
};

use super::{
    Expect, FORMAT_KEY, FORMAT_VERSION, Key, Outcome, Put, Scan, Scanned, Store, StoreError, Txn, TxnLimits, Versioned,
    check_format_version,
};

/// etcd's defaults are 128 operations per transaction (`--max-txn-ops`) and 1.5 MiB per request
/// (`--max-request-bytes`); the byte limit leaves room for the prefix and protobuf framing.
pub const ETCD_LIMITS: TxnLimits = TxnLimits { max_ops: 128, max_bytes: 1 << 20 };

/// Largest answer accepted from etcd: a scan or multi-get may carry a thousand records, more than
/// tonic's default of 4 MiB; as much as the registry itself may answer.
const MAX_READ_BYTES: usize = 64 << 20;

#[derive(Debug, Clone)]
pub struct EtcdConfig {
    /// Client URLs of the members, e.g. `http://127.0.0.1:2379` (`https://` with TLS).
    pub endpoints: Vec<String>,
    /// Every key of this registry lives under it, so several registries can share one cluster.
    pub prefix: String,
    /// CA bundle that signed the members' certificates.
    pub ca_file: Option<PathBuf>,
    /// Client certificate and key, for members that require them.
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    /// Longest wait for one request to one member.
    pub request_timeout: Duration,
    /// Longest time one store operation keeps retrying across members before UNAVAILABLE.
    pub budget: Duration,
    /// How long `open` waits for a member to answer before giving up.
    pub connect_patience: Duration,
}

impl EtcdConfig {
    pub fn new(endpoints: Vec<String>, prefix: impl Into<String>) -> Self {
        Self {
            endpoints,
            prefix: prefix.into(),
            ca_file: None,
            cert_file: None,
            key_file: None,
            request_timeout: Duration::from_millis(1_500),
            budget: Duration::from_secs(3),
            connect_patience: Duration::from_secs(10),
        }
    }
}

#[derive(Clone)]
pub struct EtcdStore {
    kv: KvClient,
    /// `{prefix}/`, prepended to every key.
    root: Vec<u8>,
    budget: Duration,
    /// For messages: where the data lives.
    location: String,
}

fn read_file(what: &str, path: &PathBuf) -> Result<Vec<u8>, StoreError> {
    std::fs::read(path).map_err(|e| StoreError::Config(format!("cannot read the etcd {what} {}: {e}", path.display())))
}

/// Values read at one revision, and that revision.
type Snapshot = (Vec<Option<Versioned>>, u64);

/// The first segment of every key a registry writes below its prefix (see `core::keys`).
const NAMESPACES: &[&str] = &["a", "p", "v", "rc", "x", "meta"];

/// The key prefix as given, checked: absolute, not the root, no empty segment. Returns it
/// without a trailing slash.
///
/// No segment may be one of [`NAMESPACES`]: a registry at `/r` reads every key under `/r/a/`,
/// `/r/p/`, … as its own, so one at `/r/a` or `/r/p/q` would have its keys taken for records of
/// `/r`, whichever of the two started first. Any other nesting shares no range with the outer
/// registry (and is refused as well, by `check_layout`, when the outer one exists).
fn checked_prefix(prefix: &str) -> Result<&str, StoreError> {
    let trimmed = prefix.strip_suffix('/').unwrap_or(prefix);
    let valid = trimmed.starts_with('/') && trimmed.len() > 1 && !trimmed[1..].split('/').any(str::is_empty);
    if !valid {
        return Err(StoreError::Config(format!(
            "--etcd-prefix {prefix:?} must be an absolute key path other than \"/\", such as /eastwest"
        )));
    }
    if let Some(segment) = trimmed[1..].split('/').find(|segment| NAMESPACES.contains(segment)) {
        return Err(StoreError::Config(format!(
            "--etcd-prefix {prefix:?} has a segment {segment:?}, a name the registry uses for its own keys \
             ({}); choose another, such as /eastwest/{}",
            NAMESPACES.join(", "),
            if segment == "p" { "prod" } else { "main" }
        )));
    }
    Ok(trimmed)
}

fn tls_options(config: &EtcdConfig) -> Result<Option<TlsOptions>, StoreError> {
    let identity = match (&config.cert_file, &config.key_file) {
        (Some(cert), Some(key)) => {
            Some(Identity::from_pem(read_file("client certificate", cert)?, read_file("client key", key)?))
        }
        (None, None) => None,
        _ => {
            return Err(StoreError::Config(
                "--etcd-cert-file and --etcd-key-file go together: give both or neither".into(),
            ));
        }
    };
    let ca = config.ca_file.as_ref().map(|ca| read_file("CA bundle", ca)).transpose()?;
    let https = config.endpoints.iter().filter(|e| e.starts_with("https://")).count();
    if https != 0 && https != config.endpoints.len() {
        return Err(StoreError::Config("--etcd-endpoints mixes http:// and https:// URLs; use one scheme".into()));
    }
    match (https > 0, ca.is_some()) {
        // This build trusts no system roots: the CA must be named.
        (true, false) => {
            return Err(StoreError::Config(
                "https:// etcd endpoints need --etcd-ca-file, the CA that signed the members' certificates".into(),
            ));
        }
        (false, true) | (false, false) if identity.is_some() || ca.is_some() => {
            return Err(StoreError::Config(
                "TLS files are given but the etcd endpoints are http://; use https:// URLs".into(),
            ));
        }
        (false, _) => return Ok(None),
        (true, true) => {}
    }
    let mut tls = TlsOptions::new();
    if let Some(ca) = ca {
        tls = tls.ca_certificate(Certificate::from_pem(ca));
    }
    if let Some(identity) = identity {
        tls = tls.identity(identity);
    }
    Ok(Some(tls))
}

/// The first key after every key that starts with `prefix`.
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    // Only 0xff bytes: the range runs to the end of the keyspace.
    vec![0]
}

fn revision_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// How an etcd failure reaches the registry. `Unavailable` is what retrying may cure.
fn classify(e: etcd_client::Error) -> StoreError {
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

/// Whether a failed request certainly did not reach etcd's log, so that sending it again cannot
/// apply it twice: refused by a member without a leader (`with_require_leader`) or before its
/// proposal, or never sent because no connection could be made.
fn never_applied(e: &etcd_client::Error) -> bool {
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

fn header_revision(header: Option<&etcd_client::ResponseHeader>) -> Result<u64, StoreError> {
    header
        .map(|h| revision_of(h.revision()))
        .ok_or_else(|| StoreError::Corrupt("etcd answered without a response header".into()))
}

/// The wait before the next attempt: short, growing, never past the deadline.
async fn pause(attempt: u32, deadline: Instant) {
    let wait = Duration::from_millis(25u64.saturating_mul(1 << attempt.min(4))).min(Duration::from_millis(250));
    let left = deadline.saturating_duration_since(Instant::now());
    tokio::time::sleep(wait.min(left)).await;
}

impl EtcdStore {
    /// Connects and checks (or writes) the format version under the prefix. Waits up to
    /// `connect_patience` for a member to answer, so that a registry started beside its etcd does
    /// not fail.
    pub async fn open(config: &EtcdConfig) -> Result<Self, StoreError> {
        let endpoints: Vec<&str> = config.endpoints.iter().map(|e| e.trim()).filter(|e| !e.is_empty()).collect();
        if endpoints.is_empty() {
            return Err(StoreError::Config("no etcd endpoints given (--etcd-endpoints)".into()));
        }
        let prefix = checked_prefix(&config.prefix)?;
        let mut options = ConnectOptions::new()
            .with_timeout(config.request_timeout)
            .with_connect_timeout(config.request_timeout)
            .with_keep_alive(Duration::from_secs(10), Duration::from_secs(5))
            // A member cut off from the leader answers at once instead of waiting out the timeout.
            .with_require_leader(true);
        if let Some(tls) = tls_options(config)? {
            options = options.with_tls(tls);
        }
        let listed = endpoints.join(",");
        let client = Client::connect(&endpoints, Some(options))
            .await
            .map_err(|e| StoreError::Config(format!("the etcd endpoints {listed:?} are not usable: {e}")))?;
        let store = Self {
            kv: client.kv_client().max_decoding_message_size(MAX_READ_BYTES),
            root: format!("{prefix}/").into_bytes(),
            budget: config.budget,
            location: format!("etcd {listed} under {prefix}/"),
        };
        let started = Instant::now();
        loop {
            match store.check_layout(prefix).await {
                Err(StoreError::Unavailable(why)) if started.elapsed() < config.connect_patience => {
                    tracing::warn!(%why, "etcd is not answering yet; retrying");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(StoreError::Unavailable(why)) => {
                    return Err(StoreError::Unavailable(format!(
                        "no etcd member at {listed} answered with a leader within {:?} (last: {why})",
                        config.connect_patience
                    )));
                }
                other => return other.map(|()| store),
            }
        }
    }

    /// Refuses a prefix inside another registry's (its keys would be read as that registry's
    /// records), then checks or writes the format version.
    async fn check_layout(&self, prefix: &str) -> Result<(), StoreError> {
        let mut outer = prefix;
        while let Some(cut) = outer.rfind('/').filter(|&cut| cut > 0) {
            outer = &outer[..cut];
            let key = [outer.as_bytes(), b"/", FORMAT_KEY].concat();
            let found = self.with_members(|mut kv| {
                let key = key.clone();
                async move { kv.get(key, None).await }
            });
            if !found.await?.kvs().is_empty() {
                return Err(StoreError::Config(format!(
                    "--etcd-prefix {prefix} lies inside the registry at {outer}/; prefixes must not nest"
                )));
            }
        }
        self.check_format().await
    }

    fn full(&self, key: &[u8]) -> Vec<u8> {
        [self.root.as_slice(), key].concat()
    }

    fn local(&self, key: &[u8]) -> Key {
        key.strip_prefix(self.root.as_slice()).unwrap_or(key).to_vec()
    }

    async fn check_format(&self) -> Result<(), StoreError> {
        let mut txn = Txn::default();
        txn.expect(FORMAT_KEY.to_vec(), Expect::Absent);
        txn.put(FORMAT_KEY.to_vec(), FORMAT_VERSION.to_be_bytes().to_vec());
        if let Outcome::Committed { .. } = self.commit(txn).await? {
            return Ok(());
        }
        let stored = self.get(FORMAT_KEY.to_vec()).await?.ok_or_else(|| {
            StoreError::Corrupt(format!("the format key in {} vanished while it was read", self.location))
        })?;
        check_format_version(&self.location, &stored.value)
    }

    /// Runs `call` until it succeeds, fails for a reason other than availability, or the budget
    /// is spent.
    async fn with_members<T, F, Fut>(&self, call: F) -> Result<T, StoreError>
    where
        F: FnMut(KvClient) -> Fut,
        Fut: std::future::Future<Output = Result<T, etcd_client::Error>>,
    {
        self.with_members_for(self.budget, call).await
    }

    /// [`EtcdStore::with_members`] with a budget of its own. Each attempt goes to the member the
    /// client's balancer picks, so a retry usually reaches another one.
    async fn with_members_for<T, F, Fut>(&self, budget: Duration, mut call: F) -> Result<T, StoreError>
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

    /// Reads up to one transaction's worth of keys in a read-only transaction, at `revision` or the
    /// latest; returns them with the revision they were read at.
    async fn get_chunk(&self, keys: &[Key], revision: Option<u64>) -> Result<Snapshot, StoreError> {
        let ops: Vec<TxnOp> = keys
            .iter()
            .map(|k| {
                let options = GetOptions::new().with_revision(revision.map(signed).unwrap_or(0));
                TxnOp::get(self.full(k), Some(options))
            })
            .collect();
        let response = self
            .with_members(|mut kv| {
                let txn = EtcdTxn::new().and_then(ops.clone());
                async move { kv.txn(txn).await }
            })
            .await
            .map_err(|e| with_revision(e, revision))?;
        let mut found = Vec::with_capacity(keys.len());
        for op in response.op_responses() {
            let TxnOpResponse::Get(get) = op else {
                return Err(StoreError::Corrupt("etcd answered a read with a write".into()));
            };
            found.push(
                get.kvs()
                    .first()
                    .map(|kv| Versioned { revision: revision_of(kv.mod_revision()), value: kv.value().to_vec() }),
            );
        }
        if found.len() != keys.len() {
            return Err(StoreError::Corrupt(format!("etcd answered {} of {} reads", found.len(), keys.len())));
        }
        Ok((found, header_revision(response.header())?))
    }

    /// Reads any number of keys at one revision: `revision`, or the one the first chunk read at, so
    /// that a read of more keys than one transaction holds is still one snapshot.
    async fn read_snapshot(&self, keys: &[Key], revision: Option<u64>) -> Result<Snapshot, StoreError> {
        // Compacted between two chunks of a read the caller did not pin: the caller has no listing
        // to restart, so read once more at the latest revision.
        let compacted = |e: &StoreError| matches!(e, StoreError::Compacted { .. }) && revision.is_none();
        match self.read_chunks(keys, revision).await {
            Err(e) if compacted(&e) => match self.read_chunks(keys, None).await {
                Err(e) if compacted(&e) => Err(StoreError::Unavailable(
                    "etcd compacted the revision of a read in progress twice; try again".into(),
                )),
                other => other,
            },
            other => other,
        }
    }

    async fn read_chunks(&self, keys: &[Key], revision: Option<u64>) -> Result<Snapshot, StoreError> {
        let mut out = Vec::with_capacity(keys.len());
        let mut at = revision;
        for chunk in keys.chunks(ETCD_LIMITS.max_ops) {
            let (found, read_at) = self.get_chunk(chunk, at).await?;
            // etcd's header names its current revision even for a read at an older one: only an
            // unpinned first chunk tells the revision to pin the others to.
            at = at.or(Some(read_at));
            out.extend(found);
        }
        Ok((out, at.unwrap_or(0)))
    }

    /// A transaction whose answer was lost may or may not have applied, and may still apply if it
    /// is queued in etcd; sending it again could apply it twice (an "absent" comparison holds again
    /// once someone deletes the key). So it is never sent again: every key it writes or deletes is
    /// read back, in one snapshot. Applied means a record it wrote ([`Put::record`]) is found
    /// exactly, or else all of it is found: each put's exact value, all at one revision
    /// (one transaction wrote them), and each deleted key absent. A part alone is not enough: a
    /// transaction that writes only reference counts can find the same count written by another
    /// replica. Anything else leaves the outcome unknown, and says so.
    ///
    /// The one false "applied": another writer brought about exactly this state (the same record
    /// deleted, counts equal) while this transaction failed; the record is then as the caller asked.
    async fn settle(&self, puts: &BTreeMap<Key, Put>, deletes: &[Key], why: String) -> Result<Outcome, StoreError> {
        let unknown = |why: &str| {
            StoreError::Unavailable(format!(
                "{why}; the write may or may not have been applied (never in part): read it back"
            ))
        };
        let keys: Vec<Key> = puts.keys().chain(deletes).cloned().collect();
        let (found, read_at) = match self.read_snapshot(&keys, None).await {
            Ok(snapshot) => snapshot,
            Err(e) => return Err(unknown(&format!("{why}; reading it back: {e}"))),
        };
        let (written, removed) = found.split_at(puts.len());
        // A record (actor, pairing, activity) carries the microsecond it was written: found exactly,
        // it is this transaction's, whatever has happened to the shared counts since.
        for (put, found) in puts.values().zip(written) {
            if let Some(found) = found
                && found.value == put.value
                && put.record
            {
                return Ok(Outcome::Committed { revision: found.revision });
            }
        }
        let mut revisions = BTreeSet::new();
        for (found, put) in written.iter().zip(puts.values()) {
            match found {
                Some(found) if found.value == put.value => revisions.insert(found.revision),
                _ => return Err(unknown(&why)),
            };
        }
        if revisions.len() > 1 || removed.iter().any(Option::is_some) {
            return Err(unknown(&why));
        }
        Ok(Outcome::Committed { revision: revisions.first().copied().unwrap_or(read_at) })
    }
}

/// A compaction error names the revision that was asked for.
fn with_revision(e: StoreError, revision: Option<u64>) -> StoreError {
    match (e, revision) {
        (StoreError::Compacted { .. }, Some(revision)) => StoreError::Compacted { revision },
        (StoreError::FutureRevision { .. }, Some(revision)) => StoreError::FutureRevision { revision },
        (e, _) => e,
    }
}

impl Store for EtcdStore {
    async fn get(&self, key: Key) -> Result<Option<Versioned>, StoreError> {
        let full = self.full(&key);
        let response = self
            .with_members(|mut kv| {
                let full = full.clone();
                async move { kv.get(full, None).await }
            })
            .await?;
        Ok(response
            .kvs()
            .first()
            .map(|kv| Versioned { revision: revision_of(kv.mod_revision()), value: kv.value().to_vec() }))
    }

    async fn get_many(&self, keys: Vec<Key>, revision: Option<u64>) -> Result<Vec<Option<Versioned>>, StoreError> {
        Ok(self.read_snapshot(&keys, revision).await?.0)
    }

    async fn scan(&self, scan: Scan) -> Result<Scanned, StoreError> {
        let first = self.full(&scan.prefix);
        let start = match &scan.start_after {
            // The smallest key greater than `after`, and never before the prefix.
            Some(after) => [self.full(after).as_slice(), &[0]].concat().max(first.clone()),
            None => first.clone(),
        };
        let end = prefix_end(&first);
        let limit = i64::try_from(scan.limit).unwrap_or(i64::MAX);
        let at = scan.revision.map(signed).unwrap_or(0);
        let response = self
            .with_members(|mut kv| {
                let options = GetOptions::new().with_range(end.clone()).with_limit(limit).with_revision(at);
                let start = start.clone();
                async move { kv.get(start, Some(options)).await }
            })
            .await
            .map_err(|e| with_revision(e, scan.revision))?;
        let revision = match scan.revision {
            Some(r) => r,
            None => header_revision(response.header())?,
        };
        let entries = response
            .kvs()
            .iter()
            .map(|kv| {
                let version = Versioned { revision: revision_of(kv.mod_revision()), value: kv.value().to_vec() };
                (self.local(kv.key()), version)
            })
            .collect();
        Ok(Scanned { entries, revision: Some(revision) })
    }

    async fn commit(&self, txn: Txn) -> Result<Outcome, StoreError> {
        if !ETCD_LIMITS.admits(&txn) {
            let (compares, writes) = txn.ops();
            return Err(StoreError::TooLarge { compares, writes, bytes: txn.bytes() });
        }
        // etcd refuses two writes to one key in a transaction; as in sled, a put wins over a delete.
        let puts: BTreeMap<Key, Put> = txn.puts.into_iter().map(|put| (put.key.clone(), put)).collect();
        let mut deletes = txn.deletes;
        deletes.sort();
        deletes.dedup();
        deletes.retain(|k| !puts.contains_key(k));
        let compares: Vec<Compare> = txn
            .expects
            .iter()
            .map(|(key, expect)| {
                let revision = match expect {
                    Expect::Absent => 0,
                    Expect::Revision(r) => signed(*r),
                };
                Compare::mod_revision(self.full(key), CompareOp::Equal, revision)
            })
            .collect();
        let ops: Vec<TxnOp> = deletes
            .iter()
            .map(|k| TxnOp::delete(self.full(k), None))
            .chain(puts.values().map(|put| TxnOp::put(self.full(&put.key), put.value.clone(), None)))
            .collect();
        let deadline = Instant::now() + self.budget;
        let mut attempt = 0;
        loop {
            let request = EtcdTxn::new().when(compares.clone()).and_then(ops.clone());
            match self.kv.clone().txn(request).await {
                Ok(response) => {
                    let revision = header_revision(response.header())?;
                    return Ok(if response.succeeded() { Outcome::Committed { revision } } else { Outcome::Conflict });
                }
                // Certainly not applied: safe to send again while the budget lasts.
                Err(e) if never_applied(&e) => {
                    if Instant::now() >= deadline {
                        let why = match classify(e) {
                            StoreError::Unavailable(why) => why,
                            other => other.to_string(),
                        };
                        return Err(StoreError::Unavailable(format!("{why}; the write was not applied")));
                    }
                    tracing::debug!(error = %e, attempt, "etcd refused the transaction before applying it; retrying");
                    pause(attempt, deadline).await;
                    attempt += 1;
                }
                Err(e) => {
                    return match classify(e) {
                        StoreError::Unavailable(why) => self.settle(&puts, &deletes, why).await,
                        other => Err(other),
                    };
                }
            }
        }
    }

    /// etcd acknowledges a transaction once a majority has synced it: nothing is left to flush.
    async fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn limits(&self) -> TxnLimits {
        ETCD_LIMITS
    }

    /// Whether some member answers with a leader. The client's balancer may send one attempt to a
    /// member that is down while the others hold a majority, so a failed attempt is repeated on
    /// the next for up to a second and a half; only then is the store reported unavailable.
    async fn ready(&self) -> Result<(), StoreError> {
        let key = self.full(FORMAT_KEY);
        self.with_members_for(Duration::from_millis(1_500), |mut kv| {
            let key = key.clone();
            async move { kv.get(key, None).await }
        })
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ends_bound_exactly_the_prefixed_keys() {
        assert_eq!(prefix_end(b"/eastwest/a/"), b"/eastwest/a0".to_vec());
        assert_eq!(prefix_end(b"a\xff"), b"b".to_vec());
        assert_eq!(prefix_end(b"\xff\xff"), vec![0]);
    }

    #[test]
    fn prefixes_that_could_lie_inside_a_registrys_ranges_are_refused() {
        for ok in ["/eastwest", "/eastwest/", "/gov/prod", "/a1/pp"] {
            assert!(checked_prefix(ok).is_ok(), "{ok}");
        }
        for refused in ["eastwest", "/", "//x", "/r/a", "/r/p/q", "/meta", "/r/rc/", "/x"] {
            assert!(matches!(checked_prefix(refused), Err(StoreError::Config(_))), "{refused}");
        }
    }

    #[test]
    fn namespaces_name_the_first_segment_of_every_registry_key() {
        use crate::core::keys;
        let keys: Vec<Vec<u8>> = vec![
            keys::actor("i"),
            keys::pairing("i"),
            keys::activity("i", "j"),
            keys::actor_refs("i"),
            keys::pairing_refs("i"),
            keys::credit_code("c"),
            keys::actors_by_region("52"),
            keys::pairings_by_parent("i"),
            FORMAT_KEY.to_vec(),
        ];
        for key in keys {
            let first = key.split(|&b| b == b'/').next().unwrap_or_default();
            assert!(NAMESPACES.iter().any(|n| n.as_bytes() == first), "{}", String::from_utf8_lossy(&key));
        }
    }
}
