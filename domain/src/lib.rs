//! The vocabulary and records of East-West Collaboration (东西部协作), shared by the registry and
//! the evaluation service: actor categories, sides, pairing levels, the paper's leadership types and
//! forms of cooperation, IATI participant roles; the records that carry them; resource names; and
//! the official identifier formats.
//!
//! Plain Rust with no I/O and no wire types: `eastwest-proto` converts at the edge.

pub mod codes;
pub mod dates;
pub mod model;
pub mod names;

pub use model::*;
