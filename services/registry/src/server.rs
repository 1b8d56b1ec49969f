//! Serving: the registry service with health and reflection, a span per request, and a designed
//! shutdown (NOT_SERVING, stop accepting, drain under a deadline, flush).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use eastwest_proto::registry::v1::registry_service_server::{RegistryServiceServer, SERVICE_NAME};
use eastwest_runtime::serve::{base_router, follow_dependency, serve_until, set_health};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic_health::ServingStatus;

use crate::core::Registry;
use crate::grpc::RegistryApi;
use crate::store::Store;

/// Largest request the registry decodes: a pairing at its item limits with long texts fits.
pub(crate) const MAX_REQUEST_BYTES: usize = 16 << 20;
/// Largest response: a snapshot of a pairing with many activities.
pub(crate) const MAX_RESPONSE_BYTES: usize = 64 << 20;

/// How the server behaves on shutdown.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// How long in-flight requests may take to finish once shutdown starts.
    pub drain_timeout: Duration,
    /// How often the store is asked whether it can serve (health follows the answer).
    pub health_interval: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self { drain_timeout: Duration::from_secs(10), health_interval: Duration::from_secs(1) }
    }
}

/// The services whose health the registry reports (besides the server's own, "").
const SERVICES: &[&str] = &[SERVICE_NAME];

/// Serves `store` on `listener` until `shutdown` completes, then drains and flushes.
pub async fn serve<S: Store>(
    listener: TcpListener,
    store: S,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let registry = Arc::new(Registry::new(store));
    let (health, router) = base_router(&[eastwest_proto::FILE_DESCRIPTOR_SET])?;
    // NOT_SERVING while the store cannot answer (etcd without quorum); sled always can.
    let (stop, stopping) = watch::channel(false);
    let probed = Arc::clone(&registry);
    let probe = move || {
        let registry = Arc::clone(&probed);
        async move {
            match tokio::time::timeout(Duration::from_secs(2), registry.store().ready()).await {
                Ok(Ok(())) => true,
                Ok(Err(e)) => {
                    tracing::debug!(error = %e, "store not ready");
                    false
                }
                Err(_) => false,
            }
        }
    };
    // The first answer before the first request, so that a client never sees a stale NOT_SERVING.
    let ready = if probe().await {
        ServingStatus::Serving
    } else {
        tracing::warn!("store unreachable at start: NOT_SERVING");
        ServingStatus::NotServing
    };
    set_health(&health, SERVICES, ready).await;
    let interval = options.health_interval;
    let follower = tokio::spawn(follow_dependency("store", probe, health.clone(), SERVICES, ready, interval, stopping));
    let registry_service = RegistryServiceServer::new(RegistryApi::new(Arc::clone(&registry)))
        .max_decoding_message_size(MAX_REQUEST_BYTES)
        .max_encoding_message_size(MAX_RESPONSE_BYTES);
    let router = router.add_service(registry_service);
    let shutdown = async move {
        shutdown.await;
        // Stop following the store (mid-probe if need be) before health goes NOT_SERVING for good.
        let _ = stop.send(true);
        follower.abort();
        let _ = follower.await;
    };
    let served = serve_until(router, listener, &health, SERVICES, options.drain_timeout, shutdown).await;
    // Flush whatever happened to the server: acknowledged writes are durable already, but sled's
    // own background work is settled before the process ends.
    registry.store().flush().await?;
    tracing::info!("store flushed; bye");
    served
}
