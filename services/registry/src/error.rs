//! The registry's one error type. `grpc::status` maps it to a gRPC status exhaustively.

use crate::rules::validate::Violations;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Bad input: every violation, with the field it concerns.
    #[error("the request has {} invalid field(s)", .0.list().len())]
    InvalidArgument(Violations),

    /// `resource` does not exist. `field` names the request field that referred to it, if any.
    #[error("{}{resource} does not exist", field.as_ref().map(|f| format!("{f}: ")).unwrap_or_default())]
    NotFound { resource: String, field: Option<String> },

    #[error("{resource} already exists{}", detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    AlreadyExists { resource: String, detail: Option<String> },

    /// The request is well-formed but the registry's state forbids it (`subject` names what is in the way).
    #[error("{description}")]
    FailedPrecondition { subject: String, description: String },

    /// A stale etag, or too much concurrent change to the same records: read again and retry.
    #[error("{0}")]
    Aborted(String),

    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RegistryError {
    pub fn not_found(resource: impl Into<String>) -> Self {
        Self::NotFound { resource: resource.into(), field: None }
    }

    pub fn not_found_at(field: impl Into<String>, resource: impl Into<String>) -> Self {
        Self::NotFound { resource: resource.into(), field: Some(field.into()) }
    }

    pub fn precondition(subject: impl Into<String>, description: impl Into<String>) -> Self {
        Self::FailedPrecondition { subject: subject.into(), description: description.into() }
    }

    pub fn invalid(field: impl Into<String>, description: impl Into<String>) -> Self {
        let mut v = Violations::new();
        v.add(field, description);
        Self::InvalidArgument(v)
    }
}

impl From<Violations> for RegistryError {
    fn from(v: Violations) -> Self {
        Self::InvalidArgument(v)
    }
}

pub(crate) type Result<T, E = RegistryError> = std::result::Result<T, E>;
