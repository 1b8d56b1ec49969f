//! Pairing use cases, and the one-round-trip snapshot the evaluation service reads.

use std::collections::BTreeMap;

use crate::error::{RegistryError, Result};
use crate::rules::mask::{self, Selected};
use crate::rules::pairing::{MAX_NAMED_ACTORS, PairingDraft, Regions};
use crate::rules::validate::Stamp;
use crate::store::{Expect, Scan, Store, Txn};
use eastwest_domain::codes::parse_region_prefix;
use eastwest_domain::model::{Activity, Actor, Leadership, Pairing, PairingLevel, PairingState, Side, Stored};
use eastwest_domain::names::{actor_name, pairing_name};

use super::codec::{check_etag, etag, from_json, now_micros, to_json};
use super::ids;
use super::listing::ListQuery;
use super::references::{ref_deltas, reindex};
use super::{Page, Registry, keys};

/// Filters of ListPairings; every filter that is set must match.
#[derive(Debug, Clone, Default)]
pub struct PairingFilter {
    /// Actor id on either side.
    pub actor: Option<String>,
    pub level: Option<PairingLevel>,
    pub leadership: Option<Leadership>,
    pub state: Option<PairingState>,
    /// Parent pairing id.
    pub parent: Option<String>,
    pub region_code_prefix: Option<String>,
}

/// Every actor reference of a pairing with the request field that makes it.
fn actor_references(p: &Pairing) -> Vec<(String, &str)> {
    let mut refs = vec![("pairing.east".to_string(), p.east.as_str()), ("pairing.west".to_string(), p.west.as_str())];
    refs.extend(
        p.participants.iter().enumerate().map(|(i, x)| (format!("pairing.participants[{i}].actor"), x.actor.as_str())),
    );
    refs.extend(
        p.responsibilities
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("pairing.responsibilities[{i}].party"), r.party.as_str())),
    );
    refs.extend(
        p.goals
            .iter()
            .enumerate()
            .filter_map(|(i, g)| g.responsible.as_deref().map(|a| (format!("pairing.goals[{i}].responsible"), a))),
    );
    refs
}

/// The smallest of the pairing's region codes that starts with `prefix`: a listing by region
/// returns the pairing only at that index entry, so a pairing whose two regions both match
/// appears once.
fn first_matching_region<'a>(p: &'a Pairing, prefix: &str) -> Option<&'a str> {
    [p.east_region_code.as_str(), p.west_region_code.as_str()].into_iter().filter(|r| r.starts_with(prefix)).min()
}

/// Every actor the pairing names exists (NOT_FOUND at the first request field naming a missing
/// one), east is an EAST actor and west a WEST one (FAILED_PRECONDITION).
fn check_named_actors(pairing: &Pairing, actors: &BTreeMap<String, Actor>) -> Result<()> {
    if let Some(missing) = pairing.named_actors().into_iter().find(|id| !actors.contains_key(id)) {
        let field = actor_references(pairing).into_iter().find(|(_, r)| *r == missing).map(|(f, _)| f);
        return Err(RegistryError::not_found_at(field.unwrap_or_default(), actor_name(&missing)));
    }
    for (field, id, side) in [("pairing.east", &pairing.east, Side::East), ("pairing.west", &pairing.west, Side::West)]
    {
        // Present: the loop above found every named actor.
        if let Some(actor) = actors.get(id.as_str())
            && actor.side != side
        {
            let wire = |s: Side| {
                if s == Side::East { "SIDE_EAST" } else { "SIDE_WEST" }
            };
            return Err(RegistryError::precondition(
                actor_name(id),
                format!(
                    "{field}: {} is a {} actor; {field} must name a {} actor",
                    actor_name(id),
                    wire(actor.side),
                    wire(side)
                ),
            ));
        }
    }
    Ok(())
}

