//! The storage boundary: an ordered key-value store with per-key revisions and optimistic
//! transactions (read, compare, write), the model that both sled and etcd offer.
//!
//! The registry's logic reads keys with their revisions, then commits a [`Txn`] that expects those
//! revisions to be unchanged. A conflict means someone else wrote first: the caller reads again.
//! Only `sled_store` imports sled.

mod flush;
pub mod sled_store;

use std::future::Future;

pub use sled_store::{SledConfig, SledStore};

pub type Key = Vec<u8>;

/// A value and the revision of the commit that last wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned {
    pub revision: u64,
    pub value: Vec<u8>,
}

/// What a transaction expects of a key when it commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Absent,
    Revision(u64),
}

/// Compare-and-write: every expectation must hold, then every write applies, all or nothing.
#[derive(Debug, Clone, Default)]
pub struct Txn {
    pub expects: Vec<(Key, Expect)>,
    pub puts: Vec<(Key, Vec<u8>)>,
    pub deletes: Vec<Key>,
}

impl Txn {
    pub fn expect(&mut self, key: Key, expect: Expect) {
        self.expects.push((key, expect));
    }

    pub fn put(&mut self, key: Key, value: Vec<u8>) {
        self.puts.push((key, value));
    }

    pub fn delete(&mut self, key: Key) {
        self.deletes.push(key);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Applied and durable; every key written now has this revision.
    Committed { revision: u64 },
    /// An expectation did not hold; nothing was written.
    Conflict,
}

/// A forward scan over the keys that start with `prefix`.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub prefix: Key,
    /// Resume after this key (exclusive).
    pub start_after: Option<Key>,
    pub limit: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the data directory {path} is in use by another process; stop it or choose another --data-dir")]
    Locked { path: String },
    #[error(
        "the data in {path} has format version {found}, newer than this build understands ({supported}); \
         run a newer eastwest-registry"
    )]
    NewerFormat { path: String, found: u32, supported: u32 },
    #[error("storage I/O failed: {0}")]
    Io(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// The engine behind the registry. Every method may be called from many tasks at once.
pub trait Store: Send + Sync + 'static {
    fn get(&self, key: Key) -> impl Future<Output = Result<Option<Versioned>, StoreError>> + Send;

    /// Reads several keys; the result follows the order of `keys`.
    fn get_many(&self, keys: Vec<Key>) -> impl Future<Output = Result<Vec<Option<Versioned>>, StoreError>> + Send;

    /// Keys in ascending byte order, at most `scan.limit` of them.
    fn scan(&self, scan: Scan) -> impl Future<Output = Result<Vec<(Key, Versioned)>, StoreError>> + Send;

    /// Applies `txn` atomically if every expectation holds. `Committed` is returned only once the
    /// engine has flushed the write to disk (sled: `flush_async`, which syncs its files), so it
    /// survives the process being killed. An error after the transaction applied (a failed flush)
    /// leaves the outcome unknown to the caller.
    fn commit(&self, txn: Txn) -> impl Future<Output = Result<Outcome, StoreError>> + Send;

    /// Makes everything written so far durable; called once more on shutdown.
    fn flush(&self) -> impl Future<Output = Result<(), StoreError>> + Send;
}
