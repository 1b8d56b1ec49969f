//! The serving skeleton every service shares: health, reflection, a tracing span per request, and
//! a designed shutdown (NOT_SERVING, stop accepting, drain under a deadline).

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::{Router, TcpIncoming};
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;

/// A router that already serves grpc.health.v1 and server reflection (v1 and v1alpha) for the
/// given encoded descriptor sets, and opens a span per request with its method and resource.
pub fn base_router(descriptor_sets: &[&'static [u8]]) -> anyhow::Result<(HealthReporter, Router)> {
    let (reporter, health) = tonic_health::server::health_reporter();
    let mut v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET);
    let mut v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET);
    for set in descriptor_sets {
        v1 = v1.register_encoded_file_descriptor_set(set);
        v1alpha = v1alpha.register_encoded_file_descriptor_set(set);
    }
    let router = Server::builder()
        .trace_fn(
            |request| tracing::info_span!("grpc", method = %request.uri().path(), resource = tracing::field::Empty),
        )
        .add_service(health)
        .add_service(v1.build_v1()?)
        .add_service(v1alpha.build_v1alpha()?);
    Ok((reporter, router))
}

/// Notes the resource a request concerns on its request span (the `resource` field that
/// [`base_router`] declares).
pub fn record_resource(resource: &str) {
    tracing::Span::current().record("resource", resource);
}

/// Sets every named service, and the server as a whole (`""`), to `status`.
pub async fn set_health(reporter: &HealthReporter, services: &[&str], status: ServingStatus) {
    for service in services.iter().copied().chain([""]) {
        reporter.set_service_status(service, status).await;
    }
}

/// The health-check name that reports SERVING for as long as the process serves at all, whatever
/// its dependencies do: for liveness probes, which must not restart a replica because its store or
/// registry is away (readiness uses the service's own name, which follows them).
pub const LIVENESS_SERVICE: &str = "liveness";

/// Serves until `shutdown` completes; then reports NOT_SERVING for `services`, stops accepting,
/// and gives in-flight requests `drain_timeout` to finish before abandoning them.
pub async fn serve_until(
    router: Router,
    listener: TcpListener,
    reporter: &HealthReporter,
    services: &[&str],
    drain_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    reporter.set_service_status(LIVENESS_SERVICE, ServingStatus::Serving).await;
    let (stop_accepting, stopped) = tokio::sync::oneshot::channel::<()>();
    let local = listener.local_addr()?;
    // Without TCP_NODELAY, small responses wait for the peer's delayed ACK (~40 ms each).
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let mut server = tokio::spawn(router.serve_with_incoming_shutdown(incoming, async {
        let _ = stopped.await;
    }));
    tracing::info!(%local, "serving");

    // A server that fails on its own must end the process, not leave it running without serving.
    tokio::select! {
        () = shutdown => {}
        ended = &mut server => {
            set_health(reporter, services, ServingStatus::NotServing).await;
            return match ended {
                Ok(Ok(())) => Err(anyhow::anyhow!("the server stopped without being asked to")),
                Ok(Err(e)) => Err(anyhow::anyhow!("the server failed: {e}")),
                Err(e) => Err(anyhow::anyhow!("the server task failed: {e}")),
            };
        }
    }
    tracing::info!("shutting down: NOT_SERVING, draining in-flight requests");
    set_health(reporter, services, ServingStatus::NotServing).await;
    let _ = stop_accepting.send(());
    match tokio::time::timeout(drain_timeout, &mut server).await {
        Ok(Ok(Ok(()))) => tracing::info!("drained"),
        Ok(Ok(Err(e))) => tracing::error!(error = %e, "server failed"),
        Ok(Err(e)) => tracing::error!(error = %e, "server task failed"),
        Err(_) => {
            tracing::warn!(timeout = ?drain_timeout, "drain timed out; abandoning in-flight requests");
            server.abort();
        }
    }
    Ok(())
}

/// Keeps `services`' health in step with `probe` (asked every `interval`): SERVING while it says
/// yes, NOT_SERVING while it says no (`what` names the dependency in the log), starting from the
/// status the caller has already `reported`. Only changes are set: each set reaches every client
/// watching health, even when the status is the same. Returns once `stopping` turns true, so that
/// shutdown's NOT_SERVING is never overwritten.
pub async fn follow_dependency<F, Fut>(
    what: &'static str,
    mut probe: F,
    reporter: HealthReporter,
    services: &'static [&'static str],
    reported: ServingStatus,
    interval: Duration,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let mut last = Some(reported == ServingStatus::Serving);
    loop {
        let serving = probe().await;
        if *stopping.borrow() {
            return;
        }
        if last != Some(serving) {
            if serving {
                tracing::info!("{what} reachable: SERVING");
            } else {
                tracing::warn!("{what} unreachable: NOT_SERVING");
            }
            let status = if serving { ServingStatus::Serving } else { ServingStatus::NotServing };
            set_health(&reporter, services, status).await;
            last = Some(serving);
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stopping.changed() => return,
        }
    }
}
