//! gRPC clients and what the suites check on their answers: status codes, the fields a
//! BadRequest names, update masks, and the health a server reports.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;
use eastwest_proto::registry::v1::registry_service_server::SERVICE_NAME as REGISTRY_SERVICE;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_types::StatusExt;

pub type Client = RegistryServiceClient<Channel>;

/// A registry client on `addr`, waiting up to five seconds for the server to accept.
pub async fn connect(addr: SocketAddr) -> Client {
    let endpoint = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("endpoint")
        .connect_timeout(Duration::from_secs(5));
    for _ in 0..100 {
        if let Ok(channel) = endpoint.connect().await {
            return RegistryServiceClient::new(channel);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("registry at {addr} never accepted a connection");
}

/// The fields named by the BadRequest details of an INVALID_ARGUMENT status.
pub fn violated_fields(status: &tonic::Status) -> Vec<String> {
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    let details = status.get_error_details();
    let bad = details.bad_request().expect("INVALID_ARGUMENT carries BadRequest details");
    bad.field_violations.iter().map(|v| v.field.clone()).collect()
}

pub fn assert_violation(status: &tonic::Status, field: &str) {
    let fields = violated_fields(status);
    assert!(
        fields.iter().any(|f| f == field),
        "expected a violation on {field}, got {fields:?} ({})",
        status.message()
    );
}

pub fn assert_code(result: Result<impl std::fmt::Debug, tonic::Status>, code: tonic::Code) -> tonic::Status {
    match result {
        Ok(v) => panic!("expected {code:?}, got Ok({v:?})"),
        Err(s) => {
            assert_eq!(s.code(), code, "{}", s.message());
            s
        }
    }
}

/// The update mask naming `paths`.
pub fn mask(paths: &[&str]) -> Option<prost_types::FieldMask> {
    Some(prost_types::FieldMask { paths: paths.iter().map(|p| p.to_string()).collect() })
}

/// The status the server at `url` reports for `service` ("liveness", a service's name), or
/// `None` when it does not answer.
pub async fn health_of(url: &str, service: &str) -> Option<i32> {
    let channel = tonic::transport::Endpoint::from_shared(url.to_string()).ok()?.connect().await.ok()?;
    let request = tonic_health::pb::HealthCheckRequest { service: service.into() };
    HealthClient::new(channel).check(request).await.ok().map(|r| r.into_inner().status)
}

/// A registry's readiness: the status of its service.
pub async fn health(url: &str) -> Option<i32> {
    health_of(url, REGISTRY_SERVICE).await
}

/// Waits until the server at `url` reports `want` for `service`, and says how long that took;
/// fails past `within`.
pub async fn wait_for_health_of(url: &str, service: &str, want: ServingStatus, within: Duration) -> Duration {
    let started = Instant::now();
    while health_of(url, service).await != Some(want as i32) {
        assert!(started.elapsed() < within, "{url} did not report {want:?} for {service:?} within {within:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    started.elapsed()
}

/// [`wait_for_health_of`] a registry's service.
pub async fn wait_for_health(url: &str, want: ServingStatus, within: Duration) -> Duration {
    wait_for_health_of(url, REGISTRY_SERVICE, want, within).await
}
