//! Parent chains of actors and of pairings: no cycle, no deeper than [`MAX_DEPTH`], every ancestor
//! expected unchanged by the write that relies on it.

use eastwest_domain::model::{Actor, Pairing};
use eastwest_domain::names::{actor_name, pairing_name};
use serde::de::DeserializeOwned;

use super::{Registry, keys};
use crate::error::{RegistryError, Result};
use crate::store::{Expect, Key, Store, Txn};

/// Deepest parent chain of actors or of pairings.
pub(crate) const MAX_DEPTH: usize = 32;

/// A record with a parent of its own kind.
pub(super) trait Parented: DeserializeOwned {
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
        actor_name(id)
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
        pairing_name(id)
    }
    fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }
}

impl<S: Store> Registry<S> {
    /// Reads `start` and its ancestors, expecting each to stay unchanged in `txn`. Fails if
    /// `start` is missing (NOT_FOUND at `field`), if the chain reaches `child` (a cycle), or if
    /// the chain is deeper than [`MAX_DEPTH`].
    pub(super) async fn check_ancestry<T: Parented>(
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
}
