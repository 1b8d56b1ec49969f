//! Writes that conflict are planned again: the retry loop, its back-off, and the ABORTED that ends
//! it.

use crate::error::RegistryError;

/// How often a write is attempted before contention is reported as ABORTED.
pub(crate) const MAX_ATTEMPTS: usize = 64;

/// Applies a planned write, planning again on conflict. `$plan` reads what the write depends on
/// and evaluates to the transaction and the value to hand back once it commits; it may return
/// early with an error. Evaluates to that value and the commit's revision.
///
/// A macro rather than a function taking an async closure: such closures borrowing the request
/// cannot yet be proven `Send`, which tonic's handlers require.
macro_rules! with_retry {
    ($self:ident, $resource:expr, $plan:block) => {{
        let mut committed = None;
        for attempt in 0..$crate::core::retry::MAX_ATTEMPTS {
            let (txn, value) = $plan;
            match $self.store.commit(txn).await? {
                $crate::store::Outcome::Committed { revision } => {
                    committed = Some((value, revision));
                    break;
                }
                $crate::store::Outcome::Conflict => $crate::core::retry::back_off(attempt).await,
            }
        }
        match committed {
            Some(done) => done,
            None => return Err($crate::core::retry::contention($resource)),
        }
    }};
}

/// The pause after a conflict: none at first, then a random wait that grows with the attempts
/// (up to about 10 ms), so that writers piling onto the same counter spread out instead of
/// colliding again in lock step.
pub(crate) async fn back_off(attempt: usize) {
    if attempt < 2 {
        tokio::task::yield_now().await;
        return;
    }
    let ceiling_us = 100u64.saturating_mul(1 << attempt.min(7)).min(10_000);
    tokio::time::sleep(std::time::Duration::from_micros(fastrand::u64(0..=ceiling_us))).await;
}

pub(crate) fn contention(resource: &str) -> RegistryError {
    RegistryError::Aborted(format!("{resource} is being changed by many requests at once; retry"))
}
