//! Listings: pages through a key range or an index, filtering what the index cannot, within a scan
//! budget, every page read at the first page's revision where the store keeps history.

use eastwest_domain::model::Stored;
use serde::de::DeserializeOwned;

use super::codec::{etag, from_json};
use super::{Page, Registry, keys, paging};
use crate::error::{RegistryError, Result};
use crate::store::{Key, Scan, Store, StoreError, Versioned};

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
        other @ (StoreError::Locked { .. }
        | StoreError::NewerFormat { .. }
        | StoreError::Io(_)
        | StoreError::Unavailable(_)
        | StoreError::Config(_)
        | StoreError::Refused(_)
        | StoreError::TooLarge { .. }
        | StoreError::Corrupt(_)) => other.into(),
    }
}

/// What a listing scans and how it pages.
pub(super) struct ListQuery<'a> {
    pub(super) prefix: Key,
    pub(super) record_prefix: Option<&'static str>,
    pub(super) filter: &'a str,
    pub(super) page_size: usize,
    pub(super) page_token: &'a str,
}

impl<S: Store> Registry<S> {
    /// Pages through `prefix`. Index entries (`record_prefix` set) point at `record_prefix + id`;
    /// otherwise the scanned values are the records. `accept` filters what the index cannot.
    pub(super) async fn list<T: DeserializeOwned>(
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
