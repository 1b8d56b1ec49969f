//! The storage boundary: an ordered key-value store with per-key revisions and optimistic
//! transactions (read, compare, write), the model that both sled and etcd offer.
//!
//! The registry's logic reads keys with their revisions, then commits a [`Txn`] that expects those
//! revisions to be unchanged. A conflict means someone else wrote first: the caller reads again.
//! Only `sled_store` imports sled, and only `etcd/` (behind the `etcd` feature) imports etcd.

#[cfg(feature = "etcd")]
mod etcd;
mod flush;
mod sled_store;

use std::future::Future;

#[cfg(feature = "etcd")]
pub use etcd::{EtcdConfig, EtcdStore};
pub use sled_store::{SledConfig, SledStore};

pub type Key = Vec<u8>;

/// The format of the data this build writes (the key layout in `core::keys` and the records'
/// encoding), kept under [`FORMAT_KEY`] by every engine. Data with a higher number is refused,
/// never misread.
pub const FORMAT_VERSION: u32 = 1;
pub const FORMAT_KEY: &[u8] = b"meta/format";

/// Checks the format version stored under [`FORMAT_KEY`] of the store at `location`: data of a
/// newer format is refused, never misread.
pub(crate) fn check_format_version(location: &str, stored: &[u8]) -> Result<(), StoreError> {
    let bytes: [u8; 4] = stored
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("the format version key in {location} is not 4 bytes")))?;
    let found = u32::from_be_bytes(bytes);
    if found > FORMAT_VERSION {
        return Err(StoreError::NewerFormat { path: location.to_string(), found, supported: FORMAT_VERSION });
    }
    Ok(())
}

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
    /// The revision a read returned. Only revisions an engine handed out are meaningful here: on
    /// etcd, `Revision(0)` also holds for an absent key (etcd's way of saying absent), while sled's
    /// first commit is revision 0.
    Revision(u64),
}

/// Compare-and-write: every expectation must hold, then every write applies, all or nothing.
#[derive(Debug, Clone, Default)]
pub struct Txn {
    pub expects: Vec<(Key, Expect)>,
    pub puts: Vec<Put>,
    pub deletes: Vec<Key>,
}

/// One value a [`Txn`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    pub key: Key,
    pub value: Vec<u8>,
    /// The value is a record that no other transaction writes byte for byte (a record carries the
    /// microsecond it was written), so finding it proves this transaction applied. An engine that
    /// may lose a commit's answer (etcd) settles the commit by it; the others write it as any put.
    /// Set only by [`Txn::put_record`].
    pub(crate) record: bool,
}

impl Put {
    /// Whether [`Txn::put_record`] wrote it.
    pub fn is_record(&self) -> bool {
        self.record
    }
}

impl Txn {
    pub fn expect(&mut self, key: Key, expect: Expect) {
        self.expects.push((key, expect));
    }

    /// Writes a value another transaction may write as well: an index entry, a count.
    pub fn put(&mut self, key: Key, value: Vec<u8>) {
        self.puts.push(Put { key, value, record: false });
    }

    /// Writes a record, whose value is this transaction's alone (see [`Put::record`]).
    pub fn put_record(&mut self, key: Key, value: Vec<u8>) {
        self.puts.push(Put { key, value, record: true });
    }

    pub fn delete(&mut self, key: Key) {
        self.deletes.push(key);
    }

    /// Operations the transaction asks of the engine: comparisons and writes counted apart, as
    /// etcd counts them against its per-transaction limit.
    pub fn ops(&self) -> (usize, usize) {
        (self.expects.len(), self.puts.len() + self.deletes.len())
    }

    /// Bytes of keys and values the transaction carries.
    pub fn bytes(&self) -> usize {
        let expects: usize = self.expects.iter().map(|(k, _)| k.len() + 16).sum();
        let puts: usize = self.puts.iter().map(|p| p.key.len() + p.value.len() + 16).sum();
        let deletes: usize = self.deletes.iter().map(|k| k.len() + 16).sum();
        expects + puts + deletes
    }
}

/// What one transaction may hold on an engine. The registry keeps every single-record write far
/// inside etcd's limits by its own size limits; bulk writes split themselves to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TxnLimits {
    /// Most comparisons, and separately most writes, in one transaction.
    pub max_ops: usize,
    /// Most bytes of keys and values in one transaction.
    pub max_bytes: usize,
}

