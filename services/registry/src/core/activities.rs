//! Activity use cases: what happens inside a pairing.

use crate::error::{RegistryError, Result};
use crate::rules::activity::ActivityDraft;
use crate::rules::validate::Stamp;
use crate::store::{Expect, Scan, Store, Txn};
use eastwest_domain::model::{Activity, Stored};
use eastwest_domain::names::{activity_name, actor_name, pairing_name};

use super::codec::{check_etag, etag, from_json, now_micros, to_json};
use super::ids::{self, BatchIds};
use super::listing::ListQuery;
use super::references::ref_deltas;
use super::{Page, Registry, keys};

impl<S: Store> Registry<S> {
    /// Every activity of a pairing, in id order, with revisions.
    pub(super) async fn all_activities(&self, pairing: &str) -> Result<Vec<(Activity, u64)>> {
        Ok(self.activities_at(pairing, None).await?.0)
    }

    /// Every activity of a pairing, in id order, with revisions, read at `at` or, where the store
    /// keeps history (etcd), at the revision of the first page; returns that revision too.
    pub(super) async fn activities_at(
        &self,
        pairing: &str,
        mut at: Option<u64>,
    ) -> Result<(Vec<(Activity, u64)>, Option<u64>)> {
        let prefix = keys::activities_of(pairing);
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let scanned = self.store.scan(Scan::new(prefix.clone(), 1024).after(after.take()).at(at)).await?;
            at = at.or(scanned.revision);
            let batch = scanned.entries;
            let exhausted = batch.len() < 1024;
            for (k, v) in &batch {
                out.push((from_json(k, &v.value)?, v.revision));
            }
            after = batch.last().map(|(k, _)| k.clone());
            if exhausted {
                return Ok((out, at));
            }
        }
    }

    pub async fn create_activity(
        &self,
        pairing: &str,
        draft: ActivityDraft,
        id: Option<String>,
    ) -> Result<Stored<Activity>> {
        let id = ids::given_or_new("activity_id", id)?;
        let activity = draft.validate("activity", pairing, &Stamp::created(&id, now_micros()))?;
        let name = activity_name(pairing, &id);
        let (activity, revision) = with_retry!(self, &name, {
            let mut txn = Txn::default();
            if self.store.get(keys::activity(pairing, &id)).await?.is_some() {
                return Err(RegistryError::AlreadyExists { resource: name.clone(), detail: None });
            }
            txn.expect(keys::activity(pairing, &id), Expect::Absent);
            let Some(p) = self.store.get(keys::pairing(pairing)).await? else {
                return Err(RegistryError::not_found_at("parent", pairing_name(pairing)));
            };
            txn.expect(keys::pairing(pairing), Expect::Revision(p.revision));
            let Some(a) = self.store.get(keys::actor(&activity.actor)).await? else {
                return Err(RegistryError::not_found_at("activity.actor", actor_name(&activity.actor)));
            };
            txn.expect(keys::actor(&activity.actor), Expect::Revision(a.revision));
            let refs = ref_deltas([keys::pairing_refs(pairing), keys::actor_refs(&activity.actor)], []);
            self.adjust_refs(&mut txn, refs).await?;
            txn.put_record(keys::activity(pairing, &id), to_json("activity", &activity)?);
            (txn, activity.clone())
        });
        Ok(Stored { record: activity, etag: etag(revision) })
    }

    pub async fn get_activity(&self, pairing: &str, id: &str) -> Result<Stored<Activity>> {
        self.get_stored(keys::activity(pairing, id), || activity_name(pairing, id)).await
    }

    /// Activities of one pairing in id order; NOT_FOUND if the pairing does not exist.
    pub async fn list_activities(&self, pairing: &str, page_size: usize, page_token: &str) -> Result<Page<Activity>> {
        if self.store.get(keys::pairing(pairing)).await?.is_none() {
            return Err(RegistryError::not_found_at("parent", pairing_name(pairing)));
        }
        let filter = format!("activities of {pairing}");
        let query = ListQuery {
            prefix: keys::activities_of(pairing),
            record_prefix: None,
            filter: &filter,
            page_size,
            page_token,
        };
        self.list(query, |_: &Activity, _| true).await
    }

    pub async fn delete_activity(&self, pairing: &str, id: &str, given_etag: &str) -> Result<()> {
        let name = activity_name(pairing, id);
        with_retry!(self, &name, {
            let Some((current, rev)) = self.load::<Activity>(keys::activity(pairing, id)).await? else {
                return Err(RegistryError::not_found(name.clone()));
            };
            check_etag(&name, given_etag, rev)?;
            let mut txn = Txn::default();
            txn.expect(keys::activity(pairing, id), Expect::Revision(rev));
            let refs = ref_deltas([], [keys::pairing_refs(pairing), keys::actor_refs(&current.actor)]);
            self.adjust_refs(&mut txn, refs).await?;
            txn.delete(keys::activity(pairing, id));
            (txn, ())
        });
        Ok(())
    }
}

