//! Group commit: many writers wait on one flush instead of each paying for its own.
//!
//! Each committed write takes a ticket; one background task flushes everything committed so far
//! and then releases every ticket up to the one it saw before flushing. Under load, one flush
//! makes dozens of writes durable at once.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use tokio::sync::{Notify, watch};

#[derive(Debug, Clone, Default)]
struct Flushed {
    /// Every ticket up to this one is durable.
    done: u64,
    /// The last failed flush: tickets up to `upto` could not be made durable.
    failure: Option<(u64, String)>,
}

pub(super) struct GroupFlush {
    issued: AtomicU64,
    wake: Notify,
    /// The sender lives in the flushing task: if that task ends for any reason, waiting writers
    /// learn it at once instead of waiting forever.
    flushed: watch::Receiver<Flushed>,
}

impl GroupFlush {
    /// Starts the flushing task. It ends once `target` is gone and [`GroupFlush::stop`] is called.
    pub(super) fn start<T, F, Fut>(target: Weak<T>, flush: F) -> Arc<Self>
    where
        T: Send + Sync + 'static,
        F: Fn(Arc<T>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), String>> + Send,
    {
        let (flushed, receiver) = watch::channel(Flushed::default());
        let this = Arc::new(Self { issued: AtomicU64::new(0), wake: Notify::new(), flushed: receiver });
        let group = Arc::clone(&this);
        tokio::spawn(async move {
            loop {
                let notified = group.wake.notified();
                if target.strong_count() == 0 {
                    return;
                }
                let target_ticket = group.issued.load(Ordering::SeqCst);
                if target_ticket <= flushed.borrow().done {
                    notified.await;
                    continue;
                }
                // Hold the target only while flushing so that dropping the store closes it.
                let Some(store) = target.upgrade() else {
                    return;
                };
                let result = flush(store).await;
                flushed.send_modify(|state| match result {
                    Ok(()) => state.done = state.done.max(target_ticket),
                    Err(e) => state.failure = Some((target_ticket, e)),
                });
            }
        });
        this
    }

    /// Waits until everything committed before this call is durable.
    pub(super) async fn wait_durable(&self) -> Result<(), String> {
        let ticket = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let mut rx = self.flushed.clone();
        self.wake.notify_one();
        let state = rx
            .wait_for(|s| s.done >= ticket || s.failure.as_ref().is_some_and(|(upto, _)| *upto >= ticket))
            .await
            .map_err(|_| "the store's flushing task has stopped; the write's durability is unknown".to_string())?;
        if state.done >= ticket {
            Ok(())
        } else {
            Err(state.failure.as_ref().map(|(_, e)| e.clone()).unwrap_or_default())
        }
    }

    /// Wakes the task so that it notices the store is gone.
    pub(super) fn stop(&self) {
        self.wake.notify_one();
    }
}
