//! The evaluation service's one error type and its one exhaustive mapping to a gRPC status.

use eastwest_proto::convert::InvalidRecord;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    /// Bad input: each `(field, description)`.
    #[error("invalid request: {}", .0.iter().map(|(f, d)| format!("{f}: {d}")).collect::<Vec<_>>().join("; "))]
    InvalidArgument(Vec<(String, String)>),
    /// The registry has no such pairing (its message names it).
    #[error("{0}")]
    NotFound(String),
    /// The registry could not be reached within the read budget.
    #[error("the registry is unavailable: {0}")]
    RegistryUnavailable(String),
    /// The registry refused a read for a reason that is not ours to hide (e.g. a filter it rejects).
    #[error("the registry refused the read: {}", .0.message())]
    RegistryRejected(Status),
    /// The registry answered with a record this service cannot read: a bug on one side.
    #[error("the registry sent a record that cannot be read: {0}")]
    BadRegistryData(InvalidRecord),
    #[error("the service is shutting down; retry against another replica")]
    ShuttingDown,
    /// The caller's own deadline ran out while the registry was being read.
    #[error("the deadline ran out: {0}")]
    DeadlineExceeded(String),
}

impl EvaluationError {
    pub fn invalid(field: &str, description: impl Into<String>) -> Self {
        Self::InvalidArgument(vec![(field.to_string(), description.into())])
    }

    /// Classifies a final error status from the registry.
    #[allow(clippy::wildcard_enum_match_arm, reason = "tonic's codes, a foreign enum: only NOT_FOUND is the caller's")]
    pub fn from_registry(status: Status) -> Self {
        match status.code() {
            Code::NotFound => Self::NotFound(status.message().to_string()),
            _ => Self::RegistryRejected(status),
        }
    }
}

impl From<EvaluationError> for Status {
    fn from(err: EvaluationError) -> Self {
        let message = err.to_string();
        match err {
            EvaluationError::InvalidArgument(violations) => {
                let mut details = ErrorDetails::new();
                for (field, description) in violations {
                    details.add_bad_request_violation(field, description);
                }
                Status::with_error_details(Code::InvalidArgument, message, details)
            }
            EvaluationError::NotFound(_) => Status::not_found(message),
            EvaluationError::RegistryUnavailable(_) | EvaluationError::ShuttingDown => Status::unavailable(message),
            EvaluationError::RegistryRejected(status) => {
                // Keep the registry's code and details (e.g. its field violations on a filter).
                Status::with_details(status.code(), message, status.details().to_vec().into())
            }
            EvaluationError::BadRegistryData(_) => Status::internal(message),
            EvaluationError::DeadlineExceeded(_) => Status::deadline_exceeded(message),
        }
    }
}
