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
//!
//! By job: `config` (settings, TLS, the prefix check), `client` (connecting, retries across
//! members, what a failure means), `snapshot` (reads of many keys at one revision), `settle`
//! (a commit whose answer was lost). Only this folder imports etcd-client.

mod client;
mod config;
mod settle;
mod snapshot;

use std::time::{Duration, Instant};

use etcd_client::{Compare, CompareOp, GetOptions, KvClient, Txn as EtcdTxn, TxnOp};

use self::client::{TxnFailure, header_revision, signed, versioned, with_revision};
pub use self::config::EtcdConfig;
use self::settle::Writes;
use super::{
    Expect, FORMAT_KEY, FORMAT_VERSION, Key, Outcome, Scan, Scanned, Store, StoreError, Txn, TxnLimits, Versioned,
    check_format_version,
};

/// etcd's defaults are 128 operations per transaction (`--max-txn-ops`) and 1.5 MiB per request
/// (`--max-request-bytes`); the byte limit leaves room for the prefix and protobuf framing.
pub(super) const ETCD_LIMITS: TxnLimits = TxnLimits { max_ops: 128, max_bytes: 1 << 20 };

#[derive(Clone)]
pub struct EtcdStore {
    kv: KvClient,
    /// `{prefix}/`, prepended to every key.
    root: Vec<u8>,
    budget: Duration,
    /// For messages: where the data lives.
    location: String,
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

impl EtcdStore {
    /// Connects and checks (or writes) the format version under the prefix. Waits up to
    /// `connect_patience` for a member to answer, so that a registry started beside its etcd does
    /// not fail.
    pub async fn open(config: &EtcdConfig) -> Result<Self, StoreError> {
        let endpoints: Vec<&str> = config.endpoints.iter().map(|e| e.trim()).filter(|e| !e.is_empty()).collect();
        if endpoints.is_empty() {
            return Err(StoreError::Config("no etcd endpoints given (--etcd-endpoints)".into()));
        }
        let prefix = config::checked_prefix(&config.prefix)?;
        let listed = endpoints.join(",");
        let store = Self {
            kv: client::connect(config, &endpoints).await?,
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
        Ok(response.kvs().first().map(versioned))
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
        let entries = response.kvs().iter().map(|kv| (self.local(kv.key()), versioned(kv))).collect();
        Ok(Scanned { entries, revision: Some(revision) })
    }

    async fn commit(&self, txn: Txn) -> Result<Outcome, StoreError> {
        if !ETCD_LIMITS.admits(&txn) {
            let (compares, writes) = txn.ops();
            return Err(StoreError::TooLarge { compares, writes, bytes: txn.bytes() });
        }
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
        let writes = Writes::of(txn);
        let ops: Vec<TxnOp> = writes
            .deletes
            .iter()
            .map(|k| TxnOp::delete(self.full(k), None))
            .chain(writes.puts.iter().map(|put| TxnOp::put(self.full(&put.key), put.value.clone(), None)))
            .collect();
        match self.send_txn(EtcdTxn::new().when(compares).and_then(ops)).await {
            Ok(response) => {
                let revision = header_revision(response.header())?;
                Ok(if response.succeeded() { Outcome::Committed { revision } } else { Outcome::Conflict })
            }
            Err(TxnFailure::Lost(why)) => self.settle(&writes, why).await,
            Err(TxnFailure::Other(e)) => Err(e),
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
}
