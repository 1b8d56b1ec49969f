//! The registry's use cases over any [`Store`]: each write reads what it depends on, builds one
//! transaction that expects those reads to be unchanged, and starts again on conflict. Referential
//! checks and index updates therefore land atomically with the record they concern.
//!
//! References are counted (`rc/…` keys): a record that names an actor or pairing increments its
//! count in the same transaction, and a delete expects the count to be absent. A create racing a
//! delete thus always conflicts with it, and no dangling reference can be committed.

/// Applies a planned write, planning again on conflict. `$plan` reads what the write depends on
/// and evaluates to the transaction and the value to hand back once it commits; it may return
/// early with an error. Evaluates to that value and the commit's revision.
///
/// A macro rather than a function taking an async closure: such closures borrowing the request
/// cannot yet be proven `Send`, which tonic's handlers require.
macro_rules! with_retry {
    ($self:ident, $resource:expr, $plan:block) => {{
        let mut committed = None;
        for attempt in 0..$crate::core::MAX_ATTEMPTS {
            let (txn, value) = $plan;
            match $self.store.commit(txn).await? {
                $crate::store::Outcome::Committed { revision } => {
                    committed = Some((value, revision));
                    break;
                }
                $crate::store::Outcome::Conflict => $crate::core::back_off(attempt).await,
            }
        }
        match committed {
            Some(done) => done,
            None => return Err($crate::core::contention($resource)),
        }
    }};
}

pub mod activities;
pub mod actors;
pub mod keys;
pub mod paging;
pub mod pairings;

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{RegistryError, Result};
use crate::store::{Expect, Key, Scan, Store, StoreError, Txn, TxnLimits, Versioned};
use eastwest_domain::model::{Actor, Micros, Pairing, Stored};

pub use paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// How often a write is attempted before contention is reported as ABORTED.
pub(crate) const MAX_ATTEMPTS: usize = 64;
/// Deepest parent chain of actors or of pairings.
pub const MAX_DEPTH: usize = 32;
/// Most names in one batch get.
pub const MAX_BATCH: usize = 1_000;
/// Largest record as stored. With [`MAX_DEPTH`] this keeps every single-record write inside
/// etcd's limits (128 operations and 1.5 MiB per transaction): a write is one record, at most six
/// index keys, a few reference counts and one comparison per ancestor.
pub const MAX_RECORD_BYTES: usize = 512 * 1024;

pub struct Registry<S> {
    store: S,
}

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<Stored<T>>,
    pub next_page_token: String,
}

pub(crate) fn now_micros() -> Micros {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX)).unwrap_or(0)
}

pub(crate) fn etag(revision: u64) -> String {
    revision.to_string()
}

/// Encodes a record for the store, refusing one larger than [`MAX_RECORD_BYTES`] (INVALID_ARGUMENT
/// at `field`).
fn to_json<T: Serialize>(field: &str, record: &T) -> Result<Vec<u8>> {
    let encoded = serde_json::to_vec(record)
        .map_err(|e| RegistryError::from(StoreError::Corrupt(format!("encoding a record: {e}"))))?;
    if encoded.len() > MAX_RECORD_BYTES {
        return Err(RegistryError::invalid(
            field,
            format!(
                "is {} KiB when stored; a record may be at most {} KiB: shorten its texts or lists",
                encoded.len().div_ceil(1024),
                MAX_RECORD_BYTES / 1024
            ),
        ));
    }
    Ok(encoded)
}

fn from_json<T: DeserializeOwned>(key: &[u8], value: &[u8]) -> Result<T> {
    serde_json::from_slice(value).map_err(|e| {
        StoreError::Corrupt(format!("record {:?} does not decode: {e}", String::from_utf8_lossy(key))).into()
    })
}

/// The pause after a conflict: none at first, then a random wait that grows with the attempts
/// (up to about 10 ms), so that writers piling onto the same counter spread out instead of
/// colliding again in lock step.
pub(crate) async fn back_off(attempt: usize) {
    if attempt < 2 {
        tokio::task::yield_now().await;
        return;
    }
    let ceiling_us = 100u64.saturating_mul(1 << attempt.min(7)).min(10_000);
    tokio::time::sleep(std::time::Duration::from_micros(fastrand::u64(0..=ceiling_us))).await;
}

