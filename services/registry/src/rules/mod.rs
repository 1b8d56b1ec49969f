//! The registry's write rules: the drafts clients send, the rules each must meet without looking at
//! other records, and update masks. No I/O here, and no generated wire types: the gRPC layer
//! converts at the edge. The records themselves, and the vocabulary they use, are
//! `eastwest_domain`'s.

pub(crate) mod activity;
pub(crate) mod actor;
pub(crate) mod agreement;
mod items;
pub(crate) mod mask;
pub(crate) mod pairing;
pub(crate) mod validate;
