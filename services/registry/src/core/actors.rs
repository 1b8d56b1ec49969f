//! Actor use cases.

use std::collections::HashSet;

use crate::error::{RegistryError, Result};
use crate::rules::actor::ActorDraft;
use crate::rules::mask::{self, Selected};
use crate::rules::validate::Stamp;
use crate::store::{Expect, Store, Txn};
use eastwest_domain::codes::parse_region_prefix;
use eastwest_domain::model::{Actor, ActorCategory, Side, Stored};
use eastwest_domain::names::actor_name;

use super::codec::{check_etag, etag, now_micros, to_json};
use super::ids::{self, BatchIds};
use super::listing::ListQuery;
use super::references::{ref_deltas, reindex};
use super::{Page, Registry, keys};

/// Filters of ListActors; every filter that is set must match.
#[derive(Debug, Clone, Default)]
pub struct ActorFilter {
    pub category: Option<ActorCategory>,
    pub side: Option<Side>,
    pub region_code_prefix: Option<String>,
}

impl<S: Store> Registry<S> {
    pub async fn create_actor(&self, draft: ActorDraft, id: Option<String>) -> Result<Stored<Actor>> {
        let id = ids::given_or_new("actor_id", id)?;
        let actor = draft.validate("actor", &Stamp::created(&id, now_micros()))?;
        let name = actor_name(&id);
        // The first attempt lets the transaction's own absence checks speak: one round trip to the
        // store (on etcd, a read before the write halved the rate). After a conflict, reading
        // tells which record is in the way.
        let mut optimistic = true;
        let (actor, revision) = with_retry!(self, &name, {
            let mut txn = Txn::default();
            if !optimistic && self.store.get(keys::actor(&id)).await?.is_some() {
                return Err(RegistryError::AlreadyExists { resource: name.clone(), detail: None });
            }
            txn.expect(keys::actor(&id), Expect::Absent);
            self.claim_credit_code(&mut txn, &actor, None, !optimistic).await?;
            optimistic = false;
            if let Some(parent) = &actor.parent {
                self.check_ancestry::<Actor>(&mut txn, "actor.parent", parent, Some(&id)).await?;
                self.adjust_refs(&mut txn, ref_deltas([keys::actor_refs(parent)], [])).await?;
            }
            for k in keys::actor_index(&actor) {
                txn.put(k, id.as_bytes().to_vec());
            }
            txn.put_record(keys::actor(&id), to_json("actor", &actor)?);
            (txn, actor.clone())
        });
        Ok(Stored { record: actor, etag: etag(revision) })
    }

    /// Expects the actor's credit code to be free (or already the actor's own). With `read`, first
    /// looks who holds it, to answer ALREADY_EXISTS naming the holder rather than conflict.
    async fn claim_credit_code(&self, txn: &mut Txn, actor: &Actor, previous: Option<&str>, read: bool) -> Result<()> {
        let Some(code) = actor.credit_code.as_deref() else {
            return Ok(());
        };
        if previous == Some(code) {
            return Ok(());
        }
        if read && let Some(holder) = self.store.get(keys::credit_code(code)).await? {
            let holder = String::from_utf8_lossy(&holder.value).into_owned();
            return Err(RegistryError::AlreadyExists {
                resource: format!("credit code {code}"),
                detail: Some(format!("it belongs to {}", actor_name(&holder))),
            });
        }
        txn.expect(keys::credit_code(code), Expect::Absent);
        Ok(())
    }

    pub async fn get_actor(&self, id: &str) -> Result<Stored<Actor>> {
        self.get_stored(keys::actor(id), || actor_name(id)).await
    }

    /// All or nothing, in the order asked; NOT_FOUND names the first missing actor.
    pub async fn batch_get_actors(&self, ids: &[String]) -> Result<Vec<Stored<Actor>>> {
        self.get_all(ids, keys::actor, actor_name).await
    }

