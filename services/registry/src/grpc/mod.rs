//! The gRPC edge of the registry: generated types stop here.

pub mod convert;
pub mod service;
pub mod status;

pub use service::RegistryApi;
