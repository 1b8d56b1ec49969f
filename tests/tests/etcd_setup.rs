//! A registry set up on etcd: the binary's flags and their environment twins, TLS with a client
//! certificate, and the move from sled (export, then import). Real etcd processes on 127.0.0.1.
#![cfg(feature = "etcd")]

use std::time::Duration;

use eastwest_proto::registry::v1 as pb;
use eastwest_tests::etcd::EtcdCluster;
use eastwest_tests::grpc::{assert_code, connect};
use eastwest_tests::process::{RegistryProcess, cargo_binary, cargo_binary_with_etcd};
use eastwest_tests::records::east;
use eastwest_tests::registry::{TestRegistry, any_addr, replicas};
use tonic::Code;

/// Runs the `eastwest` binary against `registry` (off the async runtime: the servers live on it).
async fn eastwest(registry: &str, args: &[&str]) -> String {
    let bin = tokio::task::spawn_blocking(|| cargo_binary("eastwest-cli", "eastwest")).await.expect("build");
    let mut command = std::process::Command::new(bin);
    command.args(["--registry", registry]).args(args);
    let out = tokio::task::spawn_blocking(move || command.output().expect("run eastwest")).await.expect("join");
    assert!(out.status.success(), "eastwest {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf8")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moving_from_sled_to_etcd_is_export_then_import() {
    let sled_dir = tempfile::tempdir().expect("tempdir");
    let embedded = TestRegistry::start_at(&sled_dir.path().join("registry"), any_addr()).await;
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/sample/registry.jsonl");
    eastwest(&embedded.url(), &["import", sample]).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let exported = dir.path().join("sled.jsonl");
    eastwest(&embedded.url(), &["export", "--out", exported.to_str().expect("path")]).await;

    let (_cluster, a, b) = replicas(1).await;
    let imported = eastwest(&a.url(), &["import", exported.to_str().expect("path")]).await;
    let records = std::fs::read_to_string(&exported).expect("export").lines().count();
    assert!(imported.contains(&format!("{records} created, 0 unchanged, 0 failed")), "{imported}");
    let again = dir.path().join("etcd.jsonl");
    eastwest(&b.url(), &["export", "--out", again.to_str().expect("path")]).await;
    assert_eq!(
        std::fs::read_to_string(&again).expect("etcd export"),
        std::fs::read_to_string(&exported).expect("sled export"),
        "the etcd registry holds exactly what the sled one held"
    );
    embedded.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_registry_reaches_etcd_over_tls_with_a_client_certificate() {
    use eastwest_registry::store::{EtcdConfig, EtcdStore};
    let cluster = EtcdCluster::start_tls();
    let pki = cluster.pki().expect("tls");
    let mut config = EtcdConfig::new(cluster.endpoints(), "/tls");
    config.ca_file = Some(pki.ca.clone());
    config.cert_file = Some(pki.client_cert.clone());
    config.key_file = Some(pki.client_key.clone());
    let store = EtcdStore::open(&config).await.expect("TLS with a client certificate");
    let listener = tokio::net::TcpListener::bind(any_addr()).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let options = eastwest_registry::ServeOptions::default();
    let server = tokio::spawn(eastwest_registry::serve(listener, store, options, async {
        let _ = stopped.await;
    }));
    let mut c = connect(addr).await;
    let created = east(&mut c, "js").await;
    assert_eq!(
        c.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("get").into_inner(),
        created
    );
    let _ = stop.send(());
    server.await.expect("server task").expect("server");

    // Without the client certificate, etcd refuses the connection: the store does not open.
    let mut anonymous = EtcdConfig::new(cluster.endpoints(), "/tls");
    anonymous.ca_file = Some(pki.ca.clone());
    anonymous.connect_patience = Duration::from_millis(500);
    let refused = EtcdStore::open(&anonymous).await.err().expect("etcd must require the client certificate");
    assert!(refused.to_string().contains("unavailable"), "{refused}");
    // https:// needs the CA named: this build trusts no system roots.
    let mut no_ca = EtcdConfig::new(cluster.endpoints(), "/tls");
    no_ca.cert_file = Some(pki.client_cert.clone());
    no_ca.key_file = Some(pki.client_key.clone());
    let refused = EtcdStore::open(&no_ca).await.err().expect("https without a CA file");
    assert!(refused.to_string().contains("--etcd-ca-file"), "{refused}");
    // Half a pair is refused before any connection.
    let mut half = EtcdConfig::new(cluster.endpoints(), "/tls");
    half.cert_file = Some(pki.client_cert.clone());
    let refused = EtcdStore::open(&half).await.err().expect("a certificate without its key");
    assert!(refused.to_string().contains("go together"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_registry_binary_runs_on_etcd_from_its_flags_or_their_environment_twins() {
    let bin = tokio::task::spawn_blocking(|| cargo_binary_with_etcd("eastwest-registry", "eastwest-registry"))
        .await
        .expect("build");
    let cluster = EtcdCluster::start(1);
    let endpoints = cluster.endpoints().join(",");
    let flags = ["--store", "etcd", "--etcd-endpoints", endpoints.as_str(), "--etcd-prefix", "/bin"];
    let first = RegistryProcess::start_with(&bin, &flags, &[]);
    let mut c = connect(first.addr).await;
    let created = east(&mut c, "js").await;
    let status = std::process::Command::new("kill").args(["-TERM", &first.child.id().to_string()]).status();
    assert!(status.expect("kill").success());
    let mut first = first;
    assert!(first.child.wait().expect("wait").success(), "SIGTERM ends the registry cleanly");

    // The same data through the environment twins alone.
    let envs = [
        ("EASTWEST_REGISTRY_STORE", "etcd"),
        ("EASTWEST_ETCD_ENDPOINTS", endpoints.as_str()),
        ("EASTWEST_ETCD_PREFIX", "/bin"),
    ];
    let second = RegistryProcess::start_with(&bin, &[], &envs);
    let mut c = connect(second.addr).await;
    let read = c.get_actor(pb::GetActorRequest { name: created.name.clone() }).await.expect("same prefix");
    assert_eq!(read.into_inner(), created);
    // Another prefix is another registry.
    let other = RegistryProcess::start_with(
        &bin,
        &["--store", "etcd", "--etcd-endpoints", &endpoints],
        &[("EASTWEST_ETCD_PREFIX", "/other")],
    );
    let mut o = connect(other.addr).await;
    assert_code(o.get_actor(pb::GetActorRequest { name: created.name }).await, Code::NotFound);

    // Without endpoints it says what is missing.
    let out = std::process::Command::new(&bin).args(["--store", "etcd"]).output().expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--etcd-endpoints"), "{stderr}");
    // Endpoints without --store etcd are a forgotten flag, not a wish for sled.
    let out = std::process::Command::new(&bin)
        .env("EASTWEST_ETCD_ENDPOINTS", &endpoints)
        .args(["--listen", "127.0.0.1:0"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--store etcd"), "{stderr}");
}
