//! The eastwest registry: actors, pairings and activities of East-West Collaboration.
//!
//! Layers point one way: `grpc` (wire types, thin adapter) → `core` (use cases over a store) →
//! `store` (key-value engine). `domain` holds records and rules and does no I/O.

pub mod core;
pub mod domain;
pub mod error;
pub mod grpc;
pub mod server;
pub mod store;