    pub async fn list_actors(&self, filter: &ActorFilter, page_size: usize, page_token: &str) -> Result<Page<Actor>> {
        if let Some(prefix) = &filter.region_code_prefix
            && let Err(e) = parse_region_prefix(prefix)
        {
            return Err(RegistryError::invalid("region_code_prefix", e.to_string()));
        }
        // The most selective index drives the scan; the rest filter the records it yields.
        let (prefix, record_prefix) = if let Some(region) = &filter.region_code_prefix {
            (keys::actors_by_region(region), Some(keys::ACTORS))
        } else if let Some(category) = filter.category {
            (keys::actors_by_category(&keys::tag(&category)), Some(keys::ACTORS))
        } else if let Some(side) = filter.side {
            (keys::actors_by_side(&keys::tag(&side)), Some(keys::ACTORS))
        } else {
            (keys::ACTORS.as_bytes().to_vec(), None)
        };
        let canonical = format!("actors c={:?} s={:?} r={:?}", filter.category, filter.side, filter.region_code_prefix);
        let query = ListQuery { prefix, record_prefix, filter: &canonical, page_size, page_token };
        self.list(query, |a: &Actor, _| {
            filter.category.is_none_or(|c| a.category == c)
                && filter.side.is_none_or(|s| a.side == s)
                && filter.region_code_prefix.as_ref().is_none_or(|p| a.region_code.starts_with(p.as_str()))
        })
        .await
    }

    /// Replaces the fields selected by `fields` (see [`ACTOR_MASK`](crate::rules::actor::ACTOR_MASK))
    /// by those of `draft`.
    pub async fn update_actor(
        &self,
        id: &str,
        given_etag: &str,
        draft: ActorDraft,
        fields: &Selected<ActorDraft>,
    ) -> Result<Stored<Actor>> {
        let name = actor_name(id);
        let (actor, revision) = with_retry!(self, &name, {
            let Some((current, rev)) = self.load::<Actor>(keys::actor(id)).await? else {
                return Err(RegistryError::not_found(name.clone()));
            };
            check_etag(&name, given_etag, rev)?;
            let mut merged = ActorDraft::from_actor(&current);
            mask::apply(&mut merged, draft.clone(), fields);
            let stamp = Stamp { id: id.to_string(), create_time: current.create_time, update_time: now_micros() };
            let updated = merged.validate("actor", &stamp)?;

            let mut txn = Txn::default();
            txn.expect(keys::actor(id), Expect::Revision(rev));
            if updated.side != current.side || updated.region_code != current.region_code {
                // Pairings check sides and index regions when they are written: both are
                // frozen while anything names the actor.
                let (count, pinned) = self.ref_count(keys::actor_refs(id)).await?;
                if count > 0 {
                    return Err(RegistryError::precondition(
                        name.clone(),
                        format!(
                            "{name} is named by {count} record(s); its side and region_code cannot change \
                                 while pairings, activities or child actors name it"
                        ),
                    ));
                }
                txn.expect(keys::actor_refs(id), pinned);
            }
            self.claim_credit_code(&mut txn, &updated, current.credit_code.as_deref(), true).await?;
            if updated.parent != current.parent {
                if let Some(parent) = &updated.parent {
                    self.check_ancestry::<Actor>(&mut txn, "actor.parent", parent, Some(id)).await?;
                }
                let deltas = ref_deltas(
                    updated.parent.as_deref().map(keys::actor_refs),
                    current.parent.as_deref().map(keys::actor_refs),
                );
                self.adjust_refs(&mut txn, deltas).await?;
            }
            reindex(&mut txn, keys::actor_index(&current), keys::actor_index(&updated), id.as_bytes());
            txn.put_record(keys::actor(id), to_json("actor", &updated)?);
            (txn, updated)
        });
        Ok(Stored { record: actor, etag: etag(revision) })
    }

