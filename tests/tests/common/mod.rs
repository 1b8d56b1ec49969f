//! Shared helpers: a real registry server on 127.0.0.1 on a real store (a sled directory, or with
//! the `etcd` feature a real etcd process), clients, builders for valid records, and
//! [`on_every_engine!`], which runs one suite of tests against every store engine.
#![allow(dead_code)]

pub(crate) mod drafts;
#[cfg(feature = "etcd")]
pub(crate) mod etcd;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use eastwest_proto::registry::v1 as pb;
use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;
use eastwest_registry::store::{SledConfig, SledStore};
use eastwest_registry::{ServeOptions, serve};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;
use tonic_types::StatusExt;

pub(crate) type Client = RegistryServiceClient<Channel>;

pub(crate) use eastwest_proto::evaluation::v1::evaluation_service_client::EvaluationServiceClient;

/// The store engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    Sled,
    #[cfg(feature = "etcd")]
    Etcd,
}

tokio::task_local! {
    static ENGINE: Engine;
}

impl Engine {
    /// The engine of the running test: set by [`on_every_engine!`], sled otherwise.
    pub(crate) fn current() -> Self {
        ENGINE.try_with(|e| *e).unwrap_or(Engine::Sled)
    }

    /// Runs `test` with this engine as [`Engine::current`].
    pub(crate) async fn run(self, test: impl std::future::Future<Output = ()>) {
        ENGINE.scope(self, test).await
    }
}

/// Declares, for each named `async fn()` of the enclosing test file, one test per store engine:
/// `sled::name`, and `etcd::name` with the `etcd` feature. One suite, every engine.
#[macro_export]
macro_rules! on_every_engine {
    ($($name:ident),* $(,)?) => {
        mod sled {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    $crate::common::Engine::Sled.run(super::$name()).await
                }
            )*
        }
        #[cfg(feature = "etcd")]
        mod etcd {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    $crate::common::Engine::Etcd.run(super::$name()).await
                }
            )*
        }
    };
}

/// Where a test registry keeps its records; kept across a restart.
pub(crate) enum Backing {
    Sled {
        dir: PathBuf,
        tempdir: Option<Arc<tempfile::TempDir>>,
    },
    #[cfg(feature = "etcd")]
    Etcd {
        cluster: Arc<std::sync::Mutex<etcd::EtcdCluster>>,
        endpoints: Vec<String>,
        prefix: String,
    },
}

impl Backing {
    /// A fresh, empty store of the current engine.
    pub(crate) fn fresh() -> Self {
        match Engine::current() {
            Engine::Sled => {
                let tempdir = tempfile::tempdir().expect("tempdir");
                Backing::Sled { dir: tempdir.path().join("registry"), tempdir: Some(Arc::new(tempdir)) }
            }
            #[cfg(feature = "etcd")]
            Engine::Etcd => {
                let cluster = etcd::EtcdCluster::start(1);
                let endpoints = cluster.endpoints();
                Backing::Etcd {
                    cluster: Arc::new(std::sync::Mutex::new(cluster)),
                    endpoints,
                    prefix: "/eastwest-test".into(),
                }
            }
        }
    }

    fn share(&self) -> Self {
        match self {
            Backing::Sled { dir, tempdir } => Backing::Sled { dir: dir.clone(), tempdir: tempdir.clone() },
            #[cfg(feature = "etcd")]
            Backing::Etcd { cluster, endpoints, prefix } => {
                Backing::Etcd { cluster: Arc::clone(cluster), endpoints: endpoints.clone(), prefix: prefix.clone() }
            }
        }
    }
}

