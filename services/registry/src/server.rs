//! Serving: the registry service with health and reflection, a span per request, and a designed
//! shutdown (NOT_SERVING, stop accepting, drain under a deadline, flush).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use eastwest_proto::registry::v1::registry_service_server::RegistryServiceServer;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::Server;

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
        Self {
            drain_timeout: Duration::from_secs(10),
        }
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
    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_serving::<RegistryServiceServer<RegistryApi<S>>>()
        .await;
    health
        .set_service_status("", tonic_health::ServingStatus::Serving)
        .await;

    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(eastwest_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(eastwest_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;
    let registry_service = RegistryServiceServer::new(RegistryApi::new(Arc::clone(&registry)))
        .max_decoding_message_size(MAX_REQUEST_BYTES)
        .max_encoding_message_size(MAX_RESPONSE_BYTES);

    let (stop_accepting, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = Server::builder()
        .trace_fn(|request| {
            tracing::info_span!("grpc", method = %request.uri().path(), resource = tracing::field::Empty)
        })
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(registry_service);
    let local = listener.local_addr()?;
    let server = tokio::spawn(router.serve_with_incoming_shutdown(
        TcpListenerStream::new(listener),
        async {
            let _ = stopped.await;
        },
    ));
    tracing::info!(%local, "registry serving");

    shutdown.await;
    tracing::info!("shutting down: NOT_SERVING, draining in-flight requests");
    health
        .set_not_serving::<RegistryServiceServer<RegistryApi<S>>>()
        .await;
    health
        .set_service_status("", tonic_health::ServingStatus::NotServing)
        .await;
    let _ = stop_accepting.send(());
    match tokio::time::timeout(options.drain_timeout, server).await {
        Ok(Ok(Ok(()))) => tracing::info!("drained"),
        Ok(Ok(Err(e))) => tracing::error!(error = %e, "server failed"),
        Ok(Err(e)) => tracing::error!(error = %e, "server task failed"),
        Err(_) => {
            tracing::warn!(timeout = ?options.drain_timeout, "drain timed out; abandoning in-flight requests")
        }
    }
    registry.store().flush().await?;
    tracing::info!("store flushed; bye");
    Ok(())
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