impl TxnLimits {
    pub const UNBOUNDED: Self = Self { max_ops: usize::MAX, max_bytes: usize::MAX };

    pub fn admits(&self, txn: &Txn) -> bool {
        let (compares, writes) = txn.ops();
        compares <= self.max_ops && writes <= self.max_ops && txn.bytes() <= self.max_bytes
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Applied and durable; every key written now has this revision, higher than any the store
    /// handed out before (also across a reopen: `tests/tests/store.rs` checks both engines).
    Committed { revision: u64 },
    /// An expectation did not hold; nothing was written.
    Conflict,
}

/// A forward scan over the keys that start with `prefix`.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub prefix: Key,
    /// Resume after this key (exclusive). A key inside `prefix`: engines differ on one before it
    /// (etcd scans the whole prefix, sled nothing), so callers never pass one (page tokens are
    /// checked to point inside their listing).
    pub start_after: Option<Key>,
    /// At least 1: engines differ on 0 (etcd reads it as "no limit", sled returns nothing).
    pub limit: usize,
    /// Read as of this revision (a listing's later pages); `None` reads the latest. Engines without
    /// history (sled) always read the latest.
    pub revision: Option<u64>,
}

impl Scan {
    pub fn new(prefix: Key, limit: usize) -> Self {
        Self { prefix, start_after: None, limit, revision: None }
    }

    pub fn after(self, start_after: Option<Key>) -> Self {
        Self { start_after, ..self }
    }

    pub fn at(self, revision: Option<u64>) -> Self {
        Self { revision, ..self }
    }
}

/// The keys a scan found, and the revision they were read at, if the engine can read at it again.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    pub entries: Vec<(Key, Versioned)>,
    pub revision: Option<u64>,
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
    /// The engine cannot be reached or has no quorum. For a write, the outcome is unknown: it may
    /// or may not have applied (never partly).
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    /// A read asked for a revision the engine has discarded.
    #[error("revision {revision} has been compacted away")]
    Compacted { revision: u64 },
    /// A read asked for a revision the engine has not reached (a forged or foreign page token).
    #[error("revision {revision} is in the future of this store")]
    FutureRevision { revision: u64 },
    /// The store's settings are wrong (a flag, a file): nothing was read or written.
    #[error("invalid store settings: {0}")]
    Config(String),
    /// The engine refused the request for a reason that repeating it cannot cure.
    #[error("the store refused the request: {0}")]
    Refused(String),
    /// A transaction over the engine's limits; the registry's own limits are meant to prevent it.
    #[error("a transaction of {compares} comparisons, {writes} writes and {bytes} bytes exceeds the store's limits")]
    TooLarge { compares: usize, writes: usize, bytes: usize },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// The engine behind the registry. Every method may be called from many tasks at once.
pub trait Store: Send + Sync + 'static {
    fn get(&self, key: Key) -> impl Future<Output = Result<Option<Versioned>, StoreError>> + Send;

    /// Reads several keys, as of `revision` if given (engines without history read the latest);
    /// the result follows the order of `keys`.
    fn get_many(
        &self,
        keys: Vec<Key>,
        revision: Option<u64>,
    ) -> impl Future<Output = Result<Vec<Option<Versioned>>, StoreError>> + Send;

    /// Keys in ascending byte order, at most `scan.limit` of them.
    fn scan(&self, scan: Scan) -> impl Future<Output = Result<Scanned, StoreError>> + Send;

    /// Applies `txn` atomically if every expectation holds. `Committed` is returned only once the
    /// engine has flushed the write to disk (sled: `flush_async`, which syncs its files), so it
    /// survives the process being killed. An error after the transaction applied (a failed flush)
    /// leaves the outcome unknown to the caller.
    fn commit(&self, txn: Txn) -> impl Future<Output = Result<Outcome, StoreError>> + Send;

    /// Makes everything written so far durable; called once more on shutdown.
    fn flush(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// What one transaction may hold.
    fn limits(&self) -> TxnLimits {
        TxnLimits::UNBOUNDED
    }

    /// Whether the engine can serve now (etcd: a member answers with a leader); drives health.
    fn ready(&self) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
}