/// A registry server running in this process on an ephemeral port.
pub(crate) struct TestRegistry {
    pub addr: SocketAddr,
    /// The sled directory (empty on etcd).
    pub dir: PathBuf,
    backing: Option<Backing>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestRegistry {
    /// A registry on a fresh store of the current engine ([`Engine::current`]).
    pub(crate) async fn start() -> Self {
        Self::start_on(Backing::fresh(), "127.0.0.1:0".parse().expect("addr")).await
    }

    /// A registry on `backing` (a restart, or a second replica of the same etcd data).
    pub(crate) async fn start_on(backing: Backing, addr: SocketAddr) -> Self {
        let options = ServeOptions { drain_timeout: Duration::from_secs(5), ..ServeOptions::default() };
        Self::start_on_with(backing, addr, options).await
    }

    /// [`TestRegistry::start_on`] with serving options of the test's own.
    pub(crate) async fn start_on_with(backing: Backing, addr: SocketAddr, options: ServeOptions) -> Self {
        let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async {
            let _ = stopped.await;
        };
        let (task, dir) = match &backing {
            Backing::Sled { dir, .. } => {
                let store = SledStore::open(&SledConfig { path: dir.clone(), cache_capacity_bytes: 16 << 20 })
                    .expect("open store");
                (tokio::spawn(serve(listener, store, options, shutdown)), dir.clone())
            }
            #[cfg(feature = "etcd")]
            Backing::Etcd { endpoints, prefix, .. } => {
                let config = eastwest_registry::store::EtcdConfig::new(endpoints.clone(), prefix.clone());
                let store = eastwest_registry::store::EtcdStore::open(&config).await.expect("open etcd store");
                (tokio::spawn(serve(listener, store, options, shutdown)), PathBuf::new())
            }
        };
        Self { addr, dir, backing: Some(backing), stop: Some(stop), task: Some(task) }
    }

    /// Another handle on this registry's store, for a second replica or a restart.
    pub(crate) fn backing(&self) -> Backing {
        self.backing.as_ref().expect("running").share()
    }

    /// Stops the server and gives back its store, for a restart.
    pub(crate) async fn stop_keeping_store(mut self) -> Backing {
        let backing = self.backing.take().expect("running");
        self.shut_down().await;
        backing
    }

    async fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server result");
        }
    }

    /// Starts a server on an existing data directory (for restarts).
    pub(crate) async fn start_in(dir: &Path) -> Self {
        Self::start_at(dir, "127.0.0.1:0".parse().expect("addr")).await
    }

    /// Starts a sled server on a data directory and a given address (a restart on the same port).
    pub(crate) async fn start_at(dir: &Path, addr: SocketAddr) -> Self {
        Self::start_on(Backing::Sled { dir: dir.to_path_buf(), tempdir: None }, addr).await
    }

    pub(crate) async fn client(&self) -> Client {
        connect(self.addr).await
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and waits until it has drained and flushed; what holds its store is
    /// handed back so that the data outlives the server.
    pub(crate) async fn stop(mut self) -> Option<Backing> {
        self.shut_down().await;
        self.backing.take()
    }
}

