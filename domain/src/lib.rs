//! The vocabulary and records of East-West Collaboration (东西部协作), shared by the registry and
//! the evaluation service: actor categories, sides, pairing levels, the paper's leadership types and
//! forms of cooperation, IATI participant roles; the records that carry them; resource names; the
//! official identifier formats; and the canonical form the registry stores each record in.
//!
//! Plain Rust with no I/O and no wire types: `eastwest-proto` converts at the edge.

pub mod canonical;
pub mod codes;
pub mod dates;
pub mod model;
pub mod names;

pub use canonical::Canonical;
pub use model::*;
