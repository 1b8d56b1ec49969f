//! The embedded engine: sled 0.34, one tree, each value prefixed by the revision that wrote it.
//!
//! sled keeps reads and transactional writes in its page cache and log buffer; the only blocking
//! disk work is the flush, which runs on sled's own thread pool (`flush_async`) and is shared by
//! every writer waiting at the same moment (see `flush.rs`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::flush::GroupFlush;
use super::{
    Expect, FORMAT_KEY, FORMAT_VERSION, Key, Outcome, Scan, Scanned, Store, StoreError, Txn, Versioned,
    check_format_version,
};

const REVISION_BYTES: usize = 8;
/// How long `open` waits for a data directory's lock before reporting it in use.
const LOCK_PATIENCE: Duration = Duration::from_millis(1_000);

#[derive(Debug, Clone)]
pub struct SledConfig {
    pub path: PathBuf,
    /// sled's page cache; the main lever on the registry's memory use.
    pub cache_capacity_bytes: u64,
}

struct Inner {
    db: sled::Db,
}

pub struct SledStore {
    inner: Arc<Inner>,
    group: Arc<GroupFlush>,
}

fn io(e: sled::Error) -> StoreError {
    StoreError::Io(e.to_string())
}

fn decode(key: &[u8], raw: &[u8]) -> Result<Versioned, StoreError> {
    let (rev, value) = raw.split_at_checked(REVISION_BYTES).ok_or_else(|| {
        StoreError::Corrupt(format!("value of {:?} is shorter than its revision", String::from_utf8_lossy(key)))
    })?;
    let mut rev_bytes = [0u8; REVISION_BYTES];
    rev_bytes.copy_from_slice(rev);
    Ok(Versioned { revision: u64::from_be_bytes(rev_bytes), value: value.to_vec() })
}

fn encode(revision: u64, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(REVISION_BYTES + value.len());
    out.extend_from_slice(&revision.to_be_bytes());
    out.extend_from_slice(value);
    out
}

impl SledStore {
    /// Opens (or creates) the store. Must be called inside a tokio runtime: it starts the flusher.
    pub fn open(config: &SledConfig) -> Result<Self, StoreError> {
        let path = config.path.display().to_string();
        std::fs::create_dir_all(&config.path).map_err(|e| StoreError::Io(format!("creating {path}: {e}")))?;
        let attempt = || {
            sled::Config::new()
                .path(&config.path)
                .cache_capacity(config.cache_capacity_bytes)
                .flush_every_ms(Some(1_000))
                .open()
                .map_err(|e| {
                    let text = e.to_string();
                    if text.contains("could not acquire lock") {
                        StoreError::Locked { path: path.clone() }
                    } else {
                        StoreError::Io(format!("opening {path}: {text}"))
                    }
                })
        };
        // A store closed a moment ago in this process may still be released by sled's own threads;
        // give that a short while. Another process holding the directory still fails within it.
        let started = std::time::Instant::now();
        let db = loop {
            match attempt() {
                Err(StoreError::Locked { .. }) if started.elapsed() < LOCK_PATIENCE => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => break other?,
            }
        };
        check_format(&db, &config.path)?;
        let inner = Arc::new(Inner { db });
        let group = GroupFlush::start(Arc::downgrade(&inner), |inner: Arc<Inner>| async move {
            let result = inner.db.flush_async().await.map(|_| ()).map_err(|e| e.to_string());
            if result.is_err() {
                // Do not spin on a failing disk.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            result
        });
        Ok(Self { inner, group })
    }

    fn db(&self) -> &sled::Db {
        &self.inner.db
    }
}

impl Drop for SledStore {
    fn drop(&mut self) {
        self.group.stop();
    }
}

/// Writes the format version into a new store; refuses a store written by a newer format.
fn check_format(db: &sled::Db, path: &Path) -> Result<(), StoreError> {
    match db.get(FORMAT_KEY).map_err(io)? {
        Some(raw) => check_format_version(&path.display().to_string(), &raw),
        None => {
            db.insert(FORMAT_KEY, &FORMAT_VERSION.to_be_bytes()).map_err(io)?;
            db.flush().map_err(io)?;
            Ok(())
        }
    }
}

/// Marks an unmet expectation inside a sled transaction.
#[derive(Debug)]
struct Unmet;

impl Store for SledStore {
    async fn get(&self, key: Key) -> Result<Option<Versioned>, StoreError> {
        match self.db().get(&key).map_err(io)? {
            Some(raw) => decode(&key, &raw).map(Some),
            None => Ok(None),
        }
    }

    /// sled keeps no history: every read is of the latest state, whatever `revision` says.
    async fn get_many(&self, keys: Vec<Key>, _revision: Option<u64>) -> Result<Vec<Option<Versioned>>, StoreError> {
        keys.iter()
            .map(|key| match self.db().get(key).map_err(io)? {
                Some(raw) => decode(key, &raw).map(Some),
                None => Ok(None),
            })
            .collect()
    }