pub(crate) async fn connect(addr: SocketAddr) -> Client {
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
pub(crate) fn violated_fields(status: &tonic::Status) -> Vec<String> {
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    let details = status.get_error_details();
    let bad = details.bad_request().expect("INVALID_ARGUMENT carries BadRequest details");
    bad.field_violations.iter().map(|v| v.field.clone()).collect()
}

pub(crate) fn assert_violation(status: &tonic::Status, field: &str) {
    let fields = violated_fields(status);
    assert!(
        fields.iter().any(|f| f == field),
        "expected a violation on {field}, got {fields:?} ({})",
        status.message()
    );
}

pub(crate) fn assert_code(result: Result<impl std::fmt::Debug, tonic::Status>, code: tonic::Code) -> tonic::Status {
    match result {
        Ok(v) => panic!("expected {code:?}, got Ok({v:?})"),
        Err(s) => {
            assert_eq!(s.code(), code, "{}", s.message());
            s
        }
    }
}

pub(crate) fn actor(display_name: &str, side: pb::Side, region_code: &str) -> pb::Actor {
    pb::Actor {
        display_name: display_name.into(),
        category: pb::ActorCategory::GovernmentBody as i32,
        side: side as i32,
        region_code: region_code.into(),
        ..Default::default()
    }
}

pub(crate) async fn create_actor(client: &mut Client, id: &str, actor: pb::Actor) -> pb::Actor {
    client
        .create_actor(pb::CreateActorRequest { actor: Some(actor), actor_id: id.into() })
        .await
        .unwrap_or_else(|s| panic!("create actors/{id}: {s:?}"))
        .into_inner()
}

pub(crate) async fn east(client: &mut Client, id: &str) -> pb::Actor {
    create_actor(client, id, actor(&format!("east {id}"), pb::Side::East, "320000")).await
}

pub(crate) async fn west(client: &mut Client, id: &str) -> pb::Actor {
    create_actor(client, id, actor(&format!("west {id}"), pb::Side::West, "610000")).await
}

pub(crate) fn pairing(title: &str, east: &str, west: &str) -> pb::Pairing {
    pb::Pairing {
        title: title.into(),
        east: format!("actors/{east}"),
        west: format!("actors/{west}"),
        level: pb::PairingLevel::Province as i32,
        leadership: pb::Leadership::GovernmentLed as i32,
        state: pb::PairingState::Active as i32,
        ..Default::default()
    }
}

pub(crate) async fn create_pairing(client: &mut Client, id: &str, pairing: pb::Pairing) -> pb::Pairing {
    client
        .create_pairing(pb::CreatePairingRequest { pairing: Some(pairing), pairing_id: id.into() })
        .await
        .unwrap_or_else(|s| panic!("create pairings/{id}: {s:?}"))
        .into_inner()
}

pub(crate) fn activity(actor: &str) -> pb::Activity {
    pb::Activity {
        actor: format!("actors/{actor}"),
        form: pb::CooperationForm::Employment as i32,
        kind: pb::ActivityKind::Employment as i32,
        direction: pb::FlowDirection::EastToWest as i32,
        date: "2021-06-30".into(),
        amount_fen: 0,
        people: 42,
        ..Default::default()
    }
}

pub(crate) async fn create_activity(
    client: &mut Client,
    pairing: &str,
    id: &str,
    activity: pb::Activity,
) -> pb::Activity {
    client
        .create_activity(pb::CreateActivityRequest {
            parent: format!("pairings/{pairing}"),
            activity: Some(activity),
            activity_id: id.into(),
        })
        .await
        .unwrap_or_else(|s| panic!("create activity {id}: {s:?}"))
        .into_inner()
}

/// Follows page tokens to the end, returning every actor name in order.
pub(crate) async fn all_actor_names(client: &mut Client, mut request: pb::ListActorsRequest) -> Vec<String> {
    let mut names = Vec::new();
    loop {
        let page = client.list_actors(request.clone()).await.expect("list actors").into_inner();
        names.extend(page.actors.into_iter().map(|a| a.name));
        if page.next_page_token.is_empty() {
            return names;
        }
        request.page_token = page.next_page_token;
    }
}

/// Deletes `name` in the background, trying again while it is still named (FAILED_PRECONDITION) or
/// raced (ABORTED), up to 50 times; true if the delete went through.
pub(crate) fn spawn_persistent_delete(mut deleter: Client, name: String) -> JoinHandle<bool> {
    tokio::spawn(async move {
        for _ in 0..50 {
            match deleter.delete_actor(pb::DeleteActorRequest { name: name.clone(), etag: String::new() }).await {
                Ok(_) => return true,
                Err(s) if matches!(s.code(), tonic::Code::FailedPrecondition | tonic::Code::Aborted) => {
                    tokio::task::yield_now().await
                }
                Err(s) => panic!("unexpected {s:?}"),
            }
        }
        false
    })
}

/// How many of the racing creates succeeded; each that failed must have lost the race
/// (NOT_FOUND: its actor was gone; ABORTED: contention).
pub(crate) async fn count_created(creates: Vec<JoinHandle<Result<(), tonic::Status>>>) -> usize {
    let mut created = 0;
    for create in creates {
        match create.await.expect("task") {
            Ok(()) => created += 1,
            Err(s) => assert!(matches!(s.code(), tonic::Code::NotFound | tonic::Code::Aborted), "{s:?}"),
        }
    }
    created
}

/// Asserts that every pairing names existing actors; returns the actors' names.
pub(crate) async fn assert_pairings_name_existing_actors(client: &mut Client) -> std::collections::BTreeSet<String> {
    let actors: std::collections::BTreeSet<String> =
        all_actor_names(client, pb::ListActorsRequest::default()).await.into_iter().collect();
    for name in all_pairing_names(client, pb::ListPairingsRequest::default()).await {
        let p = client.get_pairing(pb::GetPairingRequest { name: name.clone() }).await.expect("pairing").into_inner();
        assert!(actors.contains(&p.east) && actors.contains(&p.west), "{name} names a deleted actor");
    }
    actors
}

pub(crate) async fn all_pairing_names(client: &mut Client, mut request: pb::ListPairingsRequest) -> Vec<String> {
    let mut names = Vec::new();
    loop {
        let page = client.list_pairings(request.clone()).await.expect("list pairings").into_inner();
        names.extend(page.pairings.into_iter().map(|p| p.name));
        if page.next_page_token.is_empty() {
            return names;
        }
        request.page_token = page.next_page_token;
    }
}

/// An evaluation server running in this process on an ephemeral port, reading `registry_url`.
pub(crate) struct TestEvaluation {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestEvaluation {
    /// An evaluation service in front of `registry_url` (several replicas: comma-separated).
    pub(crate) async fn start(registry_url: &str) -> Self {
        use eastwest_evaluation::scoring::ScoringModel;
        use eastwest_evaluation::server::{EvaluationOptions, serve};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let urls = registry_url.split(',').map(str::to_string).collect();
        let mut options = EvaluationOptions::new(urls, ScoringModel::standard());
        options.drain_timeout = Duration::from_secs(5);
        options.health_interval = Duration::from_millis(100);
        let task = tokio::spawn(serve(listener, options, async {
            let _ = stopped.await;
        }));
        Self { addr, stop: Some(stop), task: Some(task) }
    }

    pub(crate) async fn client(&self) -> EvaluationServiceClient<Channel> {
        let channel = tonic::transport::Endpoint::from_shared(format!("http://{}", self.addr))
            .expect("endpoint")
            .connect()
            .await
            .expect("connect to evaluation");
        EvaluationServiceClient::new(channel)
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("evaluation task").expect("evaluation result");
        }
    }
}

/// Builds a workspace binary (a no-op when it is fresh) in this test's profile and returns its path.
pub(crate) fn cargo_binary(package: &str, bin: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    // target/<profile>/deps/<test> → target/<profile>
    let profile_dir = exe.parent().and_then(Path::parent).expect("profile dir").to_path_buf();
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = std::process::Command::new(cargo);
    build.args(["build", "--quiet", "-p", package, "--bin", bin]);
    if release {
        build.arg("--release");
    }
    let status = build.status().expect("run cargo build");
    assert!(status.success(), "building {bin} failed");
    profile_dir.join(bin)
}

/// Builds a workspace binary with the `etcd` feature, in a target directory of its own so that it
/// never replaces the default build of the same binary that other tests run.
#[cfg(feature = "etcd")]
pub(crate) fn cargo_binary_with_etcd(package: &str, bin: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let profile_dir = exe.parent().and_then(Path::parent).expect("profile dir").to_path_buf();
    let profile = profile_dir.file_name().expect("profile").to_owned();
    let target_dir = profile_dir.parent().expect("target dir").join("with-etcd");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = std::process::Command::new(cargo);
    build.args(["build", "--quiet", "-p", package, "--bin", bin, "--features", "etcd", "--target-dir"]);
    build.arg(&target_dir);
    if profile == "release" {
        build.arg("--release");
    }
    let status = build.status().expect("run cargo build");
    assert!(status.success(), "building {bin} with etcd failed");
    target_dir.join(profile).join(bin)
}

/// The real `eastwest-registry` binary on a sled directory, for what only a process boundary
/// shows (SIGKILL, SIGTERM, the data-dir lock, a replica that dies without a word).
pub(crate) struct RegistryProcess {
    pub child: std::process::Child,
    pub addr: SocketAddr,
}

/// A failed assertion must not leave the server running.
impl Drop for RegistryProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl RegistryProcess {
    /// Starts the binary `bin` on a sled directory, on an ephemeral port.
    pub(crate) fn start(bin: &Path, dir: &Path) -> Self {
        let dir = dir.to_str().expect("utf-8 path");
        Self::start_with(bin, &["--data-dir", dir], &[])
    }

    /// Starts the binary with `args` and `envs` on an ephemeral port and reads the address it logs.
    pub(crate) fn start_with(bin: &Path, args: &[&str], envs: &[(&str, &str)]) -> Self {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let mut child = Command::new(bin)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "info")
            .env("EASTWEST_LOG_FORMAT", "text")
            .envs(envs.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn registry");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("local=").nth(1) {
                    let _ = tx.send(rest.split_whitespace().next().unwrap_or_default().to_string());
                }
            }
        });
        let addr = rx.recv_timeout(Duration::from_secs(30)).expect("registry logged its address");
        Self { child, addr: addr.parse().expect("socket address") }
    }
}
