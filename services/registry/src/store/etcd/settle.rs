//! Settling a commit whose answer was lost: the transaction is never sent again, its writes are
//! read back instead.
//!
//! A transaction whose answer was lost may or may not have applied, and may still apply if it is
//! queued in etcd; sending it again could apply it twice (an "absent" comparison holds again once
//! someone deletes the key). So every key it writes or deletes is read back, in one snapshot.
//! Applied means a record it wrote ([`Put::record`]) is found exactly, or else all of it is found:
//! each put's exact value, all at one revision (one transaction wrote them), and each deleted key
//! absent. A part alone is not enough: a transaction that writes only reference counts can find
//! the same count written by another replica. Anything else leaves the outcome unknown, and says so.
//!
//! The one false "applied": another writer brought about exactly this state (the same record
//! deleted, counts equal) while this transaction failed; the record is then as the caller asked.

use std::collections::{BTreeMap, BTreeSet};

use super::EtcdStore;
use crate::store::{Key, Outcome, Put, StoreError, Txn, Versioned};

/// A transaction's writes as etcd takes them: etcd refuses two writes to one key in a transaction,
/// so each key is written once, the last put winning and, as in sled, a put winning over a delete.
pub(super) struct Writes {
    /// In key order.
    pub(super) puts: Vec<Put>,
    pub(super) deletes: Vec<Key>,
}

impl Writes {
    pub(super) fn of(txn: Txn) -> Self {
        let puts: BTreeMap<Key, Put> = txn.puts.into_iter().map(|put| (put.key.clone(), put)).collect();
        let mut deletes = txn.deletes;
        deletes.sort();
        deletes.dedup();
        deletes.retain(|k| !puts.contains_key(k));
        Self { puts: puts.into_values().collect(), deletes }
    }

    /// Every key written or deleted: the puts' first, then the deletes'.
    fn keys(&self) -> Vec<Key> {
        self.puts.iter().map(|put| &put.key).chain(&self.deletes).cloned().collect()
    }

    /// Whether what was read back shows these writes applied: `found` holds [`Writes::keys`], read
    /// at `read_at`. `None` leaves the outcome unknown.
    fn applied(&self, found: &[Option<Versioned>], read_at: u64) -> Option<Outcome> {
        // A read-back always answers every key (`get_chunk` checks); one that did not proves nothing.
        let (written, removed) = found.split_at_checked(self.puts.len())?;
        // The revision of a put found exactly as written.
        let exact = |put: &Put, found: &Option<Versioned>| {
            found.as_ref().filter(|found| found.value == put.value).map(|found| found.revision)
        };
        // A record is this transaction's alone: found exactly, it proves the commit, whatever has
        // happened to the shared counts since.
        for (put, found) in self.puts.iter().zip(written) {
            if let Some(revision) = exact(put, found)
                && put.record
            {
                return Some(Outcome::Committed { revision });
            }
        }
        let mut revisions = BTreeSet::new();
        for (put, found) in self.puts.iter().zip(written) {
            revisions.insert(exact(put, found)?);
        }
        if revisions.len() > 1 || removed.iter().any(Option::is_some) {
            return None;
        }
        Some(Outcome::Committed { revision: revisions.first().copied().unwrap_or(read_at) })
    }
}

impl EtcdStore {
    /// Reads `writes` back after their transaction's answer was lost (`why`), and reports the
    /// commit only if they are certainly there.
    pub(super) async fn settle(&self, writes: &Writes, why: String) -> Result<Outcome, StoreError> {
        let unknown = |why: &str| {
            StoreError::Unavailable(format!(
                "{why}; the write may or may not have been applied (never in part): read it back"
            ))
        };
        let (found, read_at) = match self.read_snapshot(&writes.keys(), None).await {
            Ok(snapshot) => snapshot,
            Err(e) => return Err(unknown(&format!("{why}; reading it back: {e}"))),
        };
        writes.applied(&found, read_at).ok_or_else(|| unknown(&why))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COUNT_KEY: &[u8] = b"rc/p/p";
    const RECORD_KEY: &[u8] = b"v/p/x";

    /// What a read-back finds for `writes` when etcd holds `stored` (key, value, revision).
    fn read_back(writes: &Writes, stored: &[(&[u8], &[u8], u64)]) -> Vec<Option<Versioned>> {
        writes
            .keys()
            .iter()
            .map(|key| {
                stored
                    .iter()
                    .find(|(k, ..)| k == key)
                    .map(|&(_, value, revision)| Versioned { revision, value: value.to_vec() })
            })
            .collect()
    }

    /// A transaction like recording an activity: the record and its pairing's count.
    fn record_and_count(record: bool) -> Writes {
        let mut txn = Txn::default();
        if record {
            txn.put_record(RECORD_KEY.to_vec(), b"activity".to_vec());
        } else {
            txn.put(RECORD_KEY.to_vec(), b"activity".to_vec());
        }
        txn.put(COUNT_KEY.to_vec(), b"2".to_vec());
        Writes::of(txn)
    }

    #[test]
    fn a_record_marked_in_the_txn_settles_the_commit_after_the_counts_moved() {
        let writes = record_and_count(true);
        let found = read_back(&writes, &[(RECORD_KEY, b"activity", 7), (COUNT_KEY, b"3", 9)]);
        assert_eq!(writes.applied(&found, 9), Some(Outcome::Committed { revision: 7 }));
    }

    #[test]
    fn the_same_value_written_by_a_plain_put_settles_nothing_alone() {
        let writes = record_and_count(false);
        let found = read_back(&writes, &[(RECORD_KEY, b"activity", 7), (COUNT_KEY, b"3", 9)]);
        assert_eq!(writes.applied(&found, 9), None);
        let found = read_back(&writes, &[(RECORD_KEY, b"activity", 7), (COUNT_KEY, b"2", 7)]);
        assert_eq!(writes.applied(&found, 9), Some(Outcome::Committed { revision: 7 }));
    }

    #[test]
    fn writes_without_a_record_settle_only_when_all_are_found_at_one_revision() {
        let mut txn = Txn::default();
        txn.put(COUNT_KEY.to_vec(), b"1".to_vec());
        txn.put(b"x/k".to_vec(), b"e".to_vec());
        txn.delete(RECORD_KEY.to_vec());
        let writes = Writes::of(txn);
        let found = read_back(&writes, &[(COUNT_KEY, b"1", 5), (b"x/k", b"e", 5)]);
        assert_eq!(writes.applied(&found, 8), Some(Outcome::Committed { revision: 5 }));
        let apart = read_back(&writes, &[(COUNT_KEY, b"1", 4), (b"x/k", b"e", 5)]);
        assert_eq!(writes.applied(&apart, 8), None);
        let kept = read_back(&writes, &[(COUNT_KEY, b"1", 5), (b"x/k", b"e", 5), (RECORD_KEY, b"activity", 3)]);
        assert_eq!(writes.applied(&kept, 8), None);
    }

    #[test]
    fn each_key_is_written_once_keeping_the_marker_of_its_last_put() {
        let mut txn = Txn::default();
        txn.delete(RECORD_KEY.to_vec());
        txn.put(RECORD_KEY.to_vec(), b"old".to_vec());
        txn.put_record(RECORD_KEY.to_vec(), b"new".to_vec());
        txn.delete(COUNT_KEY.to_vec());
        txn.delete(COUNT_KEY.to_vec());
        let writes = Writes::of(txn);
        assert_eq!(writes.puts, vec![Put { key: RECORD_KEY.to_vec(), value: b"new".to_vec(), record: true }]);
        assert_eq!(writes.deletes, vec![COUNT_KEY.to_vec()]);
    }
}
