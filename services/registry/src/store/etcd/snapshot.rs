//! Reads of many keys at one revision. etcd caps a transaction at [`ETCD_LIMITS`]'s operations,
//! so a longer read goes in chunks, every chunk pinned to the revision the first one read at.

use etcd_client::{GetOptions, Txn as EtcdTxn, TxnOp, TxnOpResponse};

use super::client::{header_revision, signed, versioned, with_revision};
use super::{ETCD_LIMITS, EtcdStore};
use crate::store::{Key, StoreError, Versioned};

/// Values read at one revision, and that revision.
pub(super) type Snapshot = (Vec<Option<Versioned>>, u64);

impl EtcdStore {
    /// Reads any number of keys at one revision: `revision`, or the one the first chunk read at, so
    /// that a read of more keys than one transaction holds is still one snapshot.
    pub(super) async fn read_snapshot(&self, keys: &[Key], revision: Option<u64>) -> Result<Snapshot, StoreError> {
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
            found.push(get.kvs().first().map(versioned));
        }
        if found.len() != keys.len() {
            return Err(StoreError::Corrupt(format!("etcd answered {} of {} reads", found.len(), keys.len())));
        }
        Ok((found, header_revision(response.header())?))
    }
}
