//! The gRPC edge of the registry: generated types stop here.

pub(crate) mod convert;
pub(crate) mod service;
pub(crate) mod status;

pub(crate) use service::RegistryApi;