impl<S: Store> Registry<S> {
    /// Reads every actor the draft names, expecting each to stay unchanged in `txn`; those missing
    /// are absent from the answer (see [`check_named_actors`]). A draft that names more than a
    /// pairing may is not read: its validation refuses it.
    async fn read_named_actors(&self, txn: &mut Txn, draft: &PairingDraft) -> Result<BTreeMap<String, Actor>> {
        let ids = draft.named_actors();
        let mut actors = BTreeMap::new();
        if ids.len() > MAX_NAMED_ACTORS {
            return Ok(actors);
        }
        let found = self.store.get_many(ids.iter().map(|id| keys::actor(id)).collect(), None).await?;
        for (id, value) in ids.into_iter().zip(found) {
            if let Some(value) = value {
                txn.expect(keys::actor(id), Expect::Revision(value.revision));
                actors.insert(id.to_string(), from_json(&keys::actor(id), &value.value)?);
            }
        }
        Ok(actors)
    }

    /// Validates the draft into the pairing, with the region codes of the east and west actors.
    async fn build_pairing(&self, txn: &mut Txn, draft: &PairingDraft, stamp: &Stamp) -> Result<Pairing> {
        let actors = self.read_named_actors(txn, draft).await?;
        let region = |id: &Option<String>| {
            id.as_ref().and_then(|id| actors.get(id)).map(|a| a.region_code.clone()).unwrap_or_default()
        };
        let regions = Regions { east: region(&draft.east), west: region(&draft.west) };
        let pairing = draft.validate("pairing", stamp, regions)?;
        check_named_actors(&pairing, &actors)?;
        Ok(pairing)
    }

    pub async fn create_pairing(&self, draft: PairingDraft, id: Option<String>) -> Result<Stored<Pairing>> {
        // The record is built once its actors are read; the draft's own rules go first, before any
        // read, and then the id, the pairing's absence and its actors, in that order.
        if let Some(violations) = draft.violations("pairing") {
            return Err(RegistryError::InvalidArgument(violations));
        }
        let id = ids::given_or_new("pairing_id", id)?;
        let name = pairing_name(&id);
        let stamp = Stamp::created(&id, now_micros());
        let (pairing, revision) = with_retry!(self, &name, {
            let mut txn = Txn::default();
            if self.store.get(keys::pairing(&id)).await?.is_some() {
                return Err(RegistryError::AlreadyExists { resource: name.clone(), detail: None });
            }
            txn.expect(keys::pairing(&id), Expect::Absent);
            let pairing = self.build_pairing(&mut txn, &draft, &stamp).await?;
            let mut added: Vec<_> = pairing.named_actors().iter().map(|a| keys::actor_refs(a)).collect();
            if let Some(parent) = &pairing.parent {
                self.check_ancestry::<Pairing>(&mut txn, "pairing.parent", parent, Some(&id)).await?;
                added.push(keys::pairing_refs(parent));
            }
            self.adjust_refs(&mut txn, ref_deltas(added, [])).await?;
            for k in keys::pairing_index(&pairing) {
                txn.put(k, id.as_bytes().to_vec());
            }
            txn.put_record(keys::pairing(&id), to_json("pairing", &pairing)?);
            (txn, pairing)
        });
        Ok(Stored { record: pairing, etag: etag(revision) })
    }

    pub async fn get_pairing(&self, id: &str) -> Result<Stored<Pairing>> {
        self.get_stored(keys::pairing(id), || pairing_name(id)).await
    }

    /// All or nothing, in the order asked; NOT_FOUND names the first missing pairing.
    pub async fn batch_get_pairings(&self, ids: &[String]) -> Result<Vec<Stored<Pairing>>> {
        self.get_all(ids, keys::pairing, pairing_name).await
    }

