//! `eastwest-registry`: the registry service on an embedded sled store.

/// mimalloc: the services allocate many small strings per request, and glibc's allocator was the
/// largest item in profiles (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use eastwest_registry::server::{ServeOptions, serve};
use eastwest_registry::store::{SledConfig, SledStore};
use eastwest_runtime::shutdown_signal;
use eastwest_runtime::telemetry::{self, LogFormat};

/// The registry of East-West Collaboration: actors, pairings and activities, over gRPC.
#[derive(Debug, Parser)]
#[command(name = "eastwest-registry", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "EASTWEST_REGISTRY_LISTEN", default_value = "127.0.0.1:50051")]
    listen: SocketAddr,

    /// Directory of the sled store; created if missing. One process at a time may use it.
    #[arg(long, env = "EASTWEST_REGISTRY_DATA_DIR", default_value = "./data/registry")]
    data_dir: PathBuf,

    /// sled page-cache size in MiB: the main lever on memory use. 128 keeps a registry of one
    /// million actors under 400 MiB resident (docs/performance.md).
    #[arg(long, env = "EASTWEST_REGISTRY_CACHE_MIB", default_value_t = 128)]
    cache_mib: u64,

    /// Seconds that in-flight requests get to finish on SIGTERM or SIGINT.
    #[arg(long, env = "EASTWEST_REGISTRY_DRAIN_TIMEOUT_SECS", default_value_t = 10)]
    drain_timeout_secs: u64,

    /// Log format: text for people, json for log collectors.
    #[arg(long, env = "EASTWEST_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

fn main() -> std::process::ExitCode {
    eastwest_runtime::exit_code(run())
}

#[tokio::main]
async fn run() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(args.log_format);
    let store =
        SledStore::open(&SledConfig { path: args.data_dir.clone(), cache_capacity_bytes: args.cache_mib << 20 })
            .with_context(|| format!("cannot open the registry store in {}", args.data_dir.display()))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let options = ServeOptions { drain_timeout: Duration::from_secs(args.drain_timeout_secs) };
    serve(listener, store, options, shutdown_signal()).await
}
