//! What a restart keeps, and what health and reflection tell a client.

use eastwest_proto::registry::v1 as pb;
use eastwest_tests::records::{activity, create_activity, create_pairing, east, pairing, west};
use eastwest_tests::registry::TestRegistry;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

async fn data_survives_a_clean_restart() {
    let server = TestRegistry::start().await;
    let mut c = server.client().await;
    let e = east(&mut c, "js").await;
    west(&mut c, "sn").await;
    let p = create_pairing(&mut c, "js-sn", pairing("js-sn", "js", "sn")).await;
    let a = create_activity(&mut c, "js-sn", "a1", activity("js")).await;
    drop(c);
    let backing = server.stop_keeping_store().await;

    let server = TestRegistry::start_on(backing, "127.0.0.1:0".parse().expect("addr")).await;
    let mut c = server.client().await;
    assert_eq!(c.get_actor(pb::GetActorRequest { name: e.name.clone() }).await.expect("actor").into_inner(), e);
    assert_eq!(c.get_pairing(pb::GetPairingRequest { name: p.name.clone() }).await.expect("pairing").into_inner(), p);
    assert_eq!(
        c.get_activity(pb::GetActivityRequest { name: a.name.clone() }).await.expect("activity").into_inner(),
        a
    );
    // References survive too: the actor is still protected.
    let s =
        c.delete_actor(pb::DeleteActorRequest { name: e.name, etag: String::new() }).await.expect_err("still named");
    assert_eq!(s.code(), tonic::Code::FailedPrecondition);
    drop(c);
    server.stop().await;
}

async fn health_reports_serving_and_reflection_lists_the_services() {
    let server = TestRegistry::start().await;
    let channel = tonic::transport::Endpoint::from_shared(server.url()).expect("url").connect().await.expect("connect");
    let mut health = HealthClient::new(channel.clone());
    for service in ["", "eastwest.registry.v1.RegistryService", "liveness"] {
        let status = health
            .check(tonic_health::pb::HealthCheckRequest { service: service.into() })
            .await
            .expect("health")
            .into_inner()
            .status;
        assert_eq!(status, ServingStatus::Serving as i32, "{service:?}");
    }

    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    let mut reflection = ServerReflectionClient::new(channel);
    let request = tonic_reflection::pb::v1::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream =
        reflection.server_reflection_info(tokio_stream::iter([request])).await.expect("reflection").into_inner();
    let response = stream.message().await.expect("message").expect("a response");
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("unexpected reflection answer {response:?}");
    };
    let names: Vec<_> = list.service.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"eastwest.registry.v1.RegistryService"), "{names:?}");
    assert!(names.contains(&"grpc.health.v1.Health"), "{names:?}");
}

async fn health_turns_not_serving_when_shutdown_starts() {
    let server = TestRegistry::start().await;
    let channel = tonic::transport::Endpoint::from_shared(server.url()).expect("url").connect().await.expect("connect");
    let mut health = HealthClient::new(channel);
    let mut watch = health
        .watch(tonic_health::pb::HealthCheckRequest { service: "eastwest.registry.v1.RegistryService".into() })
        .await
        .expect("watch")
        .into_inner();
    let first = watch.message().await.expect("message").expect("status");
    assert_eq!(first.status, ServingStatus::Serving as i32);
    // Nothing has changed, so nothing more is sent: a repeated SERVING would wake every watcher.
    let quiet = tokio::time::timeout(std::time::Duration::from_millis(300), watch.message()).await;
    assert!(quiet.is_err(), "a watcher was sent {quiet:?} with no change");
    let stopping = tokio::spawn(server.stop());
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), watch.message())
        .await
        .expect("a status change within 5 s")
        .expect("message")
        .expect("status");
    assert_eq!(next.status, ServingStatus::NotServing as i32);
    drop(watch);
    stopping.await.expect("stopped");
}

eastwest_tests::on_every_engine!(
    data_survives_a_clean_restart,
    health_reports_serving_and_reflection_lists_the_services,
    health_turns_not_serving_when_shutdown_starts,
);
