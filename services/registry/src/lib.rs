//! The eastwest registry: actors, pairings, activities and annual agreements of East-West
//! Collaboration.
//!
//! Layers point one way: `grpc` (wire types, thin adapter) → `core` (use cases over a store) →
//! `store` (key-value engine). `rules` holds drafts and write rules and does no I/O; the records
//! and their vocabulary are `eastwest_domain`'s.
//!
//! The public face is what the binary, the CLI (`eastwest up`, import, bench) and the tests use:
//! the server, the use cases and the drafts they take, and the storage seam with its engines.

mod core;
mod error;
mod grpc;
mod rules;
mod server;
pub mod store;

pub use crate::core::actors::ActorFilter;
pub use crate::core::pairings::PairingFilter;
pub use crate::core::{Page, Registry, keys};
pub use crate::error::RegistryError;
pub use crate::rules::activity::{ActivityDraft, MeasureDraft};
pub use crate::rules::actor::{ACTOR_MASK, ActorDraft};
pub use crate::rules::agreement::{AGREEMENT_MASK, AgreementDraft, TargetDraft};
pub use crate::rules::mask::{MaskSpec, MutableField, Selected};
pub use crate::rules::pairing::{GoalDraft, PAIRING_MASK, PairingDraft, ParticipantDraft, ResponsibilityDraft};
pub use crate::rules::validate::{FieldViolation, Stamp, Violations};
pub use crate::server::{ServeOptions, serve};
