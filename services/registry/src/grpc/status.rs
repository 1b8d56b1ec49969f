//! The one mapping from [`RegistryError`] to a gRPC status. It is exhaustive (no `_` arm), so a
//! new error kind cannot silently become INTERNAL.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::error::RegistryError;
use crate::rules::validate::Violations;
use crate::store::StoreError;

/// The `domain` of google.rpc.ErrorInfo details.
const ERROR_DOMAIN: &str = "registry.eastwest";

/// INVALID_ARGUMENT with one google.rpc.BadRequest field violation per problem; the message lists
/// them too, for clients that do not read details.
pub(crate) fn invalid_argument(violations: &Violations) -> Status {
    let mut details = ErrorDetails::new();
    let mut lines = Vec::with_capacity(violations.list().len());
    for v in violations.list() {
        details.add_bad_request_violation(v.field.clone(), v.description.clone());
        lines.push(format!("{}: {}", v.field, v.description));
    }
    Status::with_error_details(Code::InvalidArgument, format!("invalid request: {}", lines.join("; ")), details)
}

fn resource_type(name: &str) -> &'static str {
    if name.contains("/activities/") {
        "eastwest.registry.v1.Activity"
    } else if name.starts_with("pairings/") {
        "eastwest.registry.v1.Pairing"
    } else if name.starts_with("actors/") {
        "eastwest.registry.v1.Actor"
    } else {
        ""
    }
}

pub(crate) fn to_status(err: RegistryError) -> Status {
    let message = err.to_string();
    match err {
        RegistryError::InvalidArgument(violations) => invalid_argument(&violations),
        RegistryError::NotFound { resource, field } => {
            let details = ErrorDetails::with_resource_info(
                resource_type(&resource),
                resource.clone(),
                "",
                field.map(|f| format!("named by {f}")).unwrap_or_default(),
            );
            Status::with_error_details(Code::NotFound, message, details)
        }
        RegistryError::AlreadyExists { resource, .. } => {
            let details = ErrorDetails::with_resource_info(resource_type(&resource), resource, "", "already exists");
            Status::with_error_details(Code::AlreadyExists, message, details)
        }
        RegistryError::FailedPrecondition { subject, description } => {
            let details = ErrorDetails::with_precondition_failure_violation("STATE", subject, description);
            Status::with_error_details(Code::FailedPrecondition, message, details)
        }
        RegistryError::Aborted(_) => {
            let details = ErrorDetails::with_error_info(
                "CONCURRENT_MODIFICATION",
                ERROR_DOMAIN,
                std::collections::HashMap::new(),
            );
            Status::with_error_details(Code::Aborted, message, details)
        }
        RegistryError::Store(store) => match store {
            StoreError::Io(_) | StoreError::Unavailable(_) => Status::unavailable(message),
            // Listings turn this into FAILED_PRECONDITION on page_token; elsewhere it is a fault.
            StoreError::Corrupt(_)
            | StoreError::Locked { .. }
            | StoreError::NewerFormat { .. }
            | StoreError::Compacted { .. }
            | StoreError::FutureRevision { .. }
            | StoreError::Refused(_)
            | StoreError::Config(_)
            | StoreError::TooLarge { .. } => Status::internal(message),
        },
    }
}
