//! An evaluation server in the test's own process, on an ephemeral port of 127.0.0.1, reading one
//! or several registries.

use std::net::SocketAddr;
use std::time::Duration;

use eastwest_evaluation::scoring::ScoringModel;
use eastwest_evaluation::server::{EvaluationOptions, serve};
use eastwest_proto::evaluation::v1::evaluation_service_client::EvaluationServiceClient;
use eastwest_proto::evaluation::v1::evaluation_service_server::SERVICE_NAME;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::{Channel, Endpoint};
use tonic_health::pb::health_check_response::ServingStatus;

use crate::grpc::wait_for_health_of;

/// An evaluation server running in this process on an ephemeral port.
pub struct TestEvaluation {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestEvaluation {
    /// An evaluation service in front of `registry_url` (several replicas: comma-separated).
    pub async fn start(registry_url: &str) -> Self {
        Self::start_with(registry_url.split(',').map(str::to_string).collect(), |_| {}).await
    }

    /// An evaluation service in front of `registry_urls`, with a drain deadline of 5 s and a
    /// health probe every 100 ms unless `adjust` says otherwise.
    pub async fn start_with(registry_urls: Vec<String>, adjust: impl FnOnce(&mut EvaluationOptions)) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let mut options = EvaluationOptions::new(registry_urls, ScoringModel::standard());
        options.drain_timeout = Duration::from_secs(5);
        options.health_interval = Duration::from_millis(100);
        adjust(&mut options);
        let task = tokio::spawn(serve(listener, options, async {
            let _ = stopped.await;
        }));
        Self { addr, stop: Some(stop), task: Some(task) }
    }

    /// A channel to the server, its endpoint shaped by `endpoint` (windows, timeouts).
    pub async fn channel(&self, endpoint: impl FnOnce(Endpoint) -> Endpoint) -> Channel {
        let base = Endpoint::from_shared(self.url()).expect("endpoint");
        endpoint(base).connect().await.expect("connect to evaluation")
    }

    pub async fn client(&self) -> EvaluationServiceClient<Channel> {
        EvaluationServiceClient::new(self.channel(|e| e).await)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits (up to 10 s) until the evaluation service reports `want`.
    pub async fn wait_for_health(&self, want: ServingStatus) {
        wait_for_health_of(&self.url(), SERVICE_NAME, want, Duration::from_secs(10)).await;
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("evaluation task").expect("evaluation result");
        }
    }
}
