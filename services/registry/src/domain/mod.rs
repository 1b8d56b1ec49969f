//! The registry's domain: records, the rules they obey, and the drafts clients send. No I/O here,
//! and no generated wire types: the gRPC layer converts at the edge.

pub mod activity;
pub mod actor;
pub mod codes;
pub mod mask;
pub mod model;
pub mod names;
pub mod pairing;
pub mod validate;
