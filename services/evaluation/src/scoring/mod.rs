//! The scoring model: a pure function from a pairing snapshot and a date to an explained
//! evaluation. No I/O and no wire types; see `docs/scoring.md` for every formula.

pub mod types;

pub use types::*;
