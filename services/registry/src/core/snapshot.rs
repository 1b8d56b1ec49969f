//! The one-round-trip snapshot the evaluation service reads: a pairing, the actors it and its
//! activities name, all its activities, its annual agreements and its direct children's ids.

use eastwest_domain::model::{Pairing, PairingSnapshot, Stored};
use eastwest_domain::names::pairing_name;

use super::codec::{etag, from_json};
use super::{Registry, keys};
use crate::error::{RegistryError, Result};
use crate::store::{Scan, Store, StoreError};

impl<S: Store> Registry<S> {
    /// The pairing, every actor it or its activities name (by name), all its activities and its
    /// agreements. On
    /// etcd every part is read at one revision, so a write that races the snapshot shows in all of
    /// it or in none; on sled each record is read as last committed (sled keeps no history).
    pub async fn get_pairing_snapshot(&self, id: &str) -> Result<PairingSnapshot> {
        // The first page of activities fixes the revision of everything else.
        let (activities, at) = self.activities_at(id, None).await.map_err(compacted_snapshot)?;
        // (`get_many` answers one value per key: the engines check it.)
        let found = self.store.get_many(vec![keys::pairing(id)], at).await.map_err(compacted_snapshot)?;
        let pairing: Stored<Pairing> = match found.into_iter().next().flatten() {
            Some(v) => Stored { record: from_json(&keys::pairing(id), &v.value)?, etag: etag(v.revision) },
            None => return Err(RegistryError::not_found(pairing_name(id))),
        };
        let mut actor_ids = pairing.record.named_actors();
        actor_ids.extend(activities.iter().map(|(a, _)| a.actor.clone()));
        actor_ids.sort();
        actor_ids.dedup();
        let found = self
            .store
            .get_many(actor_ids.iter().map(|a| keys::actor(a)).collect(), at)
            .await
            .map_err(compacted_snapshot)?;
        let mut actors = Vec::with_capacity(found.len());
        for (id, value) in actor_ids.iter().zip(found) {
            // Reference counting keeps named actors alive; a miss here is a write that raced us.
            if let Some(v) = value {
                actors.push(Stored { record: from_json(&keys::actor(id), &v.value)?, etag: etag(v.revision) });
            }
        }
        let agreements = self.agreements_at(id, at).await.map_err(compacted_snapshot)?;
        let children = self.children_at(id, at).await.map_err(compacted_snapshot)?;
        let activities = activities.into_iter().map(|(record, rev)| Stored { record, etag: etag(rev) }).collect();
        Ok(PairingSnapshot { pairing, actors, activities, agreements, children })
    }

    /// The ids of a pairing's direct children, from the parent index, read at `at`.
    async fn children_at(&self, id: &str, at: Option<u64>) -> Result<Vec<String>> {
        let prefix = keys::pairings_by_parent(id);
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let batch = self.store.scan(Scan::new(prefix.clone(), 1024).after(after.take()).at(at)).await?.entries;
            let exhausted = batch.len() < 1024;
            out.extend(batch.iter().map(|(k, _)| String::from_utf8_lossy(keys::last_segment(k)).into_owned()));
            after = batch.last().map(|(k, _)| k.clone());
            if exhausted {
                return Ok(out);
            }
        }
    }
}

/// A snapshot's revision compacted away while it was read (rare: compaction removes revisions older
/// than its retention, and a snapshot takes milliseconds): the caller can simply ask again.
fn compacted_snapshot(e: impl Into<RegistryError>) -> RegistryError {
    match e.into() {
        RegistryError::Store(StoreError::Compacted { .. }) => {
            StoreError::Unavailable("the store compacted the snapshot while it was read; try again".into()).into()
        }
        other @ (RegistryError::Store(_)
        | RegistryError::InvalidArgument(_)
        | RegistryError::NotFound { .. }
        | RegistryError::AlreadyExists { .. }
        | RegistryError::FailedPrecondition { .. }
        | RegistryError::Aborted(_)) => other,
    }
}