pub(crate) fn contention(resource: &str) -> RegistryError {
    RegistryError::Aborted(format!("{resource} is being changed by many requests at once; retry"))
}

/// ABORTED unless `given` is empty or equals the current etag.
fn check_etag(resource: &str, given: &str, current: u64) -> Result<()> {
    if given.is_empty() || given == etag(current) {
        Ok(())
    } else {
        Err(RegistryError::Aborted(format!(
            "etag {given:?} of {resource} is stale: it has changed since it was read; read it again and retry"
        )))
    }
}

/// A record with a parent of its own kind.
trait Parented: DeserializeOwned {
    const KIND: &'static str;
    fn key_of(id: &str) -> Key;
    fn name_of(id: &str) -> String;
    fn parent(&self) -> Option<&str>;
}

impl Parented for Actor {
    const KIND: &'static str = "actor";
    fn key_of(id: &str) -> Key {
        keys::actor(id)
    }
    fn name_of(id: &str) -> String {
        eastwest_domain::names::actor_name(id)
    }
    fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }
}

impl Parented for Pairing {
    const KIND: &'static str = "pairing";
    fn key_of(id: &str) -> Key {
        keys::pairing(id)
    }
    fn name_of(id: &str) -> String {
        eastwest_domain::names::pairing_name(id)
    }
    fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }
}

