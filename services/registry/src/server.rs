//! Serving: the registry service with health and reflection, a span per request, and a designed
//! shutdown (NOT_SERVING, stop accepting, drain under a deadline, flush).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use eastwest_proto::registry::v1::registry_service_server::{RegistryServiceServer, SERVICE_NAME};
use eastwest_runtime::serve::{base_router, serve_until, set_health};
use tokio::net::TcpListener;
use tonic_health::ServingStatus;

use crate::core::Registry;
use crate::grpc::RegistryApi;
use crate::store::Store;

/// Largest request the registry decodes: a pairing at its item limits with long texts fits.
pub const MAX_REQUEST_BYTES: usize = 16 << 20;
/// Largest response: a snapshot of a pairing with many activities.
pub const MAX_RESPONSE_BYTES: usize = 64 << 20;

/// How the server behaves on shutdown.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// How long in-flight requests may take to finish once shutdown starts.
    pub drain_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self { drain_timeout: Duration::from_secs(10) }
    }
}

/// Serves `store` on `listener` until `shutdown` completes, then drains and flushes.
pub async fn serve<S: Store>(
    listener: TcpListener,
    store: S,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let registry = Arc::new(Registry::new(store));
    let (health, router) = base_router(&[eastwest_proto::FILE_DESCRIPTOR_SET])?;
    set_health(&health, &[SERVICE_NAME], ServingStatus::Serving).await;
    let registry_service = RegistryServiceServer::new(RegistryApi::new(Arc::clone(&registry)))
        .max_decoding_message_size(MAX_REQUEST_BYTES)
        .max_encoding_message_size(MAX_RESPONSE_BYTES);
    let router = router.add_service(registry_service);
    let served = serve_until(router, listener, &health, &[SERVICE_NAME], options.drain_timeout, shutdown).await;
    // Flush whatever happened to the server: acknowledged writes are durable already, but sled's
    // own background work is settled before the process ends.
    registry.store().flush().await?;
    tracing::info!("store flushed; bye");
    served
}