    pub async fn list_pairings(
        &self,
        filter: &PairingFilter,
        page_size: usize,
        page_token: &str,
    ) -> Result<Page<Pairing>> {
        if let Some(prefix) = &filter.region_code_prefix
            && let Err(e) = parse_region_prefix(prefix)
        {
            return Err(RegistryError::invalid("region_code_prefix", e.to_string()));
        }
        let region = filter.region_code_prefix.as_deref();
        // The most selective index drives the scan; the rest filter the records it yields.
        let prefix = if let Some(parent) = &filter.parent {
            keys::pairings_by_parent(parent)
        } else if let Some(actor) = &filter.actor {
            keys::pairings_by_actor(actor)
        } else if let Some(region) = region {
            keys::pairings_by_region(region)
        } else if let Some(level) = filter.level {
            keys::pairings_by_level(&keys::tag(&level))
        } else if let Some(leadership) = filter.leadership {
            keys::pairings_by_leadership(&keys::tag(&leadership))
        } else if let Some(state) = filter.state {
            keys::pairings_by_state(&keys::tag(&state))
        } else {
            keys::PAIRINGS.as_bytes().to_vec()
        };
        let by_region = filter.parent.is_none() && filter.actor.is_none() && region.is_some();
        let record_prefix = (prefix != keys::PAIRINGS.as_bytes()).then_some(keys::PAIRINGS);
        let canonical = format!("pairings {filter:?}");
        let query = ListQuery { prefix, record_prefix, filter: &canonical, page_size, page_token };
        self.list(query, |p: &Pairing, scan_key| {
            let region_ok = match region {
                None => true,
                Some(prefix) if by_region => {
                    first_matching_region(p, prefix).map(str::as_bytes) == Some(keys::region_of_index_key(scan_key))
                }
                Some(prefix) => first_matching_region(p, prefix).is_some(),
            };
            region_ok
                && filter.parent.as_ref().is_none_or(|x| p.parent.as_ref() == Some(x))
                && filter.actor.as_ref().is_none_or(|x| &p.east == x || &p.west == x)
                && filter.level.is_none_or(|x| p.level == x)
                && filter.leadership.is_none_or(|x| p.leadership == x)
                && filter.state.is_none_or(|x| p.state == x)
        })
        .await
    }

    pub async fn update_pairing(
        &self,
        id: &str,
        given_etag: &str,
        draft: PairingDraft,
        fields: &Selected<PairingDraft>,
    ) -> Result<Stored<Pairing>> {
        let name = pairing_name(id);
        let (pairing, revision) = with_retry!(self, &name, {
            let Some((current, rev)) = self.load::<Pairing>(keys::pairing(id)).await? else {
                return Err(RegistryError::not_found(name.clone()));
            };
            check_etag(&name, given_etag, rev)?;
            let mut merged = PairingDraft::from_pairing(&current);
            mask::apply(&mut merged, draft.clone(), fields);
            let stamp = Stamp { id: id.to_string(), create_time: current.create_time, update_time: now_micros() };
            let mut txn = Txn::default();
            let updated = self.build_pairing(&mut txn, &merged, &stamp).await?;
            txn.expect(keys::pairing(id), Expect::Revision(rev));
            let mut added: Vec<_> = updated.named_actors().iter().map(|a| keys::actor_refs(a)).collect();
            let mut removed: Vec<_> = current.named_actors().iter().map(|a| keys::actor_refs(a)).collect();
            if updated.parent != current.parent {
                if let Some(parent) = &updated.parent {
                    self.check_ancestry::<Pairing>(&mut txn, "pairing.parent", parent, Some(id)).await?;
                }
                added.extend(updated.parent.as_deref().map(keys::pairing_refs));
                removed.extend(current.parent.as_deref().map(keys::pairing_refs));
            }
            self.adjust_refs(&mut txn, ref_deltas(added, removed)).await?;
            reindex(&mut txn, keys::pairing_index(&current), keys::pairing_index(&updated), id.as_bytes());
            txn.put_record(keys::pairing(id), to_json("pairing", &updated)?);
            (txn, updated)
        });
        Ok(Stored { record: pairing, etag: etag(revision) })
    }