impl<S: Store> Registry<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// Gives the store back, e.g. to serve it after a bulk load.
    pub fn into_store(self) -> S {
        self.store
    }

    async fn load<T: DeserializeOwned>(&self, key: Key) -> Result<Option<(T, u64)>> {
        match self.store.get(key.clone()).await? {
            Some(Versioned { revision, value }) => Ok(Some((from_json(&key, &value)?, revision))),
            None => Ok(None),
        }
    }

    /// Adds the reference-count changes to `txn`, expecting each count to be unchanged.
    async fn adjust_refs(&self, txn: &mut Txn, deltas: BTreeMap<Key, i64>) -> Result<()> {
        for (key, delta) in deltas {
            if delta == 0 {
                continue;
            }
            let current = self.store.get(key.clone()).await?;
            let (count, expect) = match &current {
                Some(v) => (decode_count(&key, &v.value)?, Expect::Revision(v.revision)),
                None => (0, Expect::Absent),
            };
            txn.expect(key.clone(), expect);
            let next = count.saturating_add_signed(delta);
            if next == 0 {
                if current.is_some() {
                    txn.delete(key);
                }
            } else {
                txn.put(key, next.to_be_bytes().to_vec());
            }
        }
        Ok(())
    }

    /// How many records name the one counted at `key`, and the expectation that pins that count.
    async fn ref_count(&self, key: Key) -> Result<(u64, Expect)> {
        match self.store.get(key.clone()).await? {
            Some(v) => Ok((decode_count(&key, &v.value)?, Expect::Revision(v.revision))),
            None => Ok((0, Expect::Absent)),
        }
    }

    /// Reads `start` and its ancestors, expecting each to stay unchanged in `txn`. Fails if
    /// `start` is missing (NOT_FOUND at `field`), if the chain reaches `child` (a cycle), or if
    /// the chain is deeper than [`MAX_DEPTH`].
    async fn check_ancestry<T: Parented>(
        &self,
        txn: &mut Txn,
        field: &str,
        start: &str,
        child: Option<&str>,
    ) -> Result<T> {
        let Some((first, rev)) = self.load::<T>(T::key_of(start)).await? else {
            return Err(RegistryError::not_found_at(field, T::name_of(start)));
        };
        txn.expect(T::key_of(start), Expect::Revision(rev));
        let cycle = || {
            let child = child.unwrap_or_default();
            RegistryError::precondition(
                T::name_of(child),
                format!(
                    "{field}: making {} the parent of {} would create a cycle",
                    T::name_of(start),
                    T::name_of(child)
                ),
            )
        };
        let mut chain = vec![start.to_string()];
        let mut next = first.parent().map(str::to_string);
        loop {
            if child.is_some_and(|c| chain.iter().any(|id| id == c)) {
                return Err(cycle());
            }
            // A repeat means the stored chain already loops; stop rather than spin.
            let Some(id) = next.filter(|id| !chain.contains(id)) else {
                break;
            };
            if chain.len() >= MAX_DEPTH {
                return Err(RegistryError::precondition(
                    T::name_of(start),
                    format!("{field}: the {} hierarchy would be deeper than {MAX_DEPTH} levels", T::KIND),
                ));
            }
            let Some((record, rev)) = self.load::<T>(T::key_of(&id)).await? else {
                break;
            };
            txn.expect(T::key_of(&id), Expect::Revision(rev));
            next = record.parent().map(str::to_string);
            chain.push(id);
        }
        Ok(first)
    }

    /// Pages through `prefix`. Index entries (`record_prefix` set) point at `record_prefix + id`;
    /// otherwise the scanned values are the records. `accept` filters what the index cannot.
    async fn list<T: DeserializeOwned>(
        &self,
        query: ListQuery<'_>,
        accept: impl Fn(&T, &[u8]) -> bool,
    ) -> Result<Page<T>> {
        let ListQuery { prefix, record_prefix, filter, page_size, page_token } = query;
        let paging::Resume { mut after, revision: mut pinned } = paging::decode(filter, &prefix, page_token)?;
        let mut items: Vec<(Key, Stored<T>)> = Vec::with_capacity(page_size + 1);
        let chunk = (page_size + 1).max(if record_prefix.is_some() { 64 } else { 1 });
        // A selective filter must not turn one request into a scan of a whole index: past this many
        // entries the page ends short, with a token to go on (AIP-158 allows short pages).
        let scan_budget = page_size.saturating_mul(10).max(1_000);
        let (mut scanned, mut cut_short) = (0usize, false);
        'scan: loop {
            let scan = Scan::new(prefix.clone(), chunk).after(after.clone()).at(pinned);
            let batch = self.store.scan(scan).await.map_err(compacted_listing)?;
            // The first read of a listing fixes the revision that every later page reads at.
            pinned = pinned.or(batch.revision);
            let batch = batch.entries;
            let exhausted = batch.len() < chunk;
            let records: Vec<(Key, Option<Versioned>)> = match record_prefix {
                None => batch.into_iter().map(|(k, v)| (k, Some(v))).collect(),
                Some(rp) => {
                    let record_keys: Vec<Key> =
                        batch.iter().map(|(k, _)| [rp.as_bytes(), keys::last_segment(k)].concat()).collect();
                    let found = self.store.get_many(record_keys, pinned).await.map_err(compacted_listing)?;
                    batch.into_iter().map(|(k, _)| k).zip(found).collect()
                }
            };
            for (scan_key, record) in records {
                scanned += 1;
                after = Some(scan_key.clone());
                // An index entry always has its record: both are written in one transaction.
                let Some(Versioned { revision, value }) = record else { continue };
                let decoded: T = from_json(&scan_key, &value)?;
                if !accept(&decoded, &scan_key) {
                    continue;
                }
                items.push((scan_key, Stored { record: decoded, etag: etag(revision) }));
                if items.len() > page_size {
                    break 'scan;
                }
            }
            if exhausted {
                break;
            }
            if scanned >= scan_budget {
                cut_short = true;
                break;
            }
        }
        let next_page_token = if items.len() > page_size {
            items.truncate(page_size);
            items.last().map(|(k, _)| paging::encode(filter, k, pinned)).unwrap_or_default()
        } else if cut_short {
            after.as_deref().map(|k| paging::encode(filter, k, pinned)).unwrap_or_default()
        } else {
            String::new()
        };
        Ok(Page { items: items.into_iter().map(|(_, s)| s).collect(), next_page_token })
    }
}

/// A later page whose snapshot the engine has compacted away cannot be served consistently: the
/// client starts the listing again.
fn compacted_listing(e: StoreError) -> RegistryError {
    match e {
        StoreError::Compacted { revision } => RegistryError::precondition(
            "page_token",
            format!(
                "page_token: the listing's snapshot (revision {revision}) has been compacted away by the store; \
                 start the listing again without a page_token"
            ),
        ),
        StoreError::FutureRevision { .. } => {
            RegistryError::invalid("page_token", "is not a token this listing returned; start again without one")
        }
        other => other.into(),
    }
}