    async fn scan(&self, scan: Scan) -> Result<Scanned, StoreError> {
        let start = match &scan.start_after {
            // The smallest key greater than `after`.
            Some(after) => {
                let mut k = after.clone();
                k.push(0);
                k
            }
            None => scan.prefix.clone(),
        };
        let mut out = Vec::with_capacity(scan.limit.min(1024));
        for item in self.db().range(start..) {
            if out.len() >= scan.limit {
                break;
            }
            let (key, raw) = item.map_err(io)?;
            if !key.starts_with(&scan.prefix) {
                break;
            }
            out.push((key.to_vec(), decode(&key, &raw)?));
        }
        Ok(Scanned { entries: out, revision: None })
    }

    async fn commit(&self, txn: Txn) -> Result<Outcome, StoreError> {
        let revision = self.db().generate_id().map_err(io)?;
        let result = self.db().transaction(|tx| {
            for (key, expect) in &txn.expects {
                let current = tx.get(key)?;
                let holds = match (expect, current) {
                    (Expect::Absent, None) => true,
                    (Expect::Revision(want), Some(raw)) => raw
                        .get(..REVISION_BYTES)
                        .and_then(|b| <[u8; REVISION_BYTES]>::try_from(b).ok())
                        .is_some_and(|b| u64::from_be_bytes(b) == *want),
                    _ => false,
                };
                if !holds {
                    return Err(ConflictableTransactionError::Abort(Unmet));
                }
            }
            for key in &txn.deletes {
                tx.remove(key.as_slice())?;
            }
            // A record is written as any other value: sled answers every commit it applied.
            for put in &txn.puts {
                tx.insert(put.key.as_slice(), encode(revision, &put.value))?;
            }
            Ok(())
        });
        match result {
            Ok(()) => {}
            Err(TransactionError::Abort(Unmet)) => return Ok(Outcome::Conflict),
            Err(TransactionError::Storage(e)) => return Err(io(e)),
        }
        self.group.wait_durable().await.map_err(StoreError::Io)?;
        Ok(Outcome::Committed { revision })
    }

    async fn flush(&self) -> Result<(), StoreError> {
        self.db().flush_async().await.map(|_| ()).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &Path) -> SledStore {
        SledStore::open(&SledConfig { path: dir.to_path_buf(), cache_capacity_bytes: 8 << 20 }).expect("open")
    }

    #[tokio::test]
    async fn expectations_guard_every_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = open(dir.path());
        let mut txn = Txn::default();
        txn.expect(b"k".to_vec(), Expect::Absent);
        txn.put(b"k".to_vec(), b"v1".to_vec());
        let Outcome::Committed { revision } = store.commit(txn.clone()).await.expect("commit") else {
            panic!("first create conflicted")
        };
        assert_eq!(store.commit(txn).await.expect("commit"), Outcome::Conflict);

        let mut stale = Txn::default();
        stale.expect(b"k".to_vec(), Expect::Revision(revision + 1000));
        stale.put(b"other".to_vec(), b"x".to_vec());
        assert_eq!(store.commit(stale).await.expect("commit"), Outcome::Conflict);
        assert_eq!(store.get(b"other".to_vec()).await.expect("get"), None);

        let got = store.get(b"k".to_vec()).await.expect("get").expect("present");
        assert_eq!(got, Versioned { revision, value: b"v1".to_vec() });
    }

    #[tokio::test]
    async fn scans_stay_inside_the_prefix_and_resume() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = open(dir.path());
        let mut txn = Txn::default();
        for k in ["a/1", "a/2", "a/3", "b/1"] {
            txn.put(k.as_bytes().to_vec(), vec![]);
        }
        store.commit(txn).await.expect("commit");
        let keys = |items: Scanned| {
            items.entries.into_iter().map(|(k, _)| String::from_utf8(k).expect("utf8")).collect::<Vec<_>>()
        };
        let first = store.scan(Scan::new(b"a/".to_vec(), 2)).await.expect("scan");
        assert_eq!(keys(first), ["a/1", "a/2"]);
        let rest = store.scan(Scan::new(b"a/".to_vec(), 10).after(Some(b"a/2".to_vec()))).await.expect("scan");
        assert_eq!(keys(rest), ["a/3"]);
    }

    #[tokio::test]
    async fn a_second_open_of_the_same_directory_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let _first = open(dir.path());
        let second = SledStore::open(&SledConfig { path: dir.path().to_path_buf(), cache_capacity_bytes: 8 << 20 });
        assert!(matches!(second, Err(StoreError::Locked { .. })), "{:?}", second.err());
    }

    #[tokio::test]
    async fn data_from_a_newer_format_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let db = sled::open(dir.path()).expect("sled");
            db.insert(FORMAT_KEY, &(FORMAT_VERSION + 1).to_be_bytes()).expect("insert");
            db.flush().expect("flush");
        }
        let err = SledStore::open(&SledConfig { path: dir.path().to_path_buf(), cache_capacity_bytes: 8 << 20 });
        assert!(matches!(err, Err(StoreError::NewerFormat { found: 2, .. })), "{:?}", err.err());
    }

    #[tokio::test]
    async fn reopening_after_drop_keeps_the_data() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let store = open(dir.path());
            let mut txn = Txn::default();
            txn.put(b"k".to_vec(), b"v".to_vec());
            store.commit(txn).await.expect("commit");
        }
        let store = open(dir.path());
        assert!(store.get(b"k".to_vec()).await.expect("get").is_some());
    }
}