    pub async fn delete_actor(&self, id: &str, given_etag: &str) -> Result<()> {
        let name = actor_name(id);
        with_retry!(self, &name, {
            let Some((current, rev)) = self.load::<Actor>(keys::actor(id)).await? else {
                return Err(RegistryError::not_found(name.clone()));
            };
            check_etag(&name, given_etag, rev)?;
            let (count, pinned) = self.ref_count(keys::actor_refs(id)).await?;
            if count > 0 {
                return Err(self.still_named(&name, id, count).await?);
            }
            let mut txn = Txn::default();
            txn.expect(keys::actor(id), Expect::Revision(rev));
            txn.expect(keys::actor_refs(id), pinned);
            if let Some(parent) = &current.parent {
                self.adjust_refs(&mut txn, ref_deltas([], [keys::actor_refs(parent)])).await?;
            }
            for k in keys::actor_index(&current) {
                txn.delete(k);
            }
            txn.delete(keys::actor(id));
            (txn, ())
        });
        Ok(())
    }

    /// FAILED_PRECONDITION for deleting a named actor, with the pairings that name it as east or west.
    async fn still_named(&self, name: &str, id: &str, count: u64) -> Result<RegistryError> {
        let scan = crate::store::Scan::new(keys::pairings_by_actor(id), 3);
        let examples: Vec<String> = self
            .store
            .scan(scan)
            .await?
            .entries
            .iter()
            .map(|(k, _)| eastwest_domain::names::pairing_name(&String::from_utf8_lossy(keys::last_segment(k))))
            .collect();
        let example = if examples.is_empty() { String::new() } else { format!(" (e.g. {})", examples.join(", ")) };
        Ok(RegistryError::precondition(
            name,
            format!(
                "{name} is still named by {count} record(s){example}; delete or update the pairings, activities \
                 and child actors that name it first"
            ),
        ))
    }
}

impl<S: Store> Registry<S> {
    /// Creates many actors in as few transactions as the store admits (one on sled; on etcd about
    /// twenty actors each): each transaction all or nothing, one durable commit for each. For bulk
    /// loads; actors with a parent go through [`Registry::create_actor`] (their parents'
    /// reference counts need the per-record path). A failure leaves earlier groups created.
    pub async fn create_actors_batch(&self, actors: Vec<(String, ActorDraft)>) -> Result<usize> {
        let now = now_micros();
        let mut records = Vec::with_capacity(actors.len());
        // As with ids (see BatchIds), a credit code twice in one group would be claimed twice.
        let (mut ids, mut codes) = (BatchIds::default(), HashSet::new());
        for (i, (id, draft)) in actors.into_iter().enumerate() {
            ids.admit(format!("actors[{i}].actor_id"), &id)?;
            if draft.parent.is_some() {
                return Err(RegistryError::invalid(format!("actors[{i}].parent"), "a batch cannot set parents"));
            }
            let actor = draft.validate(&format!("actors[{i}]"), &Stamp::created(id, now))?;
            if let Some(code) = &actor.credit_code
                && !codes.insert(code.clone())
            {
                return Err(RegistryError::invalid(
                    format!("actors[{i}].credit_code"),
                    format!("{code} is in the batch twice"),
                ));
            }
            let encoded = to_json(&format!("actors[{i}]"), &actor)?;
            records.push((actor, encoded));
        }
        let count = records.len();
        // Per actor: the record, four index keys at most, two comparisons. Bytes: the record, and
        // generously its keys and index values.
        let groups = super::bulk::fit_groups(records, self.store.limits(), 0, |(_, json)| (5, json.len() + 1024));
        for group in groups {
            // As in create_actor: read only after a conflict, to name what is in the way.
            let mut optimistic = true;
            with_retry!(self, "a batch of actors", {
                let mut txn = Txn::default();
                for (actor, encoded) in &group {
                    if !optimistic && self.store.get(keys::actor(&actor.id)).await?.is_some() {
                        return Err(RegistryError::AlreadyExists { resource: actor_name(&actor.id), detail: None });
                    }
                    txn.expect(keys::actor(&actor.id), Expect::Absent);
                    self.claim_credit_code(&mut txn, actor, None, !optimistic).await?;
                    for k in keys::actor_index(actor) {
                        txn.put(k, actor.id.as_bytes().to_vec());
                    }
                    txn.put_record(keys::actor(&actor.id), encoded.clone());
                }
                optimistic = false;
                (txn, ())
            });
        }
        Ok(count)
    }
}
