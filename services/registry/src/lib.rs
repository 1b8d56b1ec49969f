//! The eastwest registry: actors, pairings and activities of East-West Collaboration.
//!
//! Layers point one way: `grpc` (wire types, thin adapter) → `core` (use cases over a store) →
//! `store` (key-value engine). `rules` holds drafts and write rules and does no I/O; the records
//! and their vocabulary are `eastwest_domain`'s.

pub mod core;
pub mod error;
pub mod grpc;
pub mod rules;
pub mod server;
pub mod store;
