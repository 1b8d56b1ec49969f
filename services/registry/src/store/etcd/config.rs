//! What an etcd store is opened with: the members, the key prefix (checked so that no two
//! registries read each other's keys) and the TLS files.

use std::path::PathBuf;
use std::time::Duration;

use etcd_client::{Certificate, Identity, TlsOptions};

use crate::store::StoreError;

#[derive(Debug, Clone)]
pub struct EtcdConfig {
    /// Client URLs of the members, e.g. `http://127.0.0.1:2379` (`https://` with TLS).
    pub endpoints: Vec<String>,
    /// Every key of this registry lives under it, so several registries can share one cluster.
    pub prefix: String,
    /// CA bundle that signed the members' certificates.
    pub ca_file: Option<PathBuf>,
    /// Client certificate and key, for members that require them.
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    /// Longest wait for one request to one member.
    pub request_timeout: Duration,
    /// Longest time one store operation keeps retrying across members before UNAVAILABLE.
    pub budget: Duration,
    /// How long `open` waits for a member to answer before giving up.
    pub connect_patience: Duration,
}

impl EtcdConfig {
    pub fn new(endpoints: Vec<String>, prefix: impl Into<String>) -> Self {
        Self {
            endpoints,
            prefix: prefix.into(),
            ca_file: None,
            cert_file: None,
            key_file: None,
            request_timeout: Duration::from_millis(1_500),
            budget: Duration::from_secs(3),
            connect_patience: Duration::from_secs(10),
        }
    }
}

fn read_file(what: &str, path: &PathBuf) -> Result<Vec<u8>, StoreError> {
    std::fs::read(path).map_err(|e| StoreError::Config(format!("cannot read the etcd {what} {}: {e}", path.display())))
}

/// The first segment of every key a registry writes below its prefix (see `core::keys`).
const NAMESPACES: &[&str] = &["a", "p", "v", "g", "rc", "x", "meta"];

/// The key prefix as given, checked: absolute, not the root, no empty segment. Returns it
/// without a trailing slash.
///
/// No segment may be one of [`NAMESPACES`]: a registry at `/r` reads every key under `/r/a/`,
/// `/r/p/`, … as its own, so one at `/r/a` or `/r/p/q` would have its keys taken for records of
/// `/r`, whichever of the two started first. Any other nesting shares no range with the outer
/// registry (and is refused as well, by `check_layout`, when the outer one exists).
pub(super) fn checked_prefix(prefix: &str) -> Result<&str, StoreError> {
    let trimmed = prefix.strip_suffix('/').unwrap_or(prefix);
    let valid = trimmed.starts_with('/') && trimmed.len() > 1 && !trimmed[1..].split('/').any(str::is_empty);
    if !valid {
        return Err(StoreError::Config(format!(
            "--etcd-prefix {prefix:?} must be an absolute key path other than \"/\", such as /eastwest"
        )));
    }
    if let Some(segment) = trimmed[1..].split('/').find(|segment| NAMESPACES.contains(segment)) {
        return Err(StoreError::Config(format!(
            "--etcd-prefix {prefix:?} has a segment {segment:?}, a name the registry uses for its own keys \
             ({}); choose another, such as /eastwest/{}",
            NAMESPACES.join(", "),
            if segment == "p" { "prod" } else { "main" }
        )));
    }
    Ok(trimmed)
}

pub(super) fn tls_options(config: &EtcdConfig) -> Result<Option<TlsOptions>, StoreError> {
    let identity = match (&config.cert_file, &config.key_file) {
        (Some(cert), Some(key)) => {
            Some(Identity::from_pem(read_file("client certificate", cert)?, read_file("client key", key)?))
        }
        (None, None) => None,
        _ => {
            return Err(StoreError::Config(
                "--etcd-cert-file and --etcd-key-file go together: give both or neither".into(),
            ));
        }
    };
    let ca = config.ca_file.as_ref().map(|ca| read_file("CA bundle", ca)).transpose()?;
    let https = config.endpoints.iter().filter(|e| e.starts_with("https://")).count();
    if https != 0 && https != config.endpoints.len() {
        return Err(StoreError::Config("--etcd-endpoints mixes http:// and https:// URLs; use one scheme".into()));
    }
    match (https > 0, ca.is_some()) {
        // This build trusts no system roots: the CA must be named.
        (true, false) => {
            return Err(StoreError::Config(
                "https:// etcd endpoints need --etcd-ca-file, the CA that signed the members' certificates".into(),
            ));
        }
        (false, true) | (false, false) if identity.is_some() || ca.is_some() => {
            return Err(StoreError::Config(
                "TLS files are given but the etcd endpoints are http://; use https:// URLs".into(),
            ));
        }
        (false, _) => return Ok(None),
        (true, true) => {}
    }
    let mut tls = TlsOptions::new();
    if let Some(ca) = ca {
        tls = tls.ca_certificate(Certificate::from_pem(ca));
    }
    if let Some(identity) = identity {
        tls = tls.identity(identity);
    }
    Ok(Some(tls))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::FORMAT_KEY;

    #[test]
    fn prefixes_that_could_lie_inside_a_registrys_ranges_are_refused() {
        for ok in ["/eastwest", "/eastwest/", "/gov/prod", "/a1/pp"] {
            assert!(checked_prefix(ok).is_ok(), "{ok}");
        }
        for refused in ["eastwest", "/", "//x", "/r/a", "/r/p/q", "/meta", "/r/rc/", "/x"] {
            assert!(matches!(checked_prefix(refused), Err(StoreError::Config(_))), "{refused}");
        }
    }

    #[test]
    fn namespaces_name_the_first_segment_of_every_registry_key() {
        use crate::core::keys;
        let keys: Vec<Vec<u8>> = vec![
            keys::actor("i"),
            keys::pairing("i"),
            keys::activity("i", "j"),
            keys::agreement("i", 2023),
            keys::actor_refs("i"),
            keys::pairing_refs("i"),
            keys::credit_code("c"),
            keys::actors_by_region("52"),
            keys::pairings_by_parent("i"),
            FORMAT_KEY.to_vec(),
        ];
        for key in keys {
            let first = key.split(|&b| b == b'/').next().unwrap_or_default();
            assert!(NAMESPACES.iter().any(|n| n.as_bytes() == first), "{}", String::from_utf8_lossy(&key));
        }
    }
}