impl<S: Store> Registry<S> {
    /// Records many activities of one pairing in as few transactions as the store admits (one on
    /// sled; on etcd about forty activities each), each all or nothing and durable once committed.
    /// For bulk loads; each item is `(activity_id, draft)`. A failure leaves earlier groups recorded.
    pub async fn create_activities_batch(&self, pairing: &str, items: Vec<(String, ActivityDraft)>) -> Result<usize> {
        let now = now_micros();
        let mut records = Vec::with_capacity(items.len());
        let mut ids = BatchIds::default();
        for (i, (id, draft)) in items.into_iter().enumerate() {
            ids.admit(format!("activities[{i}].activity_id"), &id)?;
            let activity = draft.validate(&format!("activities[{i}]"), pairing, &Stamp::created(id, now))?;
            let encoded = to_json(&format!("activities[{i}]"), &activity)?;
            records.push((activity, encoded));
        }
        let count = records.len();
        // Per activity: its absence and its actor (record and count) compared, two writes; per
        // group: the pairing and its count. Bytes: the record, and generously its keys and counts.
        let groups = super::bulk::fit_groups(records, self.store.limits(), 2, |(_, json)| (3, json.len() + 1024));
        for group in groups {
            self.record_activities(pairing, &group).await?;
        }
        Ok(count)
    }

    async fn record_activities(&self, pairing: &str, records: &[(Activity, Vec<u8>)]) -> Result<()> {
        with_retry!(self, &pairing_name(pairing), {
            let mut txn = Txn::default();
            let Some(p) = self.store.get(keys::pairing(pairing)).await? else {
                return Err(RegistryError::not_found_at("parent", pairing_name(pairing)));
            };
            txn.expect(keys::pairing(pairing), Expect::Revision(p.revision));
            let mut actors: Vec<&str> = records.iter().map(|(a, _)| a.actor.as_str()).collect();
            actors.sort_unstable();
            actors.dedup();
            for actor in &actors {
                let Some(a) = self.store.get(keys::actor(actor)).await? else {
                    return Err(RegistryError::not_found_at("activity.actor", actor_name(actor)));
                };
                txn.expect(keys::actor(actor), Expect::Revision(a.revision));
            }
            for (activity, encoded) in records {
                if self.store.get(keys::activity(pairing, &activity.id)).await?.is_some() {
                    return Err(RegistryError::AlreadyExists {
                        resource: activity_name(pairing, &activity.id),
                        detail: None,
                    });
                }
                txn.expect(keys::activity(pairing, &activity.id), Expect::Absent);
                txn.put_record(keys::activity(pairing, &activity.id), encoded.clone());
            }
            let added = records
                .iter()
                .flat_map(|(a, _)| [keys::pairing_refs(pairing), keys::actor_refs(&a.actor)])
                .collect::<Vec<_>>();
            self.adjust_refs(&mut txn, ref_deltas(added, [])).await?;
            (txn, ())
        });
        Ok(())
    }
}
