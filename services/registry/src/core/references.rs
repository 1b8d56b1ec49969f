//! Referential integrity without scans in transactions: every record that names an actor or
//! pairing increments its count (`rc/…`) in the same transaction, and a delete expects that count
//! to be absent. Index entries, the other keys that point at a record, are replaced here too.

use std::collections::BTreeMap;

use super::Registry;
use crate::error::Result;
use crate::store::{Expect, Key, Store, StoreError, Txn};

impl<S: Store> Registry<S> {
    /// Adds the reference-count changes to `txn`, expecting each count to be unchanged.
    pub(super) async fn adjust_refs(&self, txn: &mut Txn, deltas: BTreeMap<Key, i64>) -> Result<()> {
        for (key, delta) in deltas {
            if delta == 0 {
                continue;
            }
            let current = self.store.get(key.clone()).await?;
            let (count, expect) = match &current {
                Some(v) => (decode_count(&key, &v.value)?, Expect::Revision(v.revision)),
                None => (0, Expect::Absent),
            };
            txn.expect(key.clone(), expect);
            let next = count.saturating_add_signed(delta);
            if next == 0 {
                if current.is_some() {
                    txn.delete(key);
                }
            } else {
                txn.put(key, next.to_be_bytes().to_vec());
            }
        }
        Ok(())
    }

    /// How many records name the one counted at `key`, and the expectation that pins that count.
    pub(super) async fn ref_count(&self, key: Key) -> Result<(u64, Expect)> {
        match self.store.get(key.clone()).await? {
            Some(v) => Ok((decode_count(&key, &v.value)?, Expect::Revision(v.revision))),
            None => Ok((0, Expect::Absent)),
        }
    }
}

fn decode_count(key: &[u8], value: &[u8]) -> Result<u64> {
    let bytes: [u8; 8] = value.try_into().map_err(|_| {
        StoreError::Corrupt(format!("reference count {:?} is not 8 bytes", String::from_utf8_lossy(key)))
    })?;
    Ok(u64::from_be_bytes(bytes))
}

/// +1 for each key in `added`, -1 for each in `removed`.
pub(super) fn ref_deltas(
    added: impl IntoIterator<Item = Key>,
    removed: impl IntoIterator<Item = Key>,
) -> BTreeMap<Key, i64> {
    let mut deltas = BTreeMap::new();
    for k in added {
        *deltas.entry(k).or_insert(0) += 1;
    }
    for k in removed {
        *deltas.entry(k).or_insert(0) -= 1;
    }
    deltas
}

/// Replaces one set of index entries by another in `txn`, leaving shared ones alone.
pub(super) fn reindex(txn: &mut Txn, old: Vec<Key>, new: Vec<Key>, value: &[u8]) {
    for k in &old {
        if !new.contains(k) {
            txn.delete(k.clone());
        }
    }
    for k in new {
        if !old.contains(&k) {
            txn.put(k, value.to_vec());
        }
    }
}
