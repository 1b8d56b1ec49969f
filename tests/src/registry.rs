//! A registry server in the test's own process, on an ephemeral port of 127.0.0.1, and the store
//! it keeps its records in ([`Backing`]): a fresh one of the current engine, kept across a
//! restart, shared by several replicas, or opened bare for tests at the `Store` seam
//! ([`Backing::open_store`]).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use eastwest_registry::store::{
    Key, Outcome, Scan, Scanned, SledConfig, SledStore, Store, StoreError, Txn, TxnLimits, Versioned,
};
use eastwest_registry::{ServeOptions, serve};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::engine::Engine;
#[cfg(feature = "etcd")]
use crate::etcd;
use crate::grpc::{Client, connect};

/// 127.0.0.1 on a port the system picks.
pub fn any_addr() -> SocketAddr {
    "127.0.0.1:0".parse().expect("addr")
}

/// Where a test registry keeps its records; kept across a restart.
pub enum Backing {
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
    pub fn fresh() -> Self {
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

    /// Opens the store, as a registry would. A sled directory is opened by one store at a time.
    pub async fn open_store(&self) -> EngineStore {
        match self {
            Backing::Sled { dir, .. } => EngineStore::Sled(
                SledStore::open(&SledConfig { path: dir.clone(), cache_capacity_bytes: 16 << 20 }).expect("open store"),
            ),
            #[cfg(feature = "etcd")]
            Backing::Etcd { endpoints, prefix, .. } => {
                let config = eastwest_registry::store::EtcdConfig::new(endpoints.clone(), prefix.clone());
                let store = eastwest_registry::store::EtcdStore::open(&config).await.expect("open etcd store");
                EngineStore::Etcd(Box::new(store))
            }
        }
    }
}

/// A store of any engine behind one type, so that a test at the `Store` seam is written once.
pub enum EngineStore {
    Sled(SledStore),
    #[cfg(feature = "etcd")]
    Etcd(Box<eastwest_registry::store::EtcdStore>),
}

/// Calls the same method on whichever engine is inside.
macro_rules! each_engine {
    ($store:expr, $s:ident => $call:expr) => {
        match $store {
            EngineStore::Sled($s) => $call,
            #[cfg(feature = "etcd")]
            EngineStore::Etcd($s) => $call,
        }
    };
}

impl Store for EngineStore {
    async fn get(&self, key: Key) -> Result<Option<Versioned>, StoreError> {
        each_engine!(self, s => s.get(key).await)
    }

    async fn get_many(&self, keys: Vec<Key>, revision: Option<u64>) -> Result<Vec<Option<Versioned>>, StoreError> {
        each_engine!(self, s => s.get_many(keys, revision).await)
    }

    async fn scan(&self, scan: Scan) -> Result<Scanned, StoreError> {
        each_engine!(self, s => s.scan(scan).await)
    }

    async fn commit(&self, txn: Txn) -> Result<Outcome, StoreError> {
        each_engine!(self, s => s.commit(txn).await)
    }

    async fn flush(&self) -> Result<(), StoreError> {
        each_engine!(self, s => s.flush().await)
    }

    fn limits(&self) -> TxnLimits {
        each_engine!(self, s => s.limits())
    }

    async fn ready(&self) -> Result<(), StoreError> {
        each_engine!(self, s => s.ready().await)
    }
}

/// A registry server running in this process on an ephemeral port.
pub struct TestRegistry {
    pub addr: SocketAddr,
    /// The sled directory (empty on etcd).
    pub dir: PathBuf,
    backing: Option<Backing>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestRegistry {
    /// A registry on a fresh store of the current engine ([`Engine::current`]).
    pub async fn start() -> Self {
        Self::start_on(Backing::fresh(), any_addr()).await
    }

    /// A registry on `backing` (a restart, or a second replica of the same etcd data).
    pub async fn start_on(backing: Backing, addr: SocketAddr) -> Self {
        let options = ServeOptions { drain_timeout: Duration::from_secs(5), ..ServeOptions::default() };
        Self::start_on_with(backing, addr, options).await
    }

    /// [`TestRegistry::start_on`] with serving options of the test's own.
    pub async fn start_on_with(backing: Backing, addr: SocketAddr, options: ServeOptions) -> Self {
        let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async {
            let _ = stopped.await;
        };
        let dir = match &backing {
            Backing::Sled { dir, .. } => dir.clone(),
            #[cfg(feature = "etcd")]
            Backing::Etcd { .. } => PathBuf::new(),
        };
        // Each engine served as itself, not through `EngineStore`: the server under test runs on
        // exactly the store a deployment would give it.
        let task = match backing.open_store().await {
            EngineStore::Sled(store) => tokio::spawn(serve(listener, store, options, shutdown)),
            #[cfg(feature = "etcd")]
            EngineStore::Etcd(store) => tokio::spawn(serve(listener, *store, options, shutdown)),
        };
        Self { addr, dir, backing: Some(backing), stop: Some(stop), task: Some(task) }
    }

    /// Another handle on this registry's store, for a second replica or a restart.
    pub fn backing(&self) -> Backing {
        self.backing.as_ref().expect("running").share()
    }

    /// Stops the server and gives back its store, for a restart.
    pub async fn stop_keeping_store(mut self) -> Backing {
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
    pub async fn start_in(dir: &Path) -> Self {
        Self::start_at(dir, any_addr()).await
    }

    /// Starts a sled server on a data directory and a given address (a restart on the same port).
    pub async fn start_at(dir: &Path, addr: SocketAddr) -> Self {
        Self::start_on(Backing::Sled { dir: dir.to_path_buf(), tempdir: None }, addr).await
    }

    pub async fn client(&self) -> Client {
        connect(self.addr).await
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and waits until it has drained and flushed; what holds its store is
    /// handed back so that the data outlives the server.
    pub async fn stop(mut self) -> Option<Backing> {
        self.shut_down().await;
        self.backing.take()
    }
}

/// An etcd cluster of `members` and two registry replicas on it, both under `/ew`.
#[cfg(feature = "etcd")]
pub async fn replicas(members: usize) -> (Arc<std::sync::Mutex<etcd::EtcdCluster>>, TestRegistry, TestRegistry) {
    let cluster = etcd::EtcdCluster::start(members);
    let endpoints = cluster.endpoints();
    let cluster = Arc::new(std::sync::Mutex::new(cluster));
    let backing =
        || Backing::Etcd { cluster: Arc::clone(&cluster), endpoints: endpoints.clone(), prefix: "/ew".into() };
    let a = TestRegistry::start_on(backing(), any_addr()).await;
    let b = TestRegistry::start_on(backing(), any_addr()).await;
    (cluster, a, b)
}
