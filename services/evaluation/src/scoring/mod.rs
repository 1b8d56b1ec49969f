//! The scoring model: a pure function from a pairing snapshot and a date to an explained
//! evaluation. No I/O and no wire types; see `docs/scoring.md` for every formula.
//!
//! - `model.rs`: [`ScoringModel`] (version and weights from `weights.toml`) and `evaluate`.
//! - `facts.rs`: one pass over the snapshot that every criterion reads.
//! - one file per criterion, each with its indicator table, formula, findings and recommendations.
//! - `leadership.rs`: who leads, judged from money and roles.
//! - `grade.rs`: rounding and grades; `summary.rs`: statistics over groups of evaluations.

mod assess;
mod boundary;
mod community;
mod criteria;
mod effect;
mod facts;
mod goals;
mod governance;
mod government;
mod grade;
mod leadership;
mod ledger;
mod model;
mod paths;
mod reach;
mod responsibility;
mod social;
mod summary;
pub mod types;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod properties;

pub use facts::Period;
pub use grade::{AVERAGE_FROM, FAIRLY_GOOD_FROM, GOOD_FROM, grade_for};
pub use model::{
    EFFECTIVENESS_WITH_AGREEMENT, EFFECTIVENESS_WITHOUT_AGREEMENT, ModelError, SIZE_CEILING, ScoringModel,
};
pub use summary::summarize;
pub use types::*;