/// What a listing scans and how it pages.
struct ListQuery<'a> {
    prefix: Key,
    record_prefix: Option<&'static str>,
    filter: &'a str,
    page_size: usize,
    page_token: &'a str,
}

fn decode_count(key: &[u8], value: &[u8]) -> Result<u64> {
    let bytes: [u8; 8] = value.try_into().map_err(|_| {
        StoreError::Corrupt(format!("reference count {:?} is not 8 bytes", String::from_utf8_lossy(key)))
    })?;
    Ok(u64::from_be_bytes(bytes))
}

/// +1 for each key in `added`, -1 for each in `removed`.
fn ref_deltas(added: impl IntoIterator<Item = Key>, removed: impl IntoIterator<Item = Key>) -> BTreeMap<Key, i64> {
    let mut deltas = BTreeMap::new();
    for k in added {
        *deltas.entry(k).or_insert(0) += 1;
    }
    for k in removed {
        *deltas.entry(k).or_insert(0) -= 1;
    }
    deltas
}

/// Splits bulk items into groups, in order, whose transactions fit `limits`. `cost` gives an item's
/// operations (counted against comparisons and writes alike) and bytes; `fixed_ops` is what every
/// group's transaction carries once. Each group holds at least one item.
fn fit_groups<T>(
    items: Vec<T>,
    limits: TxnLimits,
    fixed_ops: usize,
    cost: impl Fn(&T) -> (usize, usize),
) -> Vec<Vec<T>> {
    let mut groups: Vec<Vec<T>> = Vec::new();
    let (mut ops, mut bytes) = (fixed_ops, 0usize);
    for item in items {
        let (item_ops, item_bytes) = cost(&item);
        let fits =
            ops.saturating_add(item_ops) <= limits.max_ops && bytes.saturating_add(item_bytes) <= limits.max_bytes;
        match groups.last_mut() {
            Some(group) if fits => group.push(item),
            _ => {
                groups.push(vec![item]);
                (ops, bytes) = (fixed_ops, 0);
            }
        }
        ops = ops.saturating_add(item_ops);
        bytes = bytes.saturating_add(item_bytes);
    }
    groups
}

/// Replaces one set of index entries by another in `txn`, leaving shared ones alone.
fn reindex(txn: &mut Txn, old: Vec<Key>, new: Vec<Key>, value: &[u8]) {
    for k in &old {
        if !new.contains(k) {
            txn.delete(k.clone());
        }
    }
    for k in new {
        if !old.contains(&k) {
            txn.put(k, value.to_vec());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_groups_fit_the_limits_keep_the_order_and_never_come_empty() {
        let limits = TxnLimits { max_ops: 10, max_bytes: 100 };
        // Every item costs 3 operations and 20 bytes; each group also carries 2 operations.
        let groups = fit_groups((0..7).collect(), limits, 2, |_| (3, 20));
        assert_eq!(groups, vec![vec![0, 1], vec![2, 3], vec![4, 5], vec![6]]);
        // Bytes bind first here.
        let groups = fit_groups((0..5).collect(), limits, 0, |_| (1, 45));
        assert_eq!(groups, vec![vec![0, 1], vec![2, 3], vec![4]]);
        // An item larger than the limits still goes, alone: the store reports it.
        assert_eq!(fit_groups(vec![1, 2], limits, 0, |_| (50, 1)), vec![vec![1], vec![2]]);
        assert_eq!(fit_groups(vec![1, 2, 3], TxnLimits::UNBOUNDED, 0, |_| (5, 5)), vec![vec![1, 2, 3]]);
        assert!(fit_groups(Vec::<u8>::new(), limits, 0, |_| (1, 1)).is_empty());
    }

    #[test]
    fn records_over_the_size_limit_are_refused_with_the_field() {
        let big = "x".repeat(MAX_RECORD_BYTES);
        match to_json("pairing", &big) {
            Err(RegistryError::InvalidArgument(v)) => assert_eq!(v.list()[0].field, "pairing"),
            other => panic!("expected INVALID_ARGUMENT, got {other:?}"),
        }
        assert!(to_json("pairing", &"x".repeat(1000)).is_ok());
    }
}
