//! The registry's use cases over any [`Store`]: each write reads what it depends on, builds one
//! transaction that expects those reads to be unchanged, and starts again on conflict. Referential
//! checks and index updates therefore land atomically with the record they concern.
//!
//! References are counted (`rc/…` keys): a record that names an actor or pairing increments its
//! count in the same transaction, and a delete expects the count to be absent. A create racing a
//! delete thus always conflicts with it, and no dangling reference can be committed.

#[macro_use]
mod retry;

pub(crate) mod activities;
pub(crate) mod actors;
pub(crate) mod agreements;
mod ancestry;
mod bulk;
mod codec;
mod ids;
pub mod keys;
mod listing;
pub(crate) mod paging;
pub(crate) mod pairings;
#[cfg(test)]
mod record_marks;
mod references;
mod snapshot;

use eastwest_domain::model::Stored;

use crate::store::Store;

/// Most names in one batch get.
pub(crate) const MAX_BATCH: usize = 1_000;

pub struct Registry<S> {
    store: S,
}

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<Stored<T>>,
    pub next_page_token: String,
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
}
