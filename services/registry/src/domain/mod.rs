//! The registry's domain: records, the rules they obey, and the drafts clients send. No I/O here,
//! and no generated wire types: the gRPC layer converts at the edge.

pub mod activity;
pub mod actor;
pub mod mask;
pub mod pairing;
pub mod validate;

// The shared vocabulary and records, under the names this crate has always used.
pub use eastwest_domain::{codes, model, names};