    /// Deletes a pairing. Child pairings always block it; activities and agreements block it
    /// unless `force`, which deletes them in the same transaction (or, beyond what one transaction
    /// of the store holds, first in steps: see [`Registry::delete_activities_in_steps`]).
    pub async fn delete_pairing(&self, id: &str, given_etag: &str, force: bool) -> Result<()> {
        let name = pairing_name(id);
        if force {
            self.delete_activities_in_steps(id, given_etag).await?;
        }
        with_retry!(self, &name, {
            let Some((current, rev)) = self.load::<Pairing>(keys::pairing(id)).await? else {
                return Err(RegistryError::not_found(name.clone()));
            };
            check_etag(&name, given_etag, rev)?;
            let (count, pinned) = self.ref_count(keys::pairing_refs(id)).await?;
            let mut txn = Txn::default();
            let mut removed: Vec<_> = current.named_actors().iter().map(|a| keys::actor_refs(a)).collect();
            if count > 0 {
                let children = self.store.scan(Scan::new(keys::pairings_by_parent(id), 3)).await?.entries;
                if !children.is_empty() {
                    let names: Vec<String> = children
                        .iter()
                        .map(|(k, _)| pairing_name(&String::from_utf8_lossy(keys::last_segment(k))))
                        .collect();
                    return Err(RegistryError::precondition(
                        name.clone(),
                        format!("{name} has child pairings ({}); delete or re-parent them first", names.join(", ")),
                    ));
                }
                let activities = self.all_activities(id).await?;
                let agreements = self.agreements_at(id, None).await?;
                if !force {
                    return Err(RegistryError::precondition(
                        name.clone(),
                        format!(
                            "{name} holds {}; delete them first, or set force to delete them with it",
                            held(activities.len(), agreements.len())
                        ),
                    ));
                }
                for (activity, _) in &activities {
                    txn.delete(keys::activity(id, &activity.id));
                    removed.push(keys::actor_refs(&activity.actor));
                }
                for agreement in &agreements {
                    txn.delete(keys::agreement(id, agreement.record.year));
                }
            }
            txn.expect(keys::pairing(id), Expect::Revision(rev));
            txn.expect(keys::pairing_refs(id), pinned);
            if count > 0 {
                txn.delete(keys::pairing_refs(id));
            }
            removed.extend(current.parent.as_deref().map(keys::pairing_refs));
            self.adjust_refs(&mut txn, ref_deltas([], removed)).await?;
            for k in keys::pairing_index(&current) {
                txn.delete(k);
            }
            txn.delete(keys::pairing(id));
            (txn, ())
        });
        Ok(())
    }

    /// Where one transaction cannot delete a pairing with all its activities (etcd's 128
    /// operations), deletes activities in groups first, each group one transaction that also
    /// lowers the reference counts, until the rest fits beside the pairing. The etag and the
    /// absence of child pairings are checked before anything is deleted. Interrupted, the
    /// pairing remains with fewer activities, consistent, and the delete can be repeated.
    async fn delete_activities_in_steps(&self, id: &str, given_etag: &str) -> Result<()> {
        let limits = self.store.limits();
        // The final transaction writes one delete per activity and agreement and up to one count
        // per activity, per named actor and for the parent, beside the pairing, its count and its
        // index keys. (A count of records counts an activity twice: an upper bound.)
        let fits = |activities: u64, agreements: u64, named: usize| {
            activities.saturating_mul(2).saturating_add(agreements).saturating_add(named as u64).saturating_add(16)
                <= limits.max_ops as u64
        };
        let name = pairing_name(id);
        loop {
            let (count, _) = self.ref_count(keys::pairing_refs(id)).await?;
            if fits(count, 0, MAX_NAMED_ACTORS) {
                return Ok(());
            }
            let Some((current, rev)) = self.load::<Pairing>(keys::pairing(id)).await? else {
                return Err(RegistryError::not_found(name.clone()));
            };
            check_etag(&name, given_etag, rev)?;
            if !self.store.scan(Scan::new(keys::pairings_by_parent(id), 1)).await?.entries.is_empty() {
                // The final transaction reports the children.
                return Ok(());
            }
            let activities = self.all_activities(id).await?;
            let agreements = self.agreements_at(id, None).await?;
            if fits(activities.len() as u64, agreements.len() as u64, current.named_actors().len()) {
                return Ok(());
            }
            if activities.is_empty() {
                // Only agreements are left, more than fit beside the pairing (there are at most
                // 101): a group of them goes first.
                let step = limits.max_ops.saturating_sub(3).max(1);
                let group: Vec<i32> = agreements.iter().take(step).map(|a| a.record.year).collect();
                if group.is_empty() {
                    // Nothing left to delete in steps: the final transaction reports what is wrong.
                    return Ok(());
                }
                self.delete_agreement_group(id, rev, &group).await?;
                continue;
            }
            // A group of k: the pairing, its count (twice: see delete_activity_group) and k
            // activities compared, k deletes, up to k + 1 counts.
            let step = (limits.max_ops.saturating_sub(3) / 2).max(1);
            for group in activities.chunks(step) {
                if !self.delete_activity_group(id, rev, group).await? {
                    // The pairing changed meanwhile: check its etag and children again.
                    break;
                }
            }
        }
    }

