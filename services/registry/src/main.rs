//! `eastwest-registry`: the registry service on an embedded sled store or, with the `etcd`
//! feature, on an etcd cluster shared by several replicas.

/// mimalloc: the services allocate many small strings per request, and glibc's allocator was the
/// largest item in profiles (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use eastwest_registry::store::{SledConfig, SledStore};
use eastwest_registry::{ServeOptions, serve};
use eastwest_runtime::shutdown_signal;
use eastwest_runtime::telemetry::{self, LogFormat};

/// The registry of East-West Collaboration: actors, pairings and activities, over gRPC.
#[derive(Debug, Parser)]
#[command(name = "eastwest-registry", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "EASTWEST_REGISTRY_LISTEN", default_value = "127.0.0.1:50051")]
    listen: SocketAddr,

    /// Where the records live: `sled` (embedded, one process) or `etcd` (a cluster that several
    /// registry replicas share; needs a build with the `etcd` feature).
    #[arg(long, env = "EASTWEST_REGISTRY_STORE", value_enum, default_value_t = StoreKind::Sled)]
    store: StoreKind,

    /// Directory of the sled store; created if missing. One process at a time may use it.
    #[arg(long, env = "EASTWEST_REGISTRY_DATA_DIR", default_value = "./data/registry")]
    data_dir: PathBuf,

    /// sled page-cache size in MiB: the main lever on memory use. 128 keeps a registry of one
    /// million actors under 400 MiB resident (docs/performance.md).
    #[arg(long, env = "EASTWEST_REGISTRY_CACHE_MIB", default_value_t = 128)]
    cache_mib: u64,

    /// etcd client URLs, comma-separated (`--store etcd`), e.g. `https://etcd-0:2379,https://etcd-1:2379`.
    #[arg(long, env = "EASTWEST_ETCD_ENDPOINTS", value_delimiter = ',')]
    etcd_endpoints: Vec<String>,

    /// Key prefix of this registry's data in etcd.
    #[arg(long, env = "EASTWEST_ETCD_PREFIX", default_value = "/eastwest")]
    etcd_prefix: String,

    /// PEM bundle of the CA that signed the etcd members' certificates.
    #[arg(long, env = "EASTWEST_ETCD_CA_FILE")]
    etcd_ca_file: Option<PathBuf>,

    /// PEM client certificate for etcd (with --etcd-key-file).
    #[arg(long, env = "EASTWEST_ETCD_CERT_FILE")]
    etcd_cert_file: Option<PathBuf>,

    /// PEM private key of the etcd client certificate.
    #[arg(long, env = "EASTWEST_ETCD_KEY_FILE")]
    etcd_key_file: Option<PathBuf>,

    /// Seconds that in-flight requests get to finish on SIGTERM or SIGINT.
    #[arg(long, env = "EASTWEST_REGISTRY_DRAIN_TIMEOUT_SECS", default_value_t = 10)]
    drain_timeout_secs: u64,

    /// Log format: text for people, json for log collectors.
    #[arg(long, env = "EASTWEST_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum StoreKind {
    Sled,
    Etcd,
}

fn main() -> std::process::ExitCode {
    eastwest_runtime::exit_code(run())
}

#[tokio::main]
async fn run() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(args.log_format);
    let options =
        ServeOptions { drain_timeout: Duration::from_secs(args.drain_timeout_secs), ..ServeOptions::default() };
    match args.store {
        StoreKind::Sled => {
            // An etcd setting with the default store is a forgotten --store etcd, not a wish for sled.
            let etcd_settings = !args.etcd_endpoints.iter().all(|e| e.trim().is_empty())
                || args.etcd_ca_file.is_some()
                || args.etcd_cert_file.is_some()
                || args.etcd_key_file.is_some();
            if etcd_settings {
                anyhow::bail!(
                    "etcd settings are given but the store is sled; add --store etcd (EASTWEST_REGISTRY_STORE=etcd) \
                     or drop the etcd settings"
                );
            }
            tracing::info!(data_dir = %args.data_dir.display(), cache_mib = args.cache_mib, "store: sled");
            let config = SledConfig { path: args.data_dir.clone(), cache_capacity_bytes: args.cache_mib << 20 };
            let store = SledStore::open(&config)
                .with_context(|| format!("cannot open the registry store in {}", args.data_dir.display()))?;
            serve(listen(args.listen).await?, store, options, shutdown_signal()).await
        }
        StoreKind::Etcd => serve_on_etcd(&args, options).await,
    }
}

async fn listen(addr: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))
}

#[cfg(feature = "etcd")]
async fn serve_on_etcd(args: &Args, options: ServeOptions) -> anyhow::Result<()> {
    use eastwest_registry::store::{EtcdConfig, EtcdStore};
    let endpoints: Vec<String> =
        args.etcd_endpoints.iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
    if endpoints.is_empty() {
        anyhow::bail!("--store etcd needs --etcd-endpoints (or EASTWEST_ETCD_ENDPOINTS)");
    }
    tracing::info!(endpoints = %endpoints.join(","), prefix = %args.etcd_prefix, "store: etcd");
    let mut config = EtcdConfig::new(endpoints.clone(), args.etcd_prefix.clone());
    config.ca_file = args.etcd_ca_file.clone();
    config.cert_file = args.etcd_cert_file.clone();
    config.key_file = args.etcd_key_file.clone();
    let store = EtcdStore::open(&config)
        .await
        .with_context(|| format!("cannot open the registry store in etcd at {}", endpoints.join(",")))?;
    serve(listen(args.listen).await?, store, options, shutdown_signal()).await
}

#[cfg(not(feature = "etcd"))]
async fn serve_on_etcd(_: &Args, _: ServeOptions) -> anyhow::Result<()> {
    anyhow::bail!(
        "this eastwest-registry was built without etcd support; build it with \
         `cargo build --release -p eastwest-registry --features etcd` (needs protoc)"
    )
}
