//! The ids of records being created: given by the client and checked, or generated; in a bulk
//! load, each once.

use std::collections::HashSet;

use eastwest_domain::names::{ID_RULE, is_valid_id, new_id};

use crate::error::{RegistryError, Result};

/// The id a client chose (INVALID_ARGUMENT at `field` if it breaks the id rule), or a new one.
pub(super) fn given_or_new(field: &str, id: Option<String>) -> Result<String> {
    match id {
        Some(id) if !is_valid_id(&id) => Err(RegistryError::invalid(field, ID_RULE)),
        Some(id) => Ok(id),
        None => Ok(new_id()),
    }
}

/// The ids of one bulk load. Two items of one group would both pass the "absent" comparisons of
/// its transaction: one record, but its index entries and reference counts written twice.
#[derive(Default)]
pub(super) struct BatchIds(HashSet<String>);

impl BatchIds {
    /// Checks the rule and that the batch has not had `id` before; `field` is e.g. `actors[3].actor_id`.
    pub(super) fn admit(&mut self, field: String, id: &str) -> Result<()> {
        if !is_valid_id(id) {
            return Err(RegistryError::invalid(field, ID_RULE));
        }
        if !self.0.insert(id.to_string()) {
            return Err(RegistryError::invalid(field, format!("{id} is in the batch twice")));
        }
        Ok(())
    }
}
