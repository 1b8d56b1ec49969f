//! Page tokens (AIP-158): opaque to clients, bound to the filter that produced them, and pointing
//! just past the last key a page read, so that each record is returned exactly once. On an engine
//! with history (etcd) the token also carries the revision of the first page, so that every page
//! of one listing reads the same snapshot, as Kubernetes' apiserver pages its lists.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::error::RegistryError;

pub(crate) const DEFAULT_PAGE_SIZE: usize = 50;
pub(crate) const MAX_PAGE_SIZE: usize = 1_000;

#[derive(Serialize, Deserialize)]
struct Token {
    /// The request's filters, so that a token is not replayed against another listing.
    q: String,
    /// Hex of the last key read.
    k: String,
    /// The revision every page of the listing reads at, where the engine can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<u64>,
}

/// Where a listing resumes: after `key`, as of `revision`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Resume {
    pub after: Option<Vec<u8>>,
    pub revision: Option<u64>,
}

/// The page size a client asked for: 0 means the default, above the maximum is clamped.
pub(crate) fn page_size(requested: i32) -> Result<usize, RegistryError> {
    match usize::try_from(requested) {
        Err(_) => Err(RegistryError::invalid("page_size", "must not be negative")),
        Ok(0) => Ok(DEFAULT_PAGE_SIZE),
        Ok(n) => Ok(n.min(MAX_PAGE_SIZE)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

pub(crate) fn encode(filter: &str, last_key: &[u8], revision: Option<u64>) -> String {
    let token = Token { q: filter.to_string(), k: hex(last_key), r: revision };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).unwrap_or_default())
}

/// Where to resume; the default (from the start, latest revision) for an empty token.
/// Reads a token of the listing with `filter` that scans `prefix`. Tokens are not signed: one whose
/// position lies outside the prefix (edited by hand) is refused, or a scan could start in another
/// part of the keyspace.
pub(crate) fn decode(filter: &str, prefix: &[u8], token: &str) -> Result<Resume, RegistryError> {
    if token.is_empty() {
        return Ok(Resume::default());
    }
    let bad = || RegistryError::invalid("page_token", "is not a token this listing returned; start again without one");
    let raw = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
    let parsed: Token = serde_json::from_slice(&raw).map_err(|_| bad())?;
    if parsed.q != filter {
        return Err(RegistryError::invalid(
            "page_token",
            "was issued for different filters; repeat the filters of the first request or start again",
        ));
    }
    let after = unhex(&parsed.k).filter(|after| after.starts_with(prefix)).ok_or_else(bad)?;
    Ok(Resume { after: Some(after), revision: parsed.r })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_bound_to_their_filter() {
        let t = encode("side=EAST", b"x/as/EAST/abc", Some(42));
        let resume = decode("side=EAST", b"x/as/EAST/", &t).expect("decode");
        assert_eq!(resume, Resume { after: Some(b"x/as/EAST/abc".to_vec()), revision: Some(42) });
        let unpinned = encode("side=EAST", b"x/as/EAST/abc", None);
        assert_eq!(decode("side=EAST", b"x/as/EAST/", &unpinned).expect("decode").revision, None);
        assert!(decode("side=WEST", b"x/as/EAST/", &t).is_err());
        assert!(decode("side=EAST", b"x/as/EAST/", "garbage!").is_err());
        assert_eq!(decode("", b"a/", "").expect("empty"), Resume::default());
        // A position outside the listing's prefix: another pairing's activities, say.
        let elsewhere = encode("", b"v/other/", None);
        assert!(decode("", b"v/mine/", &elsewhere).is_err());
    }

    #[test]
    fn page_sizes_default_and_clamp() {
        assert_eq!(page_size(0).expect("ok"), 50);
        assert_eq!(page_size(5000).expect("ok"), 1000);
        assert!(page_size(-1).is_err());
    }
}
