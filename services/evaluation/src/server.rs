//! Serving the evaluation service: health follows the registry's reachability; shutdown ends open
//! streams, then drains under a deadline.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use eastwest_proto::evaluation::v1::evaluation_service_server::{EvaluationServiceServer, SERVICE_NAME};
use eastwest_runtime::serve::{base_router, follow_dependency, serve_until, set_health};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic_health::ServingStatus;

use crate::registry_client::{CallPolicy, RegistryReader};
use crate::scoring::ScoringModel;
use crate::service::EvaluationApi;

/// Largest response: a stream item is one evaluation, well below this.
const MAX_RESPONSE_BYTES: usize = 16 << 20;

#[derive(Debug, Clone)]
pub struct EvaluationOptions {
    /// One registry URL, or several replicas.
    pub registry_urls: Vec<String>,
    pub model: ScoringModel,
    pub drain_timeout: Duration,
    /// How often the registry's health is checked.
    pub health_interval: Duration,
    pub call_policy: CallPolicy,
}

impl EvaluationOptions {
    pub fn new(registry_urls: Vec<String>, model: ScoringModel) -> Self {
        Self {
            registry_urls,
            model,
            drain_timeout: Duration::from_secs(10),
            health_interval: Duration::from_millis(500),
            call_policy: CallPolicy::default(),
        }
    }
}

/// Serves until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    options: EvaluationOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let reader = RegistryReader::connect_lazy(&options.registry_urls, options.call_policy)?;
    let (health, router) = base_router(&[eastwest_proto::FILE_DESCRIPTOR_SET])?;
    set_health(&health, &[SERVICE_NAME], ServingStatus::NotServing).await;
    let (stop, stopping) = watch::channel(false);
    let probed = reader.clone();
    let probe = move || {
        let reader = probed.clone();
        async move { reader.registry_serving().await }
    };
    let follower = tokio::spawn(follow_dependency(
        "registry",
        probe,
        health.clone(),
        &[SERVICE_NAME],
        ServingStatus::NotServing,
        options.health_interval,
        stopping.clone(),
    ));
    let api = EvaluationApi::new(reader, Arc::new(options.model), stopping);
    let router = router.add_service(EvaluationServiceServer::new(api).max_encoding_message_size(MAX_RESPONSE_BYTES));
    let shutdown = async move {
        shutdown.await;
        // End open streams and stop following the registry (mid-probe if need be) before health goes
        // NOT_SERVING for good.
        let _ = stop.send(true);
        follower.abort();
        let _ = follower.await;
    };
    serve_until(router, listener, &health, &[SERVICE_NAME], options.drain_timeout, shutdown).await
}
