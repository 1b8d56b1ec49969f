//! The eastwest evaluation service: reads pairings from the registry over gRPC and scores them
//! against the collaborative-governance criteria of Xie & Liang (2023), explaining every score.
//!
//! `scoring` is pure (no I/O, no wire types); `registry_client` reads; `service` adapts gRPC.

pub mod convert;
pub mod error;
pub mod registry_client;
pub mod scoring;
pub mod server;
pub mod service;