    /// Whether the pairing is still at `pairing_rev` and has no child, with `txn` expecting both:
    /// a step of a forced delete goes only then. A child pairing created since the delete began
    /// would make its last step fail after the step's records were gone. Creating one moves the
    /// pairing's reference count: it is read before looking for children and its revision
    /// compared, so that a child created after the look fails the transaction (adjust_refs
    /// compares a later read as well).
    async fn still_childless(&self, txn: &mut Txn, pairing: &str, pairing_rev: u64) -> Result<bool> {
        match self.store.get(keys::pairing(pairing)).await? {
            Some(p) if p.revision == pairing_rev => txn.expect(keys::pairing(pairing), Expect::Revision(pairing_rev)),
            _ => return Ok(false),
        }
        let (_, count_before) = self.ref_count(keys::pairing_refs(pairing)).await?;
        if !self.store.scan(Scan::new(keys::pairings_by_parent(pairing), 1)).await?.entries.is_empty() {
            return Ok(false);
        }
        txn.expect(keys::pairing_refs(pairing), count_before);
        Ok(true)
    }

    /// Deletes the given agreements of a pairing, if the pairing is still at `pairing_rev` with no
    /// child, in one transaction. False if the pairing has changed or has a child.
    async fn delete_agreement_group(&self, pairing: &str, pairing_rev: u64, years: &[i32]) -> Result<bool> {
        let name = pairing_name(pairing);
        let (deleted, _) = with_retry!(self, &name, {
            let mut txn = Txn::default();
            if !self.still_childless(&mut txn, pairing, pairing_rev).await? {
                return Ok(false);
            }
            let mut removed = Vec::with_capacity(years.len());
            for &year in years {
                let key = keys::agreement(pairing, year);
                let Some(v) = self.store.get(key.clone()).await? else { continue };
                txn.expect(key.clone(), Expect::Revision(v.revision));
                txn.delete(key);
                removed.push(keys::pairing_refs(pairing));
            }
            self.adjust_refs(&mut txn, ref_deltas([], removed)).await?;
            (txn, true)
        });
        Ok(deleted)
    }

    /// Deletes the given activities of a pairing, if unchanged and if the pairing is still at
    /// `pairing_rev` with no child, in one transaction. False if the pairing has changed or has a
    /// child (nothing deleted).
    async fn delete_activity_group(&self, pairing: &str, pairing_rev: u64, group: &[(Activity, u64)]) -> Result<bool> {
        let name = pairing_name(pairing);
        let (deleted, _) = with_retry!(self, &name, {
            let mut txn = Txn::default();
            if !self.still_childless(&mut txn, pairing, pairing_rev).await? {
                return Ok(false);
            }
            let mut removed = Vec::with_capacity(group.len() * 2);
            for (activity, _) in group {
                let key = keys::activity(pairing, &activity.id);
                // Re-read on every attempt: another request may have changed or deleted it.
                let Some((current, rev)) = self.load::<Activity>(key.clone()).await? else {
                    continue;
                };
                txn.expect(key.clone(), Expect::Revision(rev));
                txn.delete(key);
                removed.extend([keys::pairing_refs(pairing), keys::actor_refs(&current.actor)]);
            }
            self.adjust_refs(&mut txn, ref_deltas([], removed)).await?;
            (txn, true)
        });
        Ok(deleted)
    }
}

/// "2 activities and 1 agreement", naming only what there is.
fn held(activities: usize, agreements: usize) -> String {
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (activities, agreements) {
        (a, 0) => count(a, "activity", "activities"),
        (0, g) => count(g, "agreement", "agreements"),
        (a, g) => format!("{} and {}", count(a, "activity", "activities"), count(g, "agreement", "agreements")),
    }
}
