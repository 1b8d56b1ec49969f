//! Records as the store holds them: JSON within a size limit, revisions as etags, and the clock
//! that stamps create and update times.

use std::time::{SystemTime, UNIX_EPOCH};

use eastwest_domain::model::{Micros, Stored};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{MAX_BATCH, Registry};
use crate::error::{RegistryError, Result};
use crate::store::{Key, Store, StoreError, Versioned};

/// Largest record as stored. With [`MAX_DEPTH`](super::MAX_DEPTH) this keeps every single-record
/// write inside etcd's limits (128 operations and 1.5 MiB per transaction): a write is one record,
/// at most eight index keys, a few reference counts and one comparison per ancestor.
pub(crate) const MAX_RECORD_BYTES: usize = 512 * 1024;

pub(crate) fn now_micros() -> Micros {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX)).unwrap_or(0)
}

pub(crate) fn etag(revision: u64) -> String {
    revision.to_string()
}

/// Encodes a record for the store, refusing one larger than [`MAX_RECORD_BYTES`] (INVALID_ARGUMENT
/// at `field`).
pub(super) fn to_json<T: Serialize>(field: &str, record: &T) -> Result<Vec<u8>> {
    let encoded = serde_json::to_vec(record)
        .map_err(|e| RegistryError::from(StoreError::Corrupt(format!("encoding a record: {e}"))))?;
    if encoded.len() > MAX_RECORD_BYTES {
        return Err(RegistryError::invalid(
            field,
            format!(
                "is {} KiB when stored; a record may be at most {} KiB: shorten its texts or lists",
                encoded.len().div_ceil(1024),
                MAX_RECORD_BYTES / 1024
            ),
        ));
    }
    Ok(encoded)
}

pub(super) fn from_json<T: DeserializeOwned>(key: &[u8], value: &[u8]) -> Result<T> {
    serde_json::from_slice(value).map_err(|e| {
        StoreError::Corrupt(format!("record {:?} does not decode: {e}", String::from_utf8_lossy(key))).into()
    })
}

/// ABORTED unless `given` is empty or equals the current etag.
pub(super) fn check_etag(resource: &str, given: &str, current: u64) -> Result<()> {
    if given.is_empty() || given == etag(current) {
        Ok(())
    } else {
        Err(RegistryError::Aborted(format!(
            "etag {given:?} of {resource} is stale: it has changed since it was read; read it again and retry"
        )))
    }
}

impl<S: Store> Registry<S> {
    pub(super) async fn load<T: DeserializeOwned>(&self, key: Key) -> Result<Option<(T, u64)>> {
        match self.store.get(key.clone()).await? {
            Some(Versioned { revision, value }) => Ok(Some((from_json(&key, &value)?, revision))),
            None => Ok(None),
        }
    }

    /// The record at `key` with its etag; NOT_FOUND naming `name()` if there is none.
    pub(super) async fn get_stored<T: DeserializeOwned>(
        &self,
        key: Key,
        name: impl FnOnce() -> String,
    ) -> Result<Stored<T>> {
        match self.load::<T>(key).await? {
            Some((record, rev)) => Ok(Stored { record, etag: etag(rev) }),
            None => Err(RegistryError::not_found(name())),
        }
    }

    /// The records of `ids`, all or nothing, in the order asked, at most [`MAX_BATCH`]; NOT_FOUND at
    /// `names[i]` for the first missing one.
    pub(super) async fn get_all<T: DeserializeOwned>(
        &self,
        ids: &[String],
        key_of: fn(&str) -> Key,
        name_of: fn(&str) -> String,
    ) -> Result<Vec<Stored<T>>> {
        if ids.len() > MAX_BATCH {
            return Err(RegistryError::invalid("names", format!("must have at most {MAX_BATCH} names")));
        }
        let found = self.store.get_many(ids.iter().map(|id| key_of(id)).collect(), None).await?;
        ids.iter()
            .zip(found)
            .enumerate()
            .map(|(i, (id, v))| match v {
                Some(v) => Ok(Stored { record: from_json(&key_of(id), &v.value)?, etag: etag(v.revision) }),
                None => Err(RegistryError::not_found_at(format!("names[{i}]"), name_of(id))),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_over_the_size_limit_are_refused_with_the_field() {
        let big = "x".repeat(MAX_RECORD_BYTES);
        match to_json("pairing", &big) {
            Err(RegistryError::InvalidArgument(v)) => assert_eq!(v.list()[0].field, "pairing"),
            other => panic!("expected INVALID_ARGUMENT, got {other:?}"),
        }
        assert!(to_json("pairing", &"x".repeat(1000)).is_ok());
    }
}
